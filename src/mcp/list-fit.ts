/**
 * @module mcp/list-fit
 * A tools/list answer over what one message to the client may carry (proxy.maxMessageBytes) was
 * replaced by a JSON-RPC error: the client got no tool at all, our own included, because one
 * server listed thousands of tools or a few huge ones. Now that server's tools (the largest first)
 * are left out of that answer until it fits; our own tools always stay. What is left out is still callable by
 * name (call_tool), and the connection's status names it (notInYourList: the answer records what
 * was sent).
 */
import type { Tool } from "@modelcontextprotocol/client"

/** Room for the JSON-RPC envelope around the result (`{"jsonrpc":"2.0","id":…,"result":…}`). */
export const ENVELOPE_BYTES = 1024

export interface FittedList {
  tools: Tool[]
  /** Names of the tools left out. */
  left: string[]
}

/**
 * `tools` (the first `own` are ours, never left out), whose answer is `bytes` of JSON, fitted under
 * `limit` bytes: tools are left out of the server whose tools take the most room in the answer, its
 * largest first, until it fits (one server listing thousands of tools, or a few huge ones, does not
 * push the other servers' tools out); the order of the rest is kept. `serverOf` names a tool's
 * server ("" when unknown: those count as one).
 */
export function fitList(tools: readonly Tool[], own: number, bytes: number, limit: number, serverOf: (name: string) => string | undefined): FittedList {
  const budget = limit - ENVELOPE_BYTES
  // each tool's JSON and the comma before it
  const sizes = tools.map((t, i) => (i < own ? 0 : Buffer.byteLength(JSON.stringify(t)) + 1))
  const by = new Map<string, { total: number; queue: number[] }>()
  for (let i = own; i < tools.length; i++) {
    const server = serverOf(tools[i]!.name) ?? ""
    const s = by.get(server) ?? by.set(server, { total: 0, queue: [] }).get(server)!
    s.total += sizes[i]!
    s.queue.push(i)
  }
  // largest first; of equal sizes, the later ones first
  for (const s of by.values()) s.queue.sort((a, b) => sizes[b]! - sizes[a]! || b - a)
  const drop = new Set<number>()
  let total = bytes
  while (total > budget) {
    let most: { total: number; queue: number[] } | undefined
    for (const s of by.values()) if (s.queue.length && (most === undefined || s.total > most.total)) most = s
    if (most === undefined) break
    const i = most.queue.shift()!
    drop.add(i)
    most.total -= sizes[i]!
    total -= sizes[i]!
  }
  const kept: Tool[] = []
  const left: string[] = []
  tools.forEach((t, i) => (drop.has(i) ? left.push(t.name) : kept.push(t)))
  return { tools: kept, left }
}
