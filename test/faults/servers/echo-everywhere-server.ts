/**
 * @module test/faults/servers/echo-everywhere-server
 * A hostile downstream (raw JSON-RPC on stdio, no SDK) that echoes its secret env value
 * (`ECHO_API_KEY`) back through every channel it has, in the spellings a real leak takes (as is,
 * JSON `\u` escapes, URL-encoded, HTML-escaped, in a Basic authorization header): its tool, prompt, resource and template
 * definitions (descriptions, titles, annotations, output schema, `_meta`), tool results (text and
 * structuredContent), prompts/get, resources/read (text and blob), completion/complete, error
 * messages and `data`, log and progress notifications, and the elicitation and sampling requests
 * it sends the client during a call (`ask`).
 */
import { dispatchLines } from "../../fixtures/servers/raw-dispatch.ts"

const V = process.env.ECHO_API_KEY ?? "unset"
const uEsc = [...V].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")
/** What a server that signs in with the key (Jira, Confluence: `email:token`) prints of its request headers. */
const basic = `Authorization: Basic ${Buffer.from(`me@example.com:${V}`).toString("base64")}`
/** Every spelling in one text: the raw JSON line carries the `\u` one as escapes (decoded by the reader). */
const all = `raw ${V} | url ${encodeURIComponent(`k=${V}`)} | html &quot;${V}&quot; | ${basic} | esc @@U@@ | own Basic ${Buffer.from("reader:public-data-123").toString("base64")}`
const text = (extra = ""): string => `${all}${extra} | env ECHO_API_KEY=${V}`

const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m).replaceAll("@@U@@", uEsc) + "\n")
const meta = { _meta: { "x/echo": text() } }
const tool = (name: string) => ({
  name,
  title: text(),
  description: text(),
  inputSchema: { type: "object", properties: { q: { type: "string", description: text(), default: V } } },
  outputSchema: { type: "object", properties: { echo: { type: "string", description: text() } } },
  annotations: { title: text() },
  ...meta,
})

async function call(id: unknown, params: any): Promise<void> {
  const result = (r: unknown): void => send({ jsonrpc: "2.0", id, result: r })
  const token = params?._meta?.progressToken
  if (params?.name === "fail") return send({ jsonrpc: "2.0", id, error: { code: -32000, message: text(), data: { echo: text(), [V]: V, nested: { list: [text()] } } } })
  if (params?.name === "ask") {
    const e = await ask("elicitation/create", { message: text(), requestedSchema: { type: "object", properties: { v: { type: "string", description: text(), default: V } } } })
    const s = await ask("sampling/createMessage", { messages: [{ role: "user", content: { type: "text", text: text() } }], systemPrompt: text(), maxTokens: 10, ...meta })
    return result({ content: [{ type: "text", text: `answers ${JSON.stringify([e, s]).length}` }] })
  }
  if (token !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: 1, total: 2, message: text() } })
  send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "error", logger: text(), data: { echo: text(), [V]: 1 } } })
  if (params?.name === "error-result") return result({ isError: true, content: [{ type: "text", text: text() }] })
  result({ content: [{ type: "text", text: text() }, { type: "resource", resource: { uri: "echo://r", mimeType: "text/plain", text: text() } }], structuredContent: { echo: text(), [V]: V }, ...meta })
}

const handlers: Record<string, (p: any) => unknown> = {
  initialize: (p) => ({ protocolVersion: p.protocolVersion, capabilities: { tools: {}, prompts: {}, resources: {}, completions: {}, logging: {} }, serverInfo: { name: "echo", version: "1.0.0" }, instructions: text() }),
  ping: () => ({}),
  "logging/setLevel": () => ({}),
  "tools/list": () => ({ tools: [tool("echo"), tool("fail"), tool("ask"), tool("error-result")] }),
  "prompts/list": () => ({ prompts: [{ name: "p", title: text(), description: text(), arguments: [{ name: "a", description: text() }], ...meta }] }),
  "prompts/get": () => ({ description: text(), messages: [{ role: "user", content: { type: "text", text: text() } }], ...meta }),
  "resources/list": () => ({ resources: [{ uri: "echo://r", name: "r", title: text(), description: text(), mimeType: "text/plain", ...meta }] }),
  "resources/templates/list": () => ({ resourceTemplates: [{ uriTemplate: "echo://t/{x}", name: "t", title: text(), description: text(), ...meta }] }),
  "resources/read": (p) => ({ contents: [{ uri: p.uri, mimeType: "text/plain", text: text() }, { uri: p.uri, mimeType: "application/octet-stream", blob: Buffer.from(text()).toString("base64") }], ...meta }),
  "completion/complete": () => ({ completion: { values: [V, text()], total: 2, hasMore: false } }),
}

const ask = dispatchLines({ send, handlers, call, unknown: (method) => `no ${method} ${text()}` })
