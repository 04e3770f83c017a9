/**
 * The tool-usage log: one line per call up to the rate, then counted per tool in a summary line;
 * argument shapes only, never values.
 */
import { describe, expect, test } from "bun:test"
import { createLogger, createLogHub } from "../../src/core/index.ts"
import { UsageLog } from "../../src/mcp/usage.ts"

function setup(perSecond: number | (() => number)) {
  const lines: Record<string, any>[] = []
  const log = createLogger(createLogHub("info", (l) => lines.push(JSON.parse(l))), "mcp")
  let now = 0
  const usage = new UsageLog(log, perSecond, () => now)
  return { lines, usage, at: (t: number) => void (now = t) }
}

describe("UsageLog", () => {
  test("per-call lines up to the rate, then one summary with counts, outcomes and mean duration", () => {
    const { lines, usage, at } = setup(2)
    usage.record("ev", "echo", 1, "ok", { message: "secret value" })
    usage.record("ev", "echo", 2, "ok", undefined)
    usage.record("ev", "echo", 3, "tool_error", undefined)
    usage.record("ev", "echo", 5, "ok", undefined)
    usage.record(undefined, "orchestrator_status", 4, "error", undefined)
    expect(lines.map((l) => l.msg)).toEqual(["tool call", "tool call"])
    expect(lines[0]).toMatchObject({ server: "ev", tool: "echo", outcome: "ok", args: { message: "string(12)" } })
    expect(JSON.stringify(lines)).not.toContain("secret value")
    usage.flush()
    const summary = lines[2]!
    expect(summary.msg).toBe("tool calls")
    expect(summary.calls).toBe(3)
    expect(summary.byTool).toEqual([
      { server: "ev", tool: "echo", calls: 2, ok: 1, error: 0, tool_error: 1, meanMs: 4 },
      { tool: "orchestrator_status", calls: 1, ok: 0, error: 1, tool_error: 0, meanMs: 4 },
    ])
    // a new second: per-call lines again; nothing left to summarise
    at(1000)
    usage.record("ev", "echo", 1, "ok", undefined)
    usage.flush()
    expect(lines.map((l) => l.msg)).toEqual(["tool call", "tool call", "tool calls", "tool call"])
  })

  test("a call the client cancelled or left is counted as cancelled, in the summary only when there was one", () => {
    const { lines, usage } = setup(0)
    usage.record("ev", "echo", 2, "cancelled", undefined)
    usage.record("ev", "echo", 4, "ok", undefined)
    usage.record("ev", "add", 1, "ok", undefined)
    usage.flush()
    expect(lines[0]!.byTool).toEqual([
      { server: "ev", tool: "echo", calls: 2, ok: 1, error: 0, tool_error: 0, cancelled: 1, meanMs: 3 },
      { server: "ev", tool: "add", calls: 1, ok: 1, error: 0, tool_error: 0, meanMs: 1 },
    ])
  })

  test("0 lines per second: summaries only", () => {
    const { lines, usage } = setup(0)
    for (let i = 0; i < 10; i++) usage.record("m", "read_graph", 1, "ok", undefined)
    expect(lines).toEqual([])
    usage.flush()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ msg: "tool calls", calls: 10 })
  })

  test("a rate given as a function is read on each call (log.callLinesPerSecond changed by a config reload)", () => {
    let rate = 0
    const { lines, usage, at } = setup(() => rate)
    usage.record("m", "read_graph", 1, "ok", undefined)
    expect(lines).toEqual([])
    rate = 1
    at(1000)
    usage.record("m", "read_graph", 1, "ok", undefined)
    expect(lines.map((l) => l.msg)).toEqual(["tool call"])
  })
})
