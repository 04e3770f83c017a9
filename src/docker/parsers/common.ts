/**
 * @module docker/parsers/common
 * Shared pieces of the output parsers: decoding JSON-or-YAML text, loose zod shapes for the Go
 * structs (unknown fields ignored, `null` accepted for lists) and catalog tile normalization.
 */
import { z } from "zod"
import { parse as parseYaml } from "yaml"
import { isRecord } from "../../core/index.ts"
import { cliText } from "./cli-text.ts"

export { cliText }

/** Raised by a variant parser when the value does not have its shape. */
export class ShapeMismatch extends Error {
  override name = "ShapeMismatch"
}

/**
 * JSON first (exact), then JSON amid log lines (a CLI update, a Desktop hint or a deprecation
 * warning printed on stdout before or after the JSON document, `Tip: …`, `WARNING: …`, does not make
 * the document unreadable), then YAML (a superset, also handles `null`, empty text, no trailing
 * newline; not tried on a large text that opens like JSON).
 */
export function decodeText(text: string): unknown {
  const trimmed = cliText(text).trim()
  if (trimmed === "") return null
  let jsonError: string
  try {
    return JSON.parse(trimmed)
  } catch (e) {
    jsonError = (e as Error).message
  }
  // one JSON object per line (the Docker CLI's `--format json` for lists): all of them, before the
  // search for one document amid log lines, which would take the first line's object for the whole
  const perLine = jsonObjectLines(trimmed) ?? jsonArrayLines(trimmed)
  if (perLine) return perLine
  // JSON with log lines around it: before YAML, which would take seconds on a large JSON catalog
  const amid = jsonAmidLines(trimmed)
  if (amid.found) return amid.value
  // A large text that opens like JSON and is not: YAML would hold the thread for seconds and take
  // hundreds of MB on it (9 MB: ~3 s, +560 MB), to fail as well.
  if (trimmed.length > YAML_MAX_JSON_LIKE && /^(?:[^\n]*\n){0,8}\s*[[{]/.test(trimmed.slice(0, 4096))) throw new ShapeMismatch(`not JSON: ${jsonError}`)
  let value: unknown
  let yamlError: string | undefined
  try {
    value = parseYaml(trimmed, { uniqueKeys: false, maxAliasCount: 100 })
  } catch (e) {
    yamlError = (e as Error).message.split("\n")[0]
  }
  if (yamlError === undefined && !(typeof value === "string" || typeof value === "number" || typeof value === "boolean")) return value
  if (yamlError !== undefined) throw new ShapeMismatch(`neither JSON nor YAML: ${yamlError}`)
  throw new ShapeMismatch("output is plain text, not JSON or YAML data")
}

/** Words a CLI notice opens with (`Tip: …`, `WARNING: …`), as a YAML key. */
const NOTICE_KEY = /^(?:warn(?:ing)?|tip|hint|note|notice|info|deprecat\w*|update|error)$/i

/**
 * A top-level `key: text` pair of legacy config.yaml output that is a line the CLI printed around
 * the file (a Desktop `Tip: …` hint, `WARNING: …`, `A new version of docker-mcp is available:
 * v0.44.0`), not a server: its value is text where a server's config is a map, and its key is a
 * notice word or holds characters no server name has (spaces, `'`). YAML reads such a line as a pair.
 */
export function isNoticePair(key: unknown, value: unknown): boolean {
  if (typeof key !== "string" || typeof value !== "string" || value.trim() === "") return false
  return NOTICE_KEY.test(key.trim()) || /[^A-Za-z0-9._-]/.test(key)
}


/**
 * The whole output is one sentence saying a list is empty, as the human form prints it (`No server
 * is enabled`, `No servers enabled`, `No secrets found`, `0 tools:`): a CLI that ignores the JSON
 * flag when there is nothing to list. Anything more (a second line, another word) is not this.
 */
const EMPTY_LIST_SENTENCE = /^(?:no [a-z -]{1,40}?(?: (?:is|are|were|was))? (?:enabled|found|configured|available|installed|listed|defined|set|stored|yet)|there (?:is|are) no [a-z -]{1,40}|0 [a-z -]{1,40}?(?: found| listed| enabled)?:?)\.?$/i

export function isEmptyListSentence(text: string): boolean {
  return text.length <= 200 && EMPTY_LIST_SENTENCE.test(cliText(text).trim())
}

/** Text that opens like JSON and is longer than this is not tried as YAML when it is not JSON. */
const YAML_MAX_JSON_LIKE = 1 << 20

/**
 * JSON Lines: two or more lines that are each a whole JSON object (`docker ps --format json` style),
 * as a list, with log lines (that do not look like JSON) between or around them left out. Null when
 * the text is not that: a pretty-printed document has no line that is a whole object of its own.
 */
function jsonObjectLines(text: string): unknown[] | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  if (lines.length < 2) return null
  const objects: unknown[] = []
  for (const line of lines) {
    if (!/^\{.*\}$/.test(line)) {
      if (/^[[\]{}"]/.test(line)) return null
      continue
    }
    try {
      const value: unknown = JSON.parse(line)
      if (!isRecord(value)) return null
      objects.push(value)
    } catch {
      return null
    }
  }
  return objects.length >= 2 ? objects : null
}

/**
 * Lists printed one per line (a list per profile or per catalog, `[…]` on each line): two or more
 * lines that are each a whole JSON array are their items together, as JSON Lines of objects are;
 * taking the first line's list for the whole dropped the others without a word.
 */
function jsonArrayLines(text: string): unknown[] | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  if (lines.length < 2) return null
  const items: unknown[] = []
  let arrays = 0
  for (const line of lines) {
    if (!/^\[.*\]$/.test(line)) {
      if (/^[[\]{}"]/.test(line)) return null
      continue
    }
    try {
      const value: unknown = JSON.parse(line)
      if (!Array.isArray(value)) return null
      items.push(...value)
      arrays++
    } catch {
      return null
    }
  }
  return arrays >= 2 ? items : null
}

/** Text left out around a JSON document over this many bytes is more than log lines: said. */
const LEFT_OUT_TEXT_NOTED = 1024

/**
 * What `jsonAmidLines` left out around the document found (lines `a`..`b`): another JSON document
 * (the command printed two where it prints one: which is meant is not guessed) is an error; a lot
 * of text that is neither (10 MB of something after the catalog) is noted as left out, so the answer
 * says it is partial; a few log lines (`- Reading profile configuration...`) are dropped quietly.
 */
function checkLeftAround(lines: readonly string[], a: number, b: number): void {
  const before = lines.slice(0, a)
  const after = lines.slice(b + 1)
  const around = [...before, ...after]
  // a document on one line, or pretty-printed over the lines before or after
  for (const [where, block] of [["before", before], ["after", after]] as const) {
    for (const t of [block.join("\n").trim(), ...block.map((l) => l.trim())]) {
      if (!/^[[{]/.test(t) || t.length > YAML_MAX_JSON_LIKE || !/[\]}]$/.test(t)) continue
      let v: unknown
      try {
        v = JSON.parse(t)
      } catch {
        continue
      }
      if (v !== null && typeof v === "object") throw new ShapeMismatch(`another JSON document ${where} the one read, where the command prints one (which of them holds the answer is not guessed)`)
    }
  }
  const bytes = around.reduce((n, l) => n + l.length, 0)
  if (bytes > LEFT_OUT_TEXT_NOTED) noteSkipped(`${around.length} line(s), ${bytes} characters of text around the JSON document (neither JSON nor a notice) not read`)
}

/** At most this many lines before or after the document are taken for log lines. */
const MAX_LOG_LINES = 8

/**
 * One JSON document (object or array) on whole lines of `text`, with other lines before or after
 * it: from one of the first lines that opens `{`/`[` to one of the last that closes `}`/`]`. A
 * bounded number of tries (a large document is parsed once at most per pair of candidates).
 */
function jsonAmidLines(text: string): { found: true; value: unknown } | { found: false } {
  const lines = text.split(/\r?\n/)
  if (lines.length < 2) return { found: false }
  const starts: number[] = []
  const ends: number[] = []
  for (let i = 0; i < lines.length && i <= MAX_LOG_LINES; i++) if (/^\s*[[{]/.test(lines[i] as string)) starts.push(i)
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 1 - MAX_LOG_LINES; i--) if (/[\]}]\s*$/.test(lines[i] as string)) ends.push(i)
  const big = text.length > 1 << 20
  let tries = 0
  for (const a of starts) {
    for (const b of ends) {
      if (b < a || (a === 0 && b === lines.length - 1)) continue
      if (++tries > (big ? 2 : 16)) return { found: false }
      try {
        const value: unknown = JSON.parse(lines.slice(a, b + 1).join("\n"))
        if (value !== null && typeof value === "object") {
          checkLeftAround(lines, a, b)
          return { found: true, value }
        }
      } catch (e) {
        // two documents: said, not another pair tried (which would find one of them)
        if (e instanceof ShapeMismatch) throw e
        // not this pair
      }
    }
  }
  return { found: false }
}

export function expect<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw new ShapeMismatch(`not ${what}: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid"}`)
  }
  return r.data
}

export { isRecord }

/** `null` (Go nil slice) → []. */
export const nullableList = <T extends z.ZodType>(item: T) => z.array(item).nullable().transform((v) => v ?? [])

/** Where the parse running now notes what it left out (set by the registry around each synchronous step). */
let skippedSink: string[] | undefined

/** Notes an entry of the output that was left out, for the warning that comes with the partial data. */
export function noteSkipped(note: string): void {
  skippedSink?.push(note)
}

/** Runs `fn` (synchronous: one step of a parse) with its left-out entries noted into `into`. */
export function collectingSkipped<T>(into: string[], fn: () => T): T {
  const prev = skippedSink
  skippedSink = into
  try {
    return fn()
  } finally {
    skippedSink = prev
  }
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0]
  return issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid"
}

/**
 * A list read item by item (`null` = []): an item of a shape the driver does not know is left out
 * and noted (`noteSkipped`), the others kept, so one odd entry (a tool without a name, a secret
 * printed as null) does not make the whole answer unreadable. `allBadFails`: a non-empty list none
 * of whose items reads is a format the driver does not know, an error naming the first item's
 * problem, never an empty list (for the answer itself; a server's tool list just ends up empty).
 */
export function lenientList<T extends z.ZodType>(item: T, what: string, allBadFails: boolean) {
  return z
    .preprocess((v) => {
      // a list wrapped in one key or keyed by name (`{"servers": {"github": {…}}}`) is that list
      const w = wrappedList(v)
      return w && "list" in w ? w.list : v
    }, z.array(z.unknown()).nullable())
    .transform((items, ctx) => {
      const out: Array<z.output<T>> = []
      let first: string | undefined
      for (const [i, raw] of (items ?? []).entries()) {
        const r = item.safeParse(raw)
        if (r.success) {
          noteUnread(`${what} ${i}${describeItem(raw)}`, raw, r.data)
          out.push(r.data)
          continue
        }
        const why = `${what} ${i}${describeItem(raw)}: ${issueText(r.error)}`
        first ??= why
        noteSkipped(why)
      }
      if (allBadFails && out.length === 0 && first !== undefined) {
        ctx.addIssue({ code: "custom", message: `none of its ${items?.length} entries could be read (${first})` })
        return z.NEVER
      }
      return out
    })
}

/**
 * The fields of an entry as printed (`raw`) that its forgiving shape read as nothing: present with
 * a value, absent from what was read (`parsed`): a field of another type than the one the driver
 * knows (a number where a string was, a string where a list was), which the shape drops so that one
 * odd field does not lose the entry. Top-level fields only (a nested shape may drop unknown keys).
 */
export function unreadFields(raw: unknown, parsed: unknown): string[] {
  if (!isRecord(raw) || !isRecord(parsed)) return []
  return Object.keys(raw).filter((k) => raw[k] !== undefined && raw[k] !== null && parsed[k] === undefined)
}

/** What a value is, in words (never the value: it may be a secret). */
function typeWords(v: unknown): string {
  if (Array.isArray(v)) return "a list"
  if (isRecord(v)) return "an object"
  return typeof v === "number" || typeof v === "bigint" ? "a number" : typeof v === "string" ? "a string" : typeof v === "boolean" ? "a boolean" : typeof v
}

/**
 * Notes (`noteSkipped`) the fields of `raw` its shape could not read (`unreadFields`), so an entry
 * read without its description or tools says so in the answer, never reads as the whole entry.
 */
export function noteUnread(where: string, raw: unknown, parsed: unknown): void {
  const fields = unreadFields(raw, parsed)
  if (fields.length === 0) return
  const r = raw as Record<string, unknown>
  noteSkipped(`${where}: ${fields.slice(0, 6).map((k) => `${JSON.stringify(k.slice(0, 64))} (${typeWords(r[k])})`).join(", ")}${fields.length > 6 ? ", …" : ""} not read (another type than this driver reads)`)
}

/** The note for a snapshot that has no `server` object: the keys it has instead (names only). */
export function snapshotWithoutServer(name: string, snapshot: Record<string, unknown>): string {
  const keys = Object.keys(snapshot).filter((k) => k !== "server")
  const has = keys.length ? `it has ${keys.slice(0, 4).map((k) => JSON.stringify(k.slice(0, 64))).join(", ")}${keys.length > 4 ? ", …" : ""}` : "it is empty"
  return `server ${JSON.stringify(name)}: its snapshot has no \`server\` (${has}): named from its image or source; its description, tools, secrets and config not read`
}

/** ` ("name")` for an item that has a name string, for the note that says it was left out. */
function describeItem(raw: unknown): string {
  return isRecord(raw) && typeof raw.name === "string" && raw.name ? ` (${JSON.stringify(raw.name.slice(0, 64))})` : ""
}

export const PolicyIn = z.object({ allowed: z.boolean(), reason: z.string().optional(), error: z.string().optional() }).optional().catch(undefined)

/** Tool argument in catalog / toolsUrl form. */
const ArgumentIn = z.looseObject({ name: z.string(), type: z.string().optional(), desc: z.string().optional(), items: z.unknown().optional(), optional: z.boolean().optional() })

export const ToolIn = z.looseObject({
  name: z.string().min(1),
  title: z.string().optional().catch(undefined),
  description: z.string().nullish().catch(undefined),
  inputSchema: z.record(z.string(), z.unknown()).nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  outputSchema: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  arguments: z.array(ArgumentIn).nullish().catch(undefined),
  annotations: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  enabled: z.boolean().optional().catch(undefined),
  policy: PolicyIn,
})
export type ToolInT = z.output<typeof ToolIn>

/** `[{name,type,desc}]` (toolsUrl / legacy inspect) → a JSON Schema object. */
export function argumentsToSchema(args: ReadonlyArray<z.output<typeof ArgumentIn>>): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  const required: string[] = []
  for (const a of args) {
    const prop: Record<string, unknown> = { type: a.type ?? "string" }
    if (a.desc) prop.description = a.desc
    if (a.items !== undefined) prop.items = a.items
    properties[a.name] = prop
    if (!a.optional) required.push(a.name)
  }
  return required.length ? { type: "object", properties, required } : { type: "object", properties }
}

/**
 * `catalog.Parameters{type, properties, required}` has no omitempty: Go prints `"type": ""` and
 * `"required": null` for unset fields, which are not valid JSON Schema. Keep only what is set.
 */
function goParameters(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...p, type: typeof p.type === "string" && p.type ? p.type : "object" }
  if (!Array.isArray(p.required)) delete out.required
  return out
}

/** One normalized tool from any of the shapes (go-sdk, mcp-go, catalog tile, toolsUrl). */
export function normTool(t: ToolInT): Record<string, unknown> {
  // Typed catalogs (≥ v0.38) carry an empty `parameters` stub on every tool: only a real one counts.
  const params = t.parameters && isRecord(t.parameters.properties) && Object.keys(t.parameters.properties).length ? goParameters(t.parameters) : undefined
  const inputSchema = t.inputSchema ?? params ?? argumentsToSchema(t.arguments ?? [])
  return {
    name: t.name,
    title: t.title,
    description: t.description ?? undefined,
    inputSchema: { type: "object", ...inputSchema },
    outputSchema: t.outputSchema ?? undefined,
    annotations: t.annotations ?? undefined,
    enabled: t.enabled,
    policy: t.policy,
  }
}

const RemoteIn = z.looseObject({ url: z.string().optional(), transport_type: z.string().optional(), headers: z.record(z.string(), z.string()).optional().catch(undefined) })
const MetaIn = z.looseObject({ tags: z.array(z.string()).nullish().catch(undefined), category: z.string().nullish().catch(undefined) })

/** `catalog.Server` / legacy tile, every field optional and forgiving. */
export const TileIn = z.looseObject({
  name: z.string().optional().catch(undefined),
  type: z.string().optional().catch(undefined),
  title: z.string().optional().catch(undefined),
  description: z.string().optional().catch(undefined),
  image: z.string().optional().catch(undefined),
  icon: z.string().optional().catch(undefined),
  readme: z.string().optional().catch(undefined),
  remote: RemoteIn.nullish().catch(undefined),
  longLived: z.boolean().optional().catch(undefined),
  prefix: z.string().optional().catch(undefined),
  secrets: nullableList(z.looseObject({ name: z.string(), env: z.string().optional().catch(undefined) })).optional().catch(undefined),
  config: nullableList(z.record(z.string(), z.unknown())).optional().catch(undefined),
  // a tool the driver cannot read is left out (noted), not the server nor the whole catalog
  tools: lenientList(ToolIn, "tool", false).optional().catch(undefined),
  metadata: MetaIn.nullish().catch(undefined),
  policy: PolicyIn,
})

/**
 * A tile's OAuth providers, as the catalog says which secret each sign-in stands for:
 * `oauth: {providers: [{provider, secret, env}], scopes?}` (catalog.Server) or a bare list (the
 * catalog's source, RG server.yaml); an item without a provider name is left out.
 */
function oauthProviders(v: unknown): Array<{ provider: string; secret?: string; env?: string }> | undefined {
  const list: unknown = Array.isArray(v) ? v : isRecord(v) ? v.providers : undefined
  if (!Array.isArray(list)) return undefined
  const out = list.flatMap((p) =>
    isRecord(p) && typeof p.provider === "string" && p.provider !== ""
      ? [{ provider: p.provider, ...(typeof p.secret === "string" && p.secret !== "" ? { secret: p.secret } : {}), ...(typeof p.env === "string" ? { env: p.env } : {}) }]
      : [],
  )
  return out.length ? out : undefined
}

export function normTile(name: string, t: z.output<typeof TileIn>): Record<string, unknown> {
  const remote = t.remote && (t.remote.url || t.remote.transport_type) ? { url: t.remote.url, transportType: t.remote.transport_type, headers: t.remote.headers } : undefined
  return {
    name,
    type: t.type ?? (remote?.url ? "remote" : undefined),
    title: t.title,
    description: t.description,
    image: t.image || undefined,
    icon: t.icon,
    readme: t.readme,
    remote,
    longLived: t.longLived,
    prefix: t.prefix,
    secrets: t.secrets?.map((s) => ({ name: s.name, env: s.env })),
    // read from the raw tile (loose: the fast path passes it through as printed)
    oauth: oauthProviders((t as Record<string, unknown>).oauth),
    config: t.config,
    tools: t.tools?.map(normTool),
    tags: t.metadata?.tags ?? undefined,
    category: t.metadata?.category ?? undefined,
    policy: t.policy,
  }
}

/** Last path segment of a reference, without tag/digest: `docker://mcp/github:latest` → `github`. */
/** A profiles-era catalog entry's server name: its snapshot's own, else the last segment of its image, source or endpoint ref. */
export function entryName(entry: { image?: string | undefined; source?: string | undefined; endpoint?: string | undefined }, snap: { name?: string | undefined; image?: string | undefined }): string | undefined {
  return snap.name || nameFromRef(entry.image ?? snap.image) || nameFromRef(entry.source) || nameFromRef(entry.endpoint)
}

export function nameFromRef(ref: string | undefined): string | undefined {
  if (!ref) return undefined
  const last = ref.replace(/[@:][^/]*$/, "").split("/").filter(Boolean).pop()
  return last || undefined
}

/** How deep one-key wrappers are looked through (`{"data":{"servers":[…]}}` is two). */
const MAX_WRAP_DEPTH = 3

/** One-key wrappers whose null is no empty list: an error or status envelope, not a list's name. */
const NOT_A_LIST_KEY = /^(?:errors?|err|message|msg|status|detail|details|warning|warnings|reason|code)$/i

/**
 * The list inside an object no documented shape of a list command has, read as the list it
 * plainly is (tried only after the documented shapes failed, so those always win):
 * - one key wrapping it, at most MAX_WRAP_DEPTH deep: `{"secrets":[…]}`, `{"items":[…]}`,
 *   `{"data":{"servers":[…]}}` (`null` inside: the empty list, as Go prints it);
 * - an envelope: the one list of an object whose other values are scalars (`{"secrets":[…],"count":2}`);
 * - a map keyed by name, on its own or under one key: `{"servers":{"github":{…}}}`,
 *   `{"github.token":{"provider":…}}` → `[{name: "github", …}]` (an entry's own `name` wins).
 * Anything else is not guessed into a list: `{why}` says what makes it ambiguous (several lists,
 * a map of mixed values) for the error that goes with the output.
 */
export function wrappedList(value: unknown): { list: unknown[] } | { why: string } | undefined {
  if (!isRecord(value)) return undefined
  let cur: Record<string, unknown> = value
  for (let depth = 0; ; depth++) {
    const keys = Object.keys(cur)
    const map = nameKeyed(cur)
    if (map) return { list: map }
    if (keys.length !== 1) {
      const lists = keys.filter((k) => Array.isArray(cur[k]) || isRecord(cur[k]))
      // an envelope: one list beside scalars only (`{"secrets":[…],"count":2}`, `{"apiVersion":"v1","items":[…]}`)
      const only = lists.length === 1 ? cur[lists[0] as string] : undefined
      if (Array.isArray(only)) return { list: only }
      if (lists.length > 1) return { why: `it is an object holding several lists or maps (${lists.slice(0, 4).map((k) => JSON.stringify(k)).join(", ")}): which one holds the entries is not guessed` }
      return depth === 0 ? undefined : { why: `the object under ${JSON.stringify(keys[0] ?? "")} is no list` }
    }
    const inner = cur[keys[0] as string]
    if (Array.isArray(inner)) return { list: inner }
    // Go prints a nil list as null (`{"servers":null}`): none. Under a key that names an error or a
    // status, null says nothing of entries (`{"error":null}` read as "no secrets" hid a broken answer)
    if (inner === null) return NOT_A_LIST_KEY.test(keys[0] as string) ? { why: `its only member is ${JSON.stringify(keys[0])}: null, which holds no entries` } : { list: [] }
    if (!isRecord(inner) || depth + 1 >= MAX_WRAP_DEPTH) return depth === 0 && !isRecord(inner) ? undefined : { why: `no list within ${MAX_WRAP_DEPTH} levels of one-key objects` }
    cur = inner
  }
}

/**
 * The document of a kind (`isDoc`) inside what a newer or wrapped CLI prints around it, at most
 * MAX_WRAP_DEPTH deep: one key wrapping it (`{"catalog": {…}}`), an envelope whose only object
 * value is it (`{"version": 2, "data": {…}}`, `{"apiVersion": …, "kind": …, "spec": {…}}`), or a
 * list of such documents (`[{…}, {…}]`: `{docs}`, for the caller to merge). Anything else is not
 * guessed: `{why}` says what makes it ambiguous; undefined: nothing of the kind in it.
 */
export function wrappedDocument(value: unknown, isDoc: (v: Record<string, unknown>) => boolean): { docs: Array<Record<string, unknown>> } | { why: string } | undefined {
  let cur: unknown = value
  for (let depth = 0; depth <= MAX_WRAP_DEPTH; depth++) {
    if (Array.isArray(cur)) {
      const docs = cur.filter((v): v is Record<string, unknown> => isRecord(v) && isDoc(v))
      if (docs.length > 0 && docs.length === cur.length) return { docs }
      return docs.length > 0 ? { why: `a list of ${cur.length} entries, ${cur.length - docs.length} of them no document of this kind` } : undefined
    }
    if (!isRecord(cur)) return undefined
    if (depth > 0 && isDoc(cur)) return { docs: [cur] }
    const inner = Object.entries(cur).filter(([, v]) => isRecord(v) || Array.isArray(v))
    if (inner.length > 1) return { why: `it is an object holding several objects or lists (${inner.slice(0, 4).map(([k]) => JSON.stringify(k)).join(", ")}): which one is the document is not guessed` }
    if (inner.length === 0) return undefined
    cur = inner[0]![1]
  }
  return undefined
}

/**
 * The one document of a kind (`isDoc`) a single-document command printed, wrapped or not: as it is,
 * under one key (`{"profile": {…}}`, `{"data": {…}}`, an envelope whose only object is it), or as a
 * list of one (`[{…}]`), as `wrappedDocument` finds it for a catalog. Anything else is returned as
 * it is, for the documented shapes to read or refuse (an ambiguous wrapper too); several documents
 * are a ShapeMismatch naming `what` (never one of them guessed).
 */
export function oneDocument(value: unknown, isDoc: (v: Record<string, unknown>) => boolean, what: string): unknown {
  if (isRecord(value) && isDoc(value)) return value
  const w = wrappedDocument(value, isDoc)
  // nothing of the kind inside, or no single place it could be: the documented shapes read or refuse it
  if (w === undefined || "why" in w) return value
  if (w.docs.length !== 1) throw new ShapeMismatch(`a list of ${w.docs.length} ${what} documents where the command prints one`)
  return w.docs[0]
}

/** A name-keyed map (`{"github": {…}, "fetch": {…}}`: every value a map or null, at least one a map, every key a name) as entries with their names. */
function nameKeyed(m: Record<string, unknown>): Array<Record<string, unknown>> | undefined {
  const entries = Object.entries(m)
  if (entries.length === 0 || !entries.every(([k, v]) => (isRecord(v) || v === null) && /^[^\s"'{}[\]]{1,128}$/.test(k))) return undefined
  if (!entries.some(([, v]) => isRecord(v))) return undefined
  // a map of one wrapper (`{"data": {"servers": […]}}`) is a wrapper, not one entry named "data"
  if (entries.length === 1 && isRecord(entries[0]?.[1]) && Object.values(entries[0]?.[1] as Record<string, unknown>).some((v) => Array.isArray(v) || isRecord(v))) return undefined
  return entries.map(([k, v]) => {
    const e = (v ?? {}) as Record<string, unknown>
    return typeof e.name === "string" && e.name ? e : { ...e, name: k }
  })
}
