/**
 * A downstream MCP server (SDK, stdio) that lists the recorded tools of one server
 * (`bun scripts/bench/_fixture-server.ts test/fixtures/tool-defs/github.json`), so the benches can
 * put large realistic fleets behind the binary. Calls answer a short text; only the lists matter.
 */
import { readFileSync } from "node:fs"
import { Server } from "@modelcontextprotocol/sdk/server/index.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js"

const file = process.argv[2]
if (!file) {
  console.error("usage: _fixture-server.ts <tool-defs.json>")
  process.exit(2)
}
const tools = JSON.parse(readFileSync(file, "utf8")) as Tool[]
const server = new Server({ name: "fixture", version: "1.0.0" }, { capabilities: { tools: {} } })
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }))
server.setRequestHandler(CallToolRequestSchema, async (req) => ({ content: [{ type: "text", text: `called ${req.params.name}` }] }))
await server.connect(new StdioServerTransport())
