/**
 * @module http/tool-call-metrics
 * `mcpo_tool_calls_total` and `mcpo_tool_call_duration_seconds`, kept by hand: a tool call adds to
 * its label set's counters (one Map lookup, a bucket index, a few additions) instead of prom-client
 * hashing the labels twice per call, and the registry renders the same lines at scrape time (these
 * objects implement what prom-client's Registry reads of a metric: name, help, type, `get()`).
 */
import type { Registry } from "prom-client"

interface Series {
  labels: { server: string; tool: string; outcome: string }
  count: number
  sum: number
  /** Per upper bound, non-cumulative (cumulated when rendered). */
  buckets: number[]
}

type Value = { labels?: Record<string, string | number>; sharedLabels?: Record<string, string>; value: number; metricName?: string }

/** Label sets kept (tool names come from downstreams): past it, a new tool's calls are counted under tool "(other)". */
const MAX_SERIES = 10_000
const OTHER = "(other)"

export class ToolCallMetrics {
  private readonly series = new Map<string, Series>()

  constructor(
    registry: Registry,
    private readonly bounds: readonly number[],
    names = { calls: "mcpo_tool_calls_total", latency: "mcpo_tool_call_duration_seconds" },
  ) {
    const calls = {
      name: names.calls,
      help: "Tool calls by server, tool and outcome (ok, error, tool_error, cancelled).",
      type: "counter",
      aggregator: "sum",
      get: async () => ({ name: calls.name, help: calls.help, type: calls.type, aggregator: calls.aggregator, values: [...this.series.values()].map((s): Value => ({ labels: s.labels, value: s.count })) }),
      reset: () => this.series.clear(),
    }
    const latency = {
      name: names.latency,
      help: "Tool-call latency as seen by the client, seconds.",
      type: "histogram",
      aggregator: "sum",
      get: async () => ({ name: latency.name, help: latency.help, type: latency.type, aggregator: latency.aggregator, values: this.histogramValues(latency.name) }),
      reset: () => this.series.clear(),
    }
    registry.registerMetric(calls as never)
    registry.registerMetric(latency as never)
  }

  observe(server: string, tool: string, outcome: string, seconds: number): void {
    let key = `${server}\0${tool}\0${outcome}`
    let s = this.series.get(key)
    if (!s) {
      if (this.series.size >= MAX_SERIES) {
        tool = OTHER
        key = `${server}\0${tool}\0${outcome}`
        s = this.series.get(key)
      }
      if (!s) this.series.set(key, (s = { labels: { server, tool, outcome }, count: 0, sum: 0, buckets: this.bounds.map(() => 0) }))
    }
    s.count++
    s.sum += seconds
    const b = this.bounds
    for (let i = 0; i < b.length; i++) {
      if (seconds <= b[i]!) {
        s.buckets[i]!++
        break
      }
    }
  }

  /** The lines prom-client's Histogram would give for the same observations (same label order). */
  private histogramValues(name: string): Value[] {
    const out: Value[] = []
    for (const s of this.series.values()) {
      let acc = 0
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.buckets[i]!
        out.push({ labels: { le: this.bounds[i]! }, sharedLabels: s.labels, value: acc, metricName: `${name}_bucket` })
      }
      out.push({ labels: { le: "+Inf" }, sharedLabels: s.labels, value: s.count, metricName: `${name}_bucket` })
      out.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${name}_sum` })
      out.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${name}_count` })
    }
    return out
  }
}
