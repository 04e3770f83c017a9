/**
 * A downstream MCP server (SDK, stdio) that lists recorded real tool definitions, so the benches can
 * put large realistic fleets behind the binary. Calls answer a short text; only the lists matter.
 *
 *   bun scripts/bench/_fixture-server.ts test/fixtures/tool-defs/github.json   # that server's tools
 *   bun scripts/bench/_fixture-server.ts test/fixtures/tool-defs --count 100 --seed 7
 *
 * With a directory and `--count N`, it serves N tools cycled from every recorded file (starting at
 * an offset from `--seed`, so servers differ), names suffixed where a cycle repeats one. SIGUSR1
 * renames its first tool (toggling a `_v2` suffix) and sends `notifications/tools/list_changed`:
 * the many-servers bench uses it to time a list change of one server.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { Server } from "@modelcontextprotocol/sdk/server/index.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js"

const args = process.argv.slice(2)
const source = args[0]
if (!source) {
  console.error("usage: _fixture-server.ts <tool-defs.json | dir> [--count N] [--seed S]")
  process.exit(2)
}
const flag = (name: string): number | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : undefined
}

function recorded(path: string): Tool[] {
  if (!statSync(path).isDirectory()) return JSON.parse(readFileSync(path, "utf8")) as Tool[]
  const files = readdirSync(path).filter((f) => f.endsWith(".json")).sort()
  // the few recorded schemas that are not `type: "object"` are left out: the SDK Client (the
  // direct floor in the benches) rejects a whole list for one of them
  return files.flatMap((f) => JSON.parse(readFileSync(join(path, f), "utf8")) as Tool[]).filter((t) => t.inputSchema?.type === "object")
}

function cycled(all: Tool[], count: number, seed: number): Tool[] {
  const out: Tool[] = []
  const used = new Set<string>()
  for (let i = 0; out.length < count; i++) {
    const t = all[(seed * 37 + i) % all.length]!
    let name = t.name
    for (let k = 2; used.has(name); k++) name = `${t.name}_${k}`
    used.add(name)
    out.push({ ...t, name })
  }
  return out
}

const all = recorded(source)
const count = flag("--count")
let tools = count === undefined ? all : cycled(all, count, flag("--seed") ?? 0)
const server = new Server({ name: "fixture", version: "1.0.0" }, { capabilities: { tools: { listChanged: true } } })
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }))
server.setRequestHandler(CallToolRequestSchema, async (req) => ({ content: [{ type: "text", text: `called ${req.params.name}` }] }))
process.on("SIGUSR1", () => {
  const [first, ...rest] = tools
  if (!first) return
  const name = first.name.endsWith("_v2") ? first.name.slice(0, -3) : `${first.name}_v2`
  tools = [{ ...first, name }, ...rest]
  void server.sendToolListChanged()
})
await server.connect(new StdioServerTransport())
