/**
 * @module test/faults/servers/list-shape-server
 * A raw JSON-RPC stdio server (run with `bun`) that misbehaves on demand, for the tests of answers
 * that are no list, definitions nothing can be done with, names that are Object.prototype members,
 * oversize server→client requests and a bad handshake. Tools: ok, flip (from then on its lists are
 * answered as `--bad` says; it announces tools and prompts list_changed), sample (sends a
 * sampling/createMessage of `--sampling-mb` MiB and answers with how it was answered, and when).
 * One prompt: greet. Flags:
 *   --bad SHAPE        what tools/list and prompts/list answer after `flip` (or from the start with
 *                      --bad-now): string ({"tools":"nope"}), object ({"tools":{}}), missing ({}),
 *                      null (a null result)
 *   --bad-now          answer as --bad says from the first listing
 *   --no-tools-cap     declare no tools capability
 *   --deep N           one more tool, "deep", whose inputSchema nests N properties deep (a leaf
 *                      description with a zero-width space)
 *   --proto-names      more tools named constructor, toString, hasOwnProperty, __proto__
 *   --sampling-mb N    the size of the `sample` tool's sampling request (default 9)
 *   --no-version       initialize is answered without a protocolVersion
 */
import { createInterface } from "node:readline"

const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name)
  return i >= 0 ? (argv[i + 1] ?? "") : undefined
}
const has = (name: string): boolean => argv.includes(name)

const bad = flag("--bad")
const deep = flag("--deep")
const samplingMb = Number(flag("--sampling-mb") ?? 9)
let flipped = has("--bad-now")

const tools: unknown[] = [
  { name: "ok", description: "Answers ok.", inputSchema: { type: "object" } },
  { name: "flip", description: "Lists go bad from now on.", inputSchema: { type: "object" } },
  { name: "sample", description: "Sends a large sampling request.", inputSchema: { type: "object" } },
]
if (has("--proto-names")) for (const name of ["constructor", "toString", "hasOwnProperty", "__proto__"]) tools.push({ name, description: `Named ${name}.`, inputSchema: { type: "object" } })

function send(m: unknown): void {
  process.stdout.write(JSON.stringify(m) + "\n")
}

/** The tools/list answer as text: the deep tool is spliced in as text (JSON.stringify of it could overflow). */
function toolsAnswer(id: unknown): string {
  const body = JSON.stringify({ jsonrpc: "2.0", id, result: { tools } })
  if (deep === undefined) return body
  const n = Number(deep)
  const schema = '{"type":"object","properties":{"a":'.repeat(n) + '{"type":"string","description":"leaf\u200b"}' + "}}".repeat(n)
  return body.replace(/\]\}\}$/, `,{"name":"deep","description":"Deeply nested.","inputSchema":${schema}}]}}`)
}

function badResult(field: string): unknown {
  if (bad === "string") return { [field]: "nope" }
  if (bad === "object") return { [field]: {} }
  if (bad === "null") return null
  return {}
}

/** The sampling request of `sample`, by id: its resolver. */
const waiting = new Map<string, (answer: Record<string, unknown>) => void>()

const rl = createInterface({ input: process.stdin })
rl.on("line", (line) => {
  if (!line.trim()) return
  const msg = JSON.parse(line) as { id?: string | number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: unknown }
  const { id, method, params } = msg
  if (method === undefined) {
    // an answer to our sampling request
    waiting.get(String(id))?.(msg as Record<string, unknown>)
    return
  }
  if (id === undefined) return
  if (method === "initialize") {
    const capabilities = has("--no-tools-cap") ? { prompts: { listChanged: true } } : { tools: { listChanged: true }, prompts: { listChanged: true } }
    const result: Record<string, unknown> = { capabilities, serverInfo: { name: "list-shape-server", version: "1.0.0" } }
    if (!has("--no-version")) result.protocolVersion = (params as { protocolVersion: string }).protocolVersion
    return send({ jsonrpc: "2.0", id, result })
  }
  if (method === "ping") return send({ jsonrpc: "2.0", id, result: {} })
  if (method === "tools/list") {
    if (flipped && bad !== undefined) return send({ jsonrpc: "2.0", id, result: badResult("tools") })
    return process.stdout.write(toolsAnswer(id) + "\n")
  }
  if (method === "prompts/list") {
    if (flipped && bad !== undefined) return send({ jsonrpc: "2.0", id, result: badResult("prompts") })
    return send({ jsonrpc: "2.0", id, result: { prompts: [{ name: "greet", description: "Says hello." }] } })
  }
  if (method !== "tools/call") return send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method}` } })
  const name = (params as { name?: string }).name
  if (name === "flip") {
    flipped = true
    send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "flipped" }] } })
    send({ jsonrpc: "2.0", method: "notifications/tools/list_changed" })
    send({ jsonrpc: "2.0", method: "notifications/prompts/list_changed" })
    return
  }
  if (name === "sample") {
    const rid = `sample-${id}`
    const started = performance.now()
    const timer = setTimeout(() => waiting.get(rid)?.({ error: { message: "no answer within 20 s" } }), 20_000)
    waiting.set(rid, (answer) => {
      clearTimeout(timer)
      waiting.delete(rid)
      const text = JSON.stringify({ ms: Math.round(performance.now() - started), error: answer.error, result: answer.result })
      send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text }] } })
    })
    const big = "s".repeat(samplingMb * 1024 * 1024)
    send({ jsonrpc: "2.0", id: rid, method: "sampling/createMessage", params: { messages: [{ role: "user", content: { type: "text", text: big } }], maxTokens: 10 } })
    return
  }
  send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `${name} called` }] } })
})
