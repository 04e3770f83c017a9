/**
 * @module app/surface-tools
 * What one client connection sees (`proxy.expose`, `toolsets`, `serve --toolset`): the upstream
 * scoped to its toolset, and its own tools by expose mode —
 * - all: orchestrator_status, the Toolkit tools, search_tools, describe_tools, call_tool, run_code
 *   (and every proxied tool, listed by the face);
 * - search: orchestrator_status, the Toolkit tools, search_tools, describe_tools, call_tool;
 * - code: orchestrator_status, search_tools, describe_tools, run_code.
 */
import type { Config } from "../config/index.ts"
import type { ToolDef } from "../mcp/index.ts"
import { scopeUpstream, type Proxy, type ToolCatalog, type Upstream } from "../proxy/index.ts"
import { callToolTool, compactHit, createRunCodeTool, describeToolsTool, runCodeLimits, searchToolsTool } from "../mcp/index.ts"

export type ExposeMode = "all" | "search" | "code"

export interface Surface {
  upstream: Upstream
  expose: ExposeMode
  /** The meta-tools of this mode, in list order (after orchestrator_status and the Toolkit tools). */
  meta: ToolDef[]
  /** The Toolkit management tools are listed in this mode. */
  toolkitTools: boolean
}

/** The surface of toolset `name` (undefined = the whole fleet, `config.toolset` applied by the caller). */
export function buildSurface(config: Config, proxy: Proxy, name: string | undefined): Surface {
  const toolset = name === undefined ? undefined : config.toolsets[name]
  if (name !== undefined && !toolset) throw new Error(`unknown toolset ${name}`)
  const upstream: Upstream = toolset ? scopeUpstream(proxy, { name: name!, toolset, separator: config.proxy.separator }) : proxy
  const expose: ExposeMode = toolset?.expose ?? config.proxy.expose
  const catalog = (): Promise<ToolCatalog> => upstream.catalog!()
  const search = searchToolsTool(catalog)
  const describe = describeToolsTool(catalog)
  const meta: ToolDef[] = [search, describe]
  if (expose !== "code") meta.push(callToolTool())
  if (expose !== "search") {
    meta.push(
      createRunCodeTool({
        limits: runCodeLimits(config.codeMode),
        // the same call as call_tool (scoped upstream: hooks, pins, filters, toolset, timeouts)
        call: (tool, args, signal) => upstream.callTool(tool, args, { signal, notify: async () => {} }),
        search: async (query, limit) => {
          const cat = await catalog()
          return cat.search(query, { limit }).map((h) => compactHit(h, cat.get(h.tool.name)))
        },
        reachable: () => (upstream.catalogNow?.().tools ?? []).map((t) => ({ name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), inputSchema: t.inputSchema as Record<string, unknown> })),
      }),
    )
  }
  return { upstream, expose, meta, toolkitTools: expose !== "code" }
}
