/**
 * A server that is up but cannot list its tools is a failure the status shows, not a server that
 * merely "has not listed yet": tools/list answered with a JSON-RPC error is counted on its session
 * (failures, lastError with the server's message) and retried with the pool's backoff until it
 * lists; a server without the tools capability that says "method not found" simply has no tools;
 * a listing cut at the page cap is a warning and shows in the status.
 */
import { describe, expect, test } from "bun:test"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { MAX_CURSOR_CHARS, MAX_PAGES } from "../../src/proxy/fetch-list.ts"
import { createProxy, type ListKind, type Tool, type ToolListStore } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, captureLog, config, ctx, ROOT, until } from "./helpers.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const gated = (...flags: string[]) => ({ command: BUN, args: [GATE_SERVER, ...flags] })
const lines = (file: string): number => {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean).length
  } catch {
    return 0
  }
}

describe("a tools/list that fails", () => {
  test("is a failure with the server's message, retried with the backoff (not only when a client lists) until it lists", async () => {
    const dir = tempDir("mcpo-listerr-")
    const ok = join(dir, "ok")
    const log = join(dir, "lists")
    const cfg = config({
      servers: { bad: gated("--list-error", "backend unreachable: token expired", "--error-unless", ok, "--list-log", log) },
      pool: { restartDelay: 50, restartDelayMax: 200, breakerCooldown: 300 },
      // the first list waits for the failed listing (not for its retries): a loaded machine's slow start is still waited for
      proxy: { listWait: 20_000 },
    })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    const events: ListKind[] = []
    proxy.onListChanged((k) => events.push(k))
    expect(await proxy.listTools()).toEqual([])

    // the listing finished (with its error) before the list answered: counted, with the server's words
    const st = proxy.status().servers[0]!
    expect(st.failures).toBeGreaterThanOrEqual(1)
    expect(st.lastError).toContain("backend unreachable: token expired")
    expect(st.tools).toBe(0)
    // retried by the supervision: asked again without any client list
    expect(await until(() => lines(log) >= 3, 10_000)).toBe(true)
    expect(proxy.status().servers[0]!.failures).toBeGreaterThanOrEqual(2)

    // it recovers: the next retry lists, its tools are announced
    writeFileSync(ok, "")
    expect(await until(() => events.includes("tools"), 10_000)).toBe(true)
    expect((await proxy.listTools()).map((t) => t.name)).toContain("bad__held_alpha")
    expect(proxy.status().servers[0]!.tools).toBeGreaterThan(0)
  }, 30_000)

  test("between retries, a client's lists do not ask the failing server again (the backoff decides)", async () => {
    const log = join(tempDir("mcpo-listerr-"), "lists")
    const cfg = config({ servers: { bad: gated("--list-error", "not configured", "--list-log", log) }, pool: { restartDelay: 600_000, restartDelayMax: 600_000 }, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    for (let i = 0; i < 3; i++) expect(await proxy.listTools()).toEqual([])
    expect(lines(log)).toBe(1)
    expect(proxy.status().servers[0]!.failures).toBe(1)
    expect(proxy.status().servers[0]!.lastError).toBe("tools/list failed: not configured (JSON-RPC error -32603)")
  }, 30_000)

  test("a server without the tools capability answering 'method not found' lists no tools and no failure", async () => {
    const cfg = config({ servers: { quiet: gated("--no-tools") }, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    expect(await proxy.listTools()).toEqual([])
    const st = proxy.status().servers[0]!
    expect(st.state).toBe("ready")
    expect(st.failures).toBe(0)
    expect(st.lastError).toBeUndefined()
    expect(proxy.toolsListing()?.complete).toBe(true)
  }, 30_000)
})

describe("a listing whose answer cannot be used is counted and shown with a remedy", () => {
  // 1 MiB: the fixture's --oversize answers are about 2 MiB on one line
  const pool = { maxFrameBytes: 1024 * 1024, restartDelay: 600_000, restartDelayMax: 600_000 }

  test("a tools/list answer over pool.maxFrameBytes: failures, lastError and a remedy naming pool.maxFrameBytes", async () => {
    const cfg = config({ servers: { big: gated("--oversize", "tools/list") }, pool, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    expect(await proxy.listTools()).toEqual([])
    const st = proxy.status().servers[0]!
    expect(st.failures).toBe(1)
    expect(st.lastError).toContain("tools/list failed: server big")
    expect(st.lastError).toContain("limit")
    expect(st.remedy).toContain("raise pool.maxFrameBytes")
  }, 30_000)

  test("a tools/list answer cut short (no readable JSON) is counted and shown too", async () => {
    const cfg = config({ servers: { cut: gated("--unreadable", "tools/list") }, pool, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    expect(await proxy.listTools()).toEqual([])
    const st = proxy.status().servers[0]!
    expect(st.failures).toBe(1)
    expect(st.lastError).toContain("tools/list failed")
    expect(st.remedy).toContain("fix or update the server")
  }, 30_000)

  test("a tools/list that times out: counted, its lastError and the timeout remedy shown", async () => {
    const never = join(tempDir("mcpo-listto-"), "never")
    const cfg = config({ servers: { slow: { ...gated("--gate", never), timeout: 300 } }, pool: { ...pool, connectTimeout: 1000 }, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    expect(await proxy.listTools()).toEqual([])
    expect(await until(() => proxy.status().servers[0]!.failures >= 1, 10_000)).toBe(true)
    const st = proxy.status().servers[0]!
    expect(st.lastError).toContain("tools/list")
    expect(st.remedy).toContain("timeout")
  }, 30_000)

  test("prompts/list over the limit, resources/list cut short: each counted and shown, the server's other lists and tools still served, no breaker", async () => {
    const servers = { p: gated("--with-lists", "--oversize", "prompts/list"), r: gated("--with-lists", "--unreadable", "resources/list") }
    await using proxy = createProxy({ config: config({ servers, pool, proxy: { listWait: 20_000 } }), log: silentLogger, closeGraceMs: 200 })
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(expect.arrayContaining(["p__held_alpha", "r__held_alpha"]))
    expect((await proxy.listPrompts()).map((x) => x.name)).toEqual(["r__held_prompt"])
    // r's templates still list: only its resources/list failed
    expect((await proxy.listResourceTemplates()).length).toBe(2)
    const row = (name: string) => proxy.status().servers.find((s) => s.name === name)!
    expect(row("p")).toMatchObject({ state: "ready", failures: 1 })
    expect(row("p").lastError).toContain("prompts/list failed: server p")
    expect(row("p").remedy).toContain("raise pool.maxFrameBytes")
    expect(row("r")).toMatchObject({ state: "ready", failures: 1 })
    expect(row("r").lastError).toContain("resources/list failed")
    expect(row("r").remedy).toContain("fix or update the server")
    for (const s of ["p", "r"]) expect(proxy.pool.get(s)!.breaker.consecutiveFailures).toBe(0)
  }, 30_000)
})

describe("a listing that does not finish keeps the stored list", () => {
  test("after a downstream's list_changed, the stored list stays until the relist has finished", async () => {
    const gate = join(tempDir("mcpo-gate-"), "open")
    writeFileSync(gate, "")
    const stored = new Map<string, Tool[]>()
    const ops: string[] = []
    const store: ToolListStore = {
      load: async (s) => stored.get(s),
      save: async (s, t) => void (ops.push(`save:${s}`), stored.set(s, t)),
      invalidate: async (s) => void (ops.push(`invalidate:${s}`), stored.delete(s)),
    }
    await using proxy = createProxy({ config: config({ servers: { held: gated("--gate", gate) }, proxy: { listWait: 20_000 } }), log: silentLogger, toolListStore: store, closeGraceMs: 200 })
    expect((await proxy.listTools()).map((t) => t.name)).toContain("held__announce")
    expect(await until(() => stored.has("held"), 15_000)).toBe(true)
    // its list changes, and the relist never finishes (the gate is closed)
    rmSync(gate)
    await proxy.callTool("held__announce", {}, ctx())
    expect(ops).not.toContain("invalidate:held")
    expect(stored.get("held")!.map((t) => t.name)).toContain("held_alpha")
    // the relist finishes: its list is stored again
    const saves = ops.filter((o) => o === "save:held").length
    writeFileSync(gate, "")
    expect(await until(() => ops.filter((o) => o === "save:held").length > saves, 10_000)).toBe(true)
  }, 30_000)
})

describe("a listing cut at the page cap", () => {
  test("is logged as a warning and shown in the status", async () => {
    const { log, records } = captureLog()
    const cfg = config({ servers: { end: gated("--endless") }, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200 })
    const names = (await proxy.listTools()).map((t) => t.name)
    expect(names.length).toBe(MAX_PAGES)
    expect(names).toContain("end__page_0")
    expect(proxy.status().servers[0]!.truncated).toEqual([{ list: "tools/list", pages: MAX_PAGES, items: MAX_PAGES }])
    const warned = records.filter((r) => r.level === "warn" && r.msg.includes("page cap"))
    expect(warned.length).toBe(1)
    expect(warned[0]).toMatchObject({ server: "end", pages: MAX_PAGES })
  }, 30_000)
})

describe("a nextCursor the next page cannot be asked with", () => {
  test("a cursor growing each page is cut once it is over MAX_CURSOR_CHARS: warned, shown in the status", async () => {
    const { log, records } = captureLog()
    const cfg = config({ servers: { grow: gated("--growing-cursor") }, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200 })
    const names = (await proxy.listTools()).map((t) => t.name)
    // 100 000 characters more a page: the first cursor is already over the cap
    const pages = Math.floor(MAX_CURSOR_CHARS / 100_000) + 1
    expect(names).toEqual(Array.from({ length: pages }, (_, i) => `grow__page_${i}`))
    expect(proxy.status().servers[0]!.truncated).toEqual([{ list: "tools/list", pages, items: pages, why: "cursor-value" }])
    const warned = records.filter((r) => r.level === "warn" && r.msg.includes("cannot be asked with"))
    expect(warned.length).toBe(1)
    expect(warned[0]).toMatchObject({ server: "grow", pages })
  }, 30_000)

  test("a page number (a cursor that is a number) is followed, sent back as it came: the whole list", async () => {
    const { log, records } = captureLog()
    const cfg = config({ servers: { num: gated("--cursor-as", "2") }, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200 })
    const names = (await proxy.listTools()).map((t) => t.name)
    expect(names).toContain("num__held_alpha")
    expect(names).toContain("num__echo")
    expect(proxy.status().servers[0]!.truncated).toBeUndefined()
    expect(records.filter((r) => r.level === "warn" && r.msg.includes("stopped at"))).toEqual([])
  }, 30_000)

  test("a cursor that is no string nor number ends the listing with a warning, not in silence", async () => {
    const { log, records } = captureLog()
    const cfg = config({ servers: { obj: gated("--cursor-as", '{"page":2}') }, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200 })
    const names = (await proxy.listTools()).map((t) => t.name)
    expect(names).toEqual(["obj__held_alpha", "obj__held_beta"])
    expect(proxy.status().servers[0]!.truncated).toEqual([{ list: "tools/list", pages: 1, items: 2, why: "cursor-value" }])
    expect(records.filter((r) => r.level === "warn" && r.msg.includes("cannot be asked with")).length).toBe(1)
  }, 30_000)
})
