/**
 * @module mcp/tools/code-signatures
 * Compact TypeScript signatures of tools for `run_code`'s description
 * (`memory__create_entities(args: { entities: { name: string; … }[] })`), and the budget check
 * that decides whether they are listed at all: a long fleet gets a pointer to `search` instead.
 */
import { isRecord } from "../../core/index.ts"

export interface SignedTool {
  name: string
  description?: string
  inputSchema?: Record<string, unknown>
  /** When present, `await tools.x()` gives structuredContent of this shape (shown as the return type). */
  outputSchema?: Record<string, unknown>
}

const IDENT = /^[A-Za-z_$][\w$]*$/
/** Nesting shown before an object is abbreviated to `object`. */
const MAX_DEPTH = 3
/** Enum members shown before the rest become `string`. */
const MAX_ENUM = 6

export type Schema = Record<string, unknown>

export const asSchema = (v: unknown): Schema | undefined => (isRecord(v) ? v : undefined)

/** TypeScript type of one JSON value (an enum member). */
function jsonType(v: unknown): string {
  if (v === null) return "null"
  if (Array.isArray(v)) return "unknown[]"
  const t = typeof v
  return t === "string" || t === "number" || t === "boolean" ? t : "object"
}

/** Enum members spelled out only while they stay this short together (members of kilobytes are shown by their type). */
const MAX_ENUM_CHARS = 400
/** `$ref` hops followed in a row (a chain of refs to refs) before the type is `unknown`. */
const MAX_REF_HOPS = 16
/** Schema nodes one type may visit: refs can make a small schema a large tree (a def used twice per level). */
const MAX_VISITS = 2000
/** Property names longer than this are cut (a name is not a place for a paragraph). */
const MAX_KEY_CHARS = 64

/**
 * What a type is read against: the root schema (local `$ref`s resolve in it: `#/$defs/x`,
 * `#/definitions/x`, `#/properties/a`, `#`, an `$anchor`), the refs being expanded (a recursive
 * schema prints `object` where it refers to itself) and the visits left.
 */
export interface TypeContext {
  root: unknown
  active: Set<string>
  visits: number
  anchors?: Map<string, Schema>
}

export function typeContext(root: unknown): TypeContext {
  // the root is being expanded: a `$ref: "#"` inside it is a recursion
  return { root, active: new Set(["#"]), visits: MAX_VISITS }
}

/** `#/a/b~1c` → the value at that JSON pointer of `root`, or undefined. */
function pointer(root: unknown, fragment: string): unknown {
  if (fragment === "" ) return root
  if (!fragment.startsWith("/")) return undefined
  let at: unknown = root
  for (const raw of fragment.slice(1).split("/")) {
    let key: string
    try {
      key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~")
    } catch {
      return undefined
    }
    if (Array.isArray(at)) at = /^(0|[1-9]\d*)$/.test(key) ? at[Number(key)] : undefined
    else if (isRecord(at) && Object.hasOwn(at, key)) at = at[key]
    else return undefined
  }
  return at
}

/** The `$anchor`s (and draft-06 `$id: "#name"`) of the root, found once per context (walked without recursion, bounded). */
function anchor(ctx: TypeContext, name: string): Schema | undefined {
  if (!ctx.anchors) {
    ctx.anchors = new Map()
    const stack: unknown[] = [ctx.root]
    for (let seen = 0; stack.length && seen < 20_000; seen++) {
      const v = stack.pop()
      if (Array.isArray(v)) stack.push(...v)
      else if (isRecord(v)) {
        if (typeof v.$anchor === "string") ctx.anchors.set(v.$anchor, v)
        if (typeof v.$id === "string" && v.$id.startsWith("#")) ctx.anchors.set(v.$id.slice(1), v)
        for (const c of Object.values(v)) if (typeof c === "object" && c !== null) stack.push(c)
      }
    }
  }
  return ctx.anchors.get(name)
}

/**
 * The schema a `$ref` names in this document, or undefined: a remote ref (`https://…`, `other.json#…`)
 * is never fetched, only a ref to the root's own `$id` is read as local.
 */
function refTarget(ref: string, ctx: TypeContext): Schema | undefined {
  let local = ref
  const id = isRecord(ctx.root) && typeof ctx.root.$id === "string" ? ctx.root.$id : undefined
  if (!ref.startsWith("#")) {
    const hash = ref.indexOf("#")
    const base = hash < 0 ? ref : ref.slice(0, hash)
    if (id === undefined || base !== id.replace(/#$/, "")) return undefined
    local = hash < 0 ? "#" : ref.slice(hash)
  }
  const fragment = local.slice(1)
  if (fragment === "" || fragment.startsWith("/")) return asSchema(pointer(ctx.root, fragment))
  return anchor(ctx, fragment)
}

/** The simplest type a schema can be read as without expanding it (a recursive ref's place). */
function kindOf(s: Schema | undefined): string {
  const t = s?.type
  if (t === "array") return "unknown[]"
  if (typeof t === "string" && t !== "object") return t === "integer" ? "number" : t
  return s?.properties !== undefined || t === "object" ? "object" : "unknown"
}

/** Keys of a schema that describe it to a reader, not its shape: dropped when a `$ref`'s siblings are merged. */
const ANNOTATIONS = new Set(["$ref", "description", "title", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly", "$schema", "$id", "$anchor", "$defs", "definitions", "nullable"])

/** TypeScript type of a JSON Schema, compact and depth-limited; local `$ref`s resolved against `ctx.root`. */
export function schemaType(s: Schema | undefined, depth = 0, ctx: TypeContext = typeContext(s)): string {
  if (!s) return "unknown"
  if (--ctx.visits < 0) return kindOf(s)
  const type = typeof s.$ref === "string" ? refType(s, depth, ctx, 0) : plainType(s, depth, ctx)
  // OpenAPI 3.0's nullable
  return s.nullable === true && type !== "unknown" && !/\bnull$/.test(type) ? `${type} | null` : type
}

/** The type of `s`, a schema with a `$ref` (and maybe siblings that narrow it). */
function refType(s: Schema, depth: number, ctx: TypeContext, hops: number): string {
  const ref = s.$ref as string
  const target = hops < MAX_REF_HOPS ? refTarget(ref, ctx) : undefined
  if (target === undefined) return "unknown"
  if (ctx.active.has(ref)) return kindOf(target)
  const siblings = Object.keys(s).filter((k) => !ANNOTATIONS.has(k))
  ctx.active.add(ref)
  try {
    if (siblings.length === 0) {
      if (typeof target.$ref === "string") return refType(target, depth, ctx, hops + 1)
      return schemaType(target, depth, ctx)
    }
    // a ref with narrowing siblings (draft 2019+): both apply
    const rest: Schema = {}
    for (const k of siblings) rest[k] = s[k]
    return schemaType({ allOf: [target, rest] }, depth, ctx)
  } finally {
    ctx.active.delete(ref)
  }
}

/** Follows `$ref`s of `s` (local ones, cycles and long chains stop) to the schema they name. */
function resolved(s: Schema | undefined, ctx: TypeContext): Schema | undefined {
  for (let hops = 0; s && typeof s.$ref === "string" && hops < MAX_REF_HOPS; hops++) {
    const siblings = Object.keys(s).some((k) => !ANNOTATIONS.has(k))
    if (siblings || ctx.active.has(s.$ref)) return s
    const next = refTarget(s.$ref, ctx)
    if (next === undefined) return s
    s = next
  }
  return s
}

/** `allOf` members that are objects, merged into one object (properties and required of each); undefined when one is not. */
function mergedObject(members: readonly unknown[], ctx: TypeContext, nesting = 0): Schema | undefined {
  // an allOf that (through refs) contains itself adds nothing past its first time
  if (nesting > MAX_REF_HOPS || --ctx.visits < 0) return { type: "object", properties: {}, required: [] }
  const properties: Schema = {}
  const required = new Set<string>()
  for (const m of members) {
    const r = resolved(asSchema(m), ctx)
    if (r === undefined) continue
    if (typeof r.$ref === "string") {
      // a ref back to a schema being expanded (the object itself): nothing more to add
      if (ctx.active.has(r.$ref)) continue
      return undefined
    }
    if (Array.isArray(r.allOf)) {
      const inner = mergedObject(r.allOf, ctx, nesting + 1)
      if (inner === undefined) return undefined
      Object.assign(properties, inner.properties)
      for (const k of inner.required as string[]) required.add(k)
    }
    const props = asSchema(r.properties)
    const isObject = r.type === "object" || props !== undefined
    if (!isObject) {
      // a member that only annotates or only requires (`{ required: ["a"] }`) narrows the object
      const shapeless = Object.keys(r).every((k) => ANNOTATIONS.has(k) || k === "required" || k === "allOf" || k === "additionalProperties")
      if (!shapeless) return undefined
    }
    if (props) Object.assign(properties, props)
    if (Array.isArray(r.required)) for (const k of r.required) if (typeof k === "string") required.add(k)
  }
  return { type: "object", properties, required: [...required] }
}

function plainType(s: Schema, depth: number, ctx: TypeContext): string {
  if (Array.isArray(s.enum)) {
    const shown = s.enum.length <= MAX_ENUM ? s.enum.map((v) => JSON.stringify(v) ?? "unknown").join(" | ") : undefined
    if (shown !== undefined && shown.length <= MAX_ENUM_CHARS) return shown || "never"
    // too many (or too long) to show: the type of the members (a list of 7+ port numbers is not a string)
    const { enum: _members, ...rest } = s
    if (rest.type !== undefined) return schemaType(rest, depth, ctx)
    return [...new Set(s.enum.map(jsonType))].join(" | ") || "never"
  }
  if (s.const !== undefined) {
    const c = JSON.stringify(s.const)
    return c.length <= MAX_ENUM_CHARS ? c : jsonType(s.const)
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const { allOf, ...own } = s
    const members = Object.keys(own).some((k) => !ANNOTATIONS.has(k)) ? [...allOf, own] : allOf
    if (members.length === 1) return schemaType(asSchema(members[0]), depth, ctx)
    const merged = mergedObject(members, ctx)
    if (merged) return schemaType(merged, depth, ctx)
    const parts = [...new Set(members.map((m) => schemaType(asSchema(m), depth, ctx)).filter((t) => t !== "unknown"))]
    return parts.length === 0 ? "unknown" : parts.map((t) => (/[|&]/.test(t) && !t.startsWith("{") ? `(${t})` : t)).join(" & ")
  }
  const union = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as unknown[] | undefined
  if (union) {
    const members = new Set<string>()
    for (const u of union) for (const t of splitUnion(schemaType(asSchema(u), depth, ctx))) members.add(t)
    // `unknown | string` says nothing the `unknown` does not: the union is unknown
    return members.has("unknown") ? "unknown" : [...members].join(" | ") || "never"
  }
  const t = Array.isArray(s.type) ? (s.type as unknown[]).filter((x): x is string => typeof x === "string") : typeof s.type === "string" ? [s.type] : []
  if (t.length > 1) return [...new Set(t.map((x) => schemaType({ ...s, type: x, nullable: false }, depth, ctx)))].join(" | ")
  switch (t[0]) {
    case "string":
      return "string"
    case "number":
    case "integer":
      return "number"
    case "boolean":
      return "boolean"
    case "null":
      return "null"
    case "array": {
      const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined
      if (tuple) return `[${tuple.map((i) => schemaType(asSchema(i), depth + 1, ctx)).join(", ")}]`
      const item = schemaType(asSchema(s.items), depth + 1, ctx)
      return /[ |&]/.test(item) && !item.startsWith("{") ? `(${item})[]` : `${item}[]`
    }
    case "object":
    case undefined:
      if (s.properties === undefined && t[0] === undefined && s.additionalProperties === undefined && s.patternProperties === undefined) return "unknown"
      return objectType(s, depth, ctx)
    default:
      return "unknown"
  }
}

/** The members of a union type at its top level (`a | { b: c | d }` → `a`, `{ b: c | d }`). */
function splitUnion(type: string): string[] {
  const out: string[] = []
  let level = 0
  let from = 0
  for (let i = 0; i < type.length; i++) {
    const c = type[i]
    if (c === "{" || c === "(" || c === "[" || c === "<") level++
    else if (c === "}" || c === ")" || c === "]" || c === ">") level--
    else if (level === 0 && type.startsWith(" | ", i)) {
      out.push(type.slice(from, i))
      from = i + 3
      i += 2
    }
  }
  out.push(type.slice(from))
  return out
}

/** The value type of an object's other keys (`additionalProperties` / `patternProperties` schemas), or undefined. */
function valueType(s: Schema, depth: number, ctx: TypeContext): string | undefined {
  const schemas = [asSchema(s.additionalProperties), ...Object.values(asSchema(s.patternProperties) ?? {}).map(asSchema)].filter((x): x is Schema => x !== undefined)
  if (schemas.length === 0) return undefined
  const types = new Set<string>()
  for (const x of schemas) for (const t of splitUnion(schemaType(x, depth + 1, ctx))) types.add(t)
  return types.has("unknown") ? "unknown" : [...types].join(" | ")
}

function keyText(k: string): string {
  const shown = k.length > MAX_KEY_CHARS ? `${k.slice(0, MAX_KEY_CHARS - 1)}…` : k
  return IDENT.test(shown) ? shown : JSON.stringify(shown)
}

function objectType(s: Schema, depth: number, ctx: TypeContext): string {
  const props = asSchema(s.properties) ?? {}
  const keys = Object.keys(props)
  if (keys.length === 0) {
    const v = valueType(s, depth, ctx)
    return v !== undefined ? `Record<string, ${v}>` : "object"
  }
  if (depth >= MAX_DEPTH) return "object"
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : [])
  const fields = keys.map((k) => `${keyText(k)}${required.has(k) ? "" : "?"}: ${schemaType(asSchema(props[k]), depth + 1, ctx)}`)
  return `{ ${fields.join("; ")} }`
}

/** Longest argument type of one signature line: one tool of 3 000 properties does not push every signature out of the budget. */
const MAX_LINE_TYPE = 400

/** `type` cut at a field of its top-level object (`{ a: string; b: number; … }`) when longer than MAX_LINE_TYPE. */
function capped(type: string): string {
  if (type.length <= MAX_LINE_TYPE) return type
  if (!type.startsWith("{ ")) return "object"
  let level = 0
  let lastField = -1
  for (let i = 0; i < MAX_LINE_TYPE - 6; i++) {
    const c = type[i]
    if (c === "{" || c === "(" || c === "[" || c === "<") level++
    else if (c === "}" || c === ")" || c === "]" || c === ">") level--
    else if (level === 1 && c === ";") lastField = i
  }
  return lastField < 0 ? "object" : `${type.slice(0, lastField)}; … }`
}

/** One line per tool: `name(args: {…})` (`args?: object` without declared arguments), plus `: {…}` for a declared output. */
export function signature(t: SignedTool, withOutput = false, capLine = false): string {
  const type = schemaType(t.inputSchema ?? { type: "object" }, 0, typeContext(t.inputSchema))
  const call = type === "object" || type === "unknown" ? `${t.name}(args?: object)` : `${t.name}(args: ${capLine ? capped(type) : type})`
  const out = withOutput && t.outputSchema ? schemaType(t.outputSchema, 0, typeContext(t.outputSchema)) : undefined
  return out && out !== "object" && out !== "unknown" ? `${call}: ${out}` : call
}

/**
 * The signature block, or undefined when it would not fit `budgetChars` (the caller then points
 * the model at `search`). Sorted by name so the description is stable between lists.
 */
export function signatureBlock(tools: readonly SignedTool[], budgetChars: number): string | undefined {
  // every line is at least `name(args: x)` and a line break: a large fleet is known not to fit
  // without sorting and typing 5 000 signatures on every list change
  let least = 0
  for (const t of tools) if ((least += t.name.length + 10) > budgetChars) return undefined
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  // with the declared output shapes when they fit too, else arguments only
  // then with long argument types cut: one tool of 3 000 properties does not push every signature out
  return block(sorted, budgetChars, true) ?? block(sorted, budgetChars, false) ?? block(sorted, budgetChars, false, true)
}

function block(tools: readonly SignedTool[], budgetChars: number, withOutput: boolean, capLines = false): string | undefined {
  const lines: string[] = []
  let used = 0
  for (const t of tools) {
    const line = signature(t, withOutput, capLines)
    used += line.length + 1
    if (used > budgetChars) return undefined
    lines.push(line)
  }
  return lines.join("\n")
}

/**
 * The properties and required names of an object schema as a caller fills them in: a root that is a
 * local `$ref` (`{ $ref: "#/$defs/Args", $defs }`) or an `allOf` of objects is read through.
 */
export function objectShape(schema: unknown, ctx: TypeContext = typeContext(schema)): { properties: Schema; required: Set<string>; schema: Schema | undefined } {
  let s = resolved(asSchema(schema), ctx)
  if (s && Array.isArray(s.allOf)) {
    const { allOf, ...own } = s
    const merged = mergedObject([...allOf, own], ctx)
    // keys of the object's other members (additionalProperties, anyOf…) stay
    s = merged ? { ...own, properties: merged.properties, required: merged.required } : s
  }
  const required = new Set(Array.isArray(s?.required) ? (s.required as unknown[]).filter((k): k is string => typeof k === "string") : [])
  return { properties: asSchema(s?.properties) ?? {}, required, schema: s }
}

/**
 * The type of an object's other keys, for an argument list: `additionalProperties` / `patternProperties`
 * schemas, or `unknown` for an object without properties that says `additionalProperties: true`;
 * undefined when it has none.
 */
export function otherKeysType(s: Schema | undefined, ctx: TypeContext): string | undefined {
  if (!s) return undefined
  const v = valueType(s, 0, ctx)
  if (v !== undefined) return v
  return s.additionalProperties === true && asSchema(s.properties) === undefined ? "unknown" : undefined
}
