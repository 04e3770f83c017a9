/**
 * What the model sees when a call goes wrong or a schema is unusual (QA 24), through the binary with
 * a real SDK server (test/fixtures/servers/schema-server.ts) whose tools carry the schemas real
 * servers publish: `$ref`s into `$defs`/`definitions` (Notion, pydantic), chains of refs
 * (sequential-thinking), recursive and remote refs, `allOf`, maps, a 10 000-value enum, 1 000
 * properties.
 *  - A downstream's JSON-RPC error names the server and tool that gave it (it said only "MCP error
 *    -32603: fetch failed"), on a direct call over stdio and HTTP, through call_tool and run_code.
 *  - Argument signatures resolve local `$ref`s (they said `parent: unknown`).
 *  - describe_tools pages a definition too large for one answer (it gave 400 KB at once).
 *  - A server whose start failed with a remedy of its own keeps that remedy on later calls (they got
 *    the generic "check the server's command"), and a start failure does not say "the initialize
 *    call was not retried".
 *  - The "downstream ended unexpectedly" log quotes the stderr lines that say why (no ANSI escapes,
 *    stack frames or Node footer).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { chmodSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, startHttpBinary, type Connected, type HttpBinary } from "../helpers/binary.ts"

const TOKEN = "qa24-http-token-0123456789"
const FIXTURE = join(ROOT, "test", "fixtures", "servers", "schema-server.ts")
const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")

beforeAll(ensureBuilt, 120_000)

const texts = (r: unknown): string[] => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : ""))

const Node = { type: "object", properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } }, required: ["name"] }
const TOOLS = [
  {
    name: "post_page",
    description: "Create a page.",
    inputSchema: {
      type: "object",
      properties: { parent: { anyOf: [{ $ref: "#/$defs/pageParent" }, { $ref: "#/$defs/dbParent" }] }, title: { type: ["string", "null"] }, tags: { type: "array", items: { $ref: "#/definitions/Tag" } } },
      required: ["parent"],
      $defs: { pageParent: { type: "object", properties: { page_id: { type: "string" } }, required: ["page_id"] }, dbParent: { type: "object", properties: { database_id: { type: "string" } }, required: ["database_id"] } },
      definitions: { Tag: { type: "string", enum: ["a", "b"] } },
    },
  },
  {
    name: "think",
    description: "Sequential thinking, as the npm server lists it.",
    inputSchema: {
      type: "object",
      properties: { thought: { type: "string" }, nextThoughtNeeded: { type: ["boolean", "string"] }, isRevision: { $ref: "#/properties/nextThoughtNeeded", description: "Whether this revises" }, needsMoreThoughts: { $ref: "#/properties/isRevision" } },
      required: ["thought", "nextThoughtNeeded"],
    },
  },
  {
    name: "tree",
    description: "A recursive schema, a remote ref and a ref cycle.",
    inputSchema: {
      type: "object",
      properties: { node: { $ref: "#/$defs/Node" }, cfg: { $ref: "http://127.0.0.1:9/never-fetched.json" }, loop: { $ref: "#/$defs/A" }, merged: { allOf: [{ $ref: "#/$defs/Node" }, { properties: { extra: { type: "boolean" } } }] }, labels: { type: "object", patternProperties: { "^x-": { type: "integer" } } } },
      required: ["node", "cfg", "loop", "merged", "labels"],
      $defs: { Node, A: { $ref: "#/$defs/B" }, B: { $ref: "#/$defs/A" } },
    },
  },
  { name: "bigenum", description: "A 10 000-value enum.", inputSchema: { type: "object", properties: { code: { enum: Array.from({ length: 10_000 }, (_, i) => `value-${String(i).padStart(5, "0")}`) } }, required: ["code"] } },
  {
    name: "wide",
    description: "1 000 properties.",
    // 1 000: the most one keyword may have before the schema counts as one no client can compile
    // (catalog/schema-compile MAX_BRANCHES); descriptions long enough that it takes pages
    inputSchema: {
      type: "object",
      properties: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`p${String(i).padStart(4, "0")}`, { type: "string", description: `property number ${i} of a very wide schema, described at some length so that the whole definition needs several pages` }])),
      required: Array.from({ length: 700 }, (_, i) => `p${String(i).padStart(4, "0")}`),
    },
  },
]

let dir = ""
let cfg = ""
let env: Record<string, string> = {}
let c: Connected

beforeAll(async () => {
  env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
  dir = env.HOME!
  const tools = join(dir, "tools.json")
  writeFileSync(tools, JSON.stringify(TOOLS))
  const script = join(dir, "server.js")
  writeFileSync(script, "#!/usr/bin/env qa24-no-such-interpreter\nconsole.log('hi')\n")
  chmodSync(script, 0o755)
  cfg = join(dir, "c.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      toolkit: { enabled: "off" },
      plugins: { enabled: false },
      pool: { breakerFailures: 2, restartDelay: 50, restartDelayMax: 50 },
      servers: {
        s: { command: process.execPath, args: [FIXTURE, tools] },
        f: { command: process.execPath, args: [FAULT] },
        // a server that starts once, then fails its restarts the way a server without its token does
        flaky: { command: process.execPath, args: [FIXTURE, tools, "--down-after", join(dir, "flaky-down")] },
        ni: { command: script },
        gh: { command: process.execPath, args: ["-e", "console.error('Error: GITHUB_PERSONAL_ACCESS_TOKEN environment variable is required'); process.exit(1)"] },
      },
    }),
  )
  c = await connectBinary(["serve", "--config", cfg], env)
  for (const name of ["s__tree", "flaky__tree", "f__raw"]) expect(await listUntil(c.client, name)).toContain(name)
}, 60_000)
afterAll(() => c?.close())

async function rpcMessage(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    return (e as Error).message
  }
  throw new Error("the call did not fail")
}

describe("a downstream's JSON-RPC error names the server and tool that gave it", () => {
  test("a direct call: same code, the server's text after `server s, tool tree:`", async () => {
    const message = await rpcMessage(c.client.callTool({ name: "s__tree", arguments: {} }))
    expect(message).toBe("MCP error -32603: server s, tool tree: fetch failed")
  })

  test("call_tool: [DOWNSTREAM_RPC_ERROR] with the server and tool", async () => {
    const r = await c.client.callTool({ name: "call_tool", arguments: { name: "s__tree", arguments: {} } })
    expect(r.isError).toBe(true)
    expect(texts(r)[0]).toBe("[DOWNSTREAM_RPC_ERROR] server s, tool tree: fetch failed")
  })

  test("run_code: the rejection names them", async () => {
    const r = await c.client.callTool({ name: "run_code", arguments: { code: 'try { await tools["s__tree"]({}) } catch (e) { return String(e.message) }' } })
    expect(JSON.stringify((r as CallToolResult).structuredContent)).toContain("server s, tool tree: fetch failed")
  })

  test("a 2 MB error message is cut to its first 8 000 characters, saying so (it reached the model whole)", async () => {
    const line = JSON.stringify({ jsonrpc: "2.0", id: 0, error: { code: -32000, message: "E".repeat(2_000_000) } }).replace('"id":0', '"id":{ID}')
    const message = await rpcMessage(c.client.callTool({ name: "f__raw", arguments: { line } }))
    expect(message.length).toBeLessThan(8200)
    expect(message).toStartWith("MCP error -32000: server f, tool raw: EEEE")
    expect(message).toEndWith("… (the server's message was 2,000,000 characters; cut to its first 8,000)")
    const r = await c.client.callTool({ name: "call_tool", arguments: { name: "f__raw", arguments: { line } } })
    expect(texts(r)[0]!.length).toBeLessThan(8200)
  })

  test("the HTTP face: the same message", async () => {
    let http: HttpBinary | undefined
    const client = new Client({ name: "http-test", version: "1" })
    try {
      http = await startHttpBinary(cfg, env)
      await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }))
      expect(await listUntil(client, "s__tree")).toContain("s__tree")
      expect(await rpcMessage(client.callTool({ name: "s__tree", arguments: {} }))).toBe("MCP error -32603: server s, tool tree: fetch failed")
    } finally {
      await client.close().catch(() => {})
      http?.proc.kill()
      await http?.proc.exited
    }
  }, 60_000)
})

describe("argument signatures read local $refs", () => {
  test("the hint after a refused call resolves $defs, definitions and a union of refs", async () => {
    const message = await rpcMessage(c.client.callTool({ name: "s__post_page", arguments: { refuse: true } }))
    expect(message).toContain('server s, tool post_page: Invalid arguments: parent is required; s__post_page takes (parent: { page_id: string } | { database_id: string }, title?: string | null, tags?: ("a" | "b")[])')
  })

  test("search hits: a chain of refs to properties (sequential-thinking), recursion, a remote ref, a cycle, allOf, patternProperties", async () => {
    const think = await c.client.callTool({ name: "search_tools", arguments: { query: "sequential thinking", server: "s", limit: 1 } })
    expect(texts(think)[0]).toStartWith("s__think(thought: string, nextThoughtNeeded: boolean | string, ")
    expect(texts(think)[0]).not.toContain("unknown")
    const hint = await rpcMessage(c.client.callTool({ name: "s__think", arguments: { refuse: true } }))
    expect(hint).toContain("s__think takes (thought: string, nextThoughtNeeded: boolean | string, isRevision?: boolean | string, needsMoreThoughts?: boolean | string)")
    const r = await c.client.callTool({ name: "run_code", arguments: { code: "return 1" } })
    expect(r.isError).not.toBe(true)
    const list = await c.client.listTools()
    const desc = list.tools.find((t) => t.name === "run_code")?.description ?? ""
    expect(desc).toContain("s__tree(args: { node: { name: string; children?: object[] }; cfg: unknown; loop: unknown; merged: { name: string; children?: object[]; extra?: boolean }; labels: Record<string, number> })")
    expect(desc).toContain("s__think(args: { thought: string; nextThoughtNeeded: boolean | string; isRevision?: boolean | string; needsMoreThoughts?: boolean | string })")
  })

  test("a 1 000-property tool: its search hit stays short, and run_code still lists every signature", async () => {
    const r = await c.client.callTool({ name: "search_tools", arguments: { query: "1 000 properties wide", server: "s", limit: 1 } })
    const line = texts(r)[0]!
    expect(line).toContain("more required)")
    expect(line.length).toBeLessThan(600)
    const desc = (await c.client.listTools()).tools.find((t) => t.name === "run_code")?.description ?? ""
    expect(desc).toContain("s__wide(args: { p0000: string;")
    expect(desc).toContain("s__bigenum(args: { code: string })")
  })
})

describe("describe_tools pages a definition too large for one answer", () => {
  test("page 1 of a 1 000-property tool and a 10 000-value enum: bounded, saying what is cut and the call for the rest", async () => {
    const r = await c.client.callTool({ name: "describe_tools", arguments: { names: ["s__wide", "s__bigenum", "s__tree"] } })
    const text = texts(r)[0]!
    expect(text.length).toBeLessThan(110_000)
    const tools = (r as CallToolResult).structuredContent!.tools as Array<{ name: string; cut?: string; inputSchema: { properties?: Record<string, unknown>; required?: string[] } }>
    expect(tools.map((t) => t.name)).toEqual(["s__wide", "s__bigenum", "s__tree"])
    const wide = tools[0]!
    expect(wide.cut).toMatch(/^s__wide: its definition is [\d,]+ characters, shown in \d+ pages; this is page 1 of \d+: inputSchema\.properties p0000 … p\d{4} \(\d+ of 1000\)/)
    expect(wide.cut).toContain('describe_tools {"names":["s__wide"],"page":2} gives the next page.')
    const first = Object.keys(wide.inputSchema.properties!)
    expect(wide.inputSchema.required).toEqual(first)
    expect(tools[1]!.cut).toContain("enum: 100 of 10000 items shown")
    expect(tools[2]!.cut).toBeUndefined()
    // the next page continues where the first ended; every property is on exactly one page
    const seen = new Set(first)
    for (let page = 2; page < 20 && seen.size < 1000; page++) {
      const next = await c.client.callTool({ name: "describe_tools", arguments: { names: ["s__wide"], page } })
      const keys = Object.keys(((next as CallToolResult).structuredContent!.tools as typeof tools)[0]!.inputSchema.properties!)
      for (const k of keys) {
        expect(seen.has(k)).toBe(false)
        seen.add(k)
      }
    }
    expect(seen.size).toBe(1000)
  })
})

describe("a failed start's own remedy reaches later calls", () => {
  test("a server that never started: its env remedy, said once, and no 'initialize call was not retried'", async () => {
    let text = ""
    // until the start has failed once (the call may come while it is being started)
    for (let i = 0; i < 200 && !text.includes("Remedy:"); i++) {
      const r = await c.client.callTool({ name: "call_tool", arguments: { name: "gh__create_issue", arguments: {} } })
      text = texts(r)[0] ?? ""
      if (!text.includes("Remedy:")) await Bun.sleep(50)
    }
    expect(text).toContain("[SERVER_UNAVAILABLE] Server gh is unavailable")
    expect(text).toContain("exited with code 1 before answering initialize")
    expect(text).not.toContain("was not retried")
    const remedy = text.slice(text.indexOf("Remedy:"))
    expect(remedy).toStartWith("Remedy: Set it in servers.gh.env")
    expect(remedy).not.toContain("Check the server's command and environment")
    // the remedy is not repeated in the message
    expect(text.split("Set it in servers.gh.env").length).toBe(2)
  })

  test("a script whose #! interpreter is missing: the remedy names it, not 'check the command'", async () => {
    let text = ""
    for (let i = 0; i < 200 && !text.includes("Remedy:"); i++) {
      const r = await c.client.callTool({ name: "call_tool", arguments: { name: "ni__run", arguments: {} } })
      text = texts(r)[0] ?? ""
      if (!text.includes("Remedy:")) await Bun.sleep(50)
    }
    expect(text).toContain("[SERVER_UNAVAILABLE] Server ni is unavailable")
    expect(text.slice(text.indexOf("Remedy:"))).toStartWith("Remedy: Install qa24-no-such-interpreter, or set PATH in servers.ni.env")
    expect(text.split("Install qa24-no-such-interpreter").length).toBe(2)
  })

  test("a server that went down after listing: the breaker's refusal carries the start failure's cause and remedy", async () => {
    await c.client.callTool({ name: "flaky__tree", arguments: { die: true } }).catch(() => {})
    let text = ""
    for (let i = 0; i < 200 && !text.includes("BREAKER_OPEN"); i++) {
      const r = await c.client.callTool({ name: "call_tool", arguments: { name: "flaky__tree", arguments: {} } })
      text = texts(r)[0] ?? ""
      if (!text.includes("BREAKER_OPEN")) await Bun.sleep(50)
    }
    expect(text).toContain("[BREAKER_OPEN] server flaky unavailable after 2 consecutive failures")
    expect(text).toContain("SCHEMA_API_KEY")
    expect(text).toContain("Remedy: Set it in servers.flaky.env")
    expect(text.split("Set it in servers.flaky.env").length).toBe(2)
  }, 30_000)

  test("the crash's log line quotes the stderr line that says why (no ANSI escapes, stack frames or Node footer)", () => {
    const log = c
      .stderr()
      .split("\n")
      .filter((l) => l.includes('"downstream ended unexpectedly"') && l.includes('"component":"pool:flaky"'))
      .map((l) => JSON.parse(l) as { stderr: string })
    expect(log.length).toBeGreaterThan(0)
    expect(log[0]!.stderr).toBe("Error: lost the database connection (ECONNRESET)")
  })
})
