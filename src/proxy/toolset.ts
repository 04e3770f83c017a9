/**
 * @module proxy/toolset
 * A toolset's view of the upstream (`toolsets.<name>`: servers, allow/deny globs on exposed
 * names): tools outside it are not listed, not found by search and not callable (the refusal names
 * the key that left the tool out), neither directly nor through a route hook that sends a call of a
 * tool inside it to one outside (the call carries the scope: proxy/route-check). An App host gets
 * the MCP Apps tools only a view may call of the toolset's servers (past its globs), and its calls
 * by a server's own name are routed within the toolset only (proxy/app-only). Prompts and
 * resources pass through unchanged.
 */
import { ProtocolError, shownName } from "../core/index.ts"
import type { Toolset } from "../config/index.ts"
import { compileFilter, type NameCheck } from "./filters.ts"
import { appHostCall } from "./app-only.ts"
import type { CallContext, CallScope, Tool, ToolCatalog, Upstream } from "./types.ts"

export interface ToolScope {
  /** The toolset's name (messages). */
  name: string
  toolset: Toolset
  /** proxy.separator: a name not listed yet is attributed to its server by prefix. */
  separator: string
}

/** Why `name` (of `server`, when known) is outside the toolset, or undefined when it is in. */
export function scopeCheck(scope: ToolScope): (name: string, server: string | undefined) => string | undefined {
  const { name: ts, toolset, separator } = scope
  const servers = toolset.servers ? new Set(toolset.servers) : undefined
  const filter: NameCheck | undefined = compileFilter(toolset.tools, `toolsets.${ts}.tools`)
  return (name, server) => {
    if (servers) {
      const owner = server ?? [...servers].find((s) => name.startsWith(s + separator))
      if (owner === undefined || !servers.has(owner)) return `toolsets.${ts}.servers (${[...servers].join(", ") || "none"})`
    }
    return filter?.(name)
  }
}

/** `cat` with only the tools `keep` accepts (listed, found, described and routed alike). */
export function narrowCatalog(cat: ToolCatalog, keep: (name: string, server: string | undefined) => boolean): ToolCatalog {
  const kept = (name: string): boolean => keep(name, cat.route(name)?.server)
  return {
    tools: cat.tools.filter((t) => kept(t.name)),
    get: (name) => (kept(name) ? cat.get(name) : undefined),
    route: (name) => (kept(name) ? cat.route(name) : undefined),
    search: (query, opts = {}) => {
      const own = opts.filter
      return cat.search(query, { ...opts, filter: (t) => keep(t.name, t.server) && (own ? own(t) : true) })
    },
    ...(cat.searchReady ? { searchReady: () => cat.searchReady!() } : {}),
  }
}

/**
 * `scope.toolset` is read on every check: a scope whose `toolset` is a getter follows the running
 * config (a reload that changes the toolset's servers or globs applies to connected clients).
 */
export function scopeUpstream(up: Upstream, scope: ToolScope): Upstream {
  let compiled: { toolset: Toolset; check: ReturnType<typeof scopeCheck> } | undefined
  const outside = (name: string, server: string | undefined): string | undefined => {
    const toolset = scope.toolset
    if (compiled?.toolset !== toolset) compiled = { toolset, check: scopeCheck({ name: scope.name, toolset, separator: scope.separator }) }
    return compiled.check(name, server)
  }
  const why = (name: string): string | undefined => outside(name, up.routeOf?.(name)?.server)
  const notInToolset = (reason: string): string => `is not in toolset "${scope.name}": left out by ${reason}`
  // carried by the calls let through: the proxy checks a call a route hook sends elsewhere again, on its target
  const callScope: CallScope = { name: scope.name, outside }
  const scoped: Upstream = {
    async listTools() {
      return (await up.listTools()).filter((t) => why(t.name) === undefined)
    },
    callTool(name: string, args: Record<string, unknown> | undefined, ctx: CallContext) {
      const reason = why(name)
      // an App host's call of a name no list routes (an app-only tool, or a view's call by its
      // server's own name): the proxy resolves it and checks the tool it resolves to against this
      // scope (proxy `appRoute`); a routed name outside the toolset is refused here as always
      if (reason && !(appHostCall(ctx) && up.routeOf?.(name) === undefined)) return Promise.reject(new ProtocolError(-32602, `tool ${shownName(name)} ${notInToolset(reason)}`, { details: { tool: name } }))
      ctx.scope = callScope
      return up.callTool(name, args, ctx)
    },
    listPrompts: () => up.listPrompts(),
    getPrompt: (n, a, ctx) => up.getPrompt(n, a, ctx),
    listResources: () => up.listResources(),
    listResourceTemplates: () => up.listResourceTemplates(),
    readResource: (uri, ctx) => up.readResource(uri, ctx),
    complete: (p, ctx) => up.complete(p, ctx),
    onListChanged: (l) => up.onListChanged(l),
    status: () => up.status(),
    routeOf: (name) => (why(name) === undefined ? up.routeOf?.(name) : undefined),
    outsideScope: (name) => {
      const reason = why(name)
      return reason === undefined ? undefined : notInToolset(reason)
    },
  }
  // an App host's app-only tools of the toolset's servers, past its globs (before, none passed: a
  // toolset hid every view's own tools from the host)
  if (up.appTools) {
    let memo: { from: readonly Tool[]; toolset: Toolset; out: readonly Tool[] } | undefined
    scoped.appTools = () => {
      const from = up.appTools!()
      if (memo?.from !== from || memo.toolset !== scope.toolset) memo = { from, toolset: scope.toolset, out: from.filter((t) => outside(t.name, up.appToolServer?.(t.name)) === undefined) }
      return memo.out
    }
  }
  if (up.serverStates) scoped.serverStates = () => up.serverStates!()
  if (up.notCallable) scoped.notCallable = (name) => (why(name) === undefined ? up.notCallable!(name) : undefined)
  if (up.attachClient) scoped.attachClient = (c) => up.attachClient!(c)
  if (up.rootsChanged) scoped.rootsChanged = (c) => up.rootsChanged!(c)
  if (up.clientInitialized) scoped.clientInitialized = (c) => up.clientInitialized!(c)
  if (up.setLogLevel) scoped.setLogLevel = (c, l) => up.setLogLevel!(c, l)
  if (up.subscribeResource) scoped.subscribeResource = (u, c, ctx) => up.subscribeResource!(u, c, ctx)
  if (up.unsubscribeResource) scoped.unsubscribeResource = (u, c, ctx) => up.unsubscribeResource!(u, c, ctx)
  // names outside the toolset start nothing
  if (up.awaitToolLists) scoped.awaitToolLists = (names, ms) => up.awaitToolLists!(names.filter((n) => outside(n, undefined) === undefined), ms)
  const scopeCatalog = (cat: ToolCatalog): ToolCatalog => narrowCatalog(cat, (name, server) => outside(name, server) === undefined)
  if (up.catalog) {
    const inner = up.catalog.bind(up)
    scoped.catalog = async () => scopeCatalog(await inner())
  }
  if (up.catalogNow) {
    const now = up.catalogNow.bind(up)
    scoped.catalogNow = () => scopeCatalog(now())
  }
  if (up.hookedCatalogNow) {
    const hooked = up.hookedCatalogNow.bind(up)
    scoped.hookedCatalogNow = async () => scopeCatalog(await hooked())
  }
  return scoped
}
