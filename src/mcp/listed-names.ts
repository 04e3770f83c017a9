/**
 * @module mcp/listed-names
 * The tool names of a tools/list answer given from the last run's snapshot (its tools, or the
 * UTF-8 JSON `{"tools":[…]}` as stored): what a client that keeps its first answer (Cursor) has in
 * its list. Parsed only when asked (orchestrator_status, search_tools), once.
 */
import type { Tool } from "../proxy/index.ts"

export function snapshotNames(snap: readonly Tool[] | Uint8Array): ReadonlySet<string> {
  let tools: unknown
  try {
    tools = Array.isArray(snap) ? snap : (JSON.parse(new TextDecoder().decode(snap as Uint8Array)) as { tools?: unknown }).tools
  } catch {
    return new Set()
  }
  const names = new Set<string>()
  if (!Array.isArray(tools)) return names
  for (const t of tools) if (typeof t === "object" && t !== null && typeof (t as { name?: unknown }).name === "string") names.add((t as { name: string }).name)
  return names
}
