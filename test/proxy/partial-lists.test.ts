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
