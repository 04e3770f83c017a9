/**
 * A bench downstream on SDK v2 (`@modelcontextprotocol/server`) with one tool, `echo` ({message} →
 * "Echo: <message>", as server-everything's), serving both protocol eras, so the same server code is
 * measured in each: `stdio` (`serveStdio`, legacy `initialize` or the 2026-07-28 envelope) or
 * `http <port-file>` (`createMcpHandler` in `Bun.serve` on 127.0.0.1, modern requests and stateless
 * legacy ones on one URL; the port is written to the file; no idle timeout, so a client's
 * `subscriptions/listen` stream stays open).
 */
import { writeFileSync } from "node:fs"
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server"
import { serveStdio } from "@modelcontextprotocol/server/stdio"
import * as z from "zod/v4"

function factory(): McpServer {
  const s = new McpServer({ name: "echo-v2", version: "1.0.0" })
  s.registerTool("echo", { description: "Echoes the message", inputSchema: z.object({ message: z.string() }) }, ({ message }) => ({ content: [{ type: "text", text: `Echo: ${message}` }] }))
  return s
}

const args = process.argv.slice(2)
if (args[0] === "http") {
  const handler = createMcpHandler(() => factory(), { legacy: "stateless" })
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: (req) => handler.fetch(req) })
  writeFileSync(args[1]!, String(server.port))
} else {
  serveStdio(() => factory(), { legacy: "serve" })
}
