/**
 * @module test/faults/servers/keyed-resource-server
 * An SDK (v1) stdio server that builds its resource URIs from its API key (KEYED_API_KEY), as a
 * server listing an API's endpoints with the key in the query does: `https://api.example/report?apikey=<key>`.
 * It serves only the URIs it lists (the SDK answers any other with "Resource … not found").
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"

const key = process.env.KEYED_API_KEY ?? ""
const s = new McpServer({ name: "keyed", version: "1.0.0" })
s.registerResource("report", `https://api.example/report?apikey=${key}`, { mimeType: "text/plain" }, async (uri) => ({ contents: [{ uri: uri.href, text: "rows: 42" }] }))
s.registerResource("plain", "https://api.example/status", { mimeType: "text/plain" }, async (uri) => ({ contents: [{ uri: uri.href, text: "status: ok" }] }))
await s.connect(new StdioServerTransport())
