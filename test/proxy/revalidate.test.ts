/**
 * A lazy server's stored tool list past its TTL is checked in the background: the first answer
 * comes from the store at once (nothing started), then the server is started, listed, its new list
 * announced and stored, and it is closed again. A fresh stored list starts nothing; a server a
 * client started meanwhile keeps its session. Real fixture server (test/fixtures/servers/rug-server).
 */
import { describe, expect, test } from "bun:test"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type Tool, type ToolListStore } from "../../src/proxy/index.ts"
import { BUN, config, ctx, ROOT } from "./helpers.ts"

const RUG = join(ROOT, "test", "fixtures", "servers", "rug-server.ts")

/** A ToolListStore in memory: what was saved, and which stored lists count as past their TTL. */
function memoryStore(initial: Record<string, Tool[]>, stale: boolean): ToolListStore & { saved: Map<string, Tool[]> } {
  const lists = new Map(Object.entries(initial))
  const saved = new Map<string, Tool[]>()
  return {
    saved,
    load: async (s) => lists.get(s),
    stale: () => stale,
    save: async (s, t) => void saved.set(s, t),
    invalidate: async (s) => void lists.delete(s),
  }
}

function rugSpec(): { command: string; args: string[] } {
  const desc = join(mkdtempSync(join(tmpdir(), "mcpo-reval-")), "desc.txt")
  writeFileSync(desc, "Adds two numbers.")
  return { command: BUN, args: [RUG, desc] }
}

const oldList: Tool[] = [{ name: "removed_since", description: "a tool the server no longer has", inputSchema: { type: "object" } }]

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; !cond(); await Bun.sleep(25)) if (Date.now() > end) throw new Error("condition not met in time")
}

describe("stored tool lists past their TTL", () => {
  test("answered at once, then checked: started, listed, announced, stored and closed again", async () => {
    const store = memoryStore({ r: oldList }, true)
    await using proxy = createProxy({ config: config({ servers: { r: rugSpec() } }), log: silentLogger, toolListStore: store, revalidateStale: { delayMs: 150 }, closeGraceMs: 200 })
    const changes: string[] = []
    proxy.onListChanged((k) => changes.push(k))
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(["r__removed_since"])
    const session = proxy.pool.get("r")!
    expect(session.isLive).toBe(false)
    await until(() => store.saved.has("r"))
    expect(store.saved.get("r")!.map((t) => t.name).sort()).toEqual(["add", "stable"])
    await until(() => changes.includes("tools"))
    expect((await proxy.listTools()).map((t) => t.name).sort()).toEqual(["r__add", "r__stable"])
    await until(() => !session.isLive)
    // closed, not broken: the next call starts it again
    const r = await proxy.callTool("r__add", { a: 2, b: 3 }, ctx())
    expect(r.content).toEqual([{ type: "text", text: "5" }])
  })

  test("a stored list within its TTL starts nothing", async () => {
    const store = memoryStore({ r: oldList }, false)
    await using proxy = createProxy({ config: config({ servers: { r: rugSpec() } }), log: silentLogger, toolListStore: store, revalidateStale: { delayMs: 50 }, closeGraceMs: 200 })
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(["r__removed_since"])
    await Bun.sleep(600)
    expect(proxy.pool.get("r")!.isLive).toBe(false)
    expect(proxy.pool.get("r")!.calls).toBe(0)
    expect(store.saved.size).toBe(0)
  })

  test("a server a client started before the check keeps its session", async () => {
    const store = memoryStore({ r: [{ name: "add", inputSchema: { type: "object" } }] }, true)
    await using proxy = createProxy({ config: config({ servers: { r: rugSpec() } }), log: silentLogger, toolListStore: store, revalidateStale: { delayMs: 300 }, closeGraceMs: 200 })
    await proxy.listTools()
    const r = await proxy.callTool("r__add", { a: 1, b: 1 }, ctx())
    expect(r.content).toEqual([{ type: "text", text: "2" }])
    await Bun.sleep(800)
    expect(proxy.pool.get("r")!.isLive).toBe(true)
  })

  test("a server a client calls while it is being checked stays up", async () => {
    const store = memoryStore({ r: [{ name: "add", inputSchema: { type: "object" } }] }, true)
    await using proxy = createProxy({ config: config({ servers: { r: rugSpec() } }), log: silentLogger, toolListStore: store, revalidateStale: { delayMs: 50 }, closeGraceMs: 200 })
    await proxy.listTools()
    const session = proxy.pool.get("r")!
    await until(() => session.state !== "idle")
    const r = await proxy.callTool("r__add", { a: 2, b: 2 }, ctx())
    expect(r.content).toEqual([{ type: "text", text: "4" }])
    await until(() => store.saved.has("r"))
    await Bun.sleep(500)
    expect(session.isLive).toBe(true)
  })

  test("a server that fails to start for its check is left idle: no restarts, its stored list kept", async () => {
    const store = memoryStore({ r: oldList }, true)
    const spec = { command: BUN, args: ["-e", "process.exit(3)"] }
    // one failure would open the breaker: the check must not count
    await using proxy = createProxy({ config: config({ servers: { r: spec }, pool: { breakerFailures: 1 } }), log: silentLogger, toolListStore: store, revalidateStale: { delayMs: 50 }, closeGraceMs: 200 })
    await proxy.listTools()
    const session = proxy.pool.get("r")!
    await until(() => session.calls > 0 || session.state !== "idle")
    await until(() => session.state === "idle")
    await Bun.sleep(1500) // past the first restart backoff (1 s ± 20 %)
    expect(session.state).toBe("idle")
    expect(session.breaker.consecutiveFailures).toBe(0)
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(["r__removed_since"])
  })

  test("proxy.checkStoredLists: false never starts a server for it", async () => {
    const store = memoryStore({ r: oldList }, true)
    await using proxy = createProxy({ config: config({ servers: { r: rugSpec() }, proxy: { checkStoredLists: false } }), log: silentLogger, toolListStore: store, revalidateStale: { delayMs: 50 }, closeGraceMs: 200 })
    await proxy.listTools()
    await Bun.sleep(600)
    expect(proxy.pool.get("r")!.calls).toBe(0)
    expect(proxy.pool.get("r")!.isLive).toBe(false)
  })
})
