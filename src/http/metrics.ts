/**
 * @module http/metrics
 * Prometheus metrics on an own prom-client Registry: explicit observe methods the subsystems call
 * (tool calls, Toolkit commands, plugin hooks) plus gauges read at scrape time from status sources.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client"
import type { Status } from "../mcp/index.ts"
import { clientDrops, redactString } from "../core/index.ts"
import { ToolCallMetrics } from "./tool-call-metrics.ts"

export type CallOutcome = "ok" | "error" | "tool_error" | "cancelled"

/** Cache figures read at scrape time (the cache's own stats object fits). */
export interface CacheFigures {
  hits: number
  misses: number
  bytes: number
  entries: number
  evictions?: number
}

export interface MetricsSources {
  status?: () => Promise<Status>
  cache?: () => CacheFigures | undefined
  /** Open MCP sessions on the HTTP endpoint. */
  httpSessions?: () => number
  /** Names of the orchestrator's own tools: a call that is neither one of them nor routed to a server is counted as tool UNKNOWN_TOOL. */
  ownTools?: Iterable<string>
}

/**
 * The `tool` label of calls to a name that is not exposed (neither an own tool nor routed to a
 * server): client-chosen names share one label value, so /metrics does not grow per typo.
 */
export const UNKNOWN_TOOL = "(unknown)"

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
/** Event-loop delay sampling interval (ms) of the default metrics' lag histogram. */
const EVENT_LOOP_SAMPLE_MS = 100
const SESSION_STATES = ["idle", "starting", "ready", "failed", "backoff", "open-circuit", "needs-auth", "closed"] as const

export class Metrics {
  readonly registry = new Registry()
  private sources: MetricsSources = {}
  private ownTools: ReadonlySet<string> = new Set()
  private readonly toolCalls: ToolCallMetrics
  private readonly toolkitLatency: Histogram<"command" | "outcome">
  private readonly hookLatency: Histogram<"plugin" | "hook">
  private readonly pluginFaults: Counter<"plugin" | "hook" | "kind">

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry]
    this.toolCalls = new ToolCallMetrics(this.registry, LATENCY_BUCKETS)
    this.toolkitLatency = new Histogram({
      name: "mcpo_toolkit_command_duration_seconds",
      help: "Duration of `docker mcp` commands, seconds.",
      labelNames: ["command", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    })
    this.hookLatency = new Histogram({
      name: "mcpo_plugin_hook_duration_seconds",
      help: "Plugin hook run time, seconds.",
      labelNames: ["plugin", "hook"],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    })
    this.pluginFaults = new Counter({ name: "mcpo_plugin_faults_total", help: "Plugin faults (throw, deadline, memory) by plugin and hook.", labelNames: ["plugin", "hook", "kind"], registers })

    const self = this
    new Gauge({
      name: "mcpo_downstream_sessions",
      help: "Downstream server sessions by state.",
      labelNames: ["state"],
      registers,
      async collect() {
        const st = await self.status()
        const counts = new Map<string, number>(SESSION_STATES.map((s) => [s, 0]))
        for (const s of st?.servers ?? []) counts.set(s.state, (counts.get(s.state) ?? 0) + 1)
        this.reset()
        for (const [state, n] of counts) this.set({ state }, n)
      },
    })
    new Gauge({
      name: "mcpo_tools_exposed",
      help: "Tools exposed to clients: own and proxied.",
      labelNames: ["kind"],
      registers,
      async collect() {
        const st = await self.status()
        this.set({ kind: "own" }, st?.tools.own ?? 0)
        this.set({ kind: "proxied" }, st?.tools.proxied ?? 0)
      },
    })
    const cacheGauge = (name: string, help: string, pick: (c: CacheFigures) => number | undefined): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const c = self.sources.cache?.()
          this.set(c ? (pick(c) ?? 0) : 0)
        },
      })
    }
    // Cache counters are owned by the cache; exposed as gauges mirroring its monotonic counters.
    cacheGauge("mcpo_cache_hits", "Cache hits since start.", (c) => c.hits)
    cacheGauge("mcpo_cache_misses", "Cache misses since start.", (c) => c.misses)
    cacheGauge("mcpo_cache_bytes", "Bytes held by the cache.", (c) => c.bytes)
    cacheGauge("mcpo_cache_entries", "Entries held by the cache.", (c) => c.entries)
    new Gauge({
      name: "mcpo_http_sessions",
      help: "Open MCP sessions on the HTTP endpoint.",
      registers,
      collect() {
        this.set(self.sources.httpSessions?.() ?? 0)
      },
    })
    new Gauge({
      name: "mcpo_client_notifications_dropped",
      help: "Notifications (progress, log messages, list_changed, resources/updated) not written to a client that did not read its output, by method, since start.",
      labelNames: ["method"],
      registers,
      collect() {
        for (const [method, n] of clientDrops.byMethod) this.set({ method }, n)
      },
    })
    // the event-loop delay histogram samples on a timer: prom-client's default 10 ms woke the idle
    // process 100 times a second and the busy one as often; a block longer than the interval still shows
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: "mcpo_", eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS })
  }

  /** Where scrape-time gauges read from; later calls merge. */
  setSources(sources: MetricsSources): void {
    this.sources = { ...this.sources, ...sources }
    if (sources.ownTools) this.ownTools = new Set(sources.ownTools)
  }

  /**
   * Runs once per tool call (both faces, when HTTP is on): a Map lookup and a few additions
   * (tool-call-metrics.ts). A call routed to a server keeps its name, so does an own tool; any
   * other name (unknown, hidden, of a server that is down) is counted as UNKNOWN_TOOL.
   */
  observeToolCall(e: { tool: string; server?: string; outcome: CallOutcome; durationMs: number }): void {
    const tool = e.server !== undefined || this.ownTools.has(e.tool) ? e.tool : UNKNOWN_TOOL
    this.toolCalls.observe(e.server ?? "", tool, e.outcome, e.durationMs / 1000)
  }

  observeToolkitCommand(e: { command: string; outcome: "ok" | "error" | "timeout"; durationMs: number }): void {
    this.toolkitLatency.observe({ command: e.command, outcome: e.outcome }, e.durationMs / 1000)
  }

  observePluginHook(e: { plugin: string; hook: string; durationMs: number; fault?: string }): void {
    this.hookLatency.observe({ plugin: e.plugin, hook: e.hook }, e.durationMs / 1000)
    if (e.fault) this.pluginFaults.inc({ plugin: e.plugin, hook: e.hook, kind: e.fault })
  }

  get contentType(): string {
    return this.registry.contentType
  }

  /**
   * The Prometheus text exposition: the redaction point of metrics (label values such as tool and
   * plugin names come from downstreams and plugins; no configured secret is exported in one).
   */
  async render(): Promise<string> {
    return redactString(await this.registry.metrics())
  }

  private statusMemo?: { at: number; value: Promise<Status | undefined> }
  /** One status() per scrape even though several gauges read it. */
  private status(): Promise<Status | undefined> {
    const now = performance.now()
    if (!this.statusMemo || now - this.statusMemo.at > 100) {
      const src = this.sources.status
      this.statusMemo = { at: now, value: src ? src().catch(() => undefined) : Promise.resolve(undefined) }
    }
    return this.statusMemo.value
  }
}
