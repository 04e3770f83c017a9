/**
 * @module test/faults/servers/raw-stdio
 * The skeleton of a raw JSON-RPC stdio server (no SDK, so it can say anything): one line in, one
 * answer out. `initialize` declares the capabilities of the lists given (with `listChanged` when
 * `listChanged`), `ping` answers, each list method answers its list (read at each request: a server
 * may change it), `tools/call` answers what `call` returns, anything else is -32601. `before` and
 * `after` see each message before and after it is handled (notifications too) and may send more.
 * Exits when stdin ends, unless `staysOnEof`.
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
  /** Declares `listChanged` for each list it serves. */
  listChanged?: boolean
  /** Called before each message is handled (its answer not written yet): may send notifications. */
  before?(method: string, send: (m: unknown) => void): void
  /** Called after each message is handled (its answer written): may send notifications. */
  after?(method: string, send: (m: unknown) => void): void
}

export function serveRawStdio(s: RawServer): void {
  const send = (m: unknown): void => void process.stdout.write(JSON.stringify(m) + "\n")
  const capabilities: Record<string, object> = {}
  const cap = (): object => (s.listChanged ? { listChanged: true } : {})
  if (s.tools) capabilities.tools = cap()
  if (s.prompts) capabilities.prompts = cap()
  if (s.resources || s.resourceTemplates) capabilities.resources = cap()
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
    if (method === undefined) return
    s.before?.(method, send)
    handle(id, method, params)
    s.after?.(method, send)
  })
  const handle = (id: number | string | undefined, method: string, params: any): void => {
    if (id === undefined) return
    const result = (r: unknown): void => send({ jsonrpc: "2.0", id, result: r })
    if (method === "initialize") return result({ protocolVersion: params.protocolVersion, capabilities, serverInfo: { name: s.name, version: "1.0.0" } })
    if (method === "ping") return result({})
    if (method === "tools/call") return result(s.call(params))
    const list = lists[method]?.()
    if (list !== undefined) return result(list)
    send({ jsonrpc: "2.0", id, error: { code: -32601, message: `no ${method}` } })
  }
  if (s.staysOnEof) setInterval(() => {}, 60_000)
  else rl.on("close", () => process.exit(0))
}
