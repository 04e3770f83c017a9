/**
 * Each list of a server stands or falls on its own (test/faults/servers/partial-lists-server.ts, a
 * real raw JSON-RPC process): a `resources/templates/list` (or `resources/list`, `prompts/list`)
 * answered with `{}` — a hand-written server's catch-all for a method it does not implement — is
 * read as an empty list, noted in the status and warned about, never blanking the server's other
 * valid list nor its reads (QA report item 20: both lists came out empty and every read of the
 * server failed "no server behind mcp-orchestrator serves"); a real failure of one list keeps that
 * list as it was and lets the other be listed; a read of a URI goes to the server whose resource
 * listing failed when no other can be meant.
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { silentLogger, type LogRecord } from "../../src/core/index.ts"
import { createProxy, type ListKind, type Proxy } from "../../src/proxy/index.ts"
import { BUN, captureLog, config, ctx, ROOT, until } from "./helpers.ts"

const SERVER = join(ROOT, "test", "faults", "servers", "partial-lists-server.ts")
const srv = (...flags: string[]) => ({ command: BUN, args: [SERVER, ...flags] })

const uris = async (p: Proxy): Promise<string[]> => (await p.listResources()).map((r) => r.uri).sort()
const templates = async (p: Proxy): Promise<string[]> => (await p.listResourceTemplates()).map((t) => t.uriTemplate).sort()
const prompts = async (p: Proxy): Promise<string[]> => (await p.listPrompts()).map((x) => x.name).sort()
const read = (p: Proxy, uri: string): Promise<string> =>
  p.readResource(uri, ctx()).then(
    (r) => (r.contents[0] as { text: string }).text,
    (e: unknown) => `error: ${(e as Error).message}`,
  )
const warnings = (records: LogRecord[]): string[] => records.filter((r) => r.level === "warn").map((r) => `${r.msg} ${JSON.stringify(r)}`)

function proxyOf(servers: Record<string, { command: string; args: string[] }>, log = silentLogger) {
  return createProxy({ config: config({ servers, proxy: { listWait: 10_000 } }), log, closeGraceMs: 200 })
}

describe("a cursor that repeats, and an item listed twice", () => {
  test("a nextCursor given before ends the listing there (a cut in the status, warned), not after 100 pages; the item listed twice is listed once — templates too", async () => {
    const { log, records } = captureLog()
    await using proxy = proxyOf({ sc: srv("--prompts", "repeat", "--resources", "repeat", "--templates", "repeat"), ok: srv("--name", "ok") }, log)
    // every page is the same item: read twice (the first page, and the one its cursor loops back to)
    expect(await prompts(proxy)).toEqual(["ok__greet", "sc__greet"])
    expect(await uris(proxy)).toEqual(["ok://r", "sc://r"])
    // templates were not checked for duplicates: the same template came out once per page read
    expect(await templates(proxy)).toEqual(["ok://t/{x}", "sc://t/{x}"])
    const row = proxy.status().servers.find((r) => r.name === "sc")!
    expect(row.truncated?.map((c) => [c.list, c.pages, c.items]).sort()).toEqual([
      ["prompts/list", 2, 2],
      ["resources/list", 2, 2],
      ["resources/templates/list", 2, 2],
    ])
    expect(row.dropped?.map((d) => [d.kind, d.name, d.why]).sort()).toEqual([
      ["prompt", "greet", "listed more than once by the server: the first one is kept"],
      ["resource", "sc://r", "listed more than once by the server: the first one is kept"],
      ["template", "sc://t/{x}", "listed more than once by the server: the first one is kept"],
    ])
    expect(warnings(records).filter((w) => w.includes("stopped at a repeated cursor")).length).toBe(3)
    expect(proxy.status().servers.find((r) => r.name === "ok")!.truncated).toBeUndefined()
  }, 30_000)
})

/** proxy/fetch-list MAX_ITEMS (a literal here: the test reads the same on code without it) */
const MAX_ITEMS = 10_000

describe("one list of a server that never answers", () => {
  test.each([
    ["templates", "resources", async (p: Proxy) => (await uris(p)).filter((u) => u.startsWith("sc://")), ["sc://r"]],
    ["resources", "templates", async (p: Proxy) => (await templates(p)).filter((u) => u.startsWith("sc://")), ["sc://t/{x}"]],
  ] as const)("%s/list left unanswered: the server's %s are in the first answer (after listWait), not missing until it times out", async (hung, _listed, listed, expected) => {
    // both lists were taken together once both had settled: the one answered waited for the one
    // left unanswered (up to the call timeout, a minute), and every answer meanwhile lacked it
    await using proxy = createProxy({ config: config({ servers: { sc: srv(`--${hung}`, "hang"), ok: srv("--name", "ok") }, proxy: { listWait: 3000 } }), log: silentLogger, closeGraceMs: 200 })
    expect(await listed(proxy)).toEqual([...expected])
    expect(await read(proxy, "sc://r")).toBe("read sc://r")
    expect(await prompts(proxy)).toEqual(["ok__greet", "sc__greet"])
  }, 30_000)
})

describe("a server listing items past the size cap", () => {
  test("its list keeps what fits in 32 MiB (a cut in the status, warned); its other lists and the other server's stand", async () => {
    // the item cap alone left memory unbounded: 100 pages of one prompt with a 20 MB description
    // each took the orchestrator past 4 GB
    const { log, records } = captureLog()
    await using proxy = proxyOf({ sc: srv("--prompts", "fat"), ok: srv("--name", "ok") }, log)
    expect(await prompts(proxy)).toEqual(["ok__greet", "sc__fat0", "sc__fat1"])
    expect(await uris(proxy)).toEqual(["ok://r", "sc://r"])
    const row = proxy.status().servers.find((r) => r.name === "sc")!
    expect(row.truncated).toEqual([{ list: "prompts/list", pages: 3, items: 2, why: "bytes" }])
    expect(warnings(records).filter((w) => w.includes("prompts/list stopped at the size cap")).length).toBe(1)
  }, 30_000)
})

describe("a prompt of a server whose prompts are not listed", () => {
  test("prompts/get says the server has not listed its prompts, not just \"Unknown prompt\" (a typo of the client's)", async () => {
    await using proxy = createProxy({ config: config({ servers: { sc: srv("--prompts", "hang"), ok: srv("--name", "ok") }, proxy: { listWait: 1000 } }), log: silentLogger, closeGraceMs: 200 })
    const err = await proxy.getPrompt("sc__greet", undefined, ctx()).then(
      () => "(answered)",
      (e: unknown) => (e as Error).message,
    )
    expect(err).toBe("Unknown prompt: sc__greet (server sc has not listed its prompts: its prompts/list has not been answered yet)")
    // a name under no server, or a server that listed its prompts, is a plain unknown name (with where the names are)
    await expect(proxy.getPrompt("ok__nope", undefined, ctx())).rejects.toThrow(/^Unknown prompt: ok__nope \(prompts\/list names the prompts/)
  }, 30_000)
})

describe("a server listing more items than the item cap", () => {
  test("each of its lists keeps its first MAX_ITEMS items (a cut in the status, warned); the other server's items are all there", async () => {
    // a server listing a million prompts held gigabytes and stalled every other server's calls
    const { log, records } = captureLog()
    await using proxy = proxyOf({ sc: srv("--prompts", "many", "--resources", "many", "--templates", "many"), ok: srv("--name", "ok") }, log)
    const p = await prompts(proxy)
    expect(p.filter((n) => n.startsWith("sc__")).length).toBe(MAX_ITEMS)
    expect(p).toContain("sc__p0_0")
    expect(p).toContain("ok__greet")
    expect((await uris(proxy)).filter((u) => u.startsWith("sc://")).length).toBe(MAX_ITEMS)
    const t = await templates(proxy)
    expect(t.filter((u) => u.startsWith("sc://")).length).toBe(MAX_ITEMS)
    expect(t).toContain("ok://t/{x}")
    const row = proxy.status().servers.find((r) => r.name === "sc")!
    expect(row.truncated?.map((c) => [c.list, c.pages, c.items, c.why]).sort()).toEqual([
      ["prompts/list", 3, MAX_ITEMS, "items"],
      ["resources/list", 3, MAX_ITEMS, "items"],
      ["resources/templates/list", 3, MAX_ITEMS, "items"],
    ])
    expect(warnings(records).filter((w) => w.includes("stopped at the item cap")).length).toBe(3)
  }, 30_000)
})

describe("a list answered with {} (no list field) from a server declaring its capability", () => {
  test("templates {}: the resources stay listed and readable; no templates, a repair in the status and a warning (QA 20)", async () => {
    const { log, records } = captureLog()
    await using proxy = proxyOf({ sc: srv("--templates", "missing") }, log)
    expect(await uris(proxy)).toEqual(["sc://r"])
    expect(await templates(proxy)).toEqual([])
    expect(await read(proxy, "sc://r")).toBe("read sc://r")
    const row = proxy.status().servers[0]!
    expect(row.failures).toBe(0)
    expect(row.repaired).toEqual([{ kind: "template", name: "resources/templates/list", why: "its answer has no resourceTemplates list (a result without it, as a server answers a method it does not implement): read as none" }])
    expect(warnings(records).some((w) => w.startsWith("resources/templates/list read as an empty list") && w.includes('"server":"sc"'))).toBe(true)
    expect(warnings(records).filter((w) => w.includes("listing resources failed"))).toEqual([])
  }, 30_000)

  test("resources {} (the mirror case): the templates stay listed and reads matching them are served", async () => {
    await using proxy = proxyOf({ sc: srv("--resources", "missing") })
    expect(await templates(proxy)).toEqual(["sc://t/{x}"])
    expect(await uris(proxy)).toEqual([])
    expect(await read(proxy, "sc://t/1")).toBe("read sc://t/1")
    expect(proxy.status().servers[0]!.repaired?.map((r) => r.name)).toEqual(["resources/list"])
  }, 30_000)

  test("prompts {} or 'method not found' from a server declaring prompts: no prompts, a repair, no failure; its resources unaffected", async () => {
    for (const shape of ["missing", "notfound"]) {
      const { log, records } = captureLog()
      await using proxy = proxyOf({ sc: srv("--prompts", shape) }, log)
      expect(await prompts(proxy)).toEqual([])
      expect(await uris(proxy)).toEqual(["sc://r"])
      expect(proxy.status().servers[0]!.repaired?.map((r) => r.name)).toEqual(["prompts/list"])
      expect(warnings(records).filter((w) => w.includes("listing prompts failed"))).toEqual([])
    }
  }, 30_000)

  test("a {} after items were listed is a failure: the previous lists stay (nothing listed is blanked)", async () => {
    const { log, records } = captureLog()
    await using proxy = proxyOf({ sc: srv("--then-prompts", "missing", "--then-resources", "missing", "--then-templates", "missing") }, log)
    const events: ListKind[] = []
    proxy.onListChanged((k) => events.push(k))
    expect(await uris(proxy)).toEqual(["sc://r"])
    expect(await prompts(proxy)).toEqual(["sc__greet"])
    await proxy.callTool("sc__flip", {}, ctx())
    expect(await until(() => warnings(records).filter((w) => /listing (prompts|resources) failed/.test(w)).length >= 3, 10_000)).toBe(true)
    expect(await uris(proxy)).toEqual(["sc://r"])
    expect(await templates(proxy)).toEqual(["sc://t/{x}"])
    expect(await prompts(proxy)).toEqual(["sc__greet"])
    expect(events.filter((k) => k !== "tools")).toEqual([])
  }, 30_000)
})

describe("one list of a server failing leaves its other lists alone", () => {
  test("templates that are no list: the resources are listed and read; the failure is warned, naming the list", async () => {
    const { log, records } = captureLog()
    await using proxy = proxyOf({ sc: srv("--templates", "string") }, log)
    expect(await uris(proxy)).toEqual(["sc://r"])
    expect(await templates(proxy)).toEqual([])
    expect(await read(proxy, "sc://r")).toBe("read sc://r")
    const warned = warnings(records).filter((w) => w.startsWith("listing resources failed"))
    expect(warned).toHaveLength(1)
    expect(warned[0]).toContain('"list":"resources/templates/list"')
    expect(warned[0]).toContain('its resourceTemplates is \\"nope\\", not a list')
  }, 30_000)

  test("resources that are no list: the templates are listed; completions and reads of its template go to it", async () => {
    await using proxy = proxyOf({ sc: srv("--resources", "string") })
    expect(await uris(proxy)).toEqual([])
    expect(await templates(proxy)).toEqual(["sc://t/{x}"])
    expect(await read(proxy, "sc://t/7")).toBe("read sc://t/7")
    const done = await proxy.complete({ ref: { type: "ref/resource", uri: "sc://t/{x}" }, argument: { name: "x", value: "" } }, ctx())
    expect(done.completion.values).toEqual(["sc://t/{x}"])
  }, 30_000)

  test("after a list_changed, the list that lists again is updated while the failing one keeps its items", async () => {
    const events: ListKind[] = []
    await using proxy = proxyOf({ sc: srv("--then-resources", "ok2", "--then-templates", "string") })
    proxy.onListChanged((k) => events.push(k))
    expect(await uris(proxy)).toEqual(["sc://r"])
    expect(await templates(proxy)).toEqual(["sc://t/{x}"])
    await proxy.callTool("sc__flip", {}, ctx())
    expect(await until(() => events.includes("resources"), 10_000)).toBe(true)
    expect(await uris(proxy)).toEqual(["sc://r2"])
    expect(await templates(proxy)).toEqual(["sc://t/{x}"])
  }, 30_000)

  test("a URI no server lists goes to the server whose resource listing failed, not to the other server that lists resources", async () => {
    // ok lists ok://r and ok://t/{x}; bad's resources/list answer is no list (it serves bad://r all the same)
    await using proxy = proxyOf({ ok: srv("--name", "ok"), bad: srv("--name", "bad", "--resources", "string") })
    expect(await uris(proxy)).toEqual(["ok://r"])
    expect(await templates(proxy)).toEqual(["bad://t/{x}", "ok://t/{x}"])
    expect(await read(proxy, "ok://r")).toBe("read ok://r")
    expect(await read(proxy, "bad://r")).toBe("read bad://r")
  }, 30_000)

  test("two servers whose resource listing failed: an unlisted URI is not guessed, the error names them", async () => {
    await using proxy = proxyOf({ a: srv("--name", "a", "--resources", "string"), b: srv("--name", "b", "--resources", "string") })
    expect(await templates(proxy)).toEqual(["a://t/{x}", "b://t/{x}"])
    const err = await read(proxy, "a://r")
    expect(err).toContain("no server behind mcp-orchestrator serves a://r")
    expect(err).toContain("a, b")
    // a URI matching a listed template still goes to its server
    expect(await read(proxy, "b://t/2")).toBe("read b://t/2")
  }, 30_000)
})
