/**
 * @module proxy/hook-input
 * What a plugin's `tools` hook gets and what a masked name in its answer means. The hook gets the
 * tool list as the model would see it (list answers are redacted at the face): a configured value
 * a downstream put in a tool's name, description or schema reads `[REDACTED]`, so plugin code never
 * holds the value and cannot re-encode it (reversed, hex, split) past the output redaction. A name
 * the hook lists masked (kept as it came, or re-described) stands for the listed tool it was masked
 * from, as a client's call of a masked name does (proxy/masked-uri); one that stands for several
 * (two keys) or none stays as it is, and is left out as any name no server lists (proxy/hook-tools).
 * A `route` hook likewise gets the called tool's name masked, and a masked tool name it routes to
 * means that server's tool it was masked from.
 */
import { REDACTED, redactListResult, redactValuesChecked } from "../core/index.ts"
import { unmasked } from "./masked-uri.ts"
import type { Tool } from "./types.ts"

/** The tools as the model would see them (a fresh array: the hook may sort it; definitions memoised per object by core/redact). */
export function hookInput(tools: readonly Tool[]): Tool[] {
  return [...redactListResult({ tools: tools as Tool[] }).tools]
}

/** `tools` (a hook's answer) with each masked name that stands for one listed name given that name; the same array when none does. */
export function unmaskedNames(tools: Tool[], listed: Iterable<string>): Tool[] {
  let out: Tool[] | undefined
  let names: string[] | undefined
  for (let i = 0; i < tools.length; i++) {
    const t = tools[i]!
    if (typeof t?.name !== "string" || !t.name.includes(REDACTED)) continue
    names ??= [...listed]
    const real = unmasked(t.name, names)
    if (real === t.name) continue
    ;(out ??= tools.slice())[i] = { ...t, name: real }
  }
  return out ?? tools
}

/** A tool's name as a route hook gets it: as the client was shown it (configured values and token shapes masked). */
export function routeHookName(tool: string): string {
  return redactValuesChecked(tool)
}
