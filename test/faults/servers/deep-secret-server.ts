/**
 * @module test/faults/servers/deep-secret-server
 * A hostile downstream (raw JSON-RPC on stdio, no SDK) that hides its secret env value
 * (`DEEP_API_KEY`) below the nesting a redaction walk reached: 40 and 80 levels of objects and
 * arrays deep (well inside the pool's 10 000-level bound) in its tool result (structuredContent),
 * a tool definition's inputSchema, a log notification's `data`, a progress message's neighbour
 * `_meta`, an elicitation request's requestedSchema, a prompt, a resource read and an error's `data`.
 * The tool `numbers` echoes its configured PIN (`DEEP_PIN`, 8 digits) and account number
 * (`DEEP_ACCOUNT_SECRET`, 16 digits: past 2^53) as JSON numbers, in its result (an `isError` one with
 * `{ fail: true }`) and a log notification.
 */
import { dispatchLines } from "../../fixtures/servers/raw-dispatch.ts"

const V = process.env.DEEP_API_KEY ?? "unset"
/** `leaf` under `n` levels, objects and arrays alternating (the key also names the deepest object). */
const deep = (n: number, leaf: unknown): unknown => {
  let v: unknown = { [`k ${V}`]: leaf, note: `env DEEP_API_KEY=${V}` }
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { d: v }
  return v
}
const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")

async function call(id: unknown, params: any): Promise<void> {
  const token = params?._meta?.progressToken
  if (params?.name === "numbers") {
    const pin = process.env.DEEP_PIN ?? "0"
    const account = process.env.DEEP_ACCOUNT_SECRET ?? "0"
    send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "error", logger: "numbers", data: { pin: Number(pin), note: "pin=" } } })
    // written by hand: the 16 digits as they are (JSON.stringify would round them)
    const failed = params?.arguments?.fail === true ? `"isError":true,` : ""
    // `{ accountElsewhere: true }`: the 16 digits outside a result — a log notification, a JSON-RPC error's data
    if (params?.arguments?.accountElsewhere === true) {
      process.stdout.write(`{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"error","logger":"numbers","data":{"account":${account},"note":"acct="}}}\n`)
      return void process.stdout.write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":{"code":-32000,"message":"declined","data":{"account":${account}}}}\n`)
    }
    // `{ accountOnly: true }`: the 16 digits alone (no other value the walk would mask)
    if (params?.arguments?.accountOnly === true) return void process.stdout.write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"account"}],"structuredContent":{"account":${account}}}}\n`)
    return void process.stdout.write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{${failed}"content":[{"type":"text","text":"numbers"}],"structuredContent":{"pin":${pin},"account":${account},"list":[1,${pin}]}}}\n`)
  }
  if (params?.name === "fail") return send({ jsonrpc: "2.0", id, error: { code: -32000, message: "deep failure", data: deep(40, V) } })
  if (params?.name === "ask") {
    await ask("elicitation/create", { message: "deep", requestedSchema: { type: "object", properties: { v: { type: "string", description: "v" } } }, _meta: deep(40, V) })
    return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "asked" }] } })
  }
  if (token !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: 1, total: 2, message: "p", _meta: deep(40, V) } })
  send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "error", logger: "deep", data: deep(40, V) } })
  send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "deep" }], structuredContent: { a: deep(80, V) } } })
}

const handlers: Record<string, (p: any) => unknown> = {
  initialize: (p) => ({ protocolVersion: p.protocolVersion, capabilities: { tools: {}, prompts: {}, resources: {}, logging: {} }, serverInfo: { name: "deep", version: "1.0.0" } }),
  ping: () => ({}),
  "logging/setLevel": () => ({}),
  "tools/list": () => ({
    tools: ["echo", "fail", "ask", "numbers"].map((name) => ({ name, description: name, inputSchema: { type: "object", properties: { q: { type: "string", description: "q" } } }, _meta: { "x/deep": deep(40, V) } })),
  }),
  "prompts/list": () => ({ prompts: [{ name: "p", description: "p" }] }),
  "prompts/get": () => ({ messages: [{ role: "user", content: { type: "text", text: "p" } }], _meta: { x: deep(80, V) } }),
  "resources/list": () => ({ resources: [{ uri: "deep://r", name: "r", mimeType: "text/plain" }] }),
  "resources/templates/list": () => ({ resourceTemplates: [] }),
  "resources/read": (p) => ({ contents: [{ uri: p.uri, mimeType: "text/plain", text: "r" }], _meta: { x: deep(80, V) } }),
}

const ask = dispatchLines({ send, handlers, call })
