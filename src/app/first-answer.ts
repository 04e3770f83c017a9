/**
 * @module app/first-answer
 * `orchestrator_status` as one connection sees it: `notInFirstList` says what THIS connection's first
 * tools/list answer lacked (a client such as Cursor keeps that one). Over HTTP every session has its
 * own first answer: before, each was told of the run's first one — a session opened once a slow
 * server had listed, its tools in its list, read that they were not. A connection that has not
 * listed itself (answered from the stored snapshot, or a 2026-07-28 client without a session) keeps
 * the run's.
 *
 * `notInYourList` names the tools callable now that this connection's first answer did not list
 * (a server that came up late, one a reload added, a list that changed since): per server at most
 * `MAX_NAMED` names and the total, and the connection's count with how to reach them (call_tool).
 */
import type { Status } from "../mcp/index.ts"
import { notInFirstList, type FirstAnswer, type ToolCatalog } from "../proxy/index.ts"

/** Names shown per server row; the rest are counted (thousands of late tools keep the status small). */
export const MAX_NAMED = 20

export const REACH_UNLISTED =
  "Your tool list (kept from your first tools/list) lacks these tools: call them with call_tool {name, arguments} (describe_tools gives their parameters); search_tools finds them by what they do"

/**
 * The connection's first answer: what it lacked by server (proxy), the names it listed; the tools
 * its tools/list answers now (plugin hooks applied: a tool a hook hides is not named).
 */
export interface ConnectionList {
  first?: FirstAnswer
  listed?: ReadonlySet<string>
  current: () => readonly { name: string }[] | undefined
}

/** `catalog`: the connection's tools as the proxy has them now, for the server of each name (a name a plugin hook made up has none: not named). */
export function withFirstAnswer(s: Status, list: ConnectionList, catalog: Pick<ToolCatalog, "route"> | undefined): Status {
  const now = list.listed && catalog && list.current()
  const unlisted = list.listed && now ? notListed(list.listed, now, (name) => catalog!.route(name)?.server) : undefined
  if (list.first === undefined && unlisted === undefined) return s
  let total = 0
  const servers = s.servers.map((row) => {
    let out = row
    if (list.first !== undefined) {
      const { notInFirstList: _run, ...rest } = row
      const why = notInFirstList(list.first, row.name, "this connection's", row.lastError)
      out = why === undefined ? rest : { ...rest, notInFirstList: why }
    }
    const names = unlisted?.get(row.name)
    if (names?.length) {
      total += names.length
      out = { ...out, notInYourList: { total: names.length, names: names.slice(0, MAX_NAMED) } }
    }
    return out
  })
  return { ...s, servers, ...(total ? { notInYourList: { tools: total, reach: REACH_UNLISTED } } : {}) }
}

/** The exposed tools listed now that `listed` lacks, by server, in name order (own tools have no server: left out). */
function notListed(listed: ReadonlySet<string>, now: readonly { name: string }[], route: (name: string) => string | undefined): Map<string, string[]> {
  const by = new Map<string, string[]>()
  for (const t of now) {
    if (listed.has(t.name)) continue
    const server = route(t.name)
    if (server === undefined) continue
    const names = by.get(server)
    if (names) names.push(t.name)
    else by.set(server, [t.name])
  }
  for (const names of by.values()) names.sort()
  return by
}
