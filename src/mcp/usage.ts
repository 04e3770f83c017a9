/**
 * @module mcp/usage
 * Argument *shape* for the tool-usage log: keys and value types, never values (they may hold secrets).
 */
export function describeArgs(args: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!args) return undefined
  const out: Record<string, string> = {}
  let n = 0
  for (const k in args) {
    if (++n > 32) {
      out["…"] = "more"
      break
    }
    const v = args[k]
    out[k] = v === null ? "null" : Array.isArray(v) ? `array(${v.length})` : typeof v === "string" ? `string(${v.length})` : typeof v
  }
  return out
}
