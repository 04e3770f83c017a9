/**
 * @module app/surface-tools
 * What one client connection sees (`proxy.expose`, `toolsets`, `serve --toolset`): the upstream
 * scoped to its toolset, and its own tools by expose mode —
 * - all: orchestrator_status, the Toolkit tools, search_tools, describe_tools, call_tool, run_code
 *   (and every proxied tool, listed by the face);
 * - search: orchestrator_status, the Toolkit tools, search_tools, describe_tools, call_tool;
 * - code: orchestrator_status, search_tools, describe_tools, run_code.
 */
import { invalidServerSummary, type Config, type InvalidServer, type Toolset } from "../config/index.ts"
import { loginCommand, type Logger } from "../core/index.ts"
import type { ToolDef } from "../mcp/index.ts"
import { scopeUpstream, shownState, type Proxy, type ServerState, type Tool, type ToolCatalog, type Upstream } from "../proxy/index.ts"
import { callToolTool, compactHit, createRunCodeTool, describeToolsTool, runCodeLimits, searchToolsTool, type DescribeServers, type ListedNames, type RunCodeDeps, type ServerNow, type ServerWithoutTools } from "../mcp/index.ts"
import { GATEWAY_SERVER_NAME } from "./toolkit-gateway.ts"

export type ExposeMode = "all" | "search" | "code"

export interface Surface {
  upstream: Upstream
  expose: ExposeMode
  /** The meta-tools of this mode, in list order (after orchestrator_status and the Toolkit tools). */
  meta: ToolDef[]
  /** The Toolkit management tools are listed in this mode. */
  toolkitTools: boolean
}

/**
 * Toolset `name` of the RUNNING config, read on each use (a config reload may change it). When a
 * reload removes a toolset a connection serves, the connection keeps its last definition (logged
 * once as an error): a client is never cut off mid-session by an edit. Throws for a toolset that
 * is unknown at the start.
 */
export function liveToolset(config: Config, name: string, log?: Logger): () => Toolset {
  // own keys only: `constructor` is not a toolset unless the config names one so
  const own = (): Toolset | undefined => (Object.hasOwn(config.toolsets, name) ? config.toolsets[name] : undefined)
  let last = own()
  if (!last) throw new Error(`unknown toolset ${name}`)
  let missing = false
  return () => {
    const now = own()
    if (now) {
      missing = false
      return (last = now)
    }
    if (!missing) log?.error("toolset removed from the config; this connection keeps serving its last definition until it reconnects", { toolset: name })
    missing = true
    return last!
  }
}

/** The upstream of one connection: the whole fleet, or scoped to a toolset that follows the running config. */
export function surfaceUpstream(config: Config, proxy: Proxy, toolset: (() => Toolset) | undefined, name: string | undefined): Upstream {
  if (!toolset || name === undefined) return proxy
  return scopeUpstream(proxy, {
    name,
    get toolset() {
      return toolset()
    },
    get separator() {
      return config.proxy.separator
    },
  })
}

/**
 * The surface of a connection's toolset (`live.toolset`: `liveToolset`; absent = the whole fleet),
 * from the config as it is now. A connection keeps its `upstream` (`surfaceUpstream`) across
 * reloads and rebuilds the rest when `proxy.expose`, the toolset or `codeMode` change.
 */
/** `invalid`: the server entries left out as invalid (describe_tools says why their tools cannot be described). */
/** `probing`: the Docker Toolkit is still being probed (its gateway, if any, not added yet). */
/** `listed`: the names of this connection's first tools/list answer (search hits it lacks are marked). */
export function buildSurface(config: Config, live: { toolset?: (() => Toolset) | undefined; upstream: Upstream; invalid?: () => readonly InvalidServer[] | undefined; probing?: () => boolean; listed?: ListedNames }): Surface {
  const toolset = live.toolset?.()
  const upstream = live.upstream
  const expose: ExposeMode = toolset?.expose ?? config.proxy.expose
  const catalog = (): Promise<ToolCatalog> => upstream.catalog!()
  const unlisted = (): ServerWithoutTools[] => serversWithoutTools(upstream, live.toolset?.(), live.probing?.() === true)
  const listed: ListedNames = live.listed ?? (() => undefined)
  const search = searchToolsTool(catalog, unlisted, listed)
  const describe = describeToolsTool(catalog, describedServers(config, upstream, live.toolset, live.invalid))
  const meta: ToolDef[] = [search, describe]
  if (expose !== "code") meta.push(callToolTool())
  if (expose !== "search") {
    meta.push(
      createRunCodeTool({
        limits: runCodeLimits(config.codeMode),
        // the same call as call_tool (scoped upstream: hooks, pins, filters, toolset, timeouts)
        // `script`: the server's questions during the call are the script's, which answers none
        // `meta`: the run_code request's `_meta`, forwarded on each call as a direct call's is (proxy/client-meta)
        call: (tool, args, signal, script, meta) => upstream.callTool(tool, args, { signal, notify: async () => {}, ...(script ? { script } : {}), ...(meta !== undefined ? { meta } : {}) }),
        search: async (query, limit) => {
          const cat = await catalog()
          await cat.searchReady?.()
          const names = listed()
          return cat.search(query, { limit }).map((h) => compactHit(h, cat.get(h.tool.name), names))
        },
        reachable: signedTools(upstream),
        refresh: async () => void (await catalog()),
        listing: (name) => underUnlisted(upstream, config, name),
        separator: () => (config.proxy.passthrough ? undefined : config.proxy.separator),
        ...(upstream.outsideScope ? { outsideScope: (name: string) => upstream.outsideScope!(name) } : {}),
        ...(upstream.notCallable ? { notCallable: (name: string) => upstream.notCallable!(name) } : {}),
        unlisted,
      }),
    )
  }
  return { upstream, expose, meta, toolkitTools: expose !== "code" }
}

const NO_TOOLS: readonly Tool[] = []

/** Each server's state and tool count (the whole status rows only where the upstream has no lighter read). */
function statesOf(upstream: Upstream): readonly ServerState[] {
  return upstream.serverStates?.() ?? upstream.status().servers
}

/** `name` is under a server of this connection that has no tools now (not listed yet: starting, not started, its tools/list not answered). */
function underUnlisted(upstream: Upstream, config: Config, name: string): boolean {
  if (config.proxy.passthrough) return false
  const sep = config.proxy.separator
  return statesOf(upstream).some((s) => s.tools === 0 && name.startsWith(s.name + sep))
}

/**
 * The servers of this connection (its toolset's, else all) that have no tools now (the Docker
 * Toolkit while it is being probed among them): down, retrying,
 * starting, waiting for a login, up with its tool list not answered yet. search_tools names them in its description (the list lacks their
 * tools) and when it finds nothing.
 */
function serversWithoutTools(upstream: Upstream, toolset: Toolset | undefined, probing: boolean): ServerWithoutTools[] {
  const inScope = toolset?.servers ? new Set(toolset.servers) : undefined
  const out: ServerWithoutTools[] = []
  // not a server yet: whether the Toolkit has enabled servers (its gateway, docker__ tools) is not
  // known, and a client such as Cursor keeps this list (before, it was not named at all)
  if (probing && (!inScope || inScope.has(GATEWAY_SERVER_NAME))) out.push({ name: "the Docker Toolkit", state: "probing" })
  for (const s of statesOf(upstream)) {
    // idle/closed: stopped on purpose (idle timeout) or never needed; a server that serves no tools
    // (prompts only) is one of those or ready: neither is down. Unless its tool list is not known
    // yet: a server up whose tools/list is slow (a remote, a second page) has 0 tools too, and the
    // list being answered lacks them
    if (s.tools > 0 || (inScope && !inScope.has(s.name))) continue
    const state = shownState(s)
    if (state === "ready" || state === "idle" || state === "closed") continue
    out.push({ name: s.name, state, ...(s.lastError ? { lastError: s.lastError } : {}), ...(s.state === "needs-auth" ? { remedy: `run \`${loginCommand(s.name)}\`` } : {}) })
  }
  return out
}

/**
 * The servers of this connection (its toolset's, else all) as describe_tools tells of them: each
 * one's state now, and the config entries with `disabled: true` (not started, so not in the status).
 */
function describedServers(config: Config, upstream: Upstream, toolset: (() => Toolset) | undefined, invalid?: () => readonly InvalidServer[] | undefined): DescribeServers {
  return {
    servers() {
      const only = toolset?.().servers
      const inScope = only ? new Set(only) : undefined
      const out: ServerNow[] = []
      for (const s of upstream.status().servers) {
        if (inScope && !inScope.has(s.name)) continue
        const dropped = s.dropped?.filter((d) => d.kind === "tool")
        out.push({ name: s.name, state: shownState(s), ...(s.lastError ? { lastError: s.lastError } : {}), ...(s.lastError && s.remedy ? { remedy: s.remedy } : {}), ...(dropped?.length ? { dropped } : {}) })
      }
      for (const [name, spec] of Object.entries({ ...config.mcpServers, ...config.servers })) if (spec.disabled === true && (!inScope || inScope.has(name))) out.push({ name, state: "disabled" })
      // an entry left out as invalid (and not kept running by a reload): its tools are asked of it with why
      for (const s of invalid?.() ?? []) {
        if (s.running || out.some((o) => o.name === s.name) || (inScope && !inScope.has(s.name))) continue
        out.push({ name: s.name, state: "invalid-config", lastError: `its config entry ${s.entry} (${s.source}) is invalid: ${invalidServerSummary(s)}`, remedy: s.remedy })
      }
      return out
    },
    separator: () => (config.proxy.passthrough ? undefined : config.proxy.separator),
    // within proxy.listWait, as a list waits for a server it waits for
    ...(upstream.awaitToolLists ? { awaitListed: (names: readonly string[]) => upstream.awaitToolLists!(names, config.proxy.listWait) } : {}),
    whyNot: (name) => {
      const outside = upstream.outsideScope?.(name)
      return outside !== undefined ? `tool ${name} ${outside}` : upstream.notCallable?.(name)
    },
  }
}

/**
 * The tools `upstream` lists now as run_code's description signs them: mapped once per list (the
 * proxy hands out the same array until its surface changes), so the description is not computed
 * again while nothing changed.
 */
type Signed = ReturnType<RunCodeDeps["reachable"]>[number]

function signedTools(upstream: Upstream): RunCodeDeps["reachable"] {
  let last: { from: readonly Tool[]; signed: ReturnType<RunCodeDeps["reachable"]> } | undefined
  // per definition object: a surface rebuilt for one server's change keeps the others' objects
  // (proxy/surface), so a change maps only its own tools, not 5 000 again
  const each = new WeakMap<Tool, Signed>()
  const signed = (t: Tool): Signed => {
    let s = each.get(t)
    if (s === undefined) each.set(t, (s = { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), inputSchema: t.inputSchema as Record<string, unknown> }))
    return s
  }
  return () => {
    const from = upstream.catalogNow?.().tools ?? NO_TOOLS
    if (last?.from !== from) last = { from, signed: from.map(signed) }
    return last.signed
  }
}
