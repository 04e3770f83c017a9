/**
 * @module test/faults/servers/answer-shapes-server
 * A raw JSON-RPC stdio server (run with `bun`) whose answers to `prompts/get`, `resources/read` and
 * `completion/complete` break the MCP result shapes, each for one prompt, URI or argument, while
 * its other prompts and resources answer well. Declares tools (one: `t`), prompts, resources and
 * completions. `--name NAME` sets the URI scheme (default `as`).
 * Prompts: `good`, `role` (a message of role "wizard"), `video` (a content block of type "video"),
 * `nomessages` (`messages: "nope"`). Resources: `NAME://good`, `NAME://nope` (`contents: "nope"`),
 * `NAME://nobody` (contents without text or blob), `NAME://nouri` (contents without a uri).
 * Completion of prompt `good`'s argument: `a` one value, `num` values `[1, null]`, `many` 150 values,
 * `more` hasMore "yes", `nocompletion` a result without `completion`.
 */
import { createInterface } from "node:readline"

const argv = process.argv.slice(2)
const i = argv.indexOf("--name")
const scheme = i >= 0 ? argv[i + 1]! : "as"

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}

const text = (t: string) => ({ type: "text", text: t })
const PROMPTS: Record<string, unknown> = {
  good: { messages: [{ role: "user", content: text(`good prompt of ${scheme}`) }] },
  role: { messages: [{ role: "user", content: text("fine") }, { role: "wizard", content: text("x") }] },
  video: { messages: [{ role: "user", content: { type: "video", url: "x" } }] },
  nomessages: { messages: "nope" },
}
const READS: Record<string, (uri: string) => unknown> = {
  good: (uri) => ({ contents: [{ uri, mimeType: "text/plain", text: `read ${uri}` }] }),
  nope: () => ({ contents: "nope" }),
  nobody: (uri) => ({ contents: [{ uri, mimeType: "text/plain" }] }),
  nouri: () => ({ contents: [{ text: "no uri" }] }),
}
const COMPLETIONS: Record<string, unknown> = {
  a: { completion: { values: [`${scheme}-value`], hasMore: false } },
  num: { completion: { values: [1, null] } },
  many: { completion: { values: Array.from({ length: 150 }, (_, n) => `v${n}`), total: 150 } },
  more: { completion: { values: ["x"], hasMore: "yes" } },
  nocompletion: {},
}

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  const { id, method, params } = JSON.parse(line) as { id?: string | number; method?: string; params?: Record<string, unknown> }
  if (id === undefined || method === undefined) return
  const ok = (result: unknown) => send({ jsonrpc: "2.0", id, result })
  if (method === "initialize") {
    const capabilities = { tools: {}, prompts: {}, resources: {}, completions: {} }
    return ok({ protocolVersion: params!.protocolVersion, capabilities, serverInfo: { name: "answer-shapes-server", version: "1.0.0" } })
  }
  if (method === "ping") return ok({})
  if (method === "tools/list") return ok({ tools: [{ name: "t", inputSchema: { type: "object" } }] })
  if (method === "prompts/list") return ok({ prompts: Object.keys(PROMPTS).map((name) => ({ name, arguments: [{ name: "a" }] })) })
  if (method === "resources/list") return ok({ resources: Object.keys(READS).map((r) => ({ uri: `${scheme}://${r}`, name: r })) })
  if (method === "resources/templates/list") return ok({ resourceTemplates: [] })
  if (method === "prompts/get") return ok(PROMPTS[String(params!.name)])
  if (method === "resources/read") {
    const uri = String(params!.uri)
    return ok(READS[uri.slice(`${scheme}://`.length)]!(uri))
  }
  if (method === "completion/complete") return ok(COMPLETIONS[String((params!.argument as { name: string }).name)])
  send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method}` } })
})
