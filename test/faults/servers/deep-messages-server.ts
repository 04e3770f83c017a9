/**
 * A raw JSON-RPC stdio server (run with `bun`) whose own messages nest 200,000 levels deep (JSON.parse
 * takes them; JSON.stringify spends over a second before it overflows the stack):
 * - tools/call `deep_log`: a log message whose data nests so, then the answer;
 * - tools/call `deep_request`: a sampling/createMessage whose params nest so; the call answers with
 *   what came back to it (`result` or `error: <message>`);
 * - anything else: answered right.
 */
import { onStdinLines } from "../../fixtures/servers/stdin-lines.ts"

const DEPTH = 200_000
const deep = `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`
const out = (s: string): void => void process.stdout.write(`${s}\n`)
const text = (id: unknown, t: string): string => JSON.stringify({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: t }] } })
const waiting = new Map<string, unknown>()

type Msg = { id?: number | string; method?: string; params?: { name?: string }; result?: unknown; error?: { message?: string } }
onStdinLines((line) => answer(JSON.parse(line) as Msg), { exitOnEnd: true })

function answer(m: Msg): void {
  if (m.method === undefined && typeof m.id === "string" && waiting.has(m.id)) {
    const callId = waiting.get(m.id)
    waiting.delete(m.id)
    return out(text(callId, m.error ? `error: ${m.error.message}` : "result"))
  }
  if (m.id === undefined || m.method === undefined) return
  if (m.method === "initialize") return out(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {}, logging: {} }, serverInfo: { name: "deep", version: "1" } } }))
  if (m.method === "tools/list") return out(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { tools: ["deep_log", "deep_request", "fine"].map((name) => ({ name, inputSchema: { type: "object" } })) } }))
  if (m.method !== "tools/call") return out(JSON.stringify({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `no ${m.method}` } }))
  const name = m.params?.name
  if (name === "deep_log") {
    out(`{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":${deep}}}`)
    return out(text(m.id, "logged"))
  }
  if (name === "deep_request") {
    waiting.set(`s${m.id}`, m.id)
    return out(`{"jsonrpc":"2.0","id":"s${m.id}","method":"sampling/createMessage","params":{"messages":[{"role":"user","content":{"type":"text","text":"hi"}}],"maxTokens":5,"metadata":${deep}}}`)
  }
  out(text(m.id, `called ${name}`))
}
