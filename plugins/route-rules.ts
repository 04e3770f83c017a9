/**
 * Example plugin: routing rules. Tool aliases, a deny list, and default arguments; the `tools`
 * hook hides denied tools from the list so the model does not try them.
 */
import type { Plugin, RouteCall, Tool } from "./types"

/** Short names a model may use for common tools (any server). */
const ALIASES: Record<string, string> = {
  sum: "get-sum",
  say: "echo",
  cat: "read_text_file",
  ls: "list_directory",
}

/** Tools nobody should call through the orchestrator, with the reason shown to the client. */
function denyReason(call: RouteCall): string | undefined {
  if (call.tool === "get-env") return "get-env prints the server's environment, which may hold secrets"
  if (call.tool.startsWith("delete_")) return `destructive tool ${call.tool} is disabled by policy`
  return undefined
}

/** Arguments filled in when the caller leaves them out. */
const DEFAULTS: Record<string, Record<string, number>> = {
  read_text_file: { head: 200 },
  "trigger-long-running-operation": { duration: 1, steps: 2 },
}

const plugin: Plugin = {
  name: "route-rules",
  version: "1.0.0",
  route(call) {
    const tool = ALIASES[call.tool] ?? call.tool
    const reason = denyReason({ ...call, tool })
    if (reason) return { deny: reason }
    const defaults = DEFAULTS[tool]
    const needsDefaults = defaults !== undefined && Object.keys(defaults).some((k) => !(k in call.args))
    if (tool === call.tool && !needsDefaults) return undefined
    return { tool, args: needsDefaults ? { ...defaults, ...call.args } : call.args }
  },
  tools(tools: Tool[]) {
    return tools.filter((t) => {
      const bare = t.name.includes("__") ? t.name.slice(t.name.indexOf("__") + 2) : t.name
      return denyReason({ server: "", tool: bare, args: {} }) === undefined
    })
  },
}

export default plugin
