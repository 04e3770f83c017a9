/**
 * A server that starts but never answers tools/list is remembered across runs (proxy/silence): a
 * run that ends with it up and silent notes it next to its stored lists; the next start's lists do
 * not wait for it (it is still started, and announced if it lists), and it counts as listed with no
 * tools for the completeness of an answer, unless it listed before. Servers that fail to start or
 * answer tools/list with an error are not noted. The silent server is a fixture holding tools/list
 * until a file appears; "does not wait" is shown with proxy.listWait at 10 minutes (a wait would
 * outlast the test), never with a tight timing.
 */
import { describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { createCache, CachedToolListStore } from "../../src/cache/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type ListKind, type SilenceNote, type Tool, type ToolListStore } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, captureLog, config, ctx, ROOT, until } from "./helpers.ts"
import { SILENCE_RECHECK_MS } from "../../src/proxy/silence.ts"

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
const gated = (...flags: string[]) => ({ command: BUN, args: [GATE_SERVER, ...flags] })
const TEN_MINUTES = 600_000

/** A ToolListStore in memory, with silence notes. */
function memoryStore(): ToolListStore & { tools: Map<string, Tool[]>; notes: Map<string, SilenceNote> } {
  const tools = new Map<string, Tool[]>()
  const notes = new Map<string, SilenceNote>()
  return {
    tools,
    notes,
    load: async (s) => tools.get(s),
    save: async (s, t) => void tools.set(s, t),
    invalidate: async (s) => void tools.delete(s),
    loadSilence: async (s) => notes.get(s),
    saveSilence: async (s, n) => void notes.set(s, n),
    clearSilence: async (s) => void notes.delete(s),
  }
}

const gatePath = (): string => join(tempDir("mcpo-silence-"), "open")
/** An ISO date `h` hours ago. */
const hoursAgo = (h: number): string => new Date(Date.now() - h * 3600_000).toISOString()

describe("a server silent on tools/list is noted when the run ends", () => {
  test("up and silent: noted silent; one that fails to start or answers with an error: noted failing (not silent); one that lists: not", async () => {
    const store = memoryStore()
    const cfg = config({
      servers: {
        held: gated("--gate", gatePath()),
        broken: { command: BUN, args: ["-e", "process.exit(3)"] },
        erring: gated("--list-error", "no tools today"),
        quick: gated(),
      },
      proxy: { listWait: 300, firstListWait: 300 },
    })
    const before = Date.now()
    const proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200, toolListStore: store })
    try {
      // on a loaded machine `quick` may take longer than listWait to start: list again until it is in
      let names: string[] = []
      expect(await until(async () => (names = (await proxy.listTools()).map((t) => t.name)).includes("quick__held_alpha"), 20_000, 100)).toBe(true)
      expect(names.some((n) => n.startsWith("held__"))).toBe(false)
      // no silence is noted while the run goes on (the 30 s note is far); failures are, as they happen
      expect(store.notes.has("held")).toBe(false)
      // every server that came up has been up for longer than listWait
      expect(await until(() => proxy.pool.get("held")?.state === "ready", 20_000)).toBe(true)
      await Bun.sleep(500)
    } finally {
      await proxy[Symbol.asyncDispose]()
    }
    expect([...store.notes.keys()].sort()).toEqual(["broken", "erring", "held"])
    // noted in this run (not carried over from an older note)
    expect(Date.parse(store.notes.get("held")!.silentSince!)).toBeGreaterThanOrEqual(before)
    expect(store.notes.get("held")!.listed).toBeUndefined()
    expect(store.notes.get("held")!.failedRuns).toBeUndefined()
    // failing before they listed, once: counted (a second failed run skips them), never noted silent
    for (const s of ["broken", "erring"]) expect(store.notes.get(s)).toMatchObject({ failedRuns: 1 })
    for (const s of ["broken", "erring"]) expect(store.notes.get(s)!.silentSince).toBeUndefined()
    expect(store.notes.get("erring")!.failure).toContain("no tools today")
  }, 30_000)

  test("a run that ends before any list waited for it in vain notes nothing", async () => {
    const store = memoryStore()
    const cfg = config({ servers: { held: gated("--gate", gatePath()) }, proxy: { listWait: TEN_MINUTES } })
    const proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200, toolListStore: store })
    void proxy.listTools().catch(() => {})
    expect(await until(() => proxy.pool.get("held")?.state === "ready", 10_000)).toBe(true)
    await proxy[Symbol.asyncDispose]()
    expect(store.notes.size).toBe(0)
  }, 30_000)

  test("silent for silenceNoteMs already: noted before the run ends, and the note goes when it lists", async () => {
    const store = memoryStore()
    const gate = gatePath()
    const cfg = config({ servers: { held: gated("--gate", gate) }, proxy: { listWait: 100, firstListWait: 100 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200, toolListStore: store, silenceNoteMs: 300 })
    expect(await proxy.listTools()).toEqual([])
    expect(await until(() => store.notes.has("held"), 10_000)).toBe(true)
    writeFileSync(gate, "")
    expect(await until(() => store.tools.has("held") && !store.notes.has("held"), 10_000)).toBe(true)
  }, 30_000)
})

describe("a noted server is not waited for at the next start", () => {
  test("a call before any list of a name under a noted server that lists this run waits for it briefly and routes (before: failed at once, though it was up in a moment)", async () => {
    const store = memoryStore()
    store.notes.set("quick", { silentSince: hoursAgo(1) })
    const cfg = config({ servers: { quick: gated() }, proxy: { listWait: 20_000 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200, toolListStore: store })
    expect(await proxy.callTool("quick__echo", { message: "back" }, ctx())).toEqual({ content: [{ type: "text", text: "back" }] })
  }, 30_000)

  test("the first list answers at once without it; it is started, and when it lists it is announced, callable and stored, the note dropped", async () => {
    const store = memoryStore()
    // noted an hour ago (a note is trusted for 3 days: see "checked again" below)
    store.notes.set("held", { silentSince: hoursAgo(1) })
    const gate = gatePath()
    const { log, records } = captureLog()
    // a call of its tools waits for it at most listWait within the call's timeout (1.5 s here)
    const cfg = config({ servers: { held: { ...gated("--gate", gate), timeout: 1500 }, quick: gated() }, proxy: { listWait: TEN_MINUTES } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200, toolListStore: store })
    const events: ListKind[] = []
    proxy.onListChanged((k) => events.push(k))

    // a wait for the held server would take 10 minutes
    const first = (await proxy.listTools()).map((t) => t.name)
    expect(first).toContain("quick__echo")
    expect(first.some((n) => n.startsWith("held__"))).toBe(false)
    // one silent server does not keep the answer from being complete (it never listed: nothing to miss),
    // served only while the note is trusted: a start after that waits for it again
    expect(proxy.toolsListing()?.complete).toBe(true)
    expect(proxy.toolsListing()?.until).toBe(Date.parse(store.notes.get("held")!.silentSince!) + SILENCE_RECHECK_MS)
    expect((await proxy.catalog!()).tools.map((t) => t.name)).toEqual(first)
    expect(await proxy.listPrompts()).toEqual([])
    await expect(proxy.callTool("held__held_alpha", {}, ctx())).rejects.toMatchObject({ code: "SERVER_UNAVAILABLE", message: expect.stringMatching(/nor in the last run \(calls wait for it at most proxy\.listWait, \d+ ms, once per start and per listing\)/) })
    // named once, at start, and in its status row
    const lines = records.filter((r) => r.msg === "not waited for: it did not list its tools in the last run")
    expect(lines.map((r) => r.server)).toEqual(["held"])
    expect(lines[0]!.level).toBe("warn")
    const row = () => proxy.status().servers.find((s) => s.name === "held")!
    expect(row().notWaitedFor).toContain("did not list its tools in the last run")
    expect(proxy.status().servers.find((s) => s.name === "quick")!.notWaitedFor).toBeUndefined()
    // still started as usual (the row says what it was doing if it never gets there: seen once in CI)
    const ready = await until(() => proxy.pool.get("held")?.state === "ready", 20_000)
    expect(ready, JSON.stringify(row())).toBe(true)

    // it lists this time: announced, listed, callable, stored; the note goes
    writeFileSync(gate, "")
    expect(await until(() => events.includes("tools"), 10_000)).toBe(true)
    expect((await proxy.listTools()).map((t) => t.name)).toContain("held__held_alpha")
    expect(await proxy.callTool("held__echo", { message: "late" }, ctx())).toEqual({ content: [{ type: "text", text: "late" }] })
    expect((await proxy.catalog!()).search("First tool of the gated server").map((h) => h.tool.name)).toContain("held__held_alpha")
    expect(await until(() => store.tools.has("held") && !store.notes.has("held"), 10_000)).toBe(true)
    expect(row().notWaitedFor).toBeUndefined()
  }, 30_000)

  test("a noted server with a stored list is answered from it (the note is moot, and dropped)", async () => {
    const store = memoryStore()
    store.tools.set("held", [{ name: "stored_tool", inputSchema: { type: "object" } }])
    store.notes.set("held", { silentSince: "2026-12-01T10:00:00.000Z" })
    const cfg = config({ servers: { held: gated("--gate", gatePath()) }, proxy: { listWait: TEN_MINUTES } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200, toolListStore: store })
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(["held__stored_tool"])
    expect(proxy.status().servers[0]!.notWaitedFor).toBeUndefined()
    expect(await until(() => !store.notes.has("held"), 15_000)).toBe(true)
  }, 30_000)

  test("a server that listed before (its stored list dropped by a crash) is not waited for, but an answer without it is never complete", async () => {
    const store = memoryStore()
    const gate = gatePath()
    writeFileSync(gate, "")
    const cfg = (listWait = 300) => config({ servers: { held: gated("--gate", gate), quick: gated() }, proxy: { listWait, firstListWait: listWait } })

    // run 1: it lists, then stops listing and crashes: its stored list is dropped, the fact that it listed kept
    // (its first list is waited for as long as a loaded machine's start and listing take: that it lists is not timed)
    {
      await using proxy = createProxy({ config: cfg(20_000), log: silentLogger, closeGraceMs: 200, toolListStore: store })
      expect((await proxy.listTools()).map((t) => t.name)).toContain("held__held_alpha")
      expect(await until(() => store.tools.has("held"), 10_000)).toBe(true)
      rmSync(gate)
      await proxy.callTool("held__crash", {}, ctx()).catch(() => {})
      expect(await until(() => !store.tools.has("held"), 10_000)).toBe(true)
      expect(store.notes.get("held")).toEqual({ listed: true })
    }

    // run 2: no stored list: waited for (listWait), in vain; noted as silent at the end
    {
      await using proxy = createProxy({ config: cfg(), log: silentLogger, closeGraceMs: 200, toolListStore: store })
      expect((await proxy.listTools()).some((t) => t.name.startsWith("held__"))).toBe(false)
      expect(proxy.toolsListing()?.complete).toBe(false)
      // up and silent when the run ends (on a loaded machine its start can outlast the 300 ms listWait:
      // a start still under way at the end is noted as a start that did not finish, not as silence)
      expect(await until(() => proxy.status().servers.find((s) => s.name === "held")?.state === "ready", 20_000)).toBe(true)
    }
    // (a copy: bun's toMatchObject puts its matchers into the object it is given, and run 3 reads this note)
    expect({ ...store.notes.get("held") }).toMatchObject({ listed: true, silentSince: expect.any(String) })

    // run 3: not waited for; the answer without it stays incomplete (never the persisted first answer)
    const c = cfg()
    c.proxy.listWait = TEN_MINUTES
    await using proxy = createProxy({ config: c, log: silentLogger, closeGraceMs: 200, toolListStore: store })
    const names = (await proxy.listTools()).map((t) => t.name)
    expect(names).toContain("quick__echo")
    expect(names.some((n) => n.startsWith("held__"))).toBe(false)
    expect(proxy.toolsListing()?.complete).toBe(false)
    expect(proxy.status().servers.find((s) => s.name === "held")!.notWaitedFor).toBeDefined()
  }, 60_000)
})

test("a server that crashes while the run ends (notes no longer written) keeps its stored list: never dropped without the note that it listed", async () => {
  const store = memoryStore()
  // the end of the run writes the silent server's note: held open here, so the crash lands while the run ends
  let writing!: () => void
  const wrote = new Promise<void>((r) => (writing = r))
  let release!: () => void
  const released = new Promise<void>((r) => (release = r))
  const save = store.saveSilence!.bind(store)
  store.saveSilence = async (s, n) => {
    if (s === "silent") {
      writing()
      await released
    }
    return save(s, n)
  }
  const cfg = config({ servers: { held: gated(), silent: gated("--gate", gatePath()) }, proxy: { listWait: 300, firstListWait: 300 } })
  const proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200, toolListStore: store })
  let disposing: Promise<void> | undefined
  try {
    expect(await until(async () => (await proxy.listTools()).some((t) => t.name === "held__held_alpha"), 20_000, 100)).toBe(true)
    expect(await until(() => store.tools.has("held"), 10_000)).toBe(true)
    expect(await until(() => proxy.pool.get("silent")?.state === "ready", 20_000)).toBe(true)
    await Bun.sleep(500)
    disposing = proxy[Symbol.asyncDispose]()
    await wrote
    await proxy.callTool("held__crash", {}, ctx()).catch(() => {})
    // the crash is seen (the store is told at once, if at all)
    expect(await until(() => proxy.pool.get("held")?.state !== "ready", 10_000)).toBe(true)
    await Bun.sleep(100)
  } finally {
    release()
    await (disposing ?? proxy[Symbol.asyncDispose]())
  }
  // before: the list was dropped and the note not written; a later start counted it as listed with no tools
  expect(store.tools.has("held") || store.notes.get("held")?.listed === true).toBe(true)
}, 60_000)

describe("a note is checked again after 3 days (SILENCE_RECHECK_MS)", () => {
  test("a note older than 3 days: the server is waited for once more, so a server fixed meanwhile is in the first answer; its note goes", async () => {
    const store = memoryStore()
    store.notes.set("held", { silentSince: hoursAgo(24 * 10), checkedAt: hoursAgo(73) })
    const gate = gatePath()
    const { log, records } = captureLog()
    const cfg = config({ servers: { held: gated("--gate", gate) }, proxy: { listWait: TEN_MINUTES } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200, toolListStore: store })
    // the first list waits for it (were it not waited for, it would answer at once with nothing: no other server)
    const first = proxy.listTools()
    expect(await until(() => proxy.pool.get("held")?.state === "ready", 10_000)).toBe(true)
    writeFileSync(gate, "")
    expect((await first).map((t) => t.name)).toContain("held__held_alpha")
    expect(proxy.toolsListing()?.complete).toBe(true)
    expect(records.find((r) => r.msg === "waited for again: it did not list its tools when last checked, days ago")).toMatchObject({ level: "info", server: "held" })
    expect(records.some((r) => r.msg === "not waited for: it did not list its tools in the last run")).toBe(false)
    expect(proxy.status().servers[0]!.notWaitedFor).toBeUndefined()
    expect(await until(() => store.tools.has("held") && !store.notes.has("held"), 10_000)).toBe(true)
  }, 30_000)

  test("still silent when checked again: noted again (checkedAt now, silentSince kept) and not waited for at the next start, which does not renew the note", async () => {
    const store = memoryStore()
    const since = hoursAgo(24 * 10)
    store.notes.set("held", { silentSince: since })
    const cfg = (listWait: number) => config({ servers: { held: gated("--gate", gatePath()) }, proxy: { listWait, firstListWait: listWait } })
    /** A run with the server up and asked for longer than listWait (300 ms) when it ends. */
    const silentRun = async (proxy: ReturnType<typeof createProxy>) => {
      expect(await proxy.listTools()).toEqual([])
      expect(await until(() => proxy.pool.get("held")?.state === "ready", 10_000)).toBe(true)
      await Bun.sleep(400)
    }
    const before = Date.now()
    {
      // waited for (300 ms), in vain
      await using proxy = createProxy({ config: cfg(300), log: silentLogger, closeGraceMs: 200, toolListStore: store })
      await silentRun(proxy)
      expect(proxy.status().servers[0]!.notWaitedFor).toBeUndefined()
    }
    const checkedAt = store.notes.get("held")!.checkedAt!
    expect(store.notes.get("held")!.silentSince).toBe(since)
    expect(Date.parse(checkedAt)).toBeGreaterThanOrEqual(before)
    {
      // the next start trusts the renewed note; silent again, it renews nothing (runs that skip a
      // server prove nothing new): the note still expires 3 days after checkedAt
      await using proxy = createProxy({ config: cfg(300), log: silentLogger, closeGraceMs: 200, toolListStore: store })
      await silentRun(proxy)
      expect(proxy.status().servers[0]!.notWaitedFor).toContain(`silent on tools/list since ${since}`)
    }
    expect(store.notes.get("held")).toEqual({ silentSince: since, checkedAt })
  }, 30_000)
})

const FAILING: SilenceNote = { listed: true, failedSince: "2026-12-01T10:00:00.000Z", failedAt: "2026-12-02T10:00:00.000Z", failedRuns: 3, failure: "tools/list failed: no token" }

describe("CachedToolListStore keeps silence notes", () => {
  test("saved, read back by a new cache over the same directory, cleared; not dropped with the lists", async () => {
    const dir = tempDir("mcpo-silence-cache-")
    const cacheConfig = config({ cache: { dir, ttl: { tools: "1ms" } } }).cache
    const open = () => createCache(cacheConfig)
    {
      await using cache = open()
      const store = new CachedToolListStore(cache)
      await store.saveSilence("held@abc", { silentSince: "2026-12-01T10:00:00.000Z", checkedAt: "2026-12-02T10:00:00.000Z" })
      await store.saveSilence("failing@abc", FAILING)
      await store.invalidate("held@abc")
    }
    {
      await using cache = open()
      await cache.preload()
      const store = new CachedToolListStore(cache)
      // kept past the tools TTL (1 ms), not dropped with the lists, keyed like them
      expect(await store.loadSilence("held@abc")).toEqual({ silentSince: "2026-12-01T10:00:00.000Z", checkedAt: "2026-12-02T10:00:00.000Z" })
      expect(await store.loadSilence("held@other")).toBeUndefined()
      // a failure note's fields too
      expect(await store.loadSilence("failing@abc")).toEqual(FAILING)
      await store.clearSilence("held@abc")
      expect(await store.loadSilence("held@abc")).toBeUndefined()
    }
  })
})

describe("a server that failed before it listed in the last runs (failure notes)", () => {
  test("two failed runs: the first list answers at once without it, complete, saying why; one failed run, or a note days old: waited for", async () => {
    const store = memoryStore()
    // a start that never finishes: a wait for it would take 10 minutes
    store.notes.set("hung", { failedSince: hoursAgo(30), failedAt: hoursAgo(1), failedRuns: 2, failure: "its start did not finish" })
    // one failed run (a blip) and a note four days old: waited for (they list at once, so the wait is short)
    store.notes.set("blip", { failedSince: hoursAgo(1), failedAt: hoursAgo(1), failedRuns: 1, failure: "connection refused" })
    store.notes.set("old", { failedSince: hoursAgo(200), failedAt: hoursAgo(4 * 24), failedRuns: 5, failure: "exit 1" })
    const { log, records } = captureLog()
    const cfg = config({ servers: { hung: gated("--no-init"), blip: gated(), old: gated() }, proxy: { listWait: TEN_MINUTES } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200, toolListStore: store })
    const first = (await proxy.listTools()).map((t) => t.name)
    expect(first).toContain("blip__held_alpha")
    expect(first).toContain("old__held_alpha")
    expect(first.some((n) => n.startsWith("hung__"))).toBe(false)
    // it never listed with this definition: nothing to miss, the answer may become the persisted first answer,
    // served until the failure note is no longer trusted (3 days after the last failed run)
    expect(proxy.toolsListing()?.complete).toBe(true)
    expect(proxy.toolsListing()?.until).toBe(Date.parse(store.notes.get("hung")!.failedAt!) + SILENCE_RECHECK_MS)
    expect(records.filter((r) => r.msg === "not waited for: it failed before listing its tools in the last runs").map((r) => r.server)).toEqual(["hung"])
    expect(proxy.status().servers.find((s) => s.name === "hung")!.notWaitedFor).toContain("failed before listing its tools in each of the last 2 runs (last: its start did not finish")
    expect(proxy.status().servers.find((s) => s.name === "blip")!.notWaitedFor).toBeUndefined()
    // the two that listed: their notes go
    expect(await until(() => !store.notes.has("blip") && !store.notes.has("old"), 10_000)).toBe(true)
    // still started in the background
    expect(proxy.pool.get("hung")?.state).toBe("starting")
  }, 30_000)

  test("a start that hung in the last run: the next start's first list answers at once without it, complete, saying why; a single other failure is still waited for", async () => {
    const store = memoryStore()
    // what `end` notes for a start still under way for as long as lists waited for it: one run
    store.notes.set("hung", { failedSince: hoursAgo(1), failedAt: hoursAgo(1), failedRuns: 1, failure: "its start did not finish within proxy.listWait (600000 ms), when the run ended" })
    store.notes.set("blip", { failedSince: hoursAgo(1), failedAt: hoursAgo(1), failedRuns: 1, failure: "connection refused" })
    const { log, records } = captureLog()
    // a wait for the hung one would take 10 minutes: the list's own bound fails the test first
    const cfg = config({ servers: { hung: gated("--no-init"), blip: gated() }, proxy: { listWait: TEN_MINUTES } })
    await using proxy = createProxy({ config: cfg, log, closeGraceMs: 200, toolListStore: store })
    const first = await Promise.race([proxy.listTools().then((ts) => ts.map((t) => t.name)), Bun.sleep(20_000).then(() => "held by the hung server" as const)])
    expect(first).not.toBe("held by the hung server")
    expect(first).toContain("blip__held_alpha")
    expect((first as string[]).some((n) => n.startsWith("hung__"))).toBe(false)
    expect(proxy.toolsListing()?.complete).toBe(true)
    const row = proxy.status().servers.find((s) => s.name === "hung")!
    expect(row.notWaitedFor).toContain("it failed before listing its tools in the last run (last: its start did not finish")
    const warning = records.find((r) => r.msg === "not waited for: it failed before listing its tools in the last runs")
    expect(warning?.server).toBe("hung")
    expect(String(warning?.remedy)).toContain("Its start was still under way when the last run ended.")
    // still started in the background (announced and callable if it comes up)
    expect(proxy.pool.get("hung")?.state).toBe("starting")
  }, 30_000)

  test("a server that listed before and failed since: not waited for, but an answer without it is never complete", async () => {
    const store = memoryStore()
    store.notes.set("crashy", { listed: true, failedSince: hoursAgo(2), failedAt: hoursAgo(1), failedRuns: 2, failure: "exit 1" })
    const cfg = config({ servers: { crashy: gated("--no-init"), quick: gated() }, proxy: { listWait: TEN_MINUTES } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200, toolListStore: store })
    expect((await proxy.listTools()).map((t) => t.name)).toContain("quick__echo")
    expect(proxy.toolsListing()?.complete).toBe(false)
  }, 30_000)

  test("each run that finds it failing counts once, keeping when it began; a run where it lists drops the note", async () => {
    const store = memoryStore()
    const since = hoursAgo(5)
    store.notes.set("erring", { failedSince: since, failedAt: since, failedRuns: 1, failure: "old" })
    const fixed = gatePath()
    const { log, records } = captureLog()
    const cfg = config({ servers: { erring: gated("--list-error", "no token", "--error-unless", fixed) }, proxy: { listWait: 300, firstListWait: 300 }, pool: { restartDelay: 50 } })
    const before = Date.now()
    const proxy = createProxy({ config: cfg, log, closeGraceMs: 200, toolListStore: store })
    try {
      await proxy.listTools()
      // its listing failed twice in this run (list-retry): one more run counted, not two
      expect(await until(() => records.filter((r) => r.msg === "listing tools failed" && r.server === "erring").length >= 2, 10_000)).toBe(true)
      expect(store.notes.get("erring")).toMatchObject({ failedSince: since, failedRuns: 2, failure: expect.stringContaining("no token") })
      expect(Date.parse(store.notes.get("erring")!.failedAt!)).toBeGreaterThanOrEqual(before)
      writeFileSync(fixed, "")
      expect(await until(() => store.tools.has("erring") && !store.notes.has("erring"), 15_000)).toBe(true)
    } finally {
      await proxy[Symbol.asyncDispose]()
    }
  }, 30_000)
})
