/**
 * @module mcp/own-schema-portable
 * Our own tools' JSON Schemas in the spelling every client and model API maps without loss: a
 * nullable written `type: ["string", "null"]` becomes `anyOf` branches of one `type` each (a client
 * mapping schemas onto a single-`type` dialect, e.g. Gemini's function declarations, drops or
 * refuses an array `type`), a free-form object's `additionalProperties: {}` becomes `true`, and a
 * sub-schema that constrains nothing (zod's `z.unknown()`: `{}`, maybe with a description) says
 * what it holds, any JSON value, as one typed branch per JSON type. What each schema accepts is
 * unchanged. Linters of tool schemas (the MCP Inspector's `--strict`) flag all three.
 */

type Json = Record<string, unknown>

/** Keywords that only describe a value: a schema made of these alone accepts anything. */
const ANNOTATIONS = new Set(["description", "title", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly"])
/** Keywords whose value is one sub-schema. */
const ONE = ["items", "contains", "not", "propertyNames", "if", "then", "else", "additionalProperties", "unevaluatedProperties", "unevaluatedItems"]
/** Keywords whose value is a list of sub-schemas. */
const LIST = ["anyOf", "oneOf", "allOf", "prefixItems"]
/** Keywords whose value maps names to sub-schemas. */
const MAP = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]
/** Keywords that hold a sub-schema for which `true` is the portable spelling of "anything". */
const OPEN = new Set(["additionalProperties", "unevaluatedProperties"])
const JSON_TYPES = ["object", "array", "string", "number", "boolean", "null"] as const

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)
const constrainsNothing = (s: Json): boolean => Object.keys(s).every((k) => ANNOTATIONS.has(k))

/** A portable copy of JSON Schema `schema` (the argument is not changed). */
export function portableSchema(schema: Json): Json {
  return node(schema, undefined) as Json
}

function node(s: unknown, keyword: string | undefined): unknown {
  if (!isObject(s)) return s
  if (constrainsNothing(s) && keyword !== "not") {
    if (keyword !== undefined && OPEN.has(keyword)) return true
    return { ...s, anyOf: JSON_TYPES.map((type) => ({ type })) }
  }
  const out: Json = {}
  for (const [k, v] of Object.entries(s)) {
    if (ONE.includes(k)) out[k] = node(v, k)
    else if (LIST.includes(k) && Array.isArray(v)) out[k] = v.map((x) => node(x, k))
    else if (MAP.includes(k) && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, x]) => [name, node(x, k)]))
    else out[k] = v
  }
  return Array.isArray(out.type) ? splitTypes(out, out.type as unknown[]) : out
}

/**
 * `{type: [A, B], …}` as `{anyOf: [{type: A, …}, {type: B}]}`: annotations stay on the outside,
 * every other keyword (an `anyOf` of its own too) goes with each non-null branch (keywords about
 * other types' values say nothing of a null, so `null` keeps none).
 */
function splitTypes(s: Json, types: unknown[]): Json {
  if (types.length === 1) return { ...s, type: types[0] }
  const outer: Json = {}
  const inner: Json = {}
  for (const [k, v] of Object.entries(s)) {
    if (k === "type") continue
    if (ANNOTATIONS.has(k)) outer[k] = v
    else inner[k] = v
  }
  return { ...outer, anyOf: types.map((type) => (type === "null" ? { type } : { type, ...inner })) }
}
