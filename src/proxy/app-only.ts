/**
 * @module proxy/app-only
 * MCP Apps (extension `io.modelcontextprotocol/ui`): a tool whose `_meta.ui.visibility` leaves out
 * `"model"` (e.g. `["app"]`) is one only the server's own view (an iframe the host renders) may call,
 * and a host must keep it from the model. Downstream sessions are shared by every client behind us,
 * and our list, search_tools, describe_tools and run_code are model surfaces: such a tool is left out
 * of all of them (and a call of it is refused, saying why). Tools visible to the model (no
 * visibility, or one naming "model") stay, with their `_meta.ui` (the view a host that renders Apps
 * shows; any other client reads the result's text, which the extension requires servers to give).
 */
import type { Tool } from "./types.ts"

/** Is `t` a tool only an App's view may call? An empty or absent visibility means both (the extension's default). */
export function isAppOnly(t: Tool | undefined): boolean {
  const ui = (t?._meta as { ui?: unknown } | undefined)?.ui
  const v = typeof ui === "object" && ui !== null ? (ui as { visibility?: unknown }).visibility : undefined
  return Array.isArray(v) && v.length > 0 && !v.includes("model")
}

/** Why a call of an app-only tool is refused (the filter's words in `tool X is hidden by …`). */
export function appOnlyWhy(visibility: unknown): string {
  return `its server's MCP Apps visibility (_meta.ui.visibility ${JSON.stringify(visibility)}: a tool only the server's own App view may call, never a model; mcp-orchestrator leaves such tools out of every list and refuses their calls). Call a tool the server lists for the model instead`
}
