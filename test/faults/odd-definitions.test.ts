/**
 * One downstream's odd tool definitions never blank the tool list in any client (QA: a single odd
 * definition made a client drop the whole list, or the whole server). Through the compiled binary,
 * with a raw downstream serving definitions real servers send (servers/odd-definitions-server.ts:
 * `$ref`s to nothing, Python regular expressions, keywords of the wrong type, an enum listing a
 * value twice, `type: ["object","null"]`, draft-07 `items: []`, a non-string `$schema`, real
 * servers' definitions) next to server-everything:
 * - the SDK v1 Client and the v2 client (legacy era and 2026-07-28) list every tool of both servers
 *   but the one whose input is a string (dropped alone, a warning and a status entry naming it);
 *   of two names that read alike once sanitized (`get_user`, `get.user`), the one that needs no
 *   change keeps its name;
 * - every exposed input and output schema compiles in Ajv draft-07 and 2020-12 with strict off (as
 *   editors and the SDK clients run it: a schema that does not compile disables the server's tools,
 *   and a model API refuses the whole request), has `type: "object"` at the top, no array type
 *   without `items` (VS Code refuses the server, OpenAI the request) and a name within
 *   `^[a-zA-Z0-9_-]{1,64}$` (function calling);
 * - calls of the repaired tools return results the clients accept (structuredContent against the
 *   output schema they were given).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { Client as ClientV2 } from "@modelcontextprotocol/client"
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { compileError } from "../helpers/schema-engines.ts"
import { BIN, connectBinary, writeConfig, ensureBuilt, listUntil, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { DROPPED, ODD, PLAIN, REAL, STRUCTURED } from "./servers/odd-definitions-server.ts"

const SERVER = join(import.meta.dir, "servers", "odd-definitions-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const NAME = /^[a-zA-Z0-9_-]{1,64}$/

type Tool = { name: string; inputSchema: Record<string, unknown>; outputSchema?: Record<string, unknown> }
const nameOf = (t: unknown): string => (t as { name: string }).name
/** The exposed name of a tool of server `odd` (accented letters folded: `ünïcode_tööl` is `odd__unicode_tool`). */
const exposed = (t: unknown): string => `odd__${nameOf(t).normalize("NFKD").replace(/\p{M}/gu, "").replace(/[^A-Za-z0-9_-]/g, "_")}`
const KEPT = [...PLAIN, ...ODD, ...REAL]

/** Where in a schema an array type has no `items` (VS Code: "tool parameters array type must have items"; OpenAI: "array schema missing items"). */
function arraysWithoutItems(s: unknown, path = ""): string[] {
  if (Array.isArray(s)) return s.flatMap((x, i) => arraysWithoutItems(x, `${path}/${i}`))
  if (s === null || typeof s !== "object") return []
  const o = s as Record<string, unknown>
  const own = (o.type === "array" || (Array.isArray(o.type) && o.type.includes("array"))) && !o.items ? [path || "/"] : []
  return [...own, ...Object.entries(o).flatMap(([k, v]) => (["enum", "const", "default", "examples"].includes(k) ? [] : arraysWithoutItems(v, `${path}/${k}`)))]
}

/** What a client that compiles tool schemas, or forwards them to a model API, would refuse in `tools`. */
function refusals(tools: Tool[]): string[] {
  const out: string[] = []
  for (const t of tools) {
    for (const p of arraysWithoutItems(t.inputSchema)) out.push(`${t.name}: inputSchema${p}: array type without items`)
    if (!NAME.test(t.name)) out.push(`${t.name}: name`)
    if (t.inputSchema?.type !== "object") out.push(`${t.name}: inputSchema type ${JSON.stringify(t.inputSchema?.type)}`)
    for (const engine of ["draft-07", "2020-12"] as const) {
      const i = compileError(engine, t.inputSchema)
      if (i) out.push(`${t.name}: inputSchema in ${engine}: ${i}`)
      const o = t.outputSchema && compileError(engine, t.outputSchema)
      if (o) out.push(`${t.name}: outputSchema in ${engine}: ${o}`)
    }
  }
  return out
}

let env: Record<string, string>
let cfg: string
let c: Connected
let everything: string[]

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv()
  const servers = { odd: { command: process.execPath, args: [SERVER] }, ev: { command: process.execPath, args: [EVERYTHING, "stdio"] } }
  cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, warm: ["odd", "ev"] })
  c = await connectBinary(["serve", "--config", cfg], env)
  await listUntil(c.client, "odd__plain_echo")
  await listUntil(c.client, "ev__echo")
  everything = (await c.client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith("ev__"))
}, 60_000)
afterAll(async () => await c?.close())

describe("SDK v1 Client", () => {
  test("lists every tool of both servers but the one that cannot be made safe", async () => {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    expect(everything.length).toBeGreaterThan(5)
    const odd = names.filter((n) => n.startsWith("odd__"))
    expect(odd.length).toBe(KEPT.length)
    for (const t of KEPT) if (NAME.test(nameOf(t))) expect(odd).toContain(exposed(t))
    // get.user and get_user: both listed; get_user keeps its own name, get.user has a hash suffix
    expect(odd.filter((n) => n.startsWith("odd__get_user")).length).toBe(2)
    const r = (await c.client.callTool({ name: "odd__get_user", arguments: {} })) as CallToolResult
    expect(r.content).toEqual([{ type: "text", text: "called get_user" }])
    expect(odd).not.toContain(exposed(DROPPED[0]))
  })

  test("every exposed definition compiles in Ajv draft-07 and 2020-12 and fits function calling", async () => {
    const tools = (await c.client.listTools()).tools as unknown as Tool[]
    expect(refusals(tools)).toEqual([])
  })

  test("a property whose schema is no schema stays listed, as the type it names or any value (the tool is not dropped)", async () => {
    const tools = (await c.client.listTools()).tools as unknown as Tool[]
    const junk = tools.find((t) => t.name === "odd__odd_prop_junk")!
    const props = junk.inputSchema.properties as Record<string, Record<string, unknown>>
    expect(Object.keys(props).sort()).toEqual(["a", "b", "c", "d", "e"])
    expect(props.a).toEqual({ type: "string" })
    for (const k of ["b", "c", "d"]) expect(props[k]!.type).toBeUndefined()
    expect(props.b!.description).toContain("not valid JSON Schema")
    expect((props.e!.properties as Record<string, unknown>).f).toEqual({ type: "integer" })
    expect(Object.keys(props.e!.properties as object).sort()).toEqual(["f", "g"])
    expect(junk.inputSchema.required).toEqual(["a"])
    expect(tools.find((t) => t.name === "odd__odd_props_list")?.inputSchema).toEqual({ type: "object" })
    expect(Object.keys((tools.find((t) => t.name === "odd__odd_out_prop_junk")!.outputSchema!.properties as object) ?? {}).sort()).toEqual(["n", "x"])
  })

  test("the repaired tools are callable and their results pass the client's output check", async () => {
    for (const t of [...PLAIN, ...ODD].filter((t) => nameOf(t) !== "get.user")) {
      const r = (await c.client.callTool({ name: exposed(t), arguments: nameOf(t) === "plain_echo" ? { text: "x" } : {} })) as CallToolResult
      expect({ name: nameOf(t), isError: r.isError ?? false }).toEqual({ name: nameOf(t), isError: false })
      const want = STRUCTURED[nameOf(t)]
      if (want) expect(r.structuredContent).toEqual(want as Record<string, unknown>)
    }
  }, 30_000)

  test("the dropped tool is named with why in a warning and in the server's status; the repairs are listed", async () => {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    const row = (r.structuredContent as { servers: { name: string; tools: number; failures: number; dropped?: { name: string; why: string }[]; repaired?: { name: string; why: string }[] }[] }).servers.find((s) => s.name === "odd")!
    expect(row.failures).toBe(0)
    expect(row.dropped?.map((d) => d.name)).toEqual(["bad_string_root"])
    const repaired = new Map((row.repaired ?? []).map((x) => [x.name, x.why]))
    expect(repaired.get("odd_ref_missing")).toContain('$ref "#/$defs/nope" resolves to nothing')
    expect(repaired.get("odd_py_named")).toContain('read as "^(?<year>\\\\d{4})-(?<month>\\\\d{2})$"')
    expect(repaired.get("odd_nullable_root")).toContain('type ["object","null"] read as "object"')
    expect(repaired.get("odd_prop_junk")).toContain('inputSchema.properties.a is a string, not a schema: read as {"type":"string"}')
    expect(repaired.get("odd_prop_junk")).toContain("inputSchema/properties/e/properties/g is null, not a schema: any value accepted")
    expect(repaired.get("odd_props_list")).toContain("inputSchema.properties is an array, not an object: removed")
    const warning = c
      .stderr()
      .split("\n")
      .find((l) => l.includes("bad_string_root"))
    expect(warning).toContain('"level":"warn"')
    expect(warning).toContain('"server":"odd"')
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

    test("lists every tool of both servers, each compiling; typed results pass its output check", async () => {
      let tools: Tool[] = []
      for (let i = 0; i < 200; i++) {
        tools = (await client.listTools()).tools as unknown as Tool[]
        if (tools.some((t) => t.name === "odd__plain_echo") && tools.some((t) => t.name === "ev__echo")) break
        await Bun.sleep(50)
      }
      const names = tools.map((t) => t.name)
      expect(names.filter((n) => n.startsWith("odd__")).length).toBe(KEPT.length)
      expect(names.filter((n) => n.startsWith("ev__")).sort()).toEqual([...everything].sort())
      expect(refusals(tools)).toEqual([])
      for (const [name, want] of Object.entries(STRUCTURED)) {
        const r = (await client.callTool({ name: `odd__${name}`, arguments: {} })) as CallToolResult
        expect({ name, isError: r.isError ?? false, structured: r.structuredContent }).toEqual({ name, isError: false, structured: want as Record<string, unknown> })
      }
    }, 60_000)
  })
}
