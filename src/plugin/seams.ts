/**
 * @module plugin/seams
 * How other layers consume a PluginHost without knowing it: proxy hooks that read as undefined
 * while no plugin provides them, and a parser registry kept in step with the plugins.
 */
import { PARSER_KINDS, type ParserContext, type ParserKind, type RouteCall, type RouteDecision, type ToolLike } from "./contract.ts"
import type { PluginHost } from "./host.ts"

/** The proxy's hook seam (`ProxyHooks`), as getters: undefined while no active plugin has the hook. */
export interface PluginProxyHooks {
  readonly route: ((call: RouteCall) => Promise<RouteDecision>) | undefined
  readonly filterTools: (<T extends ToolLike>(tools: T[]) => Promise<T[]>) | undefined
}

/** What `bindParserRegistry` drives (structurally the Toolkit driver's ParserRegistry). */
export interface ParserTarget {
  setOverride(kind: ParserKind, fn: (text: string, ctx: ParserContext) => unknown, owner: string): void
  clearOverride(kind: ParserKind): void
}

/**
 * Proxy hooks for a host that may not exist yet (it loads in the background after `initialize`):
 * undefined until `get()` returns a host with the hook; they follow hot reloads.
 */
export function lazyProxyHooks(get: () => PluginHost | undefined): PluginProxyHooks {
  const route = (call: RouteCall): Promise<RouteDecision> => get()?.route(call) ?? Promise.resolve(undefined)
  const filterTools = <T extends ToolLike>(tools: T[]): Promise<T[]> => get()?.filterTools(tools) ?? Promise.resolve(tools)
  return {
    get route() {
      return get()?.hasRoute ? route : undefined
    },
    get filterTools() {
      return get()?.hasToolsFilter ? filterTools : undefined
    },
  }
}

/**
 * Install the host's parser overrides into `target` now and after every change, clearing the
 * ones that went away. Returns a function that stops following and clears what it installed.
 */
export function bindParserRegistry(host: PluginHost, target: ParserTarget): () => void {
  const installed = new Set<ParserKind>()
  const sync = (): void => {
    for (const kind of PARSER_KINDS) {
      const ov = host.parserOverride(kind)
      if (ov) {
        // the async variant: the plugin parses in its sandbox's worker, this thread is not blocked
        target.setOverride(kind, ov.parseAsync, ov.owner)
        installed.add(kind)
      } else if (installed.delete(kind)) target.clearOverride(kind)
    }
  }
  sync()
  const off = host.onChange((e) => {
    if (e.parsers) sync()
  })
  return () => {
    off()
    for (const kind of installed) target.clearOverride(kind)
    installed.clear()
  }
}
