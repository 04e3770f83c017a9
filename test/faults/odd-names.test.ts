/**
 * Every tool a server offers reaches the model under a usable, stable name of its own, and its text
 * without terminal debris (QA qa151). Through the compiled binary, with a raw downstream
 * (servers/odd-names-server.ts) next to server-everything, in SDK v1 and SDK v2 clients (legacy era
 * and 2026-07-28):
 * - accented and fullwidth names keep their letters (`ünïcode_tööl` → `on__unicode_tool`: it was
 *   `on___n_code_t__l`); a name with nothing readable (`日本語`, `🔥`, `...`) is `on__tool_` + a hash,
 *   whatever else the server lists; names alike once sanitized, differing in case, or cut at the
 *   budget each get a name of their own; a name without hidden characters keeps its plain name;
 * - the names are the same in another run; calls by each name reach the tool as the server named it;
 * - ANSI escape sequences go whole from titles, descriptions, argument, prompt and resource text
 *   (removing the ESC alone left `[31m`, `]8;;https://…\`);
 * - a 1 MB description, a `$ref` cycle, 10 000-deep nesting and fields of the wrong type do not
 *   take other tools (or the server) with them (the deep one stays, its schema not read: any
 *   arguments, named in the status); a name listed twice drops the later copy, logged as that (not
 *   as an invalid definition).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { Client as ClientV2 } from "@modelcontextprotocol/client"
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { BIN, connectBinary, writeConfig, ensureBuilt, listUntil, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { ANSI_DESCRIPTION, FAKE_END, NAMES } from "./servers/odd-names-server.ts"

const SERVER = join(import.meta.dir, "servers", "odd-names-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const NAME = /^[a-zA-Z0-9_-]{1,64}$/
/** The tools listed: all of them (the one nested 10 000 levels too: past 128 levels its schema is not read, the tool stays, as docs/proxy.md says). */
const LISTED = NAMES
/** Terminal debris: an ESC, a CSI's remains, an OSC's remains. */
const DEBRIS = /\u001b|\[\d*(?:;\d+)*m|\]8;;|\]0;/

type Tool = { name: string; title?: unknown; description?: string; inputSchema: Record<string, unknown>; outputSchema?: unknown; annotations?: unknown; icons?: unknown; _meta?: unknown }

let env: Record<string, string>
let cfg: string
let c: Connected

async function listed(client: { listTools(): Promise<{ tools: unknown[] }> }): Promise<Tool[]> {
  let tools: Tool[] = []
  for (let i = 0; i < 400; i++) {
    tools = (await client.listTools()).tools as Tool[]
    if (tools.filter((t) => t.name.startsWith("on__")).length >= LISTED.length && tools.some((t) => t.name === "ev__echo")) break
    await Bun.sleep(50)
  }
  return tools
}

/** The exposed name of each of the server's tools, found by calling it (the answer names the tool as the server knows it). */
async function routes(client: { callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown> }, tools: Tool[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const t of tools.filter((t) => t.name.startsWith("on__"))) {
    const r = (await client.callTool({ name: t.name, arguments: {} })) as CallToolResult
    expect(r.isError ?? false).toBe(false)
    out.set((r.content[0] as { text: string }).text.replace(/^called /, ""), t.name)
  }
  return out
}

beforeAll(async () => {
  await ensureBuilt()
  env = sandboxEnv()
  const servers = { on: { command: process.execPath, args: [SERVER] }, ev: { command: process.execPath, args: [EVERYTHING, "stdio"] } }
  cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, warm: ["on", "ev"] })
  c = await connectBinary(["serve", "--config", cfg], env)
  await listUntil(c.client, "on__a_b")
  await listUntil(c.client, "ev__echo")
}, 60_000)
afterAll(async () => await c?.close())

let first: Map<string, string>

describe("SDK v1 Client", () => {
  test("every tool is listed once under a valid name of its own; calls by it reach the tool as its server names it", async () => {
    const tools = await listed(c.client)
    const names = tools.map((t) => t.name)
    expect(names.filter((n) => !NAME.test(n))).toEqual([])
    expect(new Set(names).size).toBe(names.length)
    expect(names.filter((n) => n.startsWith("on__")).length).toBe(LISTED.length)
    first = await routes(c.client, tools)
    expect([...first.keys()].sort()).toEqual([...LISTED].sort())
    expect(new Set(first.values()).size).toBe(LISTED.length)
  }, 60_000)

  test("accented and fullwidth names keep their letters; names with nothing readable are tool_ + a hash; plain names stay plain", () => {
    expect(first.get("ünïcode_tööl")).toBe("on__unicode_tool")
    expect(first.get("café")).toBe("on__cafe")
    expect(first.get("straße")).toBe("on__strasse")
    expect(first.get("ｆｕｌｌｗｉｄｔｈ")).toBe("on__fullwidth")
    for (const n of ["日本語", "検索", "🔥", "..."]) expect(first.get(n)).toMatch(/^on__tool_[0-9a-f]{6}$/)
    for (const n of ["a_b", "Tool", "tool", "get_user"]) expect(first.get(n)).toBe(`on__${n}`)
    // alike once sanitized, hidden characters: a name of their own, never the plain one's
    for (const n of ["a.b", "get\u200Buser", "get\u202Euser"]) expect(first.get(n)).toMatch(/^on__(a_b|get_user)_[0-9a-f]{6}$/)
    for (const n of ["x".repeat(64), "x".repeat(65), "y".repeat(128)]) expect(first.get(n)!.length).toBeLessThanOrEqual(60)
  })

  test("text reaches the model without terminal debris; a description posing as the list's end is kept as text", async () => {
    const tools = await listed(c.client)
    const ansi = tools.find((t) => t.name === "on__ansi")!
    expect(ansi.title).toBe("Bold")
    expect(ansi.description).toBe("Red text with a link and a  retitle.")
    expect(JSON.stringify(ansi.inputSchema)).not.toMatch(DEBRIS)
    expect(ANSI_DESCRIPTION).toMatch(DEBRIS)
    expect(tools.find((t) => t.name === "on__fake_end")!.description).toBe(FAKE_END)
    const prompts = (await c.client.listPrompts()).prompts
    const p = prompts.find((x) => x.name === "on__ansi_prompt")!
    expect(p.description).toBe("Yellow prompt.")
    expect(p.arguments?.[0]?.description).toBe("Underlined who.")
    const r = (await c.client.listResources()).resources.find((x) => x.uri === "mem://ansi")!
    expect(r.name).toBe("Magenta resource")
    expect(r.description).toBe("cleared")
  })

  test("a huge description is capped, cycles and deep nesting keep their tool, fields of the wrong type go alone", async () => {
    const tools = await listed(c.client)
    expect(tools.find((t) => t.name === "on__huge")!.description!.length).toBeLessThan(20_000)
    expect(tools.find((t) => t.name === "on__cycle")).toBeDefined()
    const deep = tools.find((t) => t.name === "on__deep")!
    expect(deep.description).toBe("10 000 levels.")
    expect(deep.inputSchema).toEqual({ type: "object", description: expect.stringContaining("any arguments are accepted") })
    expect(((await c.client.callTool({ name: "on__deep", arguments: { x: {} } })) as CallToolResult).content).toEqual([{ type: "text", text: "called deep" }])
    const status = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    const row = (status.structuredContent as { servers: { name: string; failures: number; dropped?: { name: string; why: string }[]; repaired?: { name: string; why: string }[] }[] }).servers.find((x) => x.name === "on")!
    expect(row.failures).toBe(0)
    expect(row.dropped?.map((d) => d.name)).toEqual(["a_b"])
    expect(row.repaired?.find((r) => r.name === "deep")?.why).toContain("inputSchema nests more than 128 levels deep")
    // the later copy of a name listed twice: logged as that, not as an invalid definition
    const lines = c.stderr().split("\n").filter((l) => l.includes('"name":"a_b"'))
    expect(lines.some((l) => l.includes("downstream tool listed twice: the later copy is dropped, the first kept"))).toBe(true)
    expect(lines.some((l) => l.includes("its definition is invalid"))).toBe(false)
    const w = tools.find((t) => t.name === "on__wrong_fields")!
    expect([w.outputSchema, w.annotations, w.icons, w._meta, w.title]).toEqual([undefined, undefined, undefined, undefined, undefined])
  })

  test("search_tools and describe_tools find the folded names", async () => {
    const s = await c.client.callTool({ name: "search_tools", arguments: { query: "unicode tool", server: "on", limit: 50 } })
    expect(JSON.stringify(s.content)).toContain("on__unicode_tool")
    const d = await c.client.callTool({ name: "describe_tools", arguments: { names: ["on__unicode_tool", first.get("日本語")!] } })
    expect(d.isError ?? false).toBe(false)
    const text = JSON.stringify(d.content)
    expect(text).toContain("The tool ünïcode_tööl.")
    expect(text).toContain("The tool 日本語.")
  })

  test("a call by the name the previous release exposed (letters folded to _) suggests the current one", async () => {
    // ünïcode_tööl was on___n_code_t__l before its letters were kept
    const err = await c.client.callTool({ name: "on___n_code_t__l", arguments: {} }).then(
      (r) => JSON.stringify(r),
      (e: Error) => e.message,
    )
    expect(err).toContain("Unknown tool: on___n_code_t__l (did you mean on__unicode_tool?)")
  })

  test("call_tool routes the exposed name", async () => {
    const r = (await c.client.callTool({ name: "call_tool", arguments: { name: "on__strasse", arguments: {} } })) as CallToolResult
    expect(JSON.stringify(r.content)).toContain("called straße")
  })
})

for (const era of ["legacy", "2026-07-28"] as const) {
  describe(`SDK v2 client (${era}), another run of the binary`, () => {
    let client: ClientV2
    beforeAll(async () => {
      client = new ClientV2({ name: "v2-test", version: "1.0.0" }, era === "legacy" ? {} : { versionNegotiation: { mode: { pin: "2026-07-28" } } })
      await client.connect(new StdioV2({ command: BIN, args: ["serve", "--config", cfg], env, stderr: "ignore" }))
    }, 60_000)
    afterAll(async () => await client?.close())

    test("the same names, each reaching its tool", async () => {
      const tools = await listed(client)
      expect(tools.map((t) => t.name).filter((n) => !NAME.test(n))).toEqual([])
      const again = await routes(client, tools)
      expect([...again].sort()).toEqual([...first].sort())
      expect(tools.find((t) => t.name === "on__ansi")!.description).toBe("Red text with a link and a  retitle.")
    }, 60_000)
  })
}
