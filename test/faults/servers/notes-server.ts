/**
 * @module test/faults/servers/notes-server
 * A small MCP server written with the SDK (run with `bun`): one tool, one prompt, one resource and
 * one resource template, all under its own `notes://` URIs, so tests can tell which server answered
 * a read. Reading `notes://page/0` fails with an McpError thrown in the handler: its wire message
 * carries the "MCP error -32602: " prefix, as every SDK server's does.
 */
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js"
import { z } from "zod"

const server = new McpServer({ name: "notes", version: "1.0.0" })
server.registerTool("note", { description: "Echo a note", inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: "text", text: `note: ${text}` }] }))
server.registerPrompt("notes-prompt", { description: "A prompt of the notes server" }, () => ({ messages: [{ role: "user", content: { type: "text", text: "from notes" } }] }))
server.registerResource("readme", "notes://readme", { mimeType: "text/plain" }, async (uri) => ({ contents: [{ uri: uri.href, text: "served by notes" }] }))
server.registerResource("page", new ResourceTemplate("notes://page/{n}", { list: undefined }), { mimeType: "text/plain" }, async (uri, { n }) => {
  if (n === "0") throw new McpError(ErrorCode.InvalidParams, "notes has no page 0")
  return { contents: [{ uri: uri.href, text: `notes page ${String(n)}` }] }
})
await server.connect(new StdioServerTransport())
