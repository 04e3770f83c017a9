/**
 * @module catalog/search/on-host
 * A request ending on a machine ("memory usage on web-01", "is nginx running on web-03", "cpu load
 * on the db box": host.ts `hostClauseAt`) asks about that machine: a tool taking a machine as an
 * argument (`server`, `host`, `hostname`, `node`…: an SSH server's `ssh_monitor`, datadog's
 * `mute_host`) can answer it, one taking none (the memory server's `add_observations` through
 * "memory") answers something else. Such tools rank below, when some tool takes a machine.
 */
import { hostClauseAt } from "./host.ts"
import type { IndexedTool } from "./types.ts"

/** Argument names naming a machine a tool acts on. */
const MACHINE_ARG = /^(?:server|servers|server_?name|host|hosts|host_?name|hostname|node|node_?name|machine|instance)$/i

/** Whether `query` ends on a machine it is about ("… on web-01", "… on the db box"). */
export function asksOnHost(query: string): boolean {
  const toks = query.trim().split(/\s+/)
  return hostClauseAt(toks) < toks.length
}

/** Whether a tool takes a machine as a top-level argument. */
export function takesMachine(tool: IndexedTool): boolean {
  const props = tool.inputSchema?.["properties"]
  return typeof props === "object" && props !== null && Object.keys(props).some((k) => MACHINE_ARG.test(k))
}
