/**
 * A downstream's tool list change, once re-aggregated, makes one info line naming the server and
 * what changed (counts, never the definitions), with the time our own work took.
 */
import { describe, expect, test } from "bun:test"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createLogger, createLogHub, type LogRecord } from "../../src/core/index.ts"
import { ToolChangeLog } from "../../src/proxy/change-log.ts"
import { createProxy, type Tool } from "../../src/proxy/index.ts"
import { config, ROOT, until } from "./helpers.ts"

const FIXTURE = join(ROOT, "scripts", "bench", "_fixture-server.ts")
const SECRET = "sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0"

function infoLog(): { log: ReturnType<typeof createLogger>; records: LogRecord[] } {
  const records: LogRecord[] = []
  const hub = createLogHub("info", () => {})
  hub.sinks.add((r) => records.push(r))
  return { log: createLogger(hub, "test"), records }
}

const tool = (name: string, description = "d"): Tool => ({ name, description, inputSchema: { type: "object" } }) as Tool

describe("tools list changed log line", () => {
  test("counts added, removed and changed definitions by name; several changes in a window make one line", () => {
    const { log, records } = infoLog()
    const changes = new ToolChangeLog(log)
    const a = tool("a")
    const b = tool("b")
    changes.note("s1", [a, b, tool("c")], [a, tool("b", "new"), tool("d"), tool("e")], performance.now())
    changes.note("s1", [a], [a, tool("f")], performance.now())
    expect(records).toHaveLength(0) // nothing before the list is built
    changes.built(42, 1.5)
    expect(records).toHaveLength(1)
    const r = records[0]! as unknown as Record<string, unknown>
    expect(r.msg).toBe("tools list changed")
    expect({ server: r.server, added: r.added, removed: r.removed, changed: r.changed, tools: r.tools }).toEqual({ server: "s1", added: 3, removed: 1, changed: 1, tools: 42 })
    expect(r.reaggregatedMs).toBeGreaterThanOrEqual(1.5)
    changes.built(42, 1)
    expect(records).toHaveLength(1) // logged once
  })

  test("a removed server's pending change is not reported", () => {
    const { log, records } = infoLog()
    const changes = new ToolChangeLog(log)
    changes.note("gone", [tool("a")], [tool("b")], performance.now())
    changes.forget("gone")
    changes.built(1, 0)
    expect(records).toHaveLength(0)
  })

  test("a downstream's rename: one line naming it, with counts and no definition text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpo-change-log-"))
    const defs = join(dir, "defs.json")
    const secretTool = { name: "first", description: `uses ${SECRET}`, inputSchema: { type: "object" } }
    writeFileSync(defs, JSON.stringify([secretTool, { name: "second", description: "plain", inputSchema: { type: "object" } }]))
    const { log, records } = infoLog()
    await using proxy = createProxy({ config: config({ servers: { fx: { command: process.execPath, args: [FIXTURE, defs] } } }), log, coalesceMs: 50, closeGraceMs: 200 })
    expect((await proxy.listTools()).map((t) => t.name).sort()).toEqual(["fx__first", "fx__second"])
    // the first listing is no change
    expect(records.filter((r) => r.msg === "tools list changed")).toHaveLength(0)
    process.kill(proxy.pool.get("fx")!.pid!, "SIGUSR1") // renames its first tool to first_v2
    expect(await until(() => records.some((r) => r.msg === "tools list changed"), 15_000)).toBe(true)
    const lines = records.filter((r) => r.msg === "tools list changed") as unknown as Record<string, unknown>[]
    expect(lines).toHaveLength(1)
    const { reaggregatedMs, ts: _ts, level, component: _c, ...rest } = lines[0]!
    expect(level).toBe("info")
    expect(rest).toEqual({ msg: "tools list changed", server: "fx", added: 1, removed: 1, changed: 0, tools: 2 })
    expect(typeof reaggregatedMs).toBe("number")
    // a figure for the reader of the log, not a bound: any finite duration
    expect(Number.isFinite(reaggregatedMs)).toBe(true)
    expect(reaggregatedMs as number).toBeGreaterThanOrEqual(0)
    expect(JSON.stringify(records)).not.toContain(SECRET)
    expect((await proxy.listTools()).map((t) => t.name).sort()).toEqual(["fx__first_v2", "fx__second"])
  })
})
