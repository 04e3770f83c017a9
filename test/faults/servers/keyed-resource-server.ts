/**
 * @module test/faults/servers/keyed-resource-server
 * An SDK (v1) stdio server that builds its resource URIs, a template, a tool's and a prompt's name
 * from its API key (KEYED_API_KEY), as a server listing an API's endpoints with the key in the
 * query does: `https://api.example/report?apikey=<key>`. It serves only what it lists: any other
 * URI or name (the key replaced by `[REDACTED]`) is refused — reads and completions by the SDK
 * ("Resource … not found"), subscribes and unsubscribes here. The tool `touch` sends a
 * `notifications/resources/updated` of each subscribed URI; `subscriptions` says how many are held.
 * The prompt `big_<key>` answers 96 KiB of text. With KEYED_OUTPUT=1, `count_<key>` declares an
 * outputSchema (`{ rows: number }`) and answers structured output.
 */
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from "@modelcontextprotocol/sdk/types.js"
import { z } from "zod"

const key = process.env.KEYED_API_KEY ?? ""
const report = `https://api.example/report?apikey=${key}`
const s = new McpServer({ name: "keyed", version: "1.0.0" }, { capabilities: { resources: { subscribe: true } } })
s.registerResource("report", report, { mimeType: "text/plain" }, async (uri) => ({ contents: [{ uri: uri.href, text: "rows: 42" }] }))
s.registerResource("plain", "https://api.example/status", { mimeType: "text/plain" }, async (uri) => ({ contents: [{ uri: uri.href, text: "status: ok" }] }))
s.registerResource(
  "table",
  new ResourceTemplate(`https://api.example/tables/{table}?apikey=${key}`, { list: undefined, complete: { table: (v) => ["orders", "users"].filter((t) => t.startsWith(v)) } }),
  { mimeType: "text/plain" },
  async (uri, vars) => {
    if (uri.searchParams.get("apikey") !== key) throw new Error("wrong key")
    return { contents: [{ uri: uri.href, text: `table ${String(vars.table)}` }] }
  },
)
s.registerTool(`fetch_${key}`, { description: "fetches with the key in its name" }, async () => ({ content: [{ type: "text", text: "fetched" }] }))
// opt-in (KEYED_OUTPUT=1): a tool named after the key with an outputSchema (test/plugins/tools-hook-served)
if (process.env.KEYED_OUTPUT === "1") {
  s.registerTool(`count_${key}`, { description: "counts rows", outputSchema: { rows: z.number() } }, async () => ({ content: [{ type: "text", text: '{"rows":42}' }], structuredContent: { rows: 42 } }))
}
s.registerPrompt(`brief_${key}`, { description: "a prompt named after the key" }, async () => ({ messages: [{ role: "user", content: { type: "text", text: "brief me" } }] }))
// over the 64 KiB proxy.maxMessageBytes the test sets: its answer is refused naming the server
s.registerPrompt(`big_${key}`, { description: "a prompt named after the key, answering 96 KiB" }, async () => ({ messages: [{ role: "user", content: { type: "text", text: "x".repeat(96 * 1024) } }] }))
const held = new Set<string>()
s.registerTool("subscriptions", { description: "how many subscriptions are held" }, async () => ({ content: [{ type: "text", text: `held: ${held.size}` }] }))
s.registerTool("touch", { description: "changes every subscribed resource" }, async () => {
  for (const uri of held) await s.server.sendResourceUpdated({ uri })
  return { content: [{ type: "text", text: `touched: ${held.size}` }] }
})
s.server.setRequestHandler(SubscribeRequestSchema, async (req) => {
  if (req.params.uri !== report) throw new Error(`no such resource: ${req.params.uri}`)
  held.add(req.params.uri)
  return {}
})
s.server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
  if (!held.delete(req.params.uri)) throw new Error(`not subscribed: ${req.params.uri}`)
  return {}
})
await s.connect(new StdioServerTransport())
