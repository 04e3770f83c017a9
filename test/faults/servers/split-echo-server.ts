/**
 * @module test/faults/servers/split-echo-server
 * A downstream (raw JSON-RPC on stdio) that pages what it prints: its configured `SPLIT_API_KEY`
 * comes back cut in two at a fixed page size, each half whole in its own piece — across two
 * content items of a tool result (text blocks, an embedded resource's text, an `isError` result),
 * two messages of prompts/get, two contents of resources/read, and two notifications of one stream
 * (progress messages of a call, log messages), and two lines of its stderr (`folded`). Where the cut falls is set by `SPLIT_AT` (characters
 * of the key in the first piece).
 */
import { dispatchLines } from "../../fixtures/servers/raw-dispatch.ts"

const V = process.env.SPLIT_API_KEY ?? "unset"
const at = Number(process.env.SPLIT_AT ?? Math.floor(V.length / 2))
const before = `page of env: ECHO=on SPLIT_API_KEY=${V.slice(0, at)}`
const after = `${V.slice(at)} HOME=/home/me`
const text = (t: string) => ({ type: "text", text: t })
const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")

function call(id: unknown, params: any): void {
  const result = (r: unknown): void => send({ jsonrpc: "2.0", id, result: r })
  const token = params?._meta?.progressToken
  if (params?.name === "paged") return result({ content: [text(before), text(after)] })
  if (params?.name === "paged-resource") return result({ content: [text(before), { type: "resource", resource: { uri: "split://r", mimeType: "text/plain", text: after } }] })
  if (params?.name === "paged-error") return result({ isError: true, content: [text(before), text(after)] })
  if (params?.name === "streamed") {
    // no secret name before the cut: only the pieces' edges can tell
    for (const piece of [`streamed bytes ${V.slice(0, at)}`, after]) {
      if (token !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: piece === after ? 2 : 1, total: 2, message: piece } })
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", logger: "pager", data: piece } })
    }
    return result({ content: [text("streamed 2 pages")] })
  }
  if (params?.name === "folded") {
    // output folded at a column: the key wrapped across two stderr lines, in one write
    process.stderr.write(`folded bytes ${V.slice(0, at)}\n${V.slice(at)} done\n`)
    return result({ content: [text("folded")] })
  }
  send({ jsonrpc: "2.0", id, error: { code: -32602, message: `no tool ${params?.name}` } })
}

const tool = (name: string) => ({ name, description: `prints a page of its environment (${name})`, inputSchema: { type: "object", properties: {} } })
dispatchLines({
  send,
  call,
  handlers: {
    initialize: (p) => ({ protocolVersion: p.protocolVersion, capabilities: { tools: {}, prompts: {}, resources: {}, logging: {} }, serverInfo: { name: "split", version: "1.0.0" } }),
    ping: () => ({}),
    "logging/setLevel": () => ({}),
    "tools/list": () => ({ tools: ["paged", "paged-resource", "paged-error", "streamed", "folded"].map(tool) }),
    "prompts/list": () => ({ prompts: [{ name: "env", description: "a page of env" }] }),
    "prompts/get": () => ({ messages: [{ role: "user", content: text(before) }, { role: "user", content: text(after) }] }),
    "resources/list": () => ({ resources: [{ uri: "split://env", name: "env", mimeType: "text/plain" }] }),
    "resources/read": (p) => ({ contents: [{ uri: p.uri, mimeType: "text/plain", text: before }, { uri: p.uri, mimeType: "text/plain", text: after }] }),
  },
})
