/**
 * Regression (QA defect 11): tool pins grew without bound — a server whose tool names change on
 * every listing added pins for ever, and the whole file was rewritten on every listing. Pins of
 * tools a server no longer lists are bounded per server (the earliest seen kept, a listed name's
 * pin never dropped, the rug-pull check intact); writes are coalesced; a huge pins file is not read.
 */
import { describe, expect, test } from "bun:test"
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { MAX_PINS_FILE_BYTES, MAX_UNLISTED_PINS, ToolPins } from "../../src/catalog/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import type { Pool } from "../../src/pool/index.ts"
import { refreshLists } from "../../src/proxy/fetch-list.ts"
import type { ServerLists } from "../../src/proxy/surface.ts"
import type { Tool } from "../../src/proxy/types.ts"
import { captureLog } from "./helpers.ts"

const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: "object" } })
const tempPins = (): string => join(mkdtempSync(join(tmpdir(), "mcpo-pins-")), "pins.json")
const onDisk = (path: string): Record<string, Record<string, { hash: string; pending?: unknown }>> =>
  (JSON.parse(readFileSync(path, "utf8")) as { servers: Record<string, Record<string, { hash: string }>> }).servers

/** Generation `g` of a server that puts a generation number in its tool names: `keep` plus `n` tools `t<i>_<g>`. */
const generation = (g: number, n: number, extra: ReturnType<typeof tool>[] = []) => [tool("keep", "stays"), ...extra, ...Array.from({ length: n }, (_, i) => tool(`t${i}_${g}`, `tool ${i} of generation ${g}`))]

describe("pins of tools a server no longer lists", () => {
  test("are bounded per server: its last listing plus MAX_UNLISTED_PINS, the ones seen first kept; the rug-pull check still holds", async () => {
    const path = tempPins()
    const { log, records } = captureLog()
    const p = new ToolPins(path, "block", log)
    const N = 300
    p.gate("s", generation(0, N, [tool("early", "first generation only")]))
    p.gate("other", [tool("a", "x")])
    for (let g = 1; g <= 10; g++) {
      await Bun.sleep(2) // each generation first seen later than the one before
      expect(p.gate("s", generation(g, N)).length).toBe(N + 1) // all new names pass (new tools)
    }
    p.flush()
    const pins = onDisk(path)
    const names = Object.keys(pins.s!)
    // without a bound: 1 + 1 + 11 × 300 = 3 302 pins
    expect(names.length).toBe(N + 1 + MAX_UNLISTED_PINS)
    // the last listing is pinned whole
    for (const t of generation(10, N)) expect(names).toContain(t.name)
    // of the unlisted, the ones seen first stay: `early` and the whole first generation
    expect(names).toContain("early")
    for (let i = 0; i < N; i++) expect(names).toContain(`t${i}_0`)
    expect(names).not.toContain("t0_9")
    // another server's pins are untouched
    expect(Object.keys(pins.other!)).toEqual(["a"])
    // the server's names do not stay: warned once, noted (status, doctor)
    expect(records.filter((r) => String(r.msg).includes("changes its tool names all the time")).length).toBe(1)
    expect(p.dropped()).toEqual([{ server: "s", pins: 1 + 11 * N - MAX_UNLISTED_PINS - N, at: expect.any(String) }])
    // a tool that left, stayed away through the churn and comes back changed is caught (the churn
    // dropped the names it made up, not the ones listed before it)
    const again = new ToolPins(path, "block", silentLogger)
    expect(again.gate("s", generation(11, N, [tool("early", "CHANGED"), tool("t5_0", "CHANGED")])).map((t) => t.name)).not.toContain("early")
    expect(again.blocked("s", "early")).toContain("has not been approved")
    expect(again.blocked("s", "t5_0")).toContain("has not been approved")
    expect(again.dropped()[0]!.server).toBe("s") // the note is in the file
  })

  test("a pin waiting for approval is kept before any other unlisted one, however recent", async () => {
    const path = tempPins()
    const p = new ToolPins(path, "block", silentLogger)
    p.gate("s", Array.from({ length: MAX_UNLISTED_PINS + 50 }, (_, i) => tool(`old${i}`, "x")))
    await Bun.sleep(2)
    p.gate("s", [tool("late", "x")])
    expect(p.gate("s", [tool("late", "CHANGED")])).toEqual([])
    // neither `late` nor the old names listed: the newest unlisted go, except the pending one
    p.gate("s", [tool("other", "x")])
    expect(p.blocked("s", "late")).toContain("has not been approved")
    expect(p.gate("s", [tool("late", "CHANGED")])).toEqual([])
    p.flush()
    const names = Object.keys(onDisk(path).s!)
    expect(names.length).toBe(1 + MAX_UNLISTED_PINS)
    expect(names).toContain("late")
    expect(names).toContain("old0")
  })

  test("a listing handed in part (a definition that could not be hashed) drops nothing", () => {
    const p = new ToolPins(tempPins(), "block", silentLogger)
    p.gate("s", Array.from({ length: MAX_UNLISTED_PINS + 10 }, (_, i) => tool(`n${i}`, "x")))
    p.gate("s", [tool("n0", "x")], true)
    expect(p.list().length).toBe(MAX_UNLISTED_PINS + 10)
    expect(p.dropped()).toEqual([])
  })
})

describe("a listing with a definition the gate cannot take (asked tool by tool)", () => {
  test("still counts as the server's whole listing: a server cannot keep its pins growing by always listing one", async () => {
    const p = new ToolPins(tempPins(), "block", silentLogger)
    // a gate that cannot take `bad` (as a hash of a definition too deep would throw)
    const gate = (server: string, ts: Tool[], part?: boolean): Tool[] => {
      if (ts.some((t) => t.name === "bad")) throw new RangeError("Maximum call stack size exceeded.")
      return p.gate(server, ts, part)
    }
    const e: ServerLists = { server: "s" }
    for (let g = 0; g < 5; g++) {
      const tools = [{ name: "bad", inputSchema: { type: "object" } }, ...generation(g, 300)]
      const pool = { call: async () => ({ tools }), get: () => ({ info: { capabilities: { tools: {} } } }) } as unknown as Pool
      await refreshLists(pool, e, "tools", gate)
      expect(e.tools!.length).toBe(301)
      expect(e.issues?.tools?.map((i) => i.name)).toEqual(["bad"])
    }
    // 5 generations of 300 names: the last one, `keep`, and MAX_UNLISTED_PINS of the others
    expect(p.list().length).toBe(301 + MAX_UNLISTED_PINS)
  })
})

describe("writes of the pins file", () => {
  test("are coalesced: a server that flips a definition and renames tools on every listing costs one write per interval; the flush writes the rest", () => {
    const path = tempPins()
    const p = new ToolPins(path, "warn", silentLogger, { writeIntervalMs: 60_000 })
    p.gate("s", [tool("a", "x")])
    p.flush()
    const first = readFileSync(path, "utf8")
    let writes = 0
    let last = first
    for (let i = 1; i <= 50; i++) {
      p.gate("s", [tool("a", i % 2 ? "y" : "x"), tool(`n${i}`, "x")])
      const now = readFileSync(path, "utf8")
      if (now !== last) writes++
      last = now
    }
    // before: every changed definition written at once, the whole file each time (50 writes)
    expect(writes).toBe(0)
    expect(last).toBe(first)
    p.flush()
    const pins = onDisk(path)
    expect(Object.keys(pins.s!).sort()).toEqual(["a", "n50", ...Array.from({ length: 49 }, (_, i) => `n${i + 1}`)].sort())
    // nothing changed since: no write
    const st = statSync(path)
    p.gate("s", [tool("a", "x"), tool("n50", "x")])
    p.flush()
    expect(statSync(path).mtimeMs).toBe(st.mtimeMs)
    expect(statSync(path).ino).toBe(st.ino)
  })

  test("a changed definition after a quiet interval is on disk when gate returns", () => {
    const path = tempPins()
    const p = new ToolPins(path, "block", silentLogger)
    p.gate("s", [tool("a", "x")])
    p.flush()
    const fresh = new ToolPins(path, "block", silentLogger)
    expect(fresh.gate("s", [tool("a", "CHANGED")])).toEqual([])
    expect(onDisk(path).s!.a!.pending).toBeDefined()
  })
})

describe("reading the pins file", () => {
  test("a file over MAX_PINS_FILE_BYTES is not read: a warning, pinning goes on, the next write replaces it", () => {
    const path = tempPins()
    const pin = { hash: "0".repeat(64), firstSeen: "2026-01-01T00:00:00.000Z" }
    // a pins file as an unbounded version left it: one server, pins past the limit
    const entries: string[] = []
    for (let i = 0, size = 0; size <= MAX_PINS_FILE_BYTES; i++) {
      const e = `"t${i}_${i}":${JSON.stringify(pin)}`
      entries.push(e)
      size += e.length + 1
    }
    writeFileSync(path, `{"v":1,"servers":{"s":{${entries.join(",")}}}}`)
    expect(statSync(path).size).toBeGreaterThan(MAX_PINS_FILE_BYTES)
    const { log, records } = captureLog()
    const p = new ToolPins(path, "block", log)
    expect(records.filter((r) => String(r.msg).startsWith("tool pins file too large")).length).toBe(1)
    expect(p.problem()).toContain("over the 32.0 MiB a pins file is read up to")
    expect(p.list()).toEqual([])
    // the defence stays on: new tools are pinned, a change of one is caught
    expect(p.gate("s", [tool("a", "x")]).length).toBe(1)
    expect(p.gate("s", [tool("a", "CHANGED")])).toEqual([])
    p.flush()
    expect(statSync(path).size).toBeLessThan(10_000)
    expect(p.problem()).toBeUndefined()
    expect(new ToolPins(path, "block", silentLogger).blocked("s", "a")).toContain("has not been approved")
  })

  test("a damaged file is reported once (not on every listing), never fatal", () => {
    const path = tempPins()
    writeFileSync(path, "{not json")
    const { log, records } = captureLog()
    const p = new ToolPins(path, "block", log)
    for (let i = 0; i < 5; i++) p.gate("s", [tool("a", "x")])
    expect(records.filter((r) => String(r.msg).includes("cannot read the tool pins file")).length).toBe(1)
    expect(p.problem()).toContain("is not valid JSON")
  })
})
