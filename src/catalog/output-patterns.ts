/**
 * @module catalog/output-patterns
 * The regular expressions of a tool's `outputSchema` (`pattern`, `patternProperties`) are not passed
 * to clients. The SDK `Client.callTool` (v1 and v2) validates every result's `structuredContent`
 * against the listed `outputSchema` and throws on a mismatch: the model gets no result at all, only
 * the client's error. The orchestrator checks each result first and turns a mismatch into a tool
 * error (proxy/output-check.ts), but it cannot run a downstream's regular expression (one
 * catastrophic pattern, `(a+)+$`, with a matching value stalls every session of the process, and in
 * the client it stalls the editor). So a schema with patterns went unchecked here, and any mismatch
 * in it (a wrong type, a missing field, not only the pattern) made the client's call throw. Without
 * its patterns, the schema the client is given is exactly the one checked here: a result either
 * passes both or is a tool error naming what was wrong. Only output constraints nobody but the
 * client's check reads are lost (no model reads `outputSchema`); the pins keep the server's own.
 * Walked as schema-compile.ts reads a schema: data keywords (`enum`, `const`, `default`, …) and
 * property names are never touched (a property named `pattern` stays). Bounded by MAX_NESTING: the
 * definition was measured before it reaches here.
 */
import { isRecord as isObj } from "../core/index.ts"
import { DATA, SCHEMA_MAPS } from "./schema-compile.ts"
import { setOwn } from "./schema-normalize.ts"

type Obj = Record<string, unknown>

/** Whether `schema` holds a `pattern` or `patternProperties` keyword at a schema position. */
export function hasPatterns(schema: Obj): boolean {
  return withoutPatterns(schema) !== schema
}

/**
 * `schema` without its `pattern` and `patternProperties` keywords (the same object when it has
 * none). Where `patternProperties` goes, so do `additionalProperties` and every
 * `unevaluatedProperties` of the schema: they would otherwise refuse the properties the patterns
 * allowed. Only ever loosens what the schema accepts.
 */
export function withoutPatterns(schema: Obj): Obj {
  const state = { patternProperties: false }
  const out = strip(schema, state, false)
  return state.patternProperties ? strip(out, state, true) : out
}

function strip(node: Obj, state: { patternProperties: boolean }, unevaluated: boolean): Obj {
  let copy: Obj | undefined
  const edit = (): Obj => (copy ??= { ...node })
  for (const [k, v] of Object.entries(node)) {
    if (k === "pattern" && typeof v === "string") delete edit().pattern
    else if (k === "patternProperties") {
      state.patternProperties = true
      delete edit().patternProperties
      delete edit().additionalProperties
    } else if (unevaluated && k === "unevaluatedProperties") delete edit().unevaluatedProperties
    else if (DATA.has(k) || (k === "additionalProperties" && Object.hasOwn(node, "patternProperties"))) continue
    else if (SCHEMA_MAPS.has(k) && isObj(v)) {
      let map: Obj | undefined
      for (const [name, sub] of Object.entries(v)) {
        if (!isObj(sub)) continue
        const s = strip(sub, state, unevaluated)
        if (s !== sub) setOwn((map ??= { ...v }), name, s)
      }
      if (map) setOwn(edit(), k, map)
    } else if (Array.isArray(v)) {
      let list: unknown[] | undefined
      v.forEach((sub, i) => {
        if (!isObj(sub)) return
        const s = strip(sub, state, unevaluated)
        if (s !== sub) (list ??= [...v])[i] = s
      })
      if (list) setOwn(edit(), k, list)
    } else if (isObj(v)) {
      const s = strip(v, state, unevaluated)
      if (s !== v) setOwn(edit(), k, s)
    }
  }
  return copy ?? node
}
