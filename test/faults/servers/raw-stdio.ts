/**
 * @module test/faults/servers/raw-stdio
 * The skeleton of a raw JSON-RPC stdio server (no SDK, so it can say anything): one line in, one
 * answer out. `initialize` declares the capabilities of the lists given, `ping` answers, each list
 * method answers its list, `tools/call` answers what `call` returns, anything else is -32601. Exits
 * when stdin ends, unless `staysOnEof`.
 */
import { createInterface } from "node:readline"

export interface RawServer {
  name: string
  tools?: unknown[]
  prompts?: unknown[]
  resources?: unknown[]
  resourceTemplates?: unknown[]
  /** The result of a tools/call (its params as sent). */
  call(params: { name?: unknown; arguments?: unknown } | undefined): unknown
  /** Keeps running once stdin ends (a server that ignores its EOF). */
  staysOnEof?: boolean
}

export function serveRawStdio(s: RawServer): void {
  const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
  const capabilities: Record<string, object> = {}
  if (s.tools) capabilities.tools = {}
  if (s.prompts) capabilities.prompts = {}
  if (s.resources || s.resourceTemplates) capabilities.resources = {}
  const lists: Record<string, () => unknown> = {
    "tools/list": () => s.tools && { tools: s.tools },
    "prompts/list": () => s.prompts && { prompts: s.prompts },
    "resources/list": () => s.resources && { resources: s.resources },
    "resources/templates/list": () => s.resourceTemplates && { resourceTemplates: s.resourceTemplates },
  }
  const rl = createInterface({ input: process.stdin })
  rl.on("line", (line) => {
    if (!line.trim()) return
    const { id, method, params } = JSON.parse(line) as { id?: number | string; method?: string; params?: any }
    if (id === undefined || method === undefined) return
    const result = (r: unknown): void => send({ jsonrpc: "2.0", id, result: r })
    if (method === "initialize") return result({ protocolVersion: params.protocolVersion, capabilities, serverInfo: { name: s.name, version: "1.0.0" } })
    if (method === "ping") return result({})
    if (method === "tools/call") return result(s.call(params))
    const list = lists[method]?.()
    if (list !== undefined) return result(list)
    send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
  })
  if (s.staysOnEof) setInterval(() => {}, 60_000)
  else rl.on("close", () => process.exit(0))
}
