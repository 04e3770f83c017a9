/**
 * `bun run bench -- code-mode`: what code mode saves on one realistic multi-step task, against
 * the real npm servers (server-filesystem on a temp directory of 12 notes, server-memory):
 * "list the directory, read each file, record one entity per file with its first line as an
 * observation, then read the graph back".
 *
 * - direct: the model makes the calls itself (list, 12 reads batched in one turn, create, read).
 * - code: one `run_code` script does the same.
 *
 * Tokens are counted with gpt-tokenizer's o200k_base encoding (GPT-4o's BPE) on what crosses the
 * model's context: the tool menu (the definitions the client sends with every request), the calls
 * the model writes (name + JSON arguments) and the results it reads (the text content, which is
 * what clients hand the model). "Input tokens" sums, over every model request of the task, the menu
 * plus the conversation so far (the task prompt itself is the same for both and left out).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { countTokens } from "gpt-tokenizer/encoding/o200k_base"
import type { CallToolResult, Tool } from "@modelcontextprotocol/client"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { OwnTools } from "../../src/mcp/index.ts"
import { createRunCodeTool, RUN_CODE_DEFAULT_LIMITS } from "../../src/mcp/tools/run-code.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { ROOT, table, writeResult } from "./_util.ts"

const NM = join(ROOT, "node_modules", "@modelcontextprotocol")
const FILES = 12

const dir = mkdtempSync(join(tmpdir(), "mcpo-bench-code-"))
const notes = join(dir, "notes")
mkdirSync(notes)
for (let i = 1; i <= FILES; i++) {
  writeFileSync(join(notes, `note-${String(i).padStart(2, "0")}.md`), `Meeting ${i}: decided to ship feature ${i} by week ${i + 10}.\n\nAttendees: Ana, Bo, Cy.\nDetails follow for item ${i}, with context and links.\n`)
}

const proxy = createProxy({
  config: ConfigSchema.parse({
    servers: {
      fs: { command: "node", args: [join(NM, "server-filesystem", "dist", "index.js"), notes] },
      memory: { command: "node", args: [join(NM, "server-memory", "dist", "index.js")], env: { MEMORY_FILE_PATH: join(dir, "memory.jsonl") } },
    },
  }),
  log: silentLogger,
  closeGraceMs: 500,
})
const ctx = () => ({ signal: new AbortController().signal, notify: async () => {} })

const tok = (v: unknown): number => countTokens(typeof v === "string" ? v : JSON.stringify(v))
const resultText = (r: CallToolResult): string => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n")

interface Turn {
  /** Tokens the model writes in this turn (tool name + JSON arguments of each call). */
  written: number
  /** Tokens of the results it reads back. */
  read: number
  calls: number
}

function totals(name: string, menuTokens: number, turns: Turn[]) {
  // request k sees the menu plus every earlier turn's calls and results; one last request answers
  let history = 0
  let input = 0
  for (const t of turns) {
    input += menuTokens + history
    history += t.written + t.read
  }
  input += menuTokens + history
  return {
    mode: name,
    "model requests": turns.length + 1,
    "tool calls": turns.reduce((n, t) => n + t.calls, 0),
    "menu tokens": menuTokens,
    "written tokens": turns.reduce((n, t) => n + t.written, 0),
    "result tokens": turns.reduce((n, t) => n + t.read, 0),
    "input tokens (all requests)": input,
  }
}

async function direct(tools: Tool[]) {
  const menu = tok(tools.filter((t) => t.name.startsWith("fs__") || t.name.startsWith("memory__")))
  const turns: Turn[] = []
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await proxy.callTool(name, args, ctx())
    if (r.isError) throw new Error(`${name}: ${resultText(r)}`)
    return { written: tok({ name, arguments: args }), read: tok(resultText(r)), text: resultText(r) }
  }
  const list = await call("fs__list_directory", { path: notes })
  turns.push({ written: list.written, read: list.read, calls: 1 })
  const files = list.text.split("\n").filter((l) => l.startsWith("[FILE]")).map((l) => l.slice(7).trim())
  const reads = await Promise.all(files.map((f) => call("fs__read_text_file", { path: join(notes, f) })))
  turns.push({ written: reads.reduce((n, r) => n + r.written, 0), read: reads.reduce((n, r) => n + r.read, 0), calls: reads.length })
  const entities = files.map((f, i) => ({ name: f, entityType: "note", observations: [reads[i]!.text.split("\n")[0]!] }))
  const created = await call("memory__create_entities", { entities })
  turns.push({ written: created.written, read: created.read, calls: 1 })
  const graph = await call("memory__read_graph", {})
  turns.push({ written: graph.written, read: graph.read, calls: 1 })
  return totals("direct calls", menu, turns)
}

const SCRIPT = `const listing = await tools.fs__list_directory({ path: input.dir })
const files = String(listing.content ?? listing).split("\\n").filter((l) => l.startsWith("[FILE]")).map((l) => l.slice(7).trim())
const texts = await Promise.all(files.map((f) => tools.fs__read_text_file({ path: input.dir + "/" + f })))
const entities = files.map((f, i) => ({ name: f, entityType: "note", observations: [String(texts[i].content ?? texts[i]).split("\\n")[0]] }))
await tools.memory__create_entities({ entities })
const graph = await tools.memory__read_graph({})
return graph.entities.map((e) => e.name + ": " + e.observations[0])`

async function code(tools: Tool[]) {
  const reachable = tools.filter((t) => t.name.startsWith("fs__") || t.name.startsWith("memory__"))
  const def = createRunCodeTool({
    call: (name, args, signal) => proxy.callTool(name, args, { ...ctx(), signal }),
    search: () => [],
    reachable: () => reachable,
    limits: RUN_CODE_DEFAULT_LIMITS,
  })
  const own = new OwnTools([def])
  const menu = tok(own.list())
  const args = { code: SCRIPT, input: { dir: notes } }
  const r = await own.call("run_code", args, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
  if (r.isError) throw new Error(`run_code: ${resultText(r)}`)
  const calls = (r.structuredContent as { calls: number }).calls
  const row = totals("one run_code", menu, [{ written: tok({ name: "run_code", arguments: args }), read: tok(resultText(r)), calls: 1 }])
  return { row, innerCalls: calls, signatures: def.description.includes("Tools:\n") }
}

try {
  const tools = await proxy.listTools()
  const d = await direct(tools)
  // fresh graph for the second run, so both read back the same 12 entities
  await proxy.callTool("memory__delete_entities", { entityNames: Array.from({ length: FILES }, (_, i) => `note-${String(i + 1).padStart(2, "0")}.md`) }, ctx())
  const c = await code(tools)
  console.log(`task: ${FILES} files → list, read each, create ${FILES} entities, read the graph (server-filesystem + server-memory)`)
  console.log("tokens: gpt-tokenizer o200k_base\n")
  console.log(table([d, c.row]))
  const saved = 1 - c.row["input tokens (all requests)"] / d["input tokens (all requests)"]
  const reachable = tools.filter((t) => t.name.startsWith("fs__") || t.name.startsWith("memory__")).length
  console.log(`\nrun_code made ${c.innerCalls} tool calls inside one model request; its description ${c.signatures ? `lists the ${reachable} reachable tools' signatures` : "points at search"}.`)
  console.log(`input tokens over the task: ${d["input tokens (all requests)"]} → ${c.row["input tokens (all requests)"]} (${(saved * 100).toFixed(1)} % fewer); model requests: ${d["model requests"]} → ${c.row["model requests"]}`)
  console.log(`wrote ${writeResult("code-mode", { tokenizer: "o200k_base", files: FILES, direct: d, code: c.row, innerCalls: c.innerCalls, savedInputShare: saved })}`)
} finally {
  await proxy[Symbol.asyncDispose]()
}
