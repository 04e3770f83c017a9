/**
 * Hostile downstream definitions not tried before (QA 345), through the compiled binary, from raw
 * stdio servers (servers/fresh-hostile-server.ts) and 2026-07-28 Streamable HTTP ones
 * (servers/fresh-hostile-http.ts): `$ref` cycles, remote `$ref`s (never fetched), `$dynamicRef`,
 * 10 000 `anyOf` branches, a catastrophic `patternProperties` key, patterns that are no ECMAScript
 * (unicode) regex, unknown formats, boolean schemas, draft-04 `id`, `type: ["object","null"]`, names
 * with NUL, of 10 000 characters, only `__`, our own tools' names, annotations of wrong types, a
 * 5 MB `_meta`; a `nextCursor` that never ends with the same page each time; pages repeating
 * earlier tools; 3 000 invalid tools next to valid ones.
 * - the SDK v1 Client and the v2 client (legacy and 2026-07-28) list every tool that can be made
 *   safe, each compiling in Ajv draft-07 and 2020-12 with a function-calling name; the odd names
 *   are callable and reach their tool;
 * - what was dropped is said once per name and bounded: a tool listed on each of 100 pages is one
 *   status entry ("listed more than once by the server (100 times)") and one warning, not 99 of
 *   each; 3 000 invalid tools are 100 status entries and a count of the rest (`droppedMore`), and
 *   50 log lines and one for the rest, not a line each.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Client as ClientV2 } from "@modelcontextprotocol/client"
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { compileError } from "../helpers/schema-engines.ts"
import { BIN, connectBinary, ensureBuilt, listUntil, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"
import { HOSTILE, PLAIN } from "./servers/fresh-hostile-server.ts"

const STDIO = join(import.meta.dir, "servers", "fresh-hostile-server.ts")
const HTTP = join(import.meta.dir, "servers", "fresh-hostile-http.ts")
const NAME = /^[a-zA-Z0-9_-]{1,64}$/
type Tool = { name: string; inputSchema: Record<string, unknown>; outputSchema?: Record<string, unknown> }
type Row = { name: string; tools: number; dropped?: { name: string; why: string }[]; droppedMore?: number; repaired?: { name: string; why: string }[] }

/** Per exposing server: how many tools it must list (every hostile one is repaired, none dropped). */
const DEFS = PLAIN.length + HOSTILE.length
const WANT: Record<string, number> = { fresh: DEFS, hdefs: DEFS, loop: 2, hloop: 2, bad: 2, hbad: 2, dup: 3, page: 2, hpage: 2, hspage: 2 }

/** What a client compiling tool schemas (or a model API) would refuse in `tools`. */
function refusals(tools: Tool[]): string[] {
  const out: string[] = []
  for (const t of tools) {
    if (!NAME.test(t.name)) out.push(`${t.name.slice(0, 80)}: name`)
    if (t.inputSchema?.type !== "object") out.push(`${t.name}: inputSchema type`)
    for (const engine of ["draft-07", "2020-12"] as const) {
      const i = compileError(engine, t.inputSchema)
      if (i) out.push(`${t.name}: inputSchema in ${engine}: ${i}`)
      const o = t.outputSchema && compileError(engine, t.outputSchema)
      if (o) out.push(`${t.name}: outputSchema in ${engine}: ${o}`)
    }
    if (JSON.stringify(t).length > 100_000) out.push(`${t.name}: ${JSON.stringify(t).length} bytes`)
  }
  return out
}

/** How many tools each server of WANT lists in `tools`, in WANT's order. */
const perServer = (tools: { name: string }[]): Record<string, number> => {
  const n: Record<string, number> = {}
  for (const t of tools) {
    const s = t.name.split("__")[0]!
    if (s in WANT) n[s] = (n[s] ?? 0) + 1
  }
  return Object.fromEntries(Object.keys(WANT).flatMap((s) => (n[s] ? [[s, n[s]]] : [])))
}

async function waitFor<T>(f: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let i = 0; i < 200; i++) {
    const v = await f()
    if (v !== undefined) return v
    await Bun.sleep(50)
  }
  return undefined
}

let env: Record<string, string>
let cfg: string
let c: Connected
let web: ReturnType<typeof Bun.spawn> | undefined

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv()
  const portFile = join(env.HOME!, "port")
  web = Bun.spawn([process.execPath, HTTP, portFile], { stdio: ["ignore", "ignore", "inherit"] })
  expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 20_000)).toBe(true)
  const base = `http://127.0.0.1:${readFileSync(portFile, "utf8")}`
  const stdio = (mode: string) => ({ command: process.execPath, args: [STDIO, mode] })
  const servers = { fresh: stdio("defs"), loop: stdio("loop"), bad: stdio("many_bad"), dup: stdio("dup"), hdefs: { url: `${base}/defs` }, hloop: { url: `${base}/loop` }, hbad: { url: `${base}/many_bad` }, hpage: { url: `${base}/odd_page` }, hspage: { url: `${base}/odd_page_sse` }, page: stdio("odd_page") }
  cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, warm: Object.keys(servers) })
  c = await connectBinary(["serve", "--config", cfg], env)
  for (const s of ["fresh__plain_a", "hdefs__plain_a", "hbad__plain_a", "hloop__plain_a", "bad__plain_a", "hpage__plain_a", "hspage__plain_a", "page__plain_a"]) await listUntil(c.client, s)
}, 90_000)
afterAll(async () => {
  await c?.close()
  web?.kill()
})

describe("SDK v1 Client", () => {
  test("lists every tool that can be made safe, of every server, each compiling with a function-calling name", async () => {
    const tools = (await c.client.listTools()).tools as unknown as Tool[]
    expect(perServer(tools)).toEqual(WANT)
    expect(refusals(tools)).toEqual([])
    // our own tools once each; a downstream's tool of the same name is under its server's prefix
    for (const own of ["search_tools", "call_tool", "run_code"]) {
      expect(tools.filter((t) => t.name === own).length).toBe(1)
      expect(tools.map((t) => t.name)).toContain(`fresh__${own}`)
    }
  })

  test("a 2026-07-28 HTTP server's prompts the SDK refuses one by one are listed, repaired, with its plain one", async () => {
    const names = await waitFor(async () => {
      const p = (await c.client.listPrompts()).prompts.map((x) => x.name).filter((n) => n.startsWith("hdefs__"))
      return p.length === 3 ? p : undefined
    })
    expect(names?.sort()).toEqual(["hdefs__odd_args", "hdefs__odd_desc", "hdefs__plain_prompt"])
  })

  test("the odd names are callable and reach their own tool", async () => {
    const tools = (await c.client.listTools()).tools.map((t) => t.name)
    const long = tools.find((n) => n.startsWith("hdefs__nnnn"))!
    const calls: [string, string][] = [
      ["fresh____", "called __"],
      ["fresh__nul_name", "called nul\u0000name"],
      ["hdefs__run_code", "called run_code"],
      [long, `called ${"n".repeat(40)}`],
    ]
    for (const [name, text] of calls) {
      const r = (await c.client.callTool({ name, arguments: {} })) as CallToolResult
      expect({ name, content: r.content }).toEqual({ name, content: [{ type: "text", text }] })
    }
  })

  test("a tool listed on each of 100 pages is one status entry and one warning; 3 000 invalid tools are bounded in both", async () => {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    const rows = new Map((r.structuredContent as { servers: Row[] }).servers.map((s) => [s.name, s]))
    for (const s of ["loop", "hloop"]) {
      expect(rows.get(s)!.dropped).toEqual([
        { kind: "tool", name: "plain_a", why: "listed more than once by the server (100 times): the first one is kept" },
        { kind: "tool", name: "plain_b", why: "listed more than once by the server (100 times): the first one is kept" },
      ] as never)
      const warned = c.stderr().split("\n").filter((l) => l.includes(`"server":"${s}"`) && l.includes("listed twice"))
      expect(warned.length).toBe(2)
    }
    for (const s of ["bad", "hbad"]) {
      const row = rows.get(s)!
      expect(row.tools).toBe(2)
      expect(row.dropped!.length).toBe(100)
      expect(row.dropped![0]).toEqual({ kind: "tool", name: "bad_0", why: 'inputSchema type is "string", not "object"' } as never)
      expect(row.droppedMore).toBe(2900)
      const lines = c.stderr().split("\n").filter((l) => l.includes(`"server":"${s}"`) && l.includes('"level":"warn"'))
      expect(lines.length).toBeLessThanOrEqual(60)
      expect(lines.some((l) => l.includes("2950 more items dropped or repaired than are logged one by one"))).toBe(true)
    }
    // the status text says how many more
    expect((r.content as { text: string }[])[0]!.text).toContain("and 2900 more")
    // a 10 000-character name is cut in the status
    for (const row of rows.values()) for (const i of [...(row.dropped ?? []), ...(row.repaired ?? [])]) expect(i.name.length).toBeLessThan(260)
    expect(JSON.stringify(r).length).toBeLessThan(200_000)
  })
})

for (const era of ["legacy", "2026-07-28"] as const) {
  describe(`SDK v2 client (${era})`, () => {
    let client: ClientV2
    beforeAll(async () => {
      client = new ClientV2({ name: "v2-test", version: "1.0.0" }, era === "legacy" ? {} : { versionNegotiation: { mode: { pin: "2026-07-28" } } })
      await client.connect(new StdioV2({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore" }))
    }, 60_000)
    afterAll(async () => await client?.close())

    test("lists every tool that can be made safe, each compiling", async () => {
      let tools: Tool[] = []
      for (let i = 0; i < 200; i++) {
        tools = (await client.listTools()).tools as unknown as Tool[]
        if (JSON.stringify(perServer(tools)) === JSON.stringify(WANT)) break
        await Bun.sleep(50)
      }
      expect(perServer(tools)).toEqual(WANT)
      expect(refusals(tools)).toEqual([])
    }, 60_000)
  })
}
