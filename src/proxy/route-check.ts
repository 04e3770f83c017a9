/**
 * @module proxy/route-check
 * A call that a plugin's `route` hook sends to another tool (another server, another name) reaches
 * that tool only where a direct call of it would: inside the connection's toolset (servers and
 * globs, `CallContext.scope`), on a server that is configured and enabled, through the server's
 * tool filter, past the pins block, and listed by the server. Otherwise the call fails naming the
 * plugin (its file and the line of its route hook), the call and the tool it was sent to, e.g.
 * `route plugin alias (/p/alias.js:4) sent h__echo to h__leak,
 * which servers.h.tools.deny ("leak") hides`. A rule written for the whole fleet thus never widens
 * a restricted toolset, and never reaches what a filter or a pin hides.
 */
import { DownstreamError, PluginError } from "../core/index.ts"
import type { CallScope } from "./types.ts"

/** Where a route hook sent a call. */
export interface RoutedTarget {
  server: string
  /** The server's own name of the tool. */
  tool: string
  /** Its exposed name: as listed, else `server<separator>tool` (a tool not listed has none). */
  exposed: string
}

/** What a direct call of the target would be checked against (the proxy's state, read when asked). */
export interface TargetSurface {
  /** The connection's toolset, when it has one. */
  scope: CallScope | undefined
  /** The server runs (a config entry that is not disabled, or a dynamic source). */
  configured(server: string): boolean
  /** The server has a config entry with `disabled: true`. */
  disabled(server: string): boolean
  /** Why the server is gone (a config reload removed it), if it is. */
  gone(server: string): string | undefined
  /** Why the server's filter hides the tool (e.g. `servers.h.tools.deny ("leak")`), if it does. */
  hidden(server: string, tool: string): string | undefined
  /** Why a pin blocks the tool (proxy.pinTools: block), if one does. */
  blocked(server: string, tool: string): string | undefined
  /** False only when the server's tool list is known and lacks the tool. */
  lists(server: string, tool: string): boolean
  /** The servers (within the toolset) that list a tool of this name. */
  listedBy(tool: string): string[]
}

const FIX_RULE = "Fix the plugin's route rule (mcp-orchestrator plugins list shows the plugins)."

/** Throws when the call `name` that plugin(s) `by` (unnamed: a bare ProxyHooks route) sent to `t` may not go there; returns when it may. */
export function checkRoutedTarget(name: string, by: string | undefined, t: RoutedTarget, s: TargetSurface): void {
  const sent = `${by !== undefined ? `route plugin ${by}` : "a route hook"} sent ${name} to`
  const invalid = (where: string, remedy = FIX_RULE): PluginError => new PluginError("ROUTE_INVALID", `${sent} ${where}`, { remedy, details: { tool: name, server: t.server, routedTool: t.tool } })
  // a name no server lists (so the call has no server) sent on under a new tool name only: the
  // rule must say which server's tool that is
  if (t.server === "") {
    const by = s.listedBy(t.tool)
    const where = by.length > 0 ? `a tool "${t.tool}" is listed by ${by.join(", ")}` : `no server here lists a tool "${t.tool}"`
    throw invalid(
      `tool "${t.tool}" without naming a server: ${name} is not a listed tool, so the call has no server to keep`,
      `Make the route rule name the server as well (return { server: "<server>", tool: "${t.tool}" }; ${where}), or call a listed tool.`,
    )
  }
  const outside = s.scope?.outside(t.exposed, t.server)
  if (outside !== undefined) {
    throw invalid(`${t.exposed}, which is not in toolset "${s.scope!.name}": left out by ${outside}`, `Fix the plugin's route rule so it keeps to the tools of toolset "${s.scope!.name}", or change toolsets.${s.scope!.name} in the config.`)
  }
  if (!s.configured(t.server)) {
    if (s.disabled(t.server)) throw invalid(`server "${t.server}", which is disabled (servers.${t.server}.disabled)`, `Enable server ${t.server} (servers.${t.server}.disabled: false), or fix the plugin's route rule.`)
    const gone = s.gone(t.server)
    throw invalid(`server "${t.server}", which ${gone ?? "is not configured"}`)
  }
  const hiddenBy = s.hidden(t.server, t.tool)
  if (hiddenBy !== undefined) throw invalid(`${t.exposed}, which ${hiddenBy} hides`)
  const blocked = s.blocked(t.server, t.tool)
  if (blocked !== undefined) {
    throw new DownstreamError("TOOL_DEFINITION_CHANGED", `${sent} ${t.exposed}, which is blocked: ${blocked}`, {
      remedy: `Review what changed on server ${t.server}, then run \`mcp-orchestrator pins approve ${t.server}/${t.tool}\` (or set proxy.pinTools: warn).`,
      details: { tool: name, server: t.server, routedTool: t.tool },
    })
  }
  if (!s.lists(t.server, t.tool)) throw invalid(`tool "${t.tool}" of server ${t.server}, which it does not list`)
}
