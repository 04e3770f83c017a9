/**
 * @module pool/modern-result-check
 * The answers of a 2026-07-28 Streamable HTTP downstream (spoken by the SDK v2 `Client`) checked as
 * a stdio downstream's are (pool/rpc, pool/tool-result-check), before the SDK's own result schemas
 * see them. Those reject a bad tool result as a zod dump ("Invalid result for tools/call: [{ code:
 * invalid_union …") or "Unsupported result type", which read as a failed HTTP request: the connection
 * was dropped and counted against the breaker, so a few bad answers of one tool took the whole server
 * down. Here such an answer becomes, for the SDK, a JSON-RPC error tagged with a per-process marker,
 * and `badAnswerOf` turns that back into BAD_RESPONSE naming the block (or the resultType) and the
 * tool: only that call fails. The server's own notifications and requests meet the depth bound of
 * every ingress here (pool/deep-messages), before the SDK reads them; its requests (elicitation,
 * sampling, roots: none in that era) are refused at once (pool/modern-server-requests), where the
 * SDK dropped them unanswered.
 */
import { randomUUID } from "node:crypto"
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/client"
import { DownstreamError, type Logger } from "../core/index.ts"
import { answerSubject } from "./answer-check.ts"
import { DeepMessages } from "./deep-messages.ts"
import { ModernRequestRefusal } from "./modern-server-requests.ts"
import { badResponse, resultProblem } from "./rpc.ts"

/** The `data` key of a bad answer replaced here (unguessable: a server cannot forge one). */
const MARKER = `io.mcp-orchestrator/badAnswer/${randomUUID()}`
/** Requests whose answer is awaited, at most (older ones, never answered, are forgotten). */
const MAX_TRACKED = 10_000

interface Asked {
  method: string
  tool: string | undefined
}

/** What is wrong with a 2026-07-28 answer to `method`, or undefined. */
export function modernResultProblem(method: string, result: unknown): string | undefined {
  const type = (result as { resultType?: unknown } | null)?.resultType
  if (typeof result === "object" && result !== null && type !== undefined && type !== "complete" && type !== "input_required") {
    return `its resultType is ${JSON.stringify(type)?.slice(0, 60) ?? typeof type}, which is no 2026-07-28 result type ("complete" or "input_required")`
  }
  // input_required carries no content to check; the SDK checks its own fields
  return type === "input_required" ? undefined : resultProblem(method, result)
}

/** Check the answers `t` delivers to the client that takes it, and bound its other messages' depth (call after every other wrapper of `onmessage`). */
export function checkAnswers(t: Transport, log: Logger): void {
  const asked = new Map<string | number, Asked>()
  const send = t.send.bind(t)
  const reply = (answer: object): void => void send(answer as JSONRPCMessage).catch(() => {})
  const deep = new DeepMessages(log, reply)
  const refusal = new ModernRequestRefusal(log)
  t.send = (message, options) => {
    const m = message as { id?: unknown; method?: unknown; params?: { name?: unknown } }
    if ((typeof m.id === "string" || typeof m.id === "number") && typeof m.method === "string") {
      if (asked.size >= MAX_TRACKED) asked.delete(asked.keys().next().value!)
      asked.set(m.id, { method: m.method, tool: m.method === "tools/call" && typeof m.params?.name === "string" ? m.params.name : answerSubject(m.method, m.params as Record<string, unknown> | undefined) })
    }
    return send(message, options)
  }
  const inner = Object.getOwnPropertyDescriptor(t, "onmessage")
  let plain: ((m: JSONRPCMessage, extra?: never) => void) | undefined
  const set = (fn: typeof plain): void => {
    if (inner?.set) inner.set.call(t, fn)
    else plain = fn
  }
  const get = (): typeof plain => (inner?.get ? (inner.get.call(t) as typeof plain) : plain)
  Object.defineProperty(t, "onmessage", {
    configurable: true,
    get,
    set: (fn: typeof plain) =>
      set(
        fn
          ? (m, extra) => {
              const c = checked(m)
              if (c !== undefined) fn(c, extra)
            }
          : undefined,
      ),
  })

  /** `m` as the client gets it (a bad answer replaced), or undefined when it is dropped. */
  function checked(m: JSONRPCMessage): JSONRPCMessage | undefined {
    const r = m as { id?: unknown; result?: unknown; method?: unknown; params?: unknown }
    if (typeof r.method === "string") {
      if (deep.drops(r.id, r.method, r.params)) return undefined
      // a server→client request: refused at once (the SDK dropped it unanswered, its server waiting)
      if ((typeof r.id === "string" || typeof r.id === "number") && r.method !== "ping") return void reply({ jsonrpc: "2.0", id: r.id, error: refusal.refuse(r.method) })
      return m
    }
    if (r.method !== undefined || (typeof r.id !== "string" && typeof r.id !== "number")) return m
    const a = asked.get(r.id)
    if (a === undefined) return m
    asked.delete(r.id)
    if (!("result" in r)) return m
    const problem = modernResultProblem(a.method, r.result)
    if (problem === undefined) return carried(m, a.method, r.result)
    return { jsonrpc: "2.0", id: r.id, error: { code: -32603, message: problem, data: { [MARKER]: a.tool ?? null } } } as JSONRPCMessage
  }
}

/** The key of each list method's items. */
const LIST_KEYS: Record<string, string> = { "tools/list": "tools", "prompts/list": "prompts", "resources/list": "resources", "resources/templates/list": "resourceTemplates" }
/** The key under which a list answer's items pass the SDK unread (per process: a server cannot forge one). */
const LIST_MARKER = `io.mcp-orchestrator/list/${randomUUID()}`

/**
 * A list answer as the SDK is given it: the answer under LIST_MARKER, beside it its `resultType`,
 * an empty list and placeholder cache fields. The SDK's 2026-07-28 codec checks a list answer whole against its schemas, so one tool it
 * refuses (`type: ["object","null"]`, `annotations.readOnlyHint: "yes"`) failed the listing of all
 * of them, retried for ever: every tool of the server gone, where a stdio server's list kept every
 * other tool. Each item is checked after, one by one, as a stdio server's are (catalog/validate, via
 * proxy/fetch-list); `listAnswer` gives the answer back as the server sent it.
 */
function carried(m: JSONRPCMessage, method: string, result: unknown): JSONRPCMessage {
  const key = LIST_KEYS[method]
  if (key === undefined || typeof result !== "object" || result === null || !Array.isArray((result as Record<string, unknown>)[key])) return m
  // nor anything else of the page (the cache fields the SDK requires are placeholders here; the
  // server's own are read from the answer): a `nextCursor`, `ttlMs` or `_meta` of the wrong type, or
  // no `ttlMs`, failed the whole listing too, where a stdio server's page is read (proxy/fetch-list:
  // such a cursor ends the listing, the hints are read as they can be)
  return { ...m, result: { resultType: (result as Record<string, unknown>).resultType, [key]: [], ttlMs: 0, cacheScope: "private", [LIST_MARKER]: result } } as JSONRPCMessage
}

/** A list answer `r` (as the SDK gave it back) as the server sent it, without its `resultType` (what the SDK removes); any other answer as it is. */
export function listAnswer(r: unknown): unknown {
  const raw = typeof r === "object" && r !== null ? (r as Record<string, unknown>)[LIST_MARKER] : undefined
  if (typeof raw !== "object" || raw === null) return r
  const { resultType: _, ...rest } = raw as Record<string, unknown>
  return rest
}

/** The BAD_RESPONSE a bad answer replaced by `checkAnswers` stands for (`e`: the SDK's error for it), or undefined. */
export function badAnswerOf(method: string, e: unknown): DownstreamError | undefined {
  const x = e as { message?: unknown; data?: unknown }
  const data = x?.data
  if (typeof data !== "object" || data === null || !(MARKER in data) || typeof x.message !== "string") return undefined
  const tool = (data as Record<string, unknown>)[MARKER]
  return badResponse(method, x.message.replace(/^(?:MCP error -?\d+: )+/, ""), undefined, typeof tool === "string" ? tool : undefined)
}
