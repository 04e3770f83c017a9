/**
 * @module mcp/tools/example-tool
 * The tool an answer's example names (an argument error of call_tool, describe_tools, run_code):
 * one this connection can reach now, never a fixed name such as `memory__read_graph` (a model
 * shown a tool calls it, and a session without that server then fails on it). Preferred: a tool
 * marked read-only (a model may run the example as written: never one that deletes), then one that
 * needs no arguments (the example's `{}` then works). With no tool reachable, a placeholder that no
 * model takes for a tool.
 */
import type { Tool } from "../../proxy/index.ts"

/** What an example names when no tool is reachable. */
export const PLACEHOLDER_TOOL = "<server>__<tool>"

export function exampleTool(tools: readonly Tool[] | undefined): string {
  let best: Tool | undefined
  let bestRank = Infinity
  for (const t of tools ?? []) {
    const rank = rankOf(t)
    if (rank < bestRank) [best, bestRank] = [t, rank]
    if (rank === 0) break
  }
  return best?.name ?? PLACEHOLDER_TOOL
}

/** 0 best: read-only first, then no required arguments. */
function rankOf(t: Tool): number {
  const required = (t.inputSchema as { required?: unknown } | undefined)?.required
  return (t.annotations?.readOnlyHint === true ? 0 : 2) + (Array.isArray(required) && required.length > 0 ? 1 : 0)
}
