/**
 * @module proxy/hook-served
 * The parts of a tool definition a client acts on as a promise about the server's answers, in the
 * entries of a plugin's `tools` hook. A hook shapes what the model reads (names, descriptions,
 * which tools), but it cannot change what a server answers nor how a call is served, so:
 *
 * - `outputSchema`: a client checks every result of a tool against the one it was listed with (the
 *   SDK `Client.callTool`, v1 and v2, throws when the structured output is missing or does not
 *   match). A hook that added one to `echo` (or changed one) made every call of that tool throw in
 *   the client, the model getting nothing. An entry named as a server's tool is listed with that
 *   tool's own (the one the proxy checks its results against: proxy/output-check); one a hook made
 *   up (a rename its route hook maps back) keeps only a schema some server's tool declares (copied
 *   from the tool it renames), else none. Removing one is always safe: a client checks nothing then.
 * - `execution.taskSupport: "required"`: the SDK client refuses a plain call of such a tool, and the
 *   orchestrator declares no tasks to its clients (it runs a server's task itself: proxy/task-call),
 *   so it is left out, as it is of a server's definition.
 */
import { exposedTaskTool } from "./task-call.ts"
import type { Tool } from "./types.ts"

export interface ServedEnv {
  /** The exposed name is a server's tool. */
  routed(name: string): boolean
  /** The `outputSchema` a server's tool (by exposed name) is listed with without the hook; undefined: none. */
  outputSchemaOf(name: string): unknown
  /** Every `outputSchema` the servers' tools declare. */
  outputSchemas(): Iterable<unknown>
}

export interface ServedFix {
  tool: Tool
  /** Why the entry's schema was replaced or removed, for the warning. */
  why: string
}

/** `tools` with each entry's served parts ones its calls can keep; `fixed` lists what changed (the same array when nothing did). */
export function hookServed(tools: Tool[], env: ServedEnv): { tools: Tool[]; fixed: ServedFix[] } {
  let out: Tool[] | undefined
  const fixed: ServedFix[] = []
  let declared: unknown[] | undefined
  for (let i = 0; i < tools.length; i++) {
    const t = tools[i]!
    let next = t
    if (t.outputSchema !== undefined) {
      if (env.routed(t.name)) {
        const own = env.outputSchemaOf(t.name)
        if (!sameJson(t.outputSchema, own)) {
          next = own === undefined ? withoutOutputSchema(t) : { ...t, outputSchema: own as Tool["outputSchema"] }
          fixed.push({ tool: next, why: own === undefined ? "its outputSchema: its server's tool declares none (clients would reject every result): listed without one" : "its outputSchema differs from its server's tool's (clients would reject the results): listed with the server's" })
        }
      } else {
        declared ??= [...env.outputSchemas()]
        if (!declared.some((s) => sameJson(t.outputSchema, s))) {
          next = withoutOutputSchema(t)
          fixed.push({ tool: next, why: "its outputSchema: no server's tool declares it (a call of it reaches a server's tool, whose results would not match it): listed without one" })
        }
      }
    }
    const plain = exposedTaskTool(next)
    if (plain !== next) {
      next = plain
      fixed.push({ tool: next, why: 'execution.taskSupport "required": the orchestrator serves every tool as a plain call (clients would refuse to make one): listed without it' })
    }
    if (next !== t) (out ??= tools.slice())[i] = next
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
