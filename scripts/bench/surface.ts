/**
 * `bun run bench -- surface`: the token cost of what the model sees, per expose mode, measured on
 * the compiled binary. Fleets of 3, 10 and 50 servers are built from the recorded tool lists
 * (test/fixtures/tool-defs, served by scripts/bench/_fixture-server.ts; the 50-server fleet repeats
 * the recorded servers under other names). For each fleet and mode the binary is started with
 * `proxy.expose` set, listed by the SDK Client, and the tools/list answer is counted; then
 * `search_tools` is called with typical queries (default limit) and its response counted.
 *
 * Tokens: gpt-tokenizer's o200k_base encoding (the BPE of GPT-4o and later), on the JSON text of
 * the answer (tools/list: `{"tools":[…]}`; a tool result: its text content, which clients hand
 * the model, and separately the whole result with structuredContent).
 *
 * Break-even: the search results a conversation accumulates stay in its context, so `search` mode
 * is cheaper per request than `all` as long as searches × response < all − menu; the table gives
 * that number of searches.
 */
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { countTokens } from "gpt-tokenizer/encoding/o200k_base"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js"
import { newestSource } from "../lib/newest.ts"
import { FIXTURES, loadFleet } from "./_search-eval.ts"
import { BIN, ROOT, table, writeResult } from "./_util.ts"

const MODES = ["all", "search", "code"] as const
type Mode = (typeof MODES)[number]
/** The meta-tools each mode is about (the target applies to these; other own tools are counted apart). */
const META: Record<Mode, string[]> = {
  all: ["search_tools", "describe_tools", "call_tool", "orchestrator_status"],
  search: ["search_tools", "call_tool", "describe_tools", "orchestrator_status"],
  code: ["search_tools", "describe_tools", "run_code", "orchestrator_status"],
}
const QUERIES = ["create an issue about the login bug", "read a file", "take a screenshot of the page", "send a slack message", "what time is it in Tokyo"]

const recorded = loadFleet()
const FLEET_10 = ["github", "filesystem", "git", "memory", "playwright", "slack", "atlassian", "sentry", "fetch", "time"]

/** Server name → fixture file, for a fleet of `n` servers. */
function fleet(n: number): Map<string, string> {
  const names = n === 3 ? ["everything", "memory", "filesystem"] : n === 10 ? FLEET_10 : [...recorded.keys()]
  const out = new Map<string, string>()
  for (let copy = 1; out.size < n; copy++) {
    for (const s of names) {
      if (out.size >= n) break
      out.set(copy === 1 ? s : `${s}-${copy}`, join(FIXTURES, "tool-defs", `${s}.json`))
    }
  }
  return out
}

const tok = (v: unknown): number => countTokens(typeof v === "string" ? v : JSON.stringify(v))
const text = (r: CallToolResult): string => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n")

async function connect(servers: Map<string, string>, mode: Mode): Promise<{ client: Client; close: () => Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), "mcpo-bench-surface-"))
  const config = {
    proxy: { expose: mode, listWait: "120s" },
    servers: Object.fromEntries([...servers].map(([name, file]) => [name, { command: process.execPath, args: [join(ROOT, "scripts", "bench", "_fixture-server.ts"), file] }])),
  }
  writeFileSync(join(home, "config.json"), JSON.stringify(config))
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, XDG_CONFIG_HOME: join(home, "config"), XDG_CACHE_HOME: join(home, "cache"), XDG_STATE_HOME: join(home, "state") }
  const transport = new StdioClientTransport({ command: BIN, args: ["serve", "--config", join(home, "config.json")], env, stderr: "ignore", cwd: home })
  const client = new Client({ name: "bench-surface", version: "1.0.0" })
  await client.connect(transport)
  return { client, close: () => client.close() }
}

interface Row {
  servers: number
  tools: number
  mode: Mode
  listed: number
  tokens: number
  meta: number
  other: number
}

// The binary under test ($MCPO_TEST_BIN or dist/), rebuilt when older than src/.
if (!existsSync(BIN) || statSync(BIN).mtimeMs < newestSource(join(ROOT, "src"))) {
  const p = Bun.spawn([process.execPath, join(ROOT, "scripts", "build.ts"), "--outfile", BIN], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] })
  if ((await p.exited) !== 0) throw new Error("build failed")
}

const rows: Row[] = []
const responses: Array<{ query: string; hits: number; text: number; full: number }> = []
const menus = new Map<string, Tool[]>()
for (const n of [3, 10, 50]) {
  const servers = fleet(n)
  const tools = [...servers.keys()].reduce((s, name) => s + recorded.get(name.replace(/-\d+$/, ""))!.length, 0)
  for (const mode of MODES) {
    const { client, close } = await connect(servers, mode)
    try {
      const listed = (await client.listTools()).tools
      const meta = listed.filter((t) => META[mode].includes(t.name))
      const downstream = listed.filter((t) => t.name.includes("__"))
      const other = listed.filter((t) => !META[mode].includes(t.name) && !t.name.includes("__"))
      if (mode === "all" && downstream.length !== tools) throw new Error(`all mode listed ${downstream.length} downstream tools, expected ${tools}`)
      rows.push({ servers: n, tools, mode, listed: listed.length, tokens: tok({ tools: listed }), meta: tok({ tools: meta }), other: tok({ tools: other }) })
      menus.set(`${n}/${mode}`, listed)
      if (n === 50 && mode === "search") {
        for (const query of QUERIES) {
          const r = (await client.callTool({ name: "search_tools", arguments: { query } })) as CallToolResult
          const hits = ((r.structuredContent as { tools?: unknown[] } | undefined)?.tools ?? []).length
          responses.push({ query, hits, text: tok(text(r)), full: tok(r) })
        }
      }
    } finally {
      await close()
    }
  }
}

const get = (n: number, mode: Mode) => rows.find((r) => r.servers === n && r.mode === mode)!
console.log("tools/list answer per expose mode (o200k_base tokens of its JSON), on the compiled binary:")
console.log(
  table(rows.map((r) => ({ servers: r.servers, tools: r.tools, mode: r.mode, listed: r.listed, "tokens (whole answer)": r.tokens, "meta-tools": r.meta, "other own tools": r.other }))),
)
console.log("\nsearch_tools response (default limit 8, 50-server fleet):")
console.log(table(responses.map((r) => ({ query: r.query, hits: r.hits, "text tokens": r.text, "with structuredContent": r.full }))))
const meanText = responses.reduce((s, r) => s + r.text, 0) / responses.length
const maxFull = Math.max(...responses.map((r) => r.full))
const breakEven = [3, 10, 50].map((n) => {
  const all = get(n, "all").tokens
  const s = get(n, "search")
  const c = get(n, "code")
  return {
    servers: n,
    "all tokens": all,
    "search menu": s.tokens,
    "code menu": c.tokens,
    "saved per request (search)": all - s.tokens,
    "break-even searches (search)": Math.floor((all - s.tokens) / meanText),
    "break-even searches (code)": Math.floor((all - c.tokens) / meanText),
  }
})
console.log(`\nbreak-even: searches (≈${meanText.toFixed(0)} tokens each, text) a conversation can make before search/code mode costs more per request than all:`)
console.log(table(breakEven))
// Where a menu's tokens go: each own tool of the smallest fleet's search and code answers, by part.
const parts = new Map<string, Tool>()
for (const key of ["3/search", "3/code"]) for (const t of menus.get(key) ?? []) if (!t.name.includes("__")) parts.set(t.name, t)
console.log("\nper own tool (3-server fleet, search and code modes): tokens of the whole definition and of its parts")
console.log(
  table(
    [...parts.values()].map((t) => ({
      tool: t.name,
      total: tok(t),
      description: tok(t.description ?? ""),
      inputSchema: tok(t.inputSchema),
      outputSchema: t.outputSchema ? tok(t.outputSchema) : 0,
      meta: [...Object.values(META)].some((m) => m.includes(t.name)) ? "yes" : "",
    })),
  ),
)
const worst = (mode: Mode) => Math.max(...rows.filter((r) => r.mode === mode).map((r) => r.meta))
const worstWhole = (mode: Mode) => Math.max(...rows.filter((r) => r.mode === mode).map((r) => r.tokens))
console.log(
  `\ntargets: search menu ≤ 600 (meta-tools ${worst("search")}, whole answer ${worstWhole("search")}), ` +
    `search response ≤ 600 (text max ${Math.max(...responses.map((r) => r.text))}, with structuredContent max ${maxFull}), ` +
    `code menu ≤ 800 (meta-tools ${worst("code")}, whole answer ${worstWhole("code")}); tokenizer: gpt-tokenizer o200k_base`,
)
console.log(`written ${writeResult("surface", { tokenizer: "gpt-tokenizer o200k_base", rows, responses, breakEven })}`)
