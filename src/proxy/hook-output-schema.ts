/**
 * @module proxy/hook-output-schema
 * What `outputSchema` a tool a plugin's `tools` hook lists may carry. A client checks every result
 * of a tool against the `outputSchema` it was listed with (the SDK `Client.callTool`, v1 and v2,
 * throws when the structured output is missing or does not match), but a hook cannot change what a
 * server answers: a hook that added one to `echo` (or changed one) made every call of that tool
 * throw in the client, the model getting nothing. So an entry named as a server's tool is listed
 * with that tool's own `outputSchema` (the one the proxy checks its results against:
 * proxy/output-check), and one a hook made up (a rename its route hook maps back) keeps only a
 * schema some server's tool declares (copied from the tool it renames), else none. Removing one is
 * always safe: a client checks nothing then.
 */
import type { Tool } from "./types.ts"

export interface OutputSchemaEnv {
  /** The exposed name is a server's tool. */
  routed(name: string): boolean
  /** The `outputSchema` a server's tool (by exposed name) is listed with without the hook; undefined: none. */
  outputSchemaOf(name: string): unknown
  /** Every `outputSchema` the servers' tools declare. */
  outputSchemas(): Iterable<unknown>
}

export interface OutputSchemaFix {
  tool: Tool
  /** Why the entry's schema was replaced or removed, for the warning. */
  why: string
}

/** `tools` with each entry's `outputSchema` one its results can match; `fixed` lists what changed (the same array when nothing did). */
export function hookOutputSchemas(tools: Tool[], env: OutputSchemaEnv): { tools: Tool[]; fixed: OutputSchemaFix[] } {
  let out: Tool[] | undefined
  const fixed: OutputSchemaFix[] = []
  let declared: unknown[] | undefined
  for (let i = 0; i < tools.length; i++) {
    const t = tools[i]!
    if (t.outputSchema === undefined) continue
    let next: Tool | undefined
    if (env.routed(t.name)) {
      const own = env.outputSchemaOf(t.name)
      if (sameJson(t.outputSchema, own)) continue
      next = own === undefined ? withoutOutputSchema(t) : { ...t, outputSchema: own as Tool["outputSchema"] }
      fixed.push({ tool: next, why: own === undefined ? "its server's tool declares no outputSchema: listed without one" : "it differs from the outputSchema of its server's tool: listed with the server's" })
    } else {
      declared ??= [...env.outputSchemas()]
      if (declared.some((s) => sameJson(t.outputSchema, s))) continue
      next = withoutOutputSchema(t)
      fixed.push({ tool: next, why: "no server's tool declares that outputSchema (a call of it reaches a server's tool, whose results would not match it): listed without one" })
    }
    ;(out ??= tools.slice())[i] = next
  }
  return { tools: out ?? tools, fixed }
}

function withoutOutputSchema(t: Tool): Tool {
  const { outputSchema: _, ...rest } = t
  return rest as Tool
}

/** The same JSON value (object keys in any order; an undefined member is no member). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined)
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(bo, k) && sameJson(ao[k], bo[k]))
}
