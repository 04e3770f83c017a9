/**
 * @module proxy/hook-preview
 * What `serve` makes of a plugin tools hook's list, for `plugins test --hook tools`: the same checks
 * (proxy/hook-tools: own names and names no server has left out, outputSchema and taskSupport
 * refused, invalid definitions repaired or left out, hidden characters cleaned or withheld), with
 * the list the hook was given standing for the servers' tools. Without it an author saw "ok" and
 * then serve dropped or repaired the result, saying so only in the server's log.
 */
import type { Logger, LogFields } from "../core/index.ts"
import type { SanitizeOptions } from "../catalog/index.ts"
import { HookedTools } from "./hook-tools.ts"
import type { Tool } from "./types.ts"

export interface HookPreviewOptions {
  /** The orchestrator's own tool names (a hook may not list them). */
  reserved: Iterable<string>
  /** The plugin has a route hook (a new name it lists may be mapped back to a server's tool). */
  rerouted: boolean
  /** `proxy.sanitize` on: its options. */
  sanitize?: SanitizeOptions
  /** `proxy.portableSchemas`. */
  portable?: boolean
}

/** One thing serve would do to the hook's list: the warning it logs, the tool and why. */
export interface HookPreviewNote {
  msg: string
  fields: Record<string, unknown>
}

/** `out` (the hook's result for `given`) as serve would list it, and what serve would log about it. */
export function previewHookTools(out: Tool[], given: readonly Tool[], o: HookPreviewOptions): { tools: Tool[]; notes: HookPreviewNote[] } {
  const notes: HookPreviewNote[] = []
  const byName = new Map(given.map((t) => [t.name, t]))
  const tools = new HookedTools(noteLogger(notes)).check(out, {
    reserved: new Set(o.reserved),
    rerouted: o.rerouted,
    routed: (name) => byName.has(name),
    outputSchemaOf: (name) => byName.get(name)?.outputSchema,
    outputSchemas: () => given.flatMap((t) => (t.outputSchema === undefined ? [] : [t.outputSchema])),
    ...(o.sanitize ? { sanitize: o.sanitize } : {}),
    ...(o.portable ? { portable: true } : {}),
  })
  return { tools, notes }
}

/** A logger keeping the warnings (the checks warn; nothing else is said). */
function noteLogger(notes: HookPreviewNote[]): Logger {
  const keep = (msg: string, fields?: LogFields): void => void notes.push({ msg, fields: typeof fields === "function" ? fields() : (fields ?? {}) })
  const log: Logger = { debug: () => {}, info: () => {}, warn: keep, error: keep, child: () => log, isEnabled: () => true }
  return log
}
