/**
 * @module proxy/app-only
 * MCP Apps (extension `io.modelcontextprotocol/ui`): a tool whose `_meta.ui.visibility` leaves out
 * `"model"` (e.g. `["app"]`) is one only the server's own view (an iframe the host renders) may call,
 * and a host must keep it from the model. Downstream sessions are shared by every client behind us,
 * and search_tools, describe_tools, call_tool and run_code are model surfaces: such a tool is never
 * in them. A client that declares the extension (an App host: `capabilities.extensions[UI]` at
 * initialize, or a 2026-07-28 request's `clientCapabilities`) gets them in tools/list (namespaced,
 * their `_meta.ui` kept: the host keeps them from its model) and may call them; any other client is
 * refused their calls, saying why. Tools visible to the model (no visibility, or one naming "model")
 * are listed to every client with their `_meta.ui`.
 */
import type { CallContext, Tool } from "./types.ts"

export const APPS_EXTENSION = "io.modelcontextprotocol/ui"

/** Is `t` a tool only an App's view may call? An empty or absent visibility means both (the extension's default). */
export function isAppOnly(t: Tool | undefined): boolean {
  const ui = (t?._meta as { ui?: unknown } | undefined)?.ui
  const v = typeof ui === "object" && ui !== null ? (ui as { visibility?: unknown }).visibility : undefined
  return Array.isArray(v) && v.length > 0 && !v.includes("model")
}

/** The tool's `_meta.ui.visibility` (for the words of a refusal). */
export function visibilityOf(t: Tool): unknown {
  return ((t._meta as { ui?: { visibility?: unknown } } | undefined)?.ui ?? {}).visibility
}

/** Do these client capabilities (either era's shape) declare MCP Apps? */
export function declaresApps(caps: unknown): boolean {
  const ext = typeof caps === "object" && caps !== null ? (caps as { extensions?: unknown }).extensions : undefined
  return typeof ext === "object" && ext !== null && (ext as Record<string, unknown>)[APPS_EXTENSION] !== undefined
}

/**
 * Is this call an App host's own (its views may call app-only tools, and by their server's bare
 * name)? Not one a model makes through our meta-tools (call_tool, run_code), whatever the client declared.
 */
export function appHostCall(ctx: CallContext): boolean {
  if (ctx.modelSurface === true || ctx.script !== undefined) return false
  return declaresApps(ctx.modern !== undefined ? ctx.modern.clientCapabilities : ctx.client?.capabilities())
}

/** Why a call of an app-only tool is refused (the filter's words in `tool X is hidden by …`). */
export function appOnlyWhy(visibility: unknown): string {
  return `its server's MCP Apps visibility (_meta.ui.visibility ${JSON.stringify(visibility)}: a tool only the server's own App view may call, never a model; mcp-orchestrator lists such tools and takes their calls only from a client that declares the MCP Apps extension (capabilities.extensions["${APPS_EXTENSION}"]), never through call_tool, search_tools or run_code). Call a tool the server lists for the model instead`
}

/** Why a bare (un-namespaced) name is refused: several servers have it, and a guess could call another server's tool. */
export function ambiguousBareName(name: string, exposed: readonly string[]): string {
  return `tool ${name} is not a name mcp-orchestrator lists; as a server's own tool name (an MCP App view calls its server's tools so) it is offered by ${exposed.length} servers, and a bare name is routed only when exactly one server has it (never guessed: another server's tool could run). Call it by its namespaced name: ${exposed.join(" or ")}`
}
