/**
 * @module catalog/schema-normalize
 * Tool input/output schemas made acceptable to strict clients. MCP says these are JSON Schema
 * 2020-12, but every server built with the TypeScript SDK (zod-to-json-schema) declares
 * `"$schema": "http://json-schema.org/draft-07/schema#"`, and some clients (Claude Code) reject any
 * draft other than 2020-12. A `$schema` naming another dialect (draft-03/04/06/07, 2019-09,
 * anything unknown) is removed, so the schema is read as 2020-12 — what MCP specifies — rather
 * than rewritten to claim a dialect it was not written in. The older constructs that 2020-12
 * validators reject or read differently are converted: boolean `exclusiveMinimum` /
 * `exclusiveMaximum` (draft-04) become the numeric form, tuple `items: [...]` becomes `prefixItems`
 * (with `additionalItems` as `items`), and `dependencies` becomes `dependentRequired` /
 * `dependentSchemas`. An array schema without `items` gets `items: {}` (the same meaning; VS Code and
 * OpenAI refuse an array type without `items`). `definitions` stays (a `$ref` to `#/definitions/x` is a plain JSON pointer in
 * every draft); `$ref` siblings and draft-04 `id` are left as they are. A root `$id` nothing refers
 * to is removed (`withoutRootId`: clients cache compiled schemas by it, across the merged servers).
 */
import { isRecord as isObj } from "../core/index.ts"

type Obj = Record<string, unknown>

const DIALECT_2020_12 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/

/**
 * The deepest nesting of objects and arrays a downstream definition may have (the definition itself
 * is level 1; each object or array inside it one more). No real tool comes near it (a schema nesting
 * 60 properties deep is ~125 levels). A deeper one is dropped unread by catalog/validate, so every
 * walk of a definition after that (normalising, hashing for the pins, sanitizing, the SDK's own
 * schemas) recurses at most this deep: a 100 KB schema nested 4 500 levels used to overflow the stack
 * and fail the server's whole listing.
 */
export const MAX_NESTING = 128
const MAX_DEPTH = MAX_NESTING

/**
 * Whether `v` nests objects and arrays more than `limit` levels deep (`v` itself, when an object or
 * an array, is level 1). Walked with an explicit stack, never recursively, and left at the first
 * value past the limit: safe on anything JSON.parse can produce, however deep (and on cycles).
 */
export function nestsDeeper(v: unknown, limit: number): boolean {
  if (v === null || typeof v !== "object") return false
  const stack: object[] = [v]
  const depths: number[] = [1]
  while (stack.length > 0) {
    const x = stack.pop()!
    const d = depths.pop()!
    if (d > limit) return true
    for (const c of Array.isArray(x) ? x : Object.values(x)) {
      if (c === null || typeof c !== "object") continue
      stack.push(c)
      depths.push(d + 1)
    }
  }
  return false
}

/** `o[key] = value` as an own property even for a key named `__proto__` (names are downstream data). */
export function setOwn(o: Obj, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Keys whose value is data, never a schema. */
const DATA = new Set(["enum", "const", "default", "examples", "required", "dependentRequired", "$schema", "$id", "$ref", "$anchor", "$comment", "description", "title", "pattern", "format"])

/** Keys whose value is a map of name → subschema (names are data, not keywords). */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"])

/** The schema normalised (the same object when nothing had to change). `notes` says what changed. */
export function normalizeSchema(schema: Obj, notes: string[] = []): Obj {
  const out = node(schema, notes, 0) as Obj
  return withoutRootId(out, notes)
}

/**
 * The root `$id` removed when nothing in the schema refers to it: every `$ref` is a fragment
 * (`#/$defs/x`, `#`, `#anchor`), which resolves within the document with or without it. An SDK
 * client compiles every tool's `outputSchema` in one Ajv instance, which caches a schema by its
 * `$id`: a second tool whose schema has the same `$id` (two servers behind the orchestrator built
 * from one template, two versions of one server) was validated against the first one's, and its
 * every valid result refused ("Structured content does not match the tool's output schema"). Each
 * server had a client of its own before the orchestrator merged them. A schema with a `$ref` that
 * is no fragment (it may name the `$id`) keeps it.
 */
function withoutRootId(schema: Obj, notes: string[]): Obj {
  if (typeof schema.$id !== "string" || refersBeyondFragments(schema)) return schema
  const { $id: _id, ...rest } = schema
  notes.push(`root $id ${schema.$id} removed`)
  return rest
}

/** A `$ref` (or `$dynamicRef`) anywhere in `v` that is not a fragment of this document. Walked without recursion. */
function refersBeyondFragments(v: unknown): boolean {
  const stack: unknown[] = [v]
  let seen = 0
  while (stack.length > 0) {
    const x = stack.pop()
    if (x === null || typeof x !== "object") continue
    // a definition validate.ts let through is at most MAX_NESTING deep; this bounds the walk on any other
    if (++seen > 100_000) return true
    for (const [k, c] of Object.entries(x)) {
      if ((k === "$ref" || k === "$dynamicRef") && typeof c === "string" && !c.startsWith("#")) return true
      if (c !== null && typeof c === "object") stack.push(c)
    }
  }
  return false
}

function node(v: unknown, notes: string[], depth: number): unknown {
  if (depth > MAX_DEPTH) return v
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined
    v.forEach((x, i) => {
      const c = node(x, notes, depth + 1)
      if (c !== x) (copy ??= [...v])[i] = c
    })
    return copy ?? v
  }
  if (!isObj(v)) return v
  let out: Obj | undefined
  const edit = (): Obj => (out ??= { ...v })
  if (typeof v.$schema === "string" && !DIALECT_2020_12.test(v.$schema)) {
    delete edit().$schema
    notes.push(`$schema ${v.$schema} removed`)
  }
  // draft-04: boolean exclusiveMinimum/exclusiveMaximum qualify minimum/maximum
  for (const [bound, limit] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    const flag = v[bound]
    if (typeof flag !== "boolean") continue
    const o = edit()
    delete o[bound]
    if (flag && typeof v[limit] === "number") {
      o[bound] = v[limit]
      delete o[limit]
    }
    notes.push(`draft-04 boolean ${bound} converted`)
  }
  // draft-04…07 tuples: items as a list → prefixItems, additionalItems → items
  if (Array.isArray(v.items)) {
    const o = edit()
    // an empty tuple constrains nothing (2020-12 refuses `prefixItems: []`)
    if (v.items.length > 0) o.prefixItems = v.items
    delete o.items
    if (v.additionalItems !== undefined) o.items = v.additionalItems
    delete o.additionalItems
    notes.push("tuple items converted to prefixItems")
  } else if (v.additionalItems !== undefined) {
    delete edit().additionalItems // had no effect without tuple items
  }
  // an array schema without `items`: VS Code refuses the whole server ("tool parameters array type
  // must have items") and OpenAI the whole request ("array schema missing items"); `items: {}` is
  // what no `items` means
  const type = (out ?? v).type
  if ((type === "array" || (Array.isArray(type) && type.includes("array"))) && (out ?? v).items === undefined) {
    edit().items = {}
    notes.push("items {} added to an array schema without items")
  }
  // draft-04…07 dependencies → dependentRequired (lists of names) / dependentSchemas (schemas)
  if (isObj(v.dependencies)) {
    const o = edit()
    const required: Obj = isObj(v.dependentRequired) ? { ...v.dependentRequired } : {}
    const schemas: Obj = isObj(v.dependentSchemas) ? { ...v.dependentSchemas } : {}
    for (const [k, d] of Object.entries(v.dependencies)) setOwn(Array.isArray(d) ? required : schemas, k, d)
    delete o.dependencies
    if (Object.keys(required).length) o.dependentRequired = required
    if (Object.keys(schemas).length) o.dependentSchemas = schemas
    notes.push("dependencies converted")
  }
  const cur = out ?? v
  for (const [k, x] of Object.entries(cur)) {
    let c: unknown
    if (SCHEMA_MAPS.has(k) && isObj(x)) {
      let map: Obj | undefined
      for (const [name, sub] of Object.entries(x)) {
        const cs = node(sub, notes, depth + 1)
        if (cs !== sub) (map ??= { ...x })[name] = cs
      }
      c = map ?? x
    } else if (DATA.has(k)) c = x
    else c = node(x, notes, depth + 1)
    if (c !== x) edit()[k] = c
  }
  return out ?? v
}
