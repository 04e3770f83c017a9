/**
 * @module test/faults/servers/split-echo-server
 * A downstream (raw JSON-RPC on stdio) that pages what it prints: its configured `SPLIT_API_KEY`
 * comes back cut in two at a fixed page size, each half whole in its own piece — across two
 * content items of a tool result (text blocks, an embedded resource's text, an `isError` result),
 * two messages of prompts/get, two contents of resources/read, and two notifications of one stream
 * (progress messages of a call, log messages), and two lines of its stderr (`folded`). Where the cut falls is set by `SPLIT_AT` (characters
 * of the key in the first piece). qa277: the key in three pieces (`paged3`: items of a third of
 * it; `streamed3`: three progress and log messages), across two `structuredContent` strings
 * (`structured`), and in two items each written with `\u` escapes in the raw JSON line
 * (`paged-escaped`) or carrying JSON text whose escapes spell it (`paged-json`). qa310: the key in
 * items of 4 characters each (`tokens`, `tokens-error`, `tokens-escaped`: each part `\u`-escaped).
 * qa327: the key in progress and log messages of 4 characters each (`streamed-tokens`). qa333: the
 * key in two messages of a sampling request and across an elicitation's message and schema (`sample-split`, `elicit-split`).
 * qa338: the key across two values of a `completion/complete` answer.
 */
import { dispatchLines } from "../../fixtures/servers/raw-dispatch.ts"

const V = process.env.SPLIT_API_KEY ?? "unset"
const at = Number(process.env.SPLIT_AT ?? Math.floor(V.length / 2))
const before = `page of env: ECHO=on SPLIT_API_KEY=${V.slice(0, at)}`
const after = `${V.slice(at)} HOME=/home/me`
const text = (t: string) => ({ type: "text", text: t })
const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
const third = Math.ceil(V.length / 3)
const thirds = [V.slice(0, third), V.slice(third, 2 * third), V.slice(2 * third)]
/** `s` with each character as a `\uXXXX` escape (what Python's json.dumps and Go write for non-ASCII, here for all). */
const u = (s: string): string => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")

/** How long a streamed tool's result waits after its progress (see `streamed3`). */
const RESULT_AFTER_MS = 300

/** The client asked (set below: the dispatcher's `ask`). */
let ask: (method: string, params: unknown) => Promise<unknown> = () => Promise.resolve(undefined)

function call(id: unknown, params: any): void {
  const result = (r: unknown): void => send({ jsonrpc: "2.0", id, result: r })
  const token = params?._meta?.progressToken
  if (params?.name === "paged") return result({ content: [text(before), text(after)] })
  if (params?.name === "paged-resource") return result({ content: [text(before), { type: "resource", resource: { uri: "split://r", mimeType: "text/plain", text: after } }] })
  if (params?.name === "paged-error") return result({ isError: true, content: [text(before), text(after)] })
  if (params?.name === "paged3") return result({ content: [text(`page of env: SPLIT_API_KEY=${thirds[0]}`), text(thirds[1]!), text(`${thirds[2]} HOME=/home/me`)] })
  // qa310: one item per few characters (a tool relaying a model's token stream, an item per token):
  // every part of the key under 6 characters, so no piece of it is whole in the raw line
  const quarters = V.match(/.{1,4}/g) ?? []
  if (params?.name === "tokens") return result({ content: [text("page of env: SPLIT_API_KEY="), ...quarters.map(text), text(" HOME=/home/me")] })
  if (params?.name === "tokens-error") return result({ isError: true, content: [text("failed with SPLIT_API_KEY="), ...quarters.map(text), text(" HOME=/home/me")] })
  if (params?.name === "tokens-escaped") {
    const line = JSON.stringify({ jsonrpc: "2.0", id, result: { content: [text("page of env: SPLIT_API_KEY="), ...quarters.map((_, i) => text(`@${i}@`)), text(" HOME=/home/me")] } })
    return void process.stdout.write(quarters.reduce((l, q, i) => l.replace(`@${i}@`, u(q)), line) + "\n")
  }
  if (params?.name === "structured") return result({ content: [text("env as JSON")], structuredContent: { env: { SPLIT_API_KEY_HEAD: `page of env: SPLIT_API_KEY=${V.slice(0, at)}`, rest: after } } })
  if (params?.name === "paged-escaped") {
    // the raw line spells each piece with \u escapes: no piece of the key is in its bytes
    const line = JSON.stringify({ jsonrpc: "2.0", id, result: { content: [text("@1"), text("@2")] } })
    return void process.stdout.write(line.replace("@1", `page of env: SPLIT_API_KEY=${u(V.slice(0, at))}`).replace("@2", `${u(V.slice(at))} HOME=/home/me`) + "\n")
  }
  // JSON text in the items (a tool returning its JSON output paged), the key written with \u escapes in it
  if (params?.name === "paged-json") return result({ content: [text(`page of env: {"SPLIT_API_KEY":"${u(V.slice(0, at))}`), text(`${u(V.slice(at))}","HOME":"/home/me"}`)] })
  if (params?.name === "streamed3") {
    for (const [i, piece] of [`streamed bytes ${thirds[0]}`, thirds[1]!, `${thirds[2]} HOME=/home/me`].entries()) {
      if (token !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: i + 1, total: 3, message: piece } })
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", logger: "pager3", data: piece } })
    }
    // the result a while after the progress: an SDK client drops a progress read in the same chunk
    // as its result (its progress handler runs a microtask after the result removed it), which a
    // loaded machine makes likely; this fixture is about what the pieces show, not that timing
    return void setTimeout(() => result({ content: [text("streamed 3 pages")] }), RESULT_AFTER_MS)
  }
  if (params?.name === "streamed-tokens") {
    // qa327: a token stream relayed as it comes, a message per 4 characters: no message holds 6
    // characters of the key, so no edge check sees it; spaced so the progress rate limit drops none
    const pieces = ["streamed ", "bytes ", ...quarters, " HOME=/home/me"]
    pieces.forEach((piece, i) =>
      setTimeout(() => {
        if (token !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: i + 1, total: pieces.length, message: piece } })
        send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", logger: "tokens", data: piece } })
      }, i * 60),
    )
    return void setTimeout(() => result({ content: [text("streamed tokens")] }), pieces.length * 60 + RESULT_AFTER_MS)
  }
  if (params?.name === "streamed") {
    // no secret name before the cut: only the pieces' edges can tell
    for (const piece of [`streamed bytes ${V.slice(0, at)}`, after]) {
      if (token !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: piece === after ? 2 : 1, total: 2, message: piece } })
      send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", logger: "pager", data: piece } })
    }
    return void setTimeout(() => result({ content: [text("streamed 2 pages")] }), RESULT_AFTER_MS)
  }
  // qa333: the key in two parts of a request relayed to the client: two messages of a sampling
  // request (which the client's model reads), and an elicitation's message and a field's description
  if (params?.name === "sample-split") {
    void ask("sampling/createMessage", { messages: [{ role: "user", content: text(before) }, { role: "user", content: text(after) }], maxTokens: 10 }).then(() => result({ content: [text("sampled")] }))
    return
  }
  if (params?.name === "elicit-split") {
    void ask("elicitation/create", { message: before, requestedSchema: { type: "object", properties: { ok: { type: "boolean", description: after } } } }).then(() => result({ content: [text("elicited")] }))
    return
  }
  if (params?.name === "folded") {
    // output folded at a column: the key wrapped across two stderr lines, in one write
    process.stderr.write(`folded bytes ${V.slice(0, at)}\n${V.slice(at)} done\n`)
    return result({ content: [text("folded")] })
  }
  send({ jsonrpc: "2.0", id, error: { code: -32602, message: `no tool ${params?.name}` } })
}

const tool = (name: string) => ({ name, description: `prints a page of its environment (${name})`, inputSchema: { type: "object", properties: {} } })
ask = dispatchLines({
  send,
  call,
  handlers: {
    initialize: (p) => ({ protocolVersion: p.protocolVersion, capabilities: { tools: {}, prompts: {}, resources: {}, logging: {}, completions: {} }, serverInfo: { name: "split", version: "1.0.0" } }),
    ping: () => ({}),
    "logging/setLevel": () => ({}),
    "tools/list": () => ({ tools: ["paged", "paged-resource", "paged-error", "streamed", "folded", "paged3", "structured", "paged-escaped", "paged-json", "streamed3", "streamed-tokens", "tokens", "tokens-error", "tokens-escaped", "sample-split", "elicit-split"].map(tool) }),
    "prompts/list": () => ({ prompts: [{ name: "env", description: "a page of env" }] }),
    "prompts/get": () => ({ messages: [{ role: "user", content: text(before) }, { role: "user", content: text(after) }] }),
    "resources/list": () => ({ resources: [{ uri: "split://env", name: "env", mimeType: "text/plain" }] }),
    // qa338: a completion from the paged dump, the key cut across two of its values
    "completion/complete": () => ({ completion: { values: [before, after], hasMore: false } }),
    "resources/read": (p) => ({ contents: [{ uri: p.uri, mimeType: "text/plain", text: before }, { uri: p.uri, mimeType: "text/plain", text: after }] }),
  },
})
