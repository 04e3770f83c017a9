/**
 * A hostile 2026-07-28 stdio server (raw JSON-RPC, run with `bun`): speaks only the modern era
 * (`server/discover`; `initialize` refused with -32022) and misbehaves per tool call. Tools:
 * - `ok` answers "fine";
 * - `forever` answers `input_required` with no inputRequests and a requestState 256 KiB longer each
 *   round, for ever;
 * - `alien_ask` asks for input of a kind no client serves (`foo/bar`);
 * - `huge_state` asks for an elicitation with a 3 MiB requestState (too long for a client to send back
 *   through an HTTP face with a 4 MiB body limit);
 * - `wrong_id` answers under another id (never under the call's own);
 * - `twice` answers twice;
 * - `push` sends a server→client request (`elicitation/create`, which 2026-07-28 does not have) and
 *   answers the call with what came back (`got <error or result JSON>`).
 * `subscriptions/listen`: `HOSTILE_LISTEN=flood` answers it with an endless stream of tool list changes
 * (one per millisecond), `silent` never acknowledges nor answers it, `drop` acknowledges it and
 * answers it with an error (-32603) when the tool `drop_listen` is called (a listen the server ends
 * after acknowledging it; every later listen is acknowledged and kept open). With `drop`, the tool
 * `grow` adds a tool `grown` to tools/list without announcing it; the server lists the resource
 * `hostile://note` (declaring `resources.subscribe`) and the tool `touch` announces its update to
 * the listens subscribed to it. `HOSTILE_LOG=<file>` appends
 * each received method.
 */
import { appendFileSync } from "node:fs"
import { onStdinLines } from "../../fixtures/servers/stdin-lines.ts"

const out = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
const log = process.env.HOSTILE_LOG
const listen = process.env.HOSTILE_LISTEN ?? "silent"
const TOOLS = ["ok", "forever", "alien_ask", "huge_state", "wrong_id", "twice", "push"]

let asked = 0
/** `drop`: the listens open now, and whether `grow` was called. */
const listens: { id: string | number; uris: unknown[] }[] = []
let grown = false
/** `push`: our request's id → the call it serves (answered with what came back). */
const pushes = new Map<string, string | number>()

function handle(m: { id?: string | number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: unknown }): void {
  const call = m.method === undefined && typeof m.id === "string" ? pushes.get(m.id) : undefined
  if (call !== undefined) {
    pushes.delete(m.id as string)
    return out({ jsonrpc: "2.0", id: call, result: { resultType: "complete", content: [{ type: "text", text: `got ${JSON.stringify(m.error ?? m.result)}` }] } })
  }
  if (log && m.method) appendFileSync(log, `${m.method}${m.method === "tools/call" ? ` ${String(m.params?.name)}` : ""}\n`)
  if (m.id === undefined || m.method === undefined) return
  const id = m.id
  const ok = (result: Record<string, unknown>): void => out({ jsonrpc: "2.0", id, result: { resultType: "complete", ...result } })
  switch (m.method) {
    case "initialize":
      return out({ jsonrpc: "2.0", id, error: { code: -32022, message: "Unsupported protocol version", data: { supported: ["2026-07-28"] } } })
    case "server/discover":
      return ok({ supportedVersions: ["2026-07-28"], capabilities: { tools: { listChanged: true }, ...(listen === "drop" ? { resources: { subscribe: true } } : {}) }, ttlMs: 0, cacheScope: "private", _meta: { "io.modelcontextprotocol/serverInfo": { name: "hostile", version: "1" } } })
    case "resources/list":
      return ok({ resources: listen === "drop" ? [{ uri: "hostile://note", name: "note" }] : [], ttlMs: 0, cacheScope: "private" })
    case "tools/list":
      return ok({ tools: [...TOOLS, ...(listen === "drop" ? ["drop_listen", "grow", "touch"] : []), ...(grown ? ["grown"] : [])].map((name) => ({ name, description: `hostile ${name}`, inputSchema: { type: "object" } })), ttlMs: 0, cacheScope: "private" })
    case "subscriptions/listen":
      if (listen === "flood") {
        out({ jsonrpc: "2.0", method: "notifications/subscriptions/acknowledged", params: { _meta: { "io.modelcontextprotocol/subscriptionId": id } } })
        setInterval(() => out({ jsonrpc: "2.0", method: "notifications/tools/list_changed", params: { _meta: { "io.modelcontextprotocol/subscriptionId": id } } }), 1)
      }
      if (listen === "drop") {
        const filter = (m.params?.notifications ?? {}) as { resourceSubscriptions?: unknown[] }
        out({ jsonrpc: "2.0", method: "notifications/subscriptions/acknowledged", params: { notifications: filter, _meta: { "io.modelcontextprotocol/subscriptionId": id } } })
        listens.push({ id, uris: filter.resourceSubscriptions ?? [] })
      }
      return
    case "tools/call": {
      const name = String(m.params?.name)
      const state = typeof m.params?.requestState === "string" ? m.params.requestState : ""
      if (name === "ok" || name === "grown") return ok({ content: [{ type: "text", text: "fine" }] })
      if (name === "drop_listen") {
        for (const l of listens.splice(0)) out({ jsonrpc: "2.0", id: l.id, error: { code: -32603, message: "listen dropped" } })
        return ok({ content: [{ type: "text", text: "dropped" }] })
      }
      if (name === "touch") {
        for (const l of listens) if (l.uris.includes("hostile://note")) out({ jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "hostile://note", _meta: { "io.modelcontextprotocol/subscriptionId": l.id } } })
        return ok({ content: [{ type: "text", text: "touched" }] })
      }
      if (name === "grow") {
        grown = true
        return ok({ content: [{ type: "text", text: "grew" }] })
      }
      if (name === "forever") return out({ jsonrpc: "2.0", id, result: { resultType: "input_required", requestState: state + "s".repeat(256 * 1024) } })
      if (name === "alien_ask") return out({ jsonrpc: "2.0", id, result: { resultType: "input_required", inputRequests: { x: { method: "foo/bar", params: {} } }, requestState: "a" } })
      if (name === "huge_state") {
        const ask = { method: "elicitation/create", params: { mode: "form", message: "go on?", requestedSchema: { type: "object", properties: {} } } }
        return out({ jsonrpc: "2.0", id, result: { resultType: "input_required", inputRequests: { k: ask }, requestState: "h".repeat(3 * 1024 * 1024) } })
      }
      if (name === "wrong_id") return out({ jsonrpc: "2.0", id: typeof id === "number" ? id + 100000 : `${id}x`, result: { resultType: "complete", content: [{ type: "text", text: "stray" }] } })
      if (name === "twice") {
        ok({ content: [{ type: "text", text: "first" }] })
        return ok({ content: [{ type: "text", text: "second" }] })
      }
      if (name === "push") {
        const ask = `srv-${++asked}`
        pushes.set(ask, id)
        return out({ jsonrpc: "2.0", id: ask, method: "elicitation/create", params: { message: "hi", requestedSchema: { type: "object", properties: {} } } })
      }
      return out({ jsonrpc: "2.0", id, error: { code: -32602, message: `unknown tool ${name}` } })
    }
    default:
      return out({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } })
  }
}

onStdinLines((line) => {
  let m: unknown
  try {
    m = JSON.parse(line)
  } catch {
    return
  }
  if (Array.isArray(m)) m.forEach((x) => handle(x))
  else handle(m as never)
})
