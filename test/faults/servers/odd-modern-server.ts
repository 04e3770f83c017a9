/**
 * An odd 2026-07-28 stdio server (raw JSON-RPC, run with `bun`; `initialize` refused with -32022),
 * one oddity per `ODD` value: its `server/discover` answer (`discover-string`, `discover-null`,
 * `unknown-era`, `era-not-array`, `caps-garbage`, `caps-huge`, `caps-no-tools`), its tools/list cache
 * hints or resultType (`ttl-negative`, `ttl-huge`, `ttl-string`, `scope-public`, `scope-odd`,
 * `list-resulttype`, `list-input`), notifications for things never subscribed (`stray-notes`) or a
 * `public` tools/call result (`call-public`), a slow `server/discover` (`slow-discover`, below), or
 * `initialize` never answered (`ignore-initialize`: a modern-only server that ignores it). Tools: `ok` answers "fine"; `weird` answers a
 * resultType no era has ("deferred").
 */
import { onStdinLines, sendLine as out } from "../../fixtures/servers/stdin-lines.ts"

import { appendFileSync } from "node:fs"

const odd = process.env.ODD ?? ""
/** `slow-discover`: server/discover is answered after `ODD_DELAY` ms; each one asked is appended to `ODD_LOG` ("discover <pid>"). */
const delay = odd === "slow-discover" ? Number(process.env.ODD_DELAY ?? 1700) : 0
const tool = (name: string) => ({ name, description: `odd ${name}`, inputSchema: { type: "object" } })

function discoverResult(): unknown {
  const base = { supportedVersions: ["2026-07-28"], capabilities: { tools: { listChanged: true }, resources: { subscribe: true } }, _meta: { "io.modelcontextprotocol/serverInfo": { name: "odd", version: "1" } } }
  switch (odd) {
    case "discover-string": return "hello"
    case "discover-null": return null
    case "unknown-era": return { ...base, supportedVersions: ["2099-01-01"] }
    case "era-not-array": return { ...base, supportedVersions: "2026-07-28" }
    case "caps-garbage": return { ...base, capabilities: { tools: "yes", resources: 5, prompts: [1, 2], logging: null, completions: "x" } }
    case "caps-huge": return { ...base, capabilities: Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`x${i}`, { v: "y".repeat(50) }])) }
    case "caps-no-tools": return { ...base, capabilities: {} }
    default: return base
  }
}

function handle(m: { id?: string | number; method?: string; params?: Record<string, unknown> }): void {
  if (m.id === undefined || m.method === undefined) return
  const id = m.id
  const ok = (result: Record<string, unknown>): void => out({ jsonrpc: "2.0", id, result: { resultType: "complete", ...result } })
  switch (m.method) {
    case "initialize":
      if (odd === "ignore-initialize") return
      return out({ jsonrpc: "2.0", id, error: { code: -32022, message: "Unsupported protocol version", data: { supported: ["2026-07-28"] } } })
    case "server/discover":
      if (process.env.ODD_LOG) appendFileSync(process.env.ODD_LOG, `discover ${process.pid}\n`)
      if (delay > 0) return void setTimeout(() => out({ jsonrpc: "2.0", id, result: discoverResult() }), delay)
      return out({ jsonrpc: "2.0", id, result: discoverResult() })
    case "tools/list": {
      const r: Record<string, unknown> = { tools: [tool("ok"), tool("weird")], ttlMs: 0, cacheScope: "private" }
      if (odd === "ttl-negative") r.ttlMs = -5000
      if (odd === "ttl-huge") r.ttlMs = 1e308
      if (odd === "ttl-string") r.ttlMs = "NaN"
      if (odd === "scope-public") Object.assign(r, { cacheScope: "public", ttlMs: 3_600_000 })
      if (odd === "scope-odd") r.cacheScope = "everyone"
      if (odd === "list-resulttype") r.resultType = "maybe"
      if (odd === "list-input") Object.assign(r, { resultType: "input_required", requestState: "x", inputRequests: {} })
      return out({ jsonrpc: "2.0", id, result: r })
    }
    case "resources/list":
    case "prompts/list":
    case "resources/templates/list":
      return ok({ [m.method === "resources/list" ? "resources" : m.method === "prompts/list" ? "prompts" : "resourceTemplates"]: [], ttlMs: 0, cacheScope: "private" })
    case "subscriptions/listen":
      out({ jsonrpc: "2.0", method: "notifications/subscriptions/acknowledged", params: { _meta: { "io.modelcontextprotocol/subscriptionId": id } } })
      if (odd === "stray-notes") {
        setTimeout(() => {
          out({ jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "secret://never-subscribed", _meta: { "io.modelcontextprotocol/subscriptionId": id } } })
          out({ jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "secret://other", _meta: { "io.modelcontextprotocol/subscriptionId": "nope" } } })
          out({ jsonrpc: "2.0", method: "notifications/tools/list_changed", params: { _meta: { "io.modelcontextprotocol/subscriptionId": "nope" } } })
          out({ jsonrpc: "2.0", method: "notifications/prompts/list_changed", params: {} })
        }, 300)
      }
      return
    case "tools/call": {
      const name = String(m.params?.name)
      if (name === "weird") return out({ jsonrpc: "2.0", id, result: { resultType: "deferred", content: [{ type: "text", text: "later" }] } })
      if (odd === "call-public") return out({ jsonrpc: "2.0", id, result: { resultType: "complete", ttlMs: 999999, cacheScope: "public", content: [{ type: "text", text: "fine" }] } })
      return ok({ content: [{ type: "text", text: "fine" }] })
    }
    default:
      return out({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } })
  }
}

onStdinLines((line) => {
  try {
    handle(JSON.parse(line))
  } catch {}
}, { exitOnEnd: true })
