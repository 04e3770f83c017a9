/**
 * @module mcp/usage
 * The tool-usage log. Each call is one `tool call` line with the argument *shape* (keys and value
 * types, never values: they may hold secrets), up to a rate; past it, calls are counted and one
 * `tool calls` summary line per second gives the counts, outcomes and mean duration per tool. At
 * human rates every call is logged; under load the log stays bounded and costs the call nothing.
 */
import type { Logger } from "../core/index.ts"

export function describeArgs(args: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!args) return undefined
  const out: Record<string, string> = {}
  let n = 0
  for (const k in args) {
    if (++n > 32) {
      out["…"] = "more"
      break
    }
    const v = args[k]
    out[k] = v === null ? "null" : Array.isArray(v) ? `array(${v.length})` : typeof v === "string" ? `string(${v.length})` : typeof v
  }
  return out
}

/** `cancelled`: the client cancelled the call or went away before its answer (nothing was answered). */
export type CallOutcome = "ok" | "error" | "tool_error" | "cancelled"

interface Tally {
  server: string | undefined
  tool: string
  calls: number
  ok: number
  error: number
  tool_error: number
  cancelled: number
  totalMs: number
}

const WINDOW_MS = 1000

export class UsageLog {
  private windowStart = -Infinity
  private inWindow = 0
  /** server (or "" for our own tools) → tool → counts */
  private readonly tallies = new Map<string, Map<string, Tally>>()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly log: Logger,
    /** Per-call lines per second (0: summaries only); a function follows the running config (live reload). */
    private readonly limit: number | (() => number),
    private readonly now: () => number = () => performance.now(),
  ) {}

  private get perSecond(): number {
    return typeof this.limit === "number" ? this.limit : this.limit()
  }

  record(server: string | undefined, tool: string, durationMs: number, outcome: CallOutcome, args: Record<string, unknown> | undefined): void {
    if (!this.log.isEnabled("info")) return
    const t = this.now()
    if (t - this.windowStart >= WINDOW_MS) {
      this.windowStart = t
      this.inWindow = 0
    }
    if (++this.inWindow <= this.perSecond) {
      // built when the log batch is written, not on the call's path
      this.log.info("tool call", () => {
        const f: Record<string, unknown> = {}
        if (server !== undefined) f.server = server
        f.tool = tool
        f.durationMs = Math.round(durationMs * 1000) / 1000
        f.outcome = outcome
        f.args = describeArgs(args)
        return f
      })
      return
    }
    let byTool = this.tallies.get(server ?? "")
    if (byTool === undefined) this.tallies.set(server ?? "", (byTool = new Map()))
    let tally = byTool.get(tool)
    if (tally === undefined) {
      tally = { server, tool, calls: 0, ok: 0, error: 0, tool_error: 0, cancelled: 0, totalMs: 0 }
      byTool.set(tool, tally)
    }
    tally.calls++
    tally[outcome]++
    tally.totalMs += durationMs
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), WINDOW_MS)
      this.timer.unref?.()
    }
  }

  /** Write the summary of calls not logged one by one (also on shutdown). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (this.tallies.size === 0) return
    const tallies = [...this.tallies.values()].flatMap((m) => [...m.values()])
    this.tallies.clear()
    const perLine = this.perSecond
    this.log.info("tool calls", () => ({
      note: `more than ${perLine} calls per second: these were counted instead of logged one by one`,
      calls: tallies.reduce((n, t) => n + t.calls, 0),
      byTool: tallies.map((t) => ({
        ...(t.server !== undefined ? { server: t.server } : {}),
        tool: t.tool,
        calls: t.calls,
        ok: t.ok,
        error: t.error,
        tool_error: t.tool_error,
        ...(t.cancelled > 0 ? { cancelled: t.cancelled } : {}),
        meanMs: Math.round((t.totalMs / t.calls) * 1000) / 1000,
      })),
    }))
  }
}
