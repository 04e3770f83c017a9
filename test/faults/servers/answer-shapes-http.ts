/**
 * @module test/faults/servers/answer-shapes-http
 * A remote Streamable HTTP MCP server on SDK v2 serving both eras (2026-07-28, and legacy
 * `initialize` stateless) whose prompt `bad` answers a message of role "wizard" and whose resource
 * `rh://bad` answers `contents: "nope"` (the SDK server passes a handler's result on as it is);
 * prompt `good` and resource `rh://good` answer well. argv: `<port-file> [scheme]` (the port is
 * written there; the URIs' scheme, default `rh`).
 */
import { writeFileSync } from "node:fs"
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server"
import * as z from "zod/v4"

const scheme = process.argv[3] ?? "rh"

function factory(): McpServer {
  const s = new McpServer({ name: "answer-shapes-http", version: "1.0.0" })
  s.registerTool("echo", { description: "Echo", inputSchema: z.object({}) }, () => ({ content: [{ type: "text", text: "ok" }] }))
  s.registerPrompt("good", { description: "A good prompt" }, () => ({ messages: [{ role: "user", content: { type: "text", text: "good remote prompt" } }] }))
  s.registerPrompt("bad", { description: "A bad prompt" }, () => ({ messages: [{ role: "wizard", content: { type: "text", text: "x" } }] }) as never)
  s.registerResource("good", `${scheme}://good`, { mimeType: "text/plain" }, (uri) => ({ contents: [{ uri: uri.href, text: "good remote read" }] }))
  s.registerResource("bad", `${scheme}://bad`, { mimeType: "text/plain" }, () => ({ contents: "nope" }) as never)
  return s
}

const handler = createMcpHandler(() => factory(), { legacy: "stateless" })
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: (req) => handler.fetch(req) })
writeFileSync(process.argv[2]!, String(server.port))
