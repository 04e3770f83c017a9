/**
 * @module catalog/portable-schema
 * A tool's `inputSchema` in the subset of JSON Schema every model API takes (`proxy.portableSchemas`,
 * on by default). Clients hand the aggregated `tools/list` to the model provider as it is, and a
 * provider refuses the whole request for one schema it does not read: every tool of every server is
 * gone for the user. Gemini refuses `propertyNames` (zod 4's `z.record`, so every SDK v2 server with a
 * record argument), `$ref`/`$defs` (pydantic's nested models, zod-to-json-schema's reused parts), a
 * top-level `anyOf`/`oneOf`/`allOf`, and `const`.
 *
 * What changes, only ever loosening or keeping what the schema accepts (the server still checks its
 * own arguments, and calls are forwarded with the arguments unchanged):
 * - every `$ref` within the document (`#/$defs/x`, `#/properties/a`, `#`, `#anchor`) is replaced by
 *   what it points to (its sibling keywords kept over the target's); a `$ref` to a definition already
 *   being inlined (recursion), past `MAX_INLINE_DEPTH` schema levels, or once the schema has grown by
 *   `MAX_INLINED_NODES` objects, is cut to a permissive schema of the target's `type` (and its
 *   `description`); a `$ref` that resolves to nothing here, `$dynamicRef` and `$recursiveRef` are
 *   removed (that place accepts anything);
 * - `$defs`, `definitions`, `$anchor`, `$dynamicAnchor` and `propertyNames` are removed;
 * - `const: v` becomes `enum: [v]` (the same constraint);
 * - a `required` name its schema's `properties` does not define is removed, at every level (Gemini
 *   refuses the request: "required[0]: property is not defined");
 * - a top-level `allOf`/`anyOf`/`oneOf` is merged into the root: the variants' properties become the
 *   root's (a name given different schemas by two variants: their `anyOf`), `required` keeps the names
 *   every alternative requires, and the root's description says which alternatives there are.
 * A schema with none of these keywords is returned as the same object (most: server-everything's are
 * unchanged). `outputSchema` is left as it is (no model reads it; clients check results against it).
 */
import { isRecord as isObj } from "../core/index.ts"
import { SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_ONE } from "./schema-compile.ts"
import { setOwn } from "./schema-normalize.ts"

type Obj = Record<string, unknown>

/** Schema levels below which a `$ref` is still inlined (each is about two JSON levels; catalog/validate reads at most 128). */
export const MAX_INLINE_DEPTH = 24
/** Objects inlining may add to one schema before further `$ref`s are cut (a `$defs` entry used many times, many times over). */
export const MAX_INLINED_NODES = 5000

/** Keys that mark a schema for rewriting (anywhere: a property with such a name only costs a copy). */
const MARKERS = new Set(["$ref", "$defs", "definitions", "propertyNames", "const", "$dynamicRef", "$recursiveRef", "$anchor", "$dynamicAnchor"])
const ROOT_LISTS = ["allOf", "anyOf", "oneOf"] as const
/** Keywords removed at every level once references are inlined. */
const REMOVED = new Set(["$defs", "definitions", "$anchor", "$dynamicAnchor", "propertyNames", "$dynamicRef", "$recursiveRef"])

/** `schema` as every model API reads it (the same object when nothing had to change); `notes` says what changed. */
export function portableSchema(schema: Obj, notes: string[] = []): Obj {
  if (!needsRewrite(schema)) return schema
  const w: Walk = { root: schema, anchors: anchorsOf(schema), notes, added: 0, noted: new Set() }
  // the root is being inlined from the start: a `$ref` to it is recursion
  const out = flattenRoot(convert(schema, w, 0, new Set(["#", "#/"])) as Obj, w)
  definedRequired(out, w)
  return out
}

/** A `required` naming something its schema's `properties` does not define (Gemini: "required[0]: property is not defined"). */
function undefinedRequired(s: Obj): boolean {
  if (!Array.isArray(s.required)) return false
  const props = s.properties
  return s.required.some((n) => typeof n !== "string" || !isObj(props) || !Object.hasOwn(props, n))
}

/**
 * Drops, at every level of a converted schema (fresh objects: edited in place), the `required` names
 * its `properties` does not define: valid JSON Schema (the server checks them), but Gemini refuses
 * the whole request for one. After the root is flattened, so the variants' names are read first.
 */
function definedRequired(root: Obj, w: Walk): void {
  const stack: Obj[] = [root]
  while (stack.length > 0) {
    const s = stack.pop()!
    if (undefinedRequired(s)) {
      const props = isObj(s.properties) ? s.properties : {}
      const kept = (s.required as unknown[]).filter((n): n is string => typeof n === "string" && Object.hasOwn(props, n))
      if (kept.length > 0) s.required = kept
      else delete s.required
      note(w, "required names without a property removed")
    }
    for (const [k, v] of Object.entries(s)) {
      if (SCHEMA_MAPS.has(k) && isObj(v)) {
        for (const sub of Object.values(v)) if (isObj(sub)) stack.push(sub)
      } else if (SCHEMA_LISTS.has(k) && Array.isArray(v)) {
        for (const sub of v) if (isObj(sub)) stack.push(sub)
      } else if (SCHEMA_ONE.has(k) && isObj(v)) stack.push(v)
    }
  }
}

function needsRewrite(schema: Obj): boolean {
  if (ROOT_LISTS.some((k) => schema[k] !== undefined)) return true
  const stack: unknown[] = [schema]
  while (stack.length > 0) {
    const x = stack.pop()
    if (x === null || typeof x !== "object") continue
    for (const [k, v] of Object.entries(x)) {
      if (!Array.isArray(x) && MARKERS.has(k)) return true
      if (k === "required" && !Array.isArray(x) && undefinedRequired(x as Obj)) return true
      if (v !== null && typeof v === "object") stack.push(v)
    }
  }
  return false
}

interface Walk {
  root: Obj
  anchors: Map<string, Obj>
  notes: string[]
  /** Objects added by inlining so far. */
  added: number
  noted: Set<string>
}

function note(w: Walk, s: string): void {
  if (w.noted.has(s) || w.noted.size >= 20) return
  w.noted.add(s)
  w.notes.push(s)
}

/** `$anchor` name → its schema object (walked without recursion). */
function anchorsOf(root: Obj): Map<string, Obj> {
  const out = new Map<string, Obj>()
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const x = stack.pop()
    if (x === null || typeof x !== "object") continue
    if (!Array.isArray(x) && typeof (x as Obj).$anchor === "string" && !out.has((x as Obj).$anchor as string)) out.set((x as Obj).$anchor as string, x as Obj)
    for (const v of Object.values(x)) if (v !== null && typeof v === "object") stack.push(v)
  }
  return out
}

/** What a fragment `$ref` points to in the document, or undefined. */
function resolve(ref: string, w: Walk): unknown {
  if (!ref.startsWith("#")) return undefined
  if (ref === "#" || ref === "#/") return w.root
  if (!ref.startsWith("#/")) return w.anchors.get(ref.slice(1))
  let at: unknown = w.root
  for (const raw of ref.slice(2).split("/")) {
    let key: string
    try {
      key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~")
    } catch {
      return undefined
    }
    if (at === null || typeof at !== "object" || !Object.hasOwn(at, key)) return undefined
    at = (at as Obj)[key]
  }
  return at
}

/** A permissive stand-in for a schema not inlined: its type (an array with any items) and description. */
function stub(target: unknown): Obj {
  const out: Obj = {}
  if (isObj(target)) {
    if (typeof target.type === "string") out.type = target.type
    if (target.type === "array") out.items = {}
    if (typeof target.description === "string") out.description = target.description
  }
  return out
}

function convert(node: unknown, w: Walk, depth: number, expanding: ReadonlySet<string>): unknown {
  if (!isObj(node)) return node
  const ref = node.$ref
  if (ref !== undefined) {
    const { $ref: _ref, ...siblings } = node
    const target = typeof ref === "string" ? resolve(ref, w) : undefined
    if (!isObj(target)) {
      note(w, `$ref ${JSON.stringify(ref)} not resolved here: removed`)
      return convert(siblings, w, depth, expanding)
    }
    const key = ref as string
    if (expanding.has(key) || depth >= MAX_INLINE_DEPTH || w.added >= MAX_INLINED_NODES) {
      note(w, `$ref ${JSON.stringify(key)} ${expanding.has(key) ? "refers to itself" : "is inlined too deep"}: cut to ${JSON.stringify(stub(target))}`)
      return convert({ ...stub(target), ...siblings }, w, depth, expanding)
    }
    note(w, `$ref ${JSON.stringify(key)} inlined`)
    w.added += countObjects(target)
    const { $id: _id, $schema: _schema, ...own } = target
    return convert({ ...own, ...siblings }, w, depth, new Set([...expanding, key]))
  }
  const out: Obj = {}
  for (const [k, v] of Object.entries(node)) {
    if (REMOVED.has(k)) {
      if (k === "propertyNames") note(w, "propertyNames removed")
      continue
    }
    if (k === "const") {
      if (node.enum === undefined) out.enum = [v]
      note(w, "const written as enum")
      continue
    }
    if (SCHEMA_MAPS.has(k) && isObj(v)) {
      const m: Obj = {}
      // a property named __proto__ stays an own property (an assignment would set m's prototype and lose it)
      for (const [name, sub] of Object.entries(v)) setOwn(m, name, convert(sub, w, depth + 1, expanding))
      out[k] = m
    } else if ((SCHEMA_ONE.has(k) || SCHEMA_LISTS.has(k)) && v !== null && typeof v === "object") {
      out[k] = Array.isArray(v) ? v.map((x) => convert(x, w, depth + 1, expanding)) : convert(v, w, depth + 1, expanding)
    } else out[k] = v
  }
  return out
}

/** Objects in `v` (a bound on what inlining it adds; walked without recursion). */
function countObjects(v: unknown): number {
  let n = 0
  const stack: unknown[] = [v]
  while (stack.length > 0) {
    const x = stack.pop()
    if (x === null || typeof x !== "object") continue
    n++
    for (const c of Object.values(x)) if (c !== null && typeof c === "object") stack.push(c)
  }
  return n
}

/** A top-level `allOf`/`anyOf`/`oneOf` merged into the root object schema (see the module comment). */
function flattenRoot(root: Obj, w: Walk): Obj {
  if (!ROOT_LISTS.some((k) => Array.isArray(root[k]))) return root
  const out: Obj = { ...root }
  const props: Obj = isObj(root.properties) ? { ...root.properties } : {}
  const own = new Set(Object.keys(props))
  const required = new Set(Array.isArray(root.required) ? root.required.filter((x): x is string => typeof x === "string") : [])
  const alternatives: string[] = []
  for (const k of ROOT_LISTS) {
    const list = root[k]
    if (!Array.isArray(list)) continue
    delete out[k]
    const variants = list.filter(isObj)
    /** per property name, the distinct schemas the variants give it */
    const given = new Map<string, unknown[]>()
    for (const v of variants) {
      if (!isObj(v.properties)) continue
      for (const [name, s] of Object.entries(v.properties)) {
        if (own.has(name)) continue
        const seen = given.get(name) ?? []
        if (!seen.some((x) => JSON.stringify(x) === JSON.stringify(s))) seen.push(s)
        given.set(name, seen)
      }
    }
    for (const [name, schemas] of given) setOwn(props, name, schemas.length === 1 ? schemas[0] : { anyOf: schemas })
    const reqs = variants.map((v) => (Array.isArray(v.required) ? v.required.filter((x): x is string => typeof x === "string") : []))
    if (k === "allOf") for (const r of reqs) for (const n of r) required.add(n)
    else {
      for (const n of reqs[0] ?? []) if (reqs.every((r) => r.includes(n))) required.add(n)
      const forms = variants.map((v, i) => {
        const names = isObj(v.properties) ? Object.keys(v.properties) : []
        const label = typeof v.title === "string" ? v.title : typeof v.description === "string" ? v.description : names.join(", ") || "{}"
        const req = reqs[i]!.length ? ` (required: ${reqs[i]!.join(", ")})` : ""
        return `${label}${req}`
      })
      alternatives.push(`${k === "oneOf" ? "exactly one" : "at least one"} of: ${forms.join(" | ")}`)
    }
    note(w, `top-level ${k} merged into the root`)
  }
  if (Object.keys(props).length) out.properties = props
  if (required.size) out.required = [...required]
  else delete out.required
  if (alternatives.length) {
    const text = `Arguments: ${alternatives.join("; ")}.`
    out.description = typeof root.description === "string" && root.description !== "" ? `${root.description}\n\n${text}` : text
  }
  return out
}

/** Per tool definition object, the same with a portable `inputSchema` (definitions are never mutated, so one rewrite each). */
const portables = new WeakMap<object, object>()

/**
 * `tool` with its `inputSchema` as `portableSchema` makes it (the same object when it needed no
 * change); `changed` is told what changed, once per definition object.
 */
export function portableTool<T extends object>(tool: T, changed?: (changes: string[]) => void): T {
  const hit = portables.get(tool)
  if (hit !== undefined) return hit as T
  const input = (tool as { inputSchema?: unknown }).inputSchema
  const notes: string[] = []
  const schema = isObj(input) ? portableSchema(input, notes) : input
  const out = schema === input ? tool : { ...tool, inputSchema: schema }
  portables.set(tool, out)
  if (notes.length) changed?.(notes)
  return out
}
