/**
 * @module catalog/validate
 * One bad downstream item must not break the aggregated list: an MCP client validates a whole
 * `tools/list` (`prompts/list`, `resources/list`, `resources/templates/list`) answer at once, so a
 * single tool without `inputSchema` would leave the client with no tools at all. Each item a
 * downstream lists is checked against the spec's definitions as the SDK writes them
 * (catalog/spec-items: `ToolSchema`, `PromptSchema`, `ResourceSchema`, `ResourceTemplateSchema`:
 * what the SDK `Client` enforces). Clients of both SDK
 * majors must accept the list: v2's `ToolSchema` no longer checks what v1's did (each `properties`
 * value an object, an `outputSchema` of type "object"), so `objectSchema` below enforces that, and
 * v2's one new rule (`outputSchema.$schema` a string) is applied too. What is safely
 * repairable is repaired (a missing `inputSchema` becomes `{ type: "object" }`, an `inputSchema`
 * without `type` gets `type: "object"`, a property whose schema is no schema (`"a": "string"`, `5`,
 * `null`) accepts the type it names or any value, optional fields of the wrong type are removed, a resource
 * without a `name` is named by its URI, a prompt argument without a name is removed, icons over `MAX_ICON_SRC`, a `_meta` over
 * `MAX_META_BYTES` and an `outputSchema` over `MAX_SCHEMA_BYTES` are removed); the rest is dropped.
 * Where only a tool's `inputSchema` is at fault (over `MAX_SCHEMA_BYTES`, nested past `MAX_NESTING`,
 * not compilable) the tool stays with `notReadInputSchema` (any arguments, saying so): the model can
 * still call it. Tool schemas are also normalised (see `schema-normalize.ts`), then made to compile
 * in the engines clients run (`schema-compile.ts`: Ajv draft-07 and 2020-12). The caller logs and
 * reports what happened.
 *
 * One definition never fails a listing: a field nesting deeper than `MAX_NESTING` levels is not read
 * (removed; a tool's `inputSchema` replaced as above; the item dropped only when its name, URI or
 * template is what nests) before anything walks it recursively (the depth is measured without
 * recursion), and any exception while checking one item drops that item, with the exception as the
 * reason.
 */
import { createHash } from "node:crypto"
import { eachSliced, errorMessage, isRecord as isObj } from "../core/index.ts"
import { compileErrors } from "./output-schema.ts"
import { withoutPatterns } from "./output-patterns.ts"
import { fixSchema, permissive, plainlyCompiles, schemaEngines, type Engines } from "./schema-compile.ts"
import { MAX_NESTING, nestsDeeper, normalizeSchema } from "./schema-normalize.ts"
import { AnnotationsSchema, IconSchema, PromptSchema, ResourceSchema, ResourceTemplateSchema, ToolAnnotationsSchema, ToolExecutionSchema, ToolSchema } from "./spec-items.ts"

type Obj = Record<string, unknown>

export type ItemKind = "tool" | "prompt" | "resource" | "template"

/** What was done to one item (`name` is the item's name, or `#<index>` when it has none). */
export interface ItemIssue {
  kind: ItemKind
  name: string
  action: "repaired" | "dropped"
  why: string
  /** Dropped as a later copy of a name (URI) the server listed already: the first copy is listed, nothing was invalid. */
  duplicate?: true
}

export interface CheckedList<T> {
  items: T[]
  /** The downstream's own item behind each kept one (same index), e.g. for pinning what the server sent. */
  sources: unknown[]
  issues: ItemIssue[]
}

interface Check {
  /** The item to keep (possibly a repaired copy), or undefined when dropped. */
  item: Obj | undefined
  repairs: string[]
  dropped?: string
  /** What stands for the item as sent (pins hash it) when a field of it was not read (`unreadFields`). */
  source?: Obj
}

interface Safe {
  safeParse(v: unknown): { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }
}

/** A short reason from a failed zod parse: the first issue's path and message. */
function reason(s: Safe, v: unknown): string | undefined {
  const r = s.safeParse(v)
  if (r.success) return undefined
  const i = r.error?.issues[0]
  return i ? `${i.path.map(String).join(".") || "(item)"}: ${i.message}` : "invalid"
}

/** Copy-on-write editing of one item, recording each repair. */
class Editor {
  item: Obj
  readonly repairs: string[] = []
  constructor(private readonly raw: Obj) {
    this.item = raw
  }
  set(key: string, value: unknown, why: string): void {
    if (this.item === this.raw) this.item = { ...this.raw }
    if (value === undefined) delete this.item[key]
    else this.item[key] = value
    this.repairs.push(why)
  }
  /** Remove optional `key` when present and not accepted by `schema`. */
  optional(key: string, schema: Safe): void {
    const v = this.item[key]
    if (v !== undefined && !schema.safeParse(v).success) this.set(key, undefined, `invalid ${key} removed`)
  }
  optionalString(key: string): void {
    const v = this.item[key]
    if (v !== undefined && typeof v !== "string") this.set(key, undefined, `non-string ${key} removed`)
  }
  icons(): void {
    const v = this.item.icons
    if (v === undefined) return
    if (!Array.isArray(v)) return this.set("icons", undefined, "invalid icons removed")
    const valid = v.filter((i) => IconSchema.safeParse(i).success)
    if (valid.length !== v.length) this.set("icons", valid.length ? valid : undefined, "invalid icons removed")
    const small = valid.filter((i) => (i as { src: string }).src.length <= MAX_ICON_SRC)
    if (small.length !== valid.length) this.set("icons", small.length ? small : undefined, `icons over ${MAX_ICON_SRC / 1024} KiB removed`)
    const unsafe = small.map((i) => unsafeIconSrc((i as { src: string }).src)).filter((why) => why !== undefined)
    if (unsafe.length !== 0) {
      const safe = small.filter((i) => unsafeIconSrc((i as { src: string }).src) === undefined)
      this.set("icons", safe.length ? safe : undefined, `icons removed: ${[...new Set(unsafe)].join(", ")} (an icon must be an https: or http: URL or a data:image/ URI)`)
    }
  }
  meta(): void {
    const v = this.item._meta
    if (v === undefined) return
    if (!isObj(v)) return this.set("_meta", undefined, "non-object _meta removed")
    const bytes = jsonLength(v)
    if (bytes > MAX_META_BYTES) this.set("_meta", undefined, `_meta of ${bytes === Infinity ? "unknown size" : `${bytes} bytes`} removed (over ${MAX_META_BYTES / 1024} KiB)`)
  }
}

/**
 * Why an icon's `src` is not passed on (its scheme, shown short), or undefined when it is an
 * `https:`/`http:` URL or a `data:image/…` URI: the spec's icons are "an HTTP/HTTPS URL or a data:
 * URI" with image data, and a client's UI puts `src` into an `<img>` or a link. A `javascript:`
 * or `vbscript:` URL runs code where a client makes it a link, a `data:text/html` one is a page, a
 * `file:` one reads the user's files from a client's webview, and a relative one resolves against
 * whatever page shows it.
 */
function unsafeIconSrc(src: string): string | undefined {
  // browsers skip leading spaces and control characters, and tabs and line breaks anywhere, in a scheme
  const s = src.slice(0, 256).replace(/^[\u0000-\u0020]+/, "").replace(/[\t\n\r]/g, "").toLowerCase()
  if (/^https?:/.test(s) || s.startsWith("data:image/")) return undefined
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(s)?.[1]
  if (scheme === undefined) return "a src with no URL scheme"
  if (scheme === "data") return `a data: URI of ${JSON.stringify(s.slice(5, 5 + 40).split(/[;,]/)[0] || "no type")}`
  return `a ${scheme.slice(0, 40)}: URL`
}

/**
 * Longest icon `src` passed on, in characters. An icon is a picture for a client's UI, mostly a
 * `data:` URI of a few KB (or an https URL): one of 5 MB went to every client in every tools/list
 * (and into the cache file), 5 MB per item that lists it. Longer ones are removed.
 */
export const MAX_ICON_SRC = 64 * 1024

/**
 * Largest `_meta` of a definition passed on, in bytes of JSON: metadata for clients (MCP Apps'
 * `ui`, vendor keys) is a few hundred bytes; no model reads it, and a server putting megabytes there
 * made every list that many megabytes for every client. A larger one is removed.
 */
export const MAX_META_BYTES = 64 * 1024

/**
 * Largest `inputSchema` (or `outputSchema`) of a tool read, in bytes of JSON. The largest real
 * tools' definitions are about 12 KB (mongodb's `export`, firecrawl's `scrape`); a schema of 1 MB
 * went to the model with every request (≈ 250 000 tokens: past most models' context, so every tool
 * of every server became unusable) and cost the shared thread about a second at each listing. A
 * larger input schema is replaced by `notReadInputSchema` (the tool stays); a larger output schema is removed. Wide but real
 * tools stay (a 3 000-property schema is ≈ 280 KB: describe_tools pages it, search shortens it).
 */
export const MAX_SCHEMA_BYTES = 512 * 1024

function sizeOf(bytes: number): string {
  return bytes === Infinity ? "of unknown size" : `${Math.round(bytes / 1024)} KiB`
}

/** Length of `v` as JSON text (Infinity when it has none: a cycle; nesting is bounded before this runs). */
function jsonLength(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0
  } catch {
    return Infinity
  }
}

function drop(why: string): Check {
  return { item: undefined, repairs: [], dropped: why }
}

/**
 * What a tool's `inputSchema` becomes when the server's cannot be passed on (too large, nested too
 * deep, not compilable): any arguments, saying so. The tool stays listed and callable; its server
 * checks the arguments (only the schema was at fault: dropping the tool left the model nothing).
 */
export function notReadInputSchema(why: string): Obj {
  return { type: "object", description: `The server's schema for these arguments was not passed on (${why}): any arguments are accepted here; the tool's description says which it takes.` }
}

/**
 * An object schema as MCP requires at the root of `inputSchema`/`outputSchema`, or why not:
 * `type` absent → `object` added; `properties` that is no object (`null`, `[]`, `"x"`) removed;
 * `properties` values `true`/`false` → `{}`/`{ not: {} }`, other values that are no schema → the
 * type they name or any value (`permissive`); a `required` that is not a list of strings loses its
 * bad entries. Only a root that is no object schema (`type: "array"`) is refused.
 */
function objectSchema(s: Obj, field: string, repairs: string[]): Obj | string {
  let out = s
  const edit = (): Obj => (out === s ? (out = { ...s }) : out)
  if (s.type === undefined) {
    edit().type = "object"
    repairs.push(`${field} without type: type "object" added`)
  } else if (Array.isArray(s.type) && s.type.includes("object") && s.type.every((t) => typeof t === "string")) {
    // ["object", "null"] (pydantic's Optional model, OpenAPI converters): arguments are always an object
    edit().type = "object"
    repairs.push(`${field} type ${JSON.stringify(s.type)} read as "object"`)
  } else if (s.type !== "object") return `${field} type is ${JSON.stringify(s.type)}, not "object"`
  const props = s.properties
  if (props === null) {
    // `properties: null` (a generator's empty map): no properties, as when absent
    delete edit().properties
    repairs.push(`${field}.properties null removed`)
  } else if (props !== undefined) {
    if (!isObj(props)) {
      // `properties: []` or `"x"` (a generator's empty list, a typo): it names no property the arguments could have
      delete edit().properties
      repairs.push(`${field}.properties is ${Array.isArray(props) ? "an array" : `a ${typeof props}`}, not an object: removed`)
    } else {
      let copy: Obj | undefined
      for (const [k, v] of Object.entries(props)) {
        if (typeof v === "boolean") {
          ;(copy ??= { ...props })[k] = v ? {} : { not: {} }
          repairs.push(`${field}.properties.${k}: boolean schema written as an object`)
        } else if (!isObj(v)) {
          const p = permissive(v)
          ;(copy ??= { ...props })[k] = p.schema
          repairs.push(`${field}.properties.${k} ${p.note}`)
        }
      }
      if (copy) edit().properties = copy
    }
  }
  const req = s.required
  if (req !== undefined && !(Array.isArray(req) && req.every((x) => typeof x === "string"))) {
    const kept = Array.isArray(req) ? req.filter((x): x is string => typeof x === "string") : []
    if (kept.length) edit().required = kept
    else delete edit().required
    repairs.push(`${field}.required is not a list of names: fixed`)
  }
  return normalizeSchema(out)
}

function checkTool(raw: unknown): Check {
  if (!isObj(raw)) return drop("not an object")
  if (typeof raw.name !== "string" || raw.name.trim() === "") return drop("missing or empty name")
  const e = new Editor(raw)
  const inputBytes = jsonLength(raw.inputSchema)
  if (inputBytes > MAX_SCHEMA_BYTES) {
    const why = `it is ${sizeOf(inputBytes)} of JSON, over the ${MAX_SCHEMA_BYTES / 1024} KiB a tool's schema may have: it would fill the model's context at every turn`
    e.set("inputSchema", notReadInputSchema(why), `inputSchema not read (${why}): set to {"type":"object"}, any arguments`)
  }
  e.optionalString("title")
  e.optionalString("description")
  const outputBytes = jsonLength(raw.outputSchema)
  if (outputBytes > MAX_SCHEMA_BYTES) e.set("outputSchema", undefined, `outputSchema of ${sizeOf(outputBytes)} removed (over ${MAX_SCHEMA_BYTES / 1024} KiB)`)
  const input = e.item.inputSchema
  if (input === undefined || input === null) e.set("inputSchema", { type: "object" }, 'missing inputSchema set to {"type":"object"}')
  // the boolean schema `true` accepts any arguments, as an object schema with no properties does
  else if (input === true) e.set("inputSchema", { type: "object" }, 'inputSchema true (any arguments) set to {"type":"object"}')
  else if (!isObj(input)) return drop(`inputSchema is ${Array.isArray(input) ? "an array" : typeof input}, not an object`)
  else {
    const s = objectSchema(input, "inputSchema", e.repairs)
    if (typeof s === "string") return drop(s)
    if (s !== input) e.set("inputSchema", s, "")
  }
  const output = e.item.outputSchema
  if (output !== undefined) {
    const s = !isObj(output)
      ? "outputSchema is not an object"
      : output.$schema !== undefined && typeof output.$schema !== "string"
        ? "outputSchema.$schema is not a string"
        : objectSchema(output, "outputSchema", e.repairs)
    if (typeof s === "string") e.set("outputSchema", undefined, `${s}: outputSchema removed`)
    else {
      // the client checks results against it, and only a schema without regular expressions is checked here first (output-patterns.ts)
      const plain = withoutPatterns(s)
      if (plain !== output) e.set("outputSchema", plain, "")
    }
  }
  e.optional("annotations", ToolAnnotationsSchema)
  e.optional("execution", ToolExecutionSchema)
  e.icons()
  e.meta()
  return finish(e, ToolSchema)
}

function checkPrompt(raw: unknown): Check {
  if (!isObj(raw)) return drop("not an object")
  if (typeof raw.name !== "string" || raw.name.trim() === "") return drop("missing or empty name")
  const e = new Editor(raw)
  e.optionalString("title")
  e.optionalString("description")
  const args = raw.arguments
  if (args !== undefined) {
    if (!Array.isArray(args)) e.set("arguments", undefined, "non-list arguments removed")
    else {
      let copy: unknown[] | undefined
      /** Arguments left out so far (indices in `copy` shift by this many). */
      let gone = 0
      for (const [i, a] of args.entries()) {
        if (!isObj(a) || typeof a.name !== "string" || a.name === "") {
          // no client can fill in an argument without a name: it goes, the prompt stays (it cost the whole prompt)
          ;(copy ??= [...args]).splice(i - gone++, 1)
          e.repairs.push(`argument #${i} ${isObj(a) ? "has no name" : "is not an object"}: removed`)
          continue
        }
        const ae = new Editor(a)
        ae.optionalString("description")
        ae.optionalString("title")
        if (a.required !== undefined && typeof a.required !== "boolean") ae.set("required", undefined, "non-boolean required removed")
        if (ae.item !== a) {
          ;(copy ??= [...args])[i - gone] = ae.item
          e.repairs.push(...ae.repairs.map((r) => `argument ${a.name}: ${r}`))
        }
      }
      if (copy) e.set("arguments", copy, "")
    }
  }
  e.icons()
  e.meta()
  return finish(e, PromptSchema)
}

function checkResource(raw: unknown, uriKey: "uri" | "uriTemplate", schema: Safe): Check {
  if (!isObj(raw)) return drop("not an object")
  const uri = raw[uriKey]
  if (typeof uri !== "string" || uri === "") return drop(`missing ${uriKey}`)
  const e = new Editor(raw)
  if (typeof raw.name !== "string" || raw.name === "") e.set("name", uri, `missing name set to the ${uriKey}`)
  e.optionalString("title")
  e.optionalString("description")
  e.optionalString("mimeType")
  if (raw.size !== undefined && typeof raw.size !== "number") e.set("size", undefined, "non-number size removed")
  e.optional("annotations", AnnotationsSchema)
  e.icons()
  e.meta()
  return finish(e, schema)
}

/** The final word is the SDK's schema: anything it still rejects is dropped. */
function finish(e: Editor, schema: Safe): Check {
  const why = reason(schema, e.item)
  if (why) return drop(why)
  return { item: e.item, repairs: e.repairs.filter((r) => r !== "") }
}

const CHECKS: Record<ItemKind, (raw: unknown) => Check> = {
  tool: checkTool,
  prompt: checkPrompt,
  resource: (r) => checkResource(r, "uri", ResourceSchema),
  template: (r) => checkResource(r, "uriTemplate", ResourceTemplateSchema),
}

function nameOf(raw: unknown, kind: ItemKind, i: number): string {
  if (isObj(raw)) {
    const key = kind === "resource" ? "uri" : kind === "template" ? "uriTemplate" : "name"
    const n = raw[key]
    if (typeof n === "string" && n.trim() !== "") return n
  }
  return `#${i}`
}

/**
 * Per kind, the item objects as the server sent them that passed as they are (most do), and the
 * check of the others. Items are never mutated, and a relist hands an unchanged definition in as the
 * object listed before (proxy/fetch-list): a list change of one tool re-checks that tool, and the
 * same checked object comes out for the others. A set for the clean ones: a check each would hold
 * ~1.5 MB more for 5 000 tools.
 */
const clean: Record<ItemKind, WeakSet<object>> = { tool: new WeakSet(), prompt: new WeakSet(), resource: new WeakSet(), template: new WeakSet() }
const checked: Record<ItemKind, WeakMap<object, Check>> = { tool: new WeakMap(), prompt: new WeakMap(), resource: new WeakMap(), template: new WeakMap() }
const NO_REPAIRS: string[] = []

function checkOnce(kind: ItemKind, raw: unknown): Check {
  if (raw === null || typeof raw !== "object") return CHECKS[kind](raw)
  if (clean[kind].has(raw)) return { item: raw as Obj, repairs: NO_REPAIRS }
  let c = checked[kind].get(raw)
  if (c !== undefined) return c
  c = checkSafely(kind, raw)
  if (c.item === raw && c.repairs.length === 0) clean[kind].add(raw)
  else checked[kind].set(raw, c)
  return c
}

/**
 * One item's check, never throwing: nesting past `MAX_NESTING` (measured without recursion) drops it
 * unread; an exception while checking it (the SDK's schemas, normalising) drops it with that reason.
 */
function checkSafely(kind: ItemKind, raw: object): Check {
  try {
    // the item is level 1, its fields' values level 2
    if (!nestsDeeper(raw, MAX_NESTING)) return CHECKS[kind](raw)
    if (Array.isArray(raw)) return drop(`it ${TOO_DEEP}`)
    const bounded = unreadFields(kind, raw as Obj)
    if (typeof bounded === "string") return drop(bounded)
    const c = CHECKS[kind](bounded.item)
    if (c.item === undefined) return c
    return { item: c.item, repairs: [...bounded.repairs, ...c.repairs], source: bounded.source }
  } catch (e) {
    return drop(`checking its definition failed: ${errorMessage(e)}`)
  }
}

const TOO_DEEP = `nests more than ${MAX_NESTING} levels deep (the most mcp-orchestrator reads in a definition; no real schema comes near it)`

/** The field naming an item of `kind` (what routes to it): one that nests too deep leaves nothing to list. */
const KEY: Record<ItemKind, string> = { tool: "name", prompt: "name", resource: "uri", template: "uriTemplate" }

/**
 * `raw` without the fields that nest past `MAX_NESTING` (each named in `repairs`), and what stands
 * for it as sent (the unread fields as a digest: pins still see a change of them); or why nothing can
 * be listed (its name, URI or template is what nests). A tool's `inputSchema` so becomes
 * `notReadInputSchema` (the tool stays callable: only its schema was at fault; before, the whole tool
 * was dropped); any other field (optional, all of them) is removed.
 */
function unreadFields(kind: ItemKind, raw: Obj): { item: Obj; source: Obj; repairs: string[] } | string {
  const item = { ...raw }
  const source = { ...raw }
  const repairs: string[] = []
  for (const [k, v] of Object.entries(raw)) {
    if (!nestsDeeper(v, MAX_NESTING - 1)) continue
    if (k === KEY[kind]) return `${k} ${TOO_DEEP}: not read`
    source[k] = { $notRead: deepDigest(v) }
    if (kind === "tool" && k === "inputSchema") {
      item[k] = notReadInputSchema(`it ${TOO_DEEP}`)
      repairs.push(`inputSchema ${TOO_DEEP}: not read, set to {"type":"object"}, any arguments`)
    } else {
      delete item[k]
      repairs.push(`${k} ${TOO_DEEP}: removed`)
    }
  }
  return { item, source, repairs }
}

/**
 * A sha256 of `v` however deep (an explicit stack, never recursion; keys in sorted order; an object
 * met twice, as in a cycle, hashed as a marker): what a pin compares for a field not read.
 */
function deepDigest(v: unknown): string {
  const h = createHash("sha256")
  const seen = new Set<object>()
  const stack: unknown[] = [v]
  while (stack.length > 0) {
    const x = stack.pop()
    if (x === null || typeof x !== "object") {
      h.update(`${JSON.stringify(x) ?? "null"};`)
      continue
    }
    if (seen.has(x)) {
      h.update("^;")
      continue
    }
    seen.add(x)
    if (Array.isArray(x)) {
      h.update(`[${x.length};`)
      for (let i = x.length - 1; i >= 0; i--) stack.push(x[i])
      continue
    }
    const keys = Object.keys(x).sort()
    h.update(`{${JSON.stringify(keys)};`)
    for (let i = keys.length - 1; i >= 0; i--) stack.push((x as Obj)[keys[i]!])
  }
  return h.digest("hex")
}

/** Check every item of one downstream list: the items to keep (repaired where needed) and what was done. */
export function checkList<T>(kind: ItemKind, raw: readonly unknown[]): CheckedList<T> {
  const c = listChecker<T>(kind)
  raw.forEach(c.add)
  return c.out
}

/** `checkList`, a slice per turn of the event loop for a long list (core/sliced; a short one as checkList, in one go). */
export async function checkListSliced<T>(kind: ItemKind, raw: readonly unknown[]): Promise<CheckedList<T>> {
  const c = listChecker<T>(kind)
  await eachSliced(raw, c.add)
  return c.out
}

/** One list's check, an item at a time (`add` in order). */
function listChecker<T>(kind: ItemKind): { add: (r: unknown, i: number) => void; out: CheckedList<T> } {
  const out: CheckedList<T> = { items: [], sources: [], issues: [] }
  const { items, sources, issues } = out
  /**
   * Keys kept so far, with the source kept: a tool's or prompt's name (what calls route by), a
   * resource's URI, a template's URI template (what reads route by; a template listed twice was
   * listed twice to the client).
   */
  const kept = new Map<string, unknown>()
  const field = kind === "resource" ? "uri" : kind === "template" ? "uriTemplate" : "name"
  /** Per name listed again: its one issue, how often it was listed, whether any copy differs from the first. */
  const repeats = new Map<string, { issue: ItemIssue; times: number; differs: boolean }>()
  const add = (r: unknown, i: number): void => {
    const c = checkOnce(kind, r)
    if (c.item === undefined) issues.push({ kind, name: nameOf(r, kind, i), action: "dropped", why: c.dropped ?? "invalid" })
    else if (kept.has(c.item[field] as string)) {
      // one issue per name however often it comes again: a server whose cursor never ends with the
      // same page each time listed each tool 100 times, and was 99 warnings and status entries each
      const key = c.item[field] as string
      const d = repeats.get(key)
      const differs = !sameDefinition(kept.get(key), c.source ?? r)
      if (d === undefined) {
        const issue: ItemIssue = { kind, name: key, action: "dropped", why: duplicateWhy(2, differs), duplicate: true }
        repeats.set(key, { issue, times: 2, differs })
        issues.push(issue)
      } else {
        d.times++
        d.differs ||= differs
        d.issue.why = duplicateWhy(d.times, d.differs)
      }
    }
    else {
      kept.set(c.item[field] as string, c.source ?? r)
      items.push(c.item as T)
      sources.push(c.source ?? r)
      if (c.repairs.length) issues.push({ kind, name: nameOf(r, kind, i), action: "repaired", why: c.repairs.join("; ") })
    }
  }
  return { add, out }
}

/**
 * A name listed twice by one server: the first definition is kept. Passing both on would make
 * clients reject or mis-route the list, and the rug-pull pins would see the name flip between two
 * definitions on every listing.
 */
function duplicateWhy(times: number, differs: boolean): string {
  return `listed more than once by the server${times > 2 ? ` (${times} times)` : ""}${differs ? " with different definitions" : ""}: the first one is kept`
}

function sameDefinition(first: unknown, again: unknown): boolean {
  return first === again || sameJson(first, again)
}

/** Whether `a` and `b` are the same JSON (false when either has none: a cycle, or past the engine's depth). */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b)
  } catch {
    return false
  }
}

/** `checkList("tool", …)`, then each remaining `outputSchema` compiled as the SDK client will (see output-schema.ts). */
export async function checkTools<T>(raw: readonly unknown[]): Promise<CheckedList<T>> {
  const r = await compiledSchemas(await checkListSliced<Obj>("tool", raw))
  const idx = r.items.flatMap((t, i) => (isObj(t.outputSchema) ? [i] : []))
  if (idx.length === 0) return r as CheckedList<T>
  const errors = await compileErrors(idx.map((i) => r.items[i]!.outputSchema as Obj))
  idx.forEach((i, j) => {
    const err = errors[j]
    if (err === undefined) return
    const { outputSchema: _dropped, ...rest } = r.items[i]!
    r.items[i] = rest
    const name = String(rest.name)
    const why = `outputSchema does not compile (${err}): outputSchema removed`
    const known = r.issues.find((x) => x.action === "repaired" && x.name === name)
    if (known) known.why += `; ${why}`
    else r.issues.push({ kind: "tool", name, action: "repaired", why })
  })
  return r as CheckedList<T>
}

/** Per checked tool object whose schemas needed a change, the tool as they compile, or why they cannot. */
const compiled = new WeakMap<object, { tool?: Obj; repairs: string[]; dropped?: string }>()
/** Checked tool objects whose schemas compile as they are (most: a set, not a verdict each). */
const fine = new WeakSet<object>()

/** One tool's schemas made to compile in the engines clients use (schema-compile.ts): the input's or any arguments (`notReadInputSchema`), the output's or removed. */
function compileTool(t: Obj, engines: Engines | undefined): { tool?: Obj; repairs: string[]; dropped?: string } {
  if (fine.has(t)) return { tool: t, repairs: NO_REPAIRS }
  let c = compiled.get(t)
  if (c !== undefined) return c
  if (engines === undefined) return { tool: t, repairs: NO_REPAIRS } // every schema of the list plainly compiles
  let tool = t
  const repairs: string[] = []
  const input = fixSchema(t.inputSchema as Obj, "inputSchema", engines)
  repairs.push(...input.repairs)
  // one that cannot be made to: clients that compile tool schemas would refuse it, or the whole list
  const why = `${input.error ?? "inputSchema does not compile"} in the engines clients use`
  if (input.schema === undefined) repairs.push(`${why}: set to {"type":"object"}, any arguments`)
  const schema = input.schema ?? notReadInputSchema(why)
  if (schema !== t.inputSchema) tool = { ...tool, inputSchema: schema }
  if (isObj(t.outputSchema)) {
    const output = fixSchema(t.outputSchema, "outputSchema", engines)
    repairs.push(...output.repairs)
    if (output.schema === undefined) {
      const { outputSchema: _gone, ...rest } = tool
      tool = rest
      repairs.push(`${output.error ?? "outputSchema does not compile"}: outputSchema removed`)
    } else if (output.schema !== t.outputSchema) tool = { ...tool, outputSchema: output.schema }
  }
  c = { tool, repairs }
  if (c.tool === t && repairs.length === 0) fine.add(t)
  else compiled.set(t, c)
  return c
}

/** `r` with each tool's schemas made to compile (schema-compile.ts); what was repaired or dropped added to its issues. */
async function compiledSchemas(r: CheckedList<Obj>): Promise<CheckedList<Obj>> {
  if (r.items.length === 0) return r
  // the engines are loaded only for a list with a schema not plainly fine (most lists have none)
  const plain = (s: unknown): boolean => !isObj(s) || plainlyCompiles(s)
  let allPlain = true
  await eachSliced(r.items, (t) => {
    if (allPlain && !(fine.has(t) || compiled.has(t) || (plain(t.inputSchema) && plain(t.outputSchema) && (fine.add(t), true)))) allPlain = false
  })
  const engines = allPlain ? undefined : await schemaEngines()
  const items: Obj[] = []
  const sources: unknown[] = []
  await eachSliced(r.items, (t, i) => {
    let c: { tool?: Obj; repairs: string[]; dropped?: string }
    try {
      c = compileTool(t, engines)
    } catch (e) {
      c = { repairs: [], dropped: `checking its definition failed: ${errorMessage(e)}` }
    }
    const name = String(t.name)
    const known = r.issues.find((x) => x.action === "repaired" && x.name === name)
    if (c.tool === undefined) {
      if (known) r.issues.splice(r.issues.indexOf(known), 1)
      r.issues.push({ kind: "tool", name, action: "dropped", why: c.dropped ?? "invalid" })
      return
    }
    items.push(c.tool)
    sources.push(r.sources[i])
    if (c.repairs.length === 0) return
    if (known) known.why += `; ${c.repairs.join("; ")}`
    else r.issues.push({ kind: "tool", name, action: "repaired", why: c.repairs.join("; ") })
  })
  return { items, sources, issues: r.issues }
}
