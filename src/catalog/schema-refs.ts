/**
 * @module catalog/schema-refs
 * Local `$ref`s of a schema document: what a fragment reference points at, and whether a chain of
 * references loops without a schema between (`{"x":{"$ref":"#/properties/x"}}`, `A → B → A` in
 * `$defs`). Ajv follows a reference to a schema that holds nothing but another reference, so such a
 * loop throws "Maximum call stack size exceeded" in every client that compiles the schema (editors
 * with Ajv drop the server's tools; the SDK Client's `listTools()` throws for an `outputSchema`).
 */
import { isRecord as isObj } from "../core/index.ts"

type Obj = Record<string, unknown>

/** A JSON pointer segment as written in a fragment (`~1` is `/`, `~0` is `~`). */
export const decode = (seg: string): string => seg.replace(/~1/g, "/").replace(/~0/g, "~")

/** The value at a JSON pointer's segments, or undefined. */
export function at(root: unknown, segs: readonly string[]): unknown {
  let cur: unknown = root
  for (const s of segs) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(s) ? cur[Number(s)] : undefined
    else if (isObj(cur)) cur = Object.prototype.hasOwnProperty.call(cur, s) ? cur[s] : undefined
    else return undefined
  }
  return cur
}

/** What a fragment `$ref` (`#`, `#/a/b`) points at in `root`; undefined for one that is not a pointer or points at nothing. */
export function pointerTarget(root: Obj, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined
  const frag = ref.slice(1)
  if (frag === "") return root
  if (!frag.startsWith("/")) return undefined
  try {
    return at(root, frag.slice(1).split("/").map((s) => decode(decodeURIComponent(s))))
  } catch {
    return undefined
  }
}

/** Keywords that are no rule: a schema with only these beside its `$ref` is that reference and nothing more (Ajv follows it). */
const NO_RULE = new Set(["$ref", "description", "title", "$comment", "default", "examples", "$defs", "definitions", "$schema", "$anchor", "deprecated", "readOnly", "writeOnly"])

/**
 * Whether following `ref` through schemas that are only references comes back to one already
 * followed (a loop no engine can compile). `anchors`: the document's `$anchor` names and their schemas.
 */
export function refLoops(root: Obj, ref: string, anchors: ReadonlyMap<string, Obj>): boolean {
  const followed = new Set<unknown>()
  let target: unknown = target0(root, ref, anchors)
  while (isObj(target) && typeof target.$ref === "string" && Object.keys(target).every((k) => NO_RULE.has(k))) {
    if (followed.has(target)) return true
    followed.add(target)
    target = target0(root, target.$ref, anchors)
  }
  return false
}

function target0(root: Obj, ref: string, anchors: ReadonlyMap<string, Obj>): unknown {
  return ref.startsWith("#") && ref.length > 1 && !ref.startsWith("#/") ? anchors.get(ref.slice(1)) : pointerTarget(root, ref)
}
