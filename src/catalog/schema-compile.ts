/**
 * @module catalog/schema-compile
 * Every schema of a tool we pass on must compile in the JSON Schema engines clients run, not only
 * pass the SDK's zod schemas: the SDK `Client`s compile each `outputSchema` with Ajv (v1: draft-07,
 * v2: 2020-12) inside `listTools()`, and editors and model APIs compile each `inputSchema` (Claude
 * Code and the Anthropic API refuse the whole request, so every tool of every server, when one
 * `input_schema` is not valid JSON Schema; VS Code and others compile them with Ajv). One server's
 * odd schema must not blank every tool. So each schema is checked here as those engines read it —
 * against the draft-07 and 2020-12 meta-schemas, its regular expressions as JavaScript reads them
 * (Ajv: `new RegExp(p, "u")`), its `$ref`s resolved within the document — and repaired by loosening
 * what the client could not read (the downstream server still validates its own arguments):
 * - a keyword whose value the meta-schemas reject (`minLength: "3"`, `type: "integer64"`, a nested
 *   `description` object, `required: true`, `allOf: {}`) is removed; an `enum` listing a value
 *   twice loses the repeats; a property (or definition) whose schema is no schema (`"string"`, `5`,
 *   `null`) stays, accepting the type it names or any value (`permissive`);
 * - a `pattern` (or `patternProperties` key) written for Python (`(?P<name>…)`, `\A`, `\Z`) is
 *   rewritten in the JavaScript syntax of the same meaning; one that still does not compile
 *   (possessive quantifiers, inline flags) is removed;
 * - a `$ref` that resolves to nothing (a missing `$defs` entry, a remote URL no client fetches) is
 *   removed (that place accepts anything);
 * - draft-04's `id` (Ajv 8 refuses to compile it) and an empty `enum` are removed.
 * What still does not compile after that is reported (`error`): the caller drops the tool (input) or
 * its `outputSchema` (output). The engines (Ajv draft-07 and 2020-12, strict off, as clients run
 * them) are loaded when a list is first checked.
 */
import { errorMessage, isRecord as isObj } from "../core/index.ts"
import { normalizeSchema } from "./schema-normalize.ts"
import { at, decode, pointerTarget, refLoops } from "./schema-refs.ts"

type Obj = Record<string, unknown>

interface MetaError {
  instancePath: string
  keyword: string
  message?: string
}
interface Engine {
  validateSchema(schema: Obj): boolean | Promise<unknown>
  errors?: MetaError[] | null
  compile(schema: Obj): unknown
  removeSchema(schema?: unknown): unknown
}

/** The two engines clients compile tool schemas with: draft-07 (SDK v1, most editors) and 2020-12 (SDK v2). */
export interface Engines {
  draft7: Engine
  draft2020: Engine
  /** Fresh engines, for a compile (a failed one may leave an `$id` registered in the engine). */
  fresh(): Engine[]
}

let loaded: Promise<Engines> | undefined

/** The engines (loaded once; strict off, as clients run them). */
export function schemaEngines(): Promise<Engines> {
  loaded ??= (async () => {
    // the SDK bundles its Ajv without re-exporting Ajv2020 (its docs say to import it so)
    const [d7, d2020] = await Promise.all([import("ajv"), import("ajv/dist/2020")])
    const opts = { strict: false, allErrors: true, logger: false, validateFormats: false }
    const Ajv7 = d7.default as unknown as new (o: object) => Engine
    const Ajv20 = d2020.default as unknown as new (o: object) => Engine
    return { draft7: new Ajv7(opts), draft2020: new Ajv20(opts), fresh: () => [new Ajv7(opts), new Ajv20(opts)] }
  })()
  return loaded
}

export interface SchemaFix {
  /** The schema to pass on (the same object when nothing had to change), or undefined when it cannot be made to compile. */
  schema: Obj | undefined
  repairs: string[]
  /** Why it cannot be made to compile. */
  error?: string
}

/** Keys whose value is data, never a schema (their strings are not patterns or refs). */
export const DATA = new Set(["enum", "const", "default", "examples", "required", "dependentRequired", "$schema", "$id", "$anchor", "$dynamicAnchor", "$comment", "description", "title", "format", "pattern", "$ref", "$dynamicRef", "$recursiveRef", "type"])
/** Keys whose value maps names to subschemas. */
export const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"])

/** Each subschema (object) of `root` with its JSON pointer, root first; walked without recursion, at most `limit` nodes. */
function subschemas(root: Obj, limit = 50_000): { node: Obj; path: string[] }[] {
  const out: { node: Obj; path: string[] }[] = []
  const stack: { node: Obj; path: string[] }[] = [{ node: root, path: [] }]
  while (stack.length > 0 && out.length < limit) {
    const cur = stack.pop()!
    out.push(cur)
    for (const [k, v] of Object.entries(cur.node)) {
      if (DATA.has(k)) continue
      if (SCHEMA_MAPS.has(k) && isObj(v)) {
        for (const [name, sub] of Object.entries(v)) if (isObj(sub)) stack.push({ node: sub, path: [...cur.path, k, name] })
      } else if (Array.isArray(v)) v.forEach((sub, i) => isObj(sub) && stack.push({ node: sub, path: [...cur.path, k, String(i)] }))
      else if (isObj(v)) stack.push({ node: v, path: [...cur.path, k] })
    }
  }
  return out
}

const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"])

/**
 * What stands for a property whose schema is no schema (`"string"`, `5`, `null`, a list), and the
 * repair note: the type it names when it is a JSON type's name (`"a": "string"`: what its author
 * meant), else a schema accepting any value. The property stays listed (the model still sees the
 * argument, the server still checks it), its description saying so; one bad property used to drop
 * the whole tool (at the root) or the argument (deeper).
 */
export function permissive(v: unknown): { schema: Obj; note: string } {
  const what = v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`
  if (typeof v === "string" && JSON_TYPES.has(v)) return { schema: v === "array" ? { type: "array", items: {} } : { type: v }, note: `is a string, not a schema: read as {"type":${JSON.stringify(v)}}` }
  return { schema: { description: "Its schema from the server is not valid JSON Schema: any value is accepted here." }, note: `is ${what}, not a schema: any value accepted` }
}

function compiles(re: string): boolean {
  try {
    new RegExp(re, "u")
    return true
  } catch {
    return false
  }
}

/** A Python (`re`) pattern in JavaScript syntax of the same meaning, when that is all that was wrong. */
function fromPython(re: string): string | undefined {
  const js = re
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, "(?<$1>")
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, "\\k<$1>")
    .replace(/(^|[^\\])((?:\\\\)*)\\A/g, "$1$2^")
    .replace(/(^|[^\\])((?:\\\\)*)\\[Zz]/g, "$1$2$")
  return js !== re && compiles(js) ? js : undefined
}

const pointer = (path: readonly string[]): string => (path.length ? "/" + path.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/") : "")

/** Whether a `$ref` resolves within `root` (a fragment pointer, `#`, or an `$anchor`); undefined when only a compile can tell (`$id`s involved). */
function resolves(root: Obj, ref: string, anchors: { has(name: string): boolean }, ids: ReadonlySet<string>): boolean | undefined {
  if (ids.size > 0) {
    const base = ref.split("#")[0]!
    if (base !== "" && ids.has(base)) return undefined
    if (base === "") return undefined
    return false
  }
  if (!ref.startsWith("#")) return false
  const frag = ref.slice(1)
  if (frag !== "" && !frag.startsWith("/")) return anchors.has(frag)
  const target = pointerTarget(root, ref)
  return isObj(target) || typeof target === "boolean"
}

/**
 * One schema made to compile in both engines (see the module comment). `field` names it in the
 * repairs (`inputSchema`). Never throws.
 */
export function fixSchema(schema: Obj, field: string, engines: Engines): SchemaFix {
  let s: Obj = schema
  const repairs: string[] = []
  const own = (): Obj => (s === schema ? (s = structuredClone(schema)) : s)
  if (plainlyCompiles(schema)) return { schema, repairs }
  try {
    const wide = tooWide(schema)
    if (wide !== undefined) return { schema: undefined, repairs, error: `${field}${wide}` }
    // a root $schema the 2020-12 engine does not know by that spelling (`http://…/2020-12/schema`, kept by normalising)
    if (typeof schema.$schema === "string" && !KNOWN_DIALECTS.has(schema.$schema)) {
      const canonical = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/.test(schema.$schema)
      if (canonical) own().$schema = "https://json-schema.org/draft/2020-12/schema"
      else delete own().$schema
      repairs.push(`${field}/$schema ${JSON.stringify(schema.$schema)} ${canonical ? "spelled as engines know it" : "is no dialect engines know: removed"}`)
    }
    const anchorsSeen = new Set<string>()
    for (const { node, path } of subschemas(schema)) {
      // an $anchor defined twice (Ajv: "resolves to more than one schema"): the first is kept
      if (typeof node.$anchor === "string") {
        if (anchorsSeen.has(node.$anchor)) {
          delete (at(own(), path) as Obj).$anchor
          repairs.push(`${field}${pointer(path)}/$anchor ${JSON.stringify(node.$anchor)} defined twice: removed`)
        }
        anchorsSeen.add(node.$anchor)
      }
      // a $schema that is not a string: no engine reads past it
      if (node.$schema !== undefined && typeof node.$schema !== "string") {
        delete (at(own(), path) as Obj).$schema
        repairs.push(`${field}${pointer(path)}/$schema is not a string: removed`)
      }
      // draft-04's `id` (Ajv 8 refuses to compile a schema with it: "use $id")
      if (node.id !== undefined) {
        delete (at(own(), path) as Obj).id
        repairs.push(`${field}${pointer(path)}/id (draft-04's $id) removed`)
      }
      // an empty enum (Ajv: "enum must have non-empty array")
      if (Array.isArray(node.enum) && node.enum.length === 0) {
        delete (at(own(), path) as Obj).enum
        repairs.push(`${field}${pointer(path)}/enum is empty: removed`)
      }
    }
    for (let round = 0; round < 16; round++) {
      let changed = false
      // 1. keywords the meta-schemas reject
      const errors: MetaError[] = []
      for (const e of [engines.draft7, engines.draft2020]) {
        // a root $schema of 2020-12 is no dialect the draft-07 engine knows: its meta-check reads the rest
        const subject = e === engines.draft7 && typeof s.$schema === "string" ? (({ $schema: _, ...rest }) => rest)(s) : s
        if (e.validateSchema(subject) === false) errors.push(...(e.errors ?? []))
      }
      const seen = new Set<string>()
      /** Where the schemas are: an entry of a map below one (`properties.b`) is a subschema, whatever it holds. */
      const schemaAt = new Set(subschemas(s).map((n) => pointer(n.path)))
      // deepest first, so removing an outer keyword never leaves an inner removal pointing nowhere
      // (and at one place a repeated value first: it is all that is wrong with `type: ["string", "string"]`)
      errors.sort((a, b) => b.instancePath.length - a.instancePath.length || Number(b.keyword === "uniqueItems") - Number(a.keyword === "uniqueItems"))
      for (const err of errors) {
        let segs = err.instancePath.split("/").slice(1).map(decode)
        if (segs.length === 0) continue
        // a list with a value twice (`enum`, `required`, `type`): the repeats go, the list stays
        if (err.keyword === "uniqueItems" && Array.isArray(at(s, segs))) {
          if (seen.has(pointer(segs))) continue
          seen.add(pointer(segs))
          const list = at(own(), segs) as unknown[]
          const texts = new Set<string>()
          const kept = list.filter((x) => !texts.has(JSON.stringify(x)) && (texts.add(JSON.stringify(x)), true))
          ;(at(s, segs.slice(0, -1)) as Obj)[segs[segs.length - 1]!] = kept
          repairs.push(`${field}${pointer(segs)}: repeated values removed`)
          changed = true
          continue
        }
        // an entry of a list keyword (type: ["string", "bogus"], allOf: [5]) takes the keyword with it
        while (segs.length > 1 && Array.isArray(at(s, segs.slice(0, -1)))) segs = segs.slice(0, -1)
        const key = pointer(segs)
        if (seen.has(key)) continue
        seen.add(key)
        const parent = at(own(), segs.slice(0, -1))
        const last = segs[segs.length - 1]!
        if (!isObj(parent) || !Object.prototype.hasOwnProperty.call(parent, last)) continue
        if (segs.length === 1 && (last === "type" || last === "properties")) return { schema: undefined, repairs, error: `${field}${key} ${err.message ?? "is invalid"}` }
        const value = parent[last]
        if (segs.length >= 2 && SCHEMA_MAPS.has(segs[segs.length - 2]!) && schemaAt.has(pointer(segs.slice(0, -2))) && !isObj(value) && typeof value !== "boolean") {
          // a property (definition…) whose schema is no schema: the property stays, accepting what it names or anything
          const p = permissive(value)
          parent[last] = p.schema
          repairs.push(`${field}${key} ${p.note}`)
          changed = true
          continue
        }
        delete parent[last]
        repairs.push(`${field}${key} ${err.message ?? "is invalid"}: removed`)
        changed = true
      }
      // 2. regular expressions JavaScript does not read; 3. $refs that resolve to nothing
      const nodes = subschemas(s)
      const anchors = new Map<string, Obj>()
      const ids = new Set<string>()
      for (const { node } of nodes) {
        if (typeof node.$anchor === "string") anchors.set(node.$anchor, node)
        if (typeof node.$id === "string") ids.add(node.$id.split("#")[0]!)
      }
      for (const { node, path } of nodes) {
        if (typeof node.pattern === "string" && !compiles(node.pattern)) {
          const n = at(own(), path) as Obj
          const js = fromPython(node.pattern)
          if (js !== undefined) n.pattern = js
          else delete n.pattern
          repairs.push(`${field}${pointer(path)}/pattern ${JSON.stringify(node.pattern)} is no JavaScript regular expression: ${js !== undefined ? `read as ${JSON.stringify(js)}` : "removed"}`)
          changed = true
        }
        if (isObj(node.patternProperties)) {
          for (const k of Object.keys(node.patternProperties)) {
            if (compiles(k)) continue
            const pp = (at(own(), path) as Obj).patternProperties as Obj
            const js = fromPython(k)
            if (js !== undefined && !Object.prototype.hasOwnProperty.call(pp, js)) Object.defineProperty(pp, js, { value: pp[k], enumerable: true, writable: true, configurable: true })
            delete pp[k]
            repairs.push(`${field}${pointer(path)}/patternProperties key ${JSON.stringify(k)} is no JavaScript regular expression: ${js !== undefined ? `read as ${JSON.stringify(js)}` : "removed"}`)
            changed = true
          }
        }
        if (typeof node.$ref === "string" && resolves(s, node.$ref, anchors, ids) === false) {
          delete (at(own(), path) as Obj).$ref
          repairs.push(`${field}${pointer(path)}/$ref ${JSON.stringify(node.$ref)} resolves to nothing: removed`)
          changed = true
        } else if (typeof node.$ref === "string" && ids.size === 0 && refLoops(s, node.$ref, anchors)) {
          // 3b. a loop of references to references (no engine compiles it: Ajv overflows its stack)
          delete (at(own(), path) as Obj).$ref
          repairs.push(`${field}${pointer(path)}/$ref ${JSON.stringify(node.$ref)} is a loop of references with no schema in it: removed`)
          changed = true
        }
      }
      if (changed) continue
      // 4. what only a compile tells (~7 ms a schema per engine: only then): $ids, dynamic references
      if (ids.size > 0 || nodes.some(({ node }) => node.$dynamicRef !== undefined || node.$recursiveRef !== undefined || (node.$ref !== undefined && typeof node.$ref !== "string"))) {
        const [fresh7, fresh2020] = engines.fresh()
        for (const e of [fresh7!, fresh2020!]) {
          const subject = e === fresh7 && typeof s.$schema === "string" ? (({ $schema: _, ...rest }) => rest)(s) : s
          try {
            e.compile(subject)
          } catch (err) {
            const missing = /can't resolve reference (.*) from id /.exec(errorMessage(err))?.[1]
            const holders = missing === undefined ? [] : nodes.filter(({ node }) => node.$ref === missing || node.$dynamicRef === missing)
            if (holders.length === 0) return { schema: undefined, repairs, error: `${field} does not compile: ${errorMessage(err)}` }
            for (const { node, path } of holders) {
              const n = at(own(), path) as Obj
              delete n[node.$ref === missing ? "$ref" : "$dynamicRef"]
            }
            repairs.push(`${field}: $ref ${JSON.stringify(missing)} resolves to nothing: removed`)
            changed = true
            break
          } finally {
            e.removeSchema(subject)
          }
        }
        if (changed) continue
      }
      // a keyword removed above may have been an array's `items`: normalised again (`items: {}`)
      return { schema: s === schema ? s : normalizeSchema(s), repairs }
    }
    return { schema: undefined, repairs, error: `${field} could not be made valid JSON Schema` }
  } catch (e) {
    return { schema: undefined, repairs, error: `${field} could not be checked: ${errorMessage(e)}` }
  }
}

/** The root `$schema` spellings the 2020-12 engine resolves (any other is normalised away or respelled). */
const KNOWN_DIALECTS = new Set(["https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#"])
const TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"])
const STRINGS = new Set(["description", "title", "$comment", "format", "$id", "$anchor", "$schema", "contentEncoding", "contentMediaType"])
export const SCHEMA_ONE = new Set(["items", "additionalProperties", "additionalItems", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"])
export const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"])
const NUMBERS = new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"])
const COUNTS = new Set(["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains"])
const BOOLEANS = new Set(["uniqueItems", "readOnly", "writeOnly", "deprecated"])
/** Keywords only an engine can judge (dynamic scopes, vocabularies): their schema goes to the engines. */
const ENGINE_ONLY = new Set(["$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$vocabulary", "dependencies"])

const isSchema = (v: unknown): boolean => typeof v === "boolean" || isObj(v)
const isCount = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v >= 0
const uniqueStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "string") && new Set(v).size === v.length

/**
 * Most entries one keyword of one schema object may have (`properties`, `patternProperties`,
 * `dependentSchemas`/`dependencies`, `allOf`/`anyOf`/`oneOf`, `prefixItems`, a tuple `items`).
 * Ajv generates the check of each entry inside the previous one's: with about 2 100 (Node, as
 * editors and the SDK clients run it; fewer in Bun) compiling the schema overflows the stack
 * ("Maximum call stack size exceeded"), so a client that compiles tool schemas refuses the tool, or
 * the server's whole list. Real tools have a few dozen; half Node's bound leaves room for smaller
 * stacks. `$defs`/`definitions` are not compiled in line: not counted.
 */
export const MAX_BRANCHES = 1000

const WIDE_MAPS = ["properties", "patternProperties", "dependentSchemas", "dependencies"]
const WIDE_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems", "items"]

/** Where a keyword of `root` has more than `MAX_BRANCHES` entries (" /properties has 5,000 entries, …"), or undefined. */
export function tooWide(root: Obj): string | undefined {
  for (const { node, path } of subschemas(root)) {
    for (const k of WIDE_MAPS) {
      const v = node[k]
      if (isObj(v) && Object.keys(v).length > MAX_BRANCHES) return wideSays(path, k, Object.keys(v).length)
    }
    for (const k of WIDE_LISTS) {
      const v = node[k]
      if (Array.isArray(v) && v.length > MAX_BRANCHES) return wideSays(path, k, v.length)
    }
  }
  return undefined
}

function wideSays(path: readonly string[], k: string, n: number): string {
  return `${pointer([...path, k])} has ${n.toLocaleString("en")} entries, over the ${MAX_BRANCHES.toLocaleString("en")} one keyword may have: compiling it overflows the stack`
}

/**
 * Whether a schema certainly compiles in both engines as it is, judged without them (so a list of
 * ordinary schemas never loads Ajv): every keyword the meta-schemas constrain holds a value of its
 * kind, every regular expression compiles as JavaScript reads it, every `$ref` is a fragment that
 * resolves in the document (no `$id` anywhere). Conservative: false sends the schema to the engines
 * (an `enum` of objects, a keyword only they can judge), which may still find nothing wrong.
 */
export function plainlyCompiles(root: Obj): boolean {
  const anchors = new Map<string, Obj>()
  const refs: string[] = []
  const stack: Obj[] = [root]
  let seen = 0
  while (stack.length > 0) {
    const node = stack.pop()!
    if (++seen > 20_000) return false
    for (const [k, v] of Object.entries(node)) {
      if (ENGINE_ONLY.has(k)) return false
      if (k === "$id" || k === "id") return false
      if (STRINGS.has(k)) {
        if (typeof v !== "string") return false
        if (k === "$anchor") {
          if (anchors.has(v) || !/^[A-Za-z_][-A-Za-z0-9._]*$/.test(v)) return false
          anchors.set(v, node)
        }
        if (k === "$schema" && node === root && !KNOWN_DIALECTS.has(v)) return false
      } else if (k === "type") {
        if (typeof v === "string" ? !TYPES.has(v) : !(Array.isArray(v) && v.length > 0 && uniqueStrings(v) && v.every((t) => TYPES.has(t)))) return false
      } else if (k === "$ref") {
        if (typeof v !== "string") return false
        refs.push(v)
      } else if (k === "pattern") {
        if (typeof v !== "string" || !compiles(v)) return false
      } else if (k === "required") {
        if (!uniqueStrings(v)) return false
      } else if (k === "enum") {
        if (!Array.isArray(v) || v.length === 0 || v.some((x) => x !== null && typeof x === "object")) return false
        const keys = new Set(v.map((x) => `${typeof x}:${String(x)}`))
        if (keys.size !== v.length) return false
      } else if (k === "examples") {
        if (!Array.isArray(v)) return false
      } else if (k === "const" || k === "default") {
        // any value
      } else if (NUMBERS.has(k)) {
        if (typeof v !== "number") return false
      } else if (k === "multipleOf") {
        if (typeof v !== "number" || !(v > 0)) return false
      } else if (COUNTS.has(k)) {
        if (!isCount(v)) return false
      } else if (BOOLEANS.has(k)) {
        if (typeof v !== "boolean") return false
      } else if (k === "dependentRequired") {
        if (!isObj(v) || !Object.values(v).every(uniqueStrings)) return false
      } else if (SCHEMA_MAPS.has(k)) {
        if (!isObj(v)) return false
        // too many entries for the engines (`MAX_BRANCHES`): fixSchema says so ($defs are not compiled in line)
        if (k !== "$defs" && k !== "definitions" && Object.keys(v).length > MAX_BRANCHES) return false
        for (const [name, sub] of Object.entries(v)) {
          if (!isSchema(sub)) return false
          if (k === "patternProperties" && !compiles(name)) return false
          if (isObj(sub)) stack.push(sub)
        }
      } else if (SCHEMA_ONE.has(k)) {
        if (!isSchema(v)) return false
        if (isObj(v)) stack.push(v)
      } else if (SCHEMA_LISTS.has(k)) {
        if (!Array.isArray(v) || v.length === 0 || v.length > MAX_BRANCHES || !v.every(isSchema)) return false
        for (const sub of v) if (isObj(sub)) stack.push(sub)
      } else if (isObj(v)) stack.push(v) // an unknown keyword: its schemas are read as schemas (never less strict than the engines)
    }
  }
  return refs.every((r) => resolves(root, r, anchors, new Set()) === true && !refLoops(root, r, anchors))
}
