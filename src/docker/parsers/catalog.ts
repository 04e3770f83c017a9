/**
 * @module docker/parsers/catalog
 * Catalog contents: legacy `{registry: {name: tile}}` in raw (≤ v0.37, all fields) or typed
 * (≥ v0.38) form, as JSON or YAML; profiles-era OCI catalogs (`servers[].snapshot.server`).
 * Catalogs can be large (the MCP registry: ~18 000 entries): entries are read by hand-written
 * readers (zod only for an entry that is not canonical, and for errors) in steps that the async
 * driver (ParserRegistry.parseAsync) interleaves with the event loop.
 */
import { z } from "zod"
import { runSteps, type KindParser } from "./kind.ts"
import { PolicyIn, ShapeMismatch, TileIn, expect, isRecord, entryName, normTile, normTool, noteSkipped, noteUnread, snapshotWithoutServer, ToolIn, wrappedDocument, wrappedList } from "./common.ts"
import { fastOciEntry, fastTile } from "./fast-tile.ts"
import { namedList } from "./named-list.ts"
import { isValidName } from "../names.ts"
import { badNameWhy } from "./bad-name.ts"

const LegacyDocIn = z.looseObject({
  name: z.string().optional().catch(undefined),
  displayName: z.string().optional().catch(undefined),
  registry: z.record(z.string(), TileIn.nullable()).nullable(),
  policy: PolicyIn,
})

const OciServerIn = z.looseObject({
  type: z.string().optional().catch(undefined),
  image: z.string().optional().catch(undefined),
  source: z.string().optional().catch(undefined),
  endpoint: z.string().optional().catch(undefined),
  tools: z.array(z.union([z.string(), ToolIn])).nullish().catch(undefined),
  snapshot: z.looseObject({ server: TileIn.nullish() }).nullish().catch(undefined),
  policy: PolicyIn,
})

const OciDocIn = z.looseObject({
  ref: z.string().optional().catch(undefined),
  catalog: z.string().optional().catch(undefined),
  title: z.string().optional().catch(undefined),
  digest: z.string().optional().catch(undefined),
  servers: z.array(OciServerIn).nullable().transform((v) => v ?? []),
  policy: PolicyIn,
})

const LEGACY_WHAT = "a catalog (`registry:` map)"
const OCI_WHAT = "an OCI catalog (`servers[].snapshot.server`)"

/**
 * Entries read between two yields of a stepped parse: the async driver gives the event loop a turn
 * at each yield, so a catalog of ~18 000 entries never holds MCP traffic for more than a few ms.
 */
export const CATALOG_STEP = 500

/** The first issue of a zod error, as the notes and errors say it. */
function issueOf(error: z.ZodError): string {
  const issue = error.issues[0]
  return issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid"
}

/**
 * One legacy catalog entry: through the hand-written reader (fast-tile.ts, `fast`) or the zod
 * shape. An entry that is no object (no tile: a field a new release puts beside them) or has no
 * valid server name is left out; an object the zod shape refuses is kept by its name only; each is
 * noted, never the whole catalog lost for one entry.
 * `read` is false for those.
 */
function legacyEntry(name: string, raw: unknown, fast: boolean): { server?: Record<string, unknown>; read: boolean } {
  if (name === "") {
    noteSkipped("a catalog entry with an empty name")
    return { read: false }
  }
  // a `registry` key whose value is no tile (`"kind": 7`: a field a new release adds beside the
  // servers) is not a server: kept by its name, it would be offered to enable
  if (raw !== null && !isRecord(raw)) {
    noteSkipped(`catalog entry ${JSON.stringify(name.slice(0, 64))}: not an object (a ${Array.isArray(raw) ? "list" : typeof raw}; left out)`)
    return { read: false }
  }
  // a name no `docker mcp server enable` takes (bytes that were no UTF-8, shown as U+FFFD; spaces;
  // too long) is left out: listed, it would be refused when the model enables it
  if (!isValidName("server", name)) {
    noteSkipped(`catalog entry ${JSON.stringify(name.slice(0, 64))}: ${badNameWhy(name)} (left out)`)
    return { read: false }
  }
  let tile = fast ? fastTile(raw) : undefined
  if (tile === undefined) {
    const r = TileIn.nullable().safeParse(raw)
    if (!r.success) {
      noteSkipped(`catalog entry ${JSON.stringify(name)}: ${issueOf(r.error)} (kept by its name only)`)
      return { server: normTile(name, {}), read: false }
    }
    tile = r.data ?? {}
    noteUnread(`catalog entry ${JSON.stringify(name)}`, raw, tile)
  }
  return { server: normTile(name, tile), read: true }
}

/** A catalog document of either era: a legacy `registry` or an OCI `servers` list. */
function isCatalog(v: Record<string, unknown>): boolean {
  return "registry" in v || Array.isArray(v.servers) || v.servers === null
}

/**
 * The catalog as a documented shape, from what a newer or wrapped CLI may print instead: the
 * document inside an envelope or one-key wrapper (`{"catalog": {…}}`, `{"version": 3, "data": {…}}`),
 * a list of catalogs merged into one (a server named twice: the first catalog's), and a legacy
 * `registry` that is a list of named tiles (`{"registry": {"servers": [{name, …}]}}`,
 * `{"registry": [{name, …}]}`) read as the name-keyed map it stands for. A documented shape is
 * returned as it is.
 */
function catalogDocument(value: unknown): unknown {
  if (!isRecord(value) && !Array.isArray(value)) return value
  // detect and the reader both ask: read once (its notes made once)
  const known = readDocuments.get(value)
  if (known !== undefined) return known
  const doc = catalogDocumentOf(value)
  readDocuments.set(value, doc)
  return doc
}

const readDocuments = new WeakMap<object, unknown>()

function catalogDocumentOf(value: Record<string, unknown> | unknown[]): unknown {
  let doc: unknown = servedList(value)
  if (doc !== value) return doc
  if (!(isRecord(value) && isCatalog(value))) {
    const w = wrappedDocument(value, isCatalog)
    if (w && "why" in w) throw new ShapeMismatch(`a catalog has \`registry\` (legacy) or \`servers\` (profiles); not read as a wrapped catalog: ${w.why}`)
    if (!w) return value
    doc = w.docs.length === 1 ? w.docs[0] : mergedCatalogs(w.docs)
  }
  if (!isRecord(doc) || !("registry" in doc) || doc.registry === null || (isRecord(doc.registry) && !wrapsNamedList(doc.registry))) return doc
  const list = Array.isArray(doc.registry) ? { list: doc.registry } : wrappedList(doc.registry)
  if (!list || !("list" in list)) return doc
  const registry: Record<string, unknown> = {}
  for (const [i, entry] of list.list.entries()) {
    const name = isRecord(entry) && typeof entry.name === "string" ? entry.name : ""
    if (!name) noteSkipped(`catalog entry ${i}: no name`)
    else if (!(name in registry)) registry[name] = entry
  }
  return { ...doc, registry }
}

/**
 * A profiles-era catalog whose servers are no list of entries: names only (`["github","slack"]`),
 * or `servers` keyed by name (`{"servers":{"github":{…}}}`), as the OCI document with a list of
 * named entries (`namedList`, as every list command reads them); `value` itself otherwise.
 */
function servedList(value: Record<string, unknown> | unknown[]): unknown {
  if (Array.isArray(value)) {
    // a list of catalogs is merged by the caller; a list of servers (names, named entries) is one catalog
    if (value.length === 0 || value.some((v) => isRecord(v) && isCatalog(v))) return value
    const l = namedList(value)
    return l && "list" in l && l.list.every((e) => isRecord(e) && typeof e.name === "string") ? { servers: l.list } : value
  }
  if (!isRecord(value.servers)) return value
  const l = namedList(value.servers)
  return l && "list" in l ? { ...value, servers: l.list } : value
}

/** `{"servers": [{name, …}]}` (one key holding a list of objects): a registry printed as a list, not a map with one tile named "servers". */
function wrapsNamedList(registry: Record<string, unknown>): boolean {
  const values = Object.values(registry)
  return values.length === 1 && Array.isArray(values[0]) && values[0].some((e) => isRecord(e) && typeof e.name === "string")
}

/** Several catalogs as one: of one format only (a list mixing both is not guessed). */
function mergedCatalogs(docs: Array<Record<string, unknown>>): Record<string, unknown> {
  const legacy = docs.filter((d) => "registry" in d)
  if (legacy.length === docs.length) {
    const registry: Record<string, unknown> = {}
    for (const d of docs) for (const [k, v] of Object.entries(isRecord(d.registry) ? d.registry : {})) if (!(k in registry)) registry[k] = v
    return { ...docs[0], registry }
  }
  if (legacy.length === 0) return { ...docs[0], servers: docs.flatMap((d) => (Array.isArray(d.servers) ? d.servers : [])) }
  throw new ShapeMismatch(`a list of ${docs.length} catalogs of both formats (\`registry\` and \`servers\`): not merged into one`)
}

/** The legacy catalog, entry by entry (`legacyEntry`), giving the event loop a turn every CATALOG_STEP entries. */
function* legacySteps(input: unknown): Generator<void, unknown> {
  const value = catalogDocument(input)
  const registry = isRecord(value) ? value.registry : undefined
  if (!isRecord(value) || !(registry === null || isRecord(registry))) return zodLegacy(value)
  // the document's own fields (each forgiving) through the zod shape, without its entries
  const doc = expect(LegacyDocIn, { ...value, registry: null }, LEGACY_WHAT)
  const servers: unknown[] = []
  let n = 0
  let read = 0
  for (const [name, raw] of Object.entries(registry ?? {})) {
    const e = legacyEntry(name, raw, true)
    if (e.server) servers.push(e.server)
    if (e.read) read++
    if (++n % CATALOG_STEP === 0) yield
  }
  noneRead(read, n)
  return { name: doc.name, title: doc.displayName, servers, policy: doc.policy }
}

/** The whole legacy document through zod: the error path (and the reference the fast one matches). */
function zodLegacy(value: unknown): unknown {
  const doc = expect(LegacyDocIn, isRecord(value) && isRecord(value.registry) ? { ...value, registry: null } : value, LEGACY_WHAT)
  const entries = isRecord(value) && isRecord(value.registry) ? Object.entries(value.registry) : []
  const read = entries.map(([name, raw]) => legacyEntry(name, raw, false))
  noneRead(read.filter((e) => e.read).length, entries.length)
  return { name: doc.name, title: doc.displayName, servers: read.flatMap((e) => (e.server ? [e.server] : [])), policy: doc.policy }
}

/** A catalog none of whose entries reads is a format the driver does not know: an error, not a catalog of bare names. */
function noneRead(read: number, entries: number): void {
  if (read === 0 && entries > 0) throw new ShapeMismatch(`none of its ${entries} entries could be read as a server`)
}

type OciServer = z.output<typeof OciServerIn>

/** The profiles-era catalog, entry by entry (as legacySteps). */
function* profilesSteps(input: unknown): Generator<void, unknown> {
  const value = catalogDocument(input)
  const list = isRecord(value) ? value.servers : undefined
  if (!isRecord(value) || !(list === null || Array.isArray(list))) return zodProfiles(value)
  const doc = expect(OciDocIn, { ...value, servers: null }, OCI_WHAT)
  const servers: unknown[] = []
  for (let i = 0; i < (list ?? []).length; i++) {
    const s = ociEntry(list![i], i, true)
    const tile = s && profileTile(s)
    if (tile) servers.push(tile)
    if ((i + 1) % CATALOG_STEP === 0) yield
  }
  noneNamed(servers, (list ?? []).length)
  const ref = doc.ref ?? doc.catalog
  return { name: ref, ref, title: doc.title, digest: doc.digest, servers, policy: doc.policy }
}

/** The whole OCI document through zod: the error path (and the reference the fast one matches). */
function zodProfiles(value: unknown): unknown {
  const list = isRecord(value) && Array.isArray(value.servers) ? value.servers : undefined
  const doc = expect(OciDocIn, list && isRecord(value) ? { ...value, servers: null } : value, OCI_WHAT)
  const servers: unknown[] = []
  for (const [i, raw] of (list ?? doc.servers).entries()) {
    const s = ociEntry(raw, i, false)
    const tile = s && profileTile(s)
    if (tile) servers.push(tile)
  }
  noneNamed(servers, (list ?? doc.servers).length)
  const ref = doc.ref ?? doc.catalog
  return { name: ref, ref, title: doc.title, digest: doc.digest, servers, policy: doc.policy }
}

/** One OCI catalog entry (fast reader or zod shape); one that is no entry (null, a string) is left out and noted. */
function ociEntry(raw: unknown, index: number, fast: boolean): OciServer | undefined {
  const s = fast ? (fastOciEntry(raw) as OciServer | undefined) : undefined
  if (s !== undefined) return s
  const r = OciServerIn.safeParse(raw)
  if (r.success) {
    const where = `catalog entry ${index}${entryLabel(raw)}`
    noteUnread(where, raw, r.data)
    if (isRecord(raw) && isRecord(raw.snapshot) && isRecord(raw.snapshot.server) && isRecord(r.data.snapshot?.server)) noteUnread(`${where} snapshot.server`, raw.snapshot.server, r.data.snapshot.server)
    return r.data
  }
  noteSkipped(`catalog entry ${index}: ${issueOf(r.error)}`)
  return undefined
}

/** ` (mcp/github:latest)`: what names an OCI entry as printed (its image, source or endpoint), for a note about it. */
function entryLabel(raw: unknown): string {
  const ref = isRecord(raw) ? [raw.image, raw.source, raw.endpoint].find((v) => typeof v === "string" && v) : undefined
  return typeof ref === "string" ? ` (${JSON.stringify(ref.slice(0, 128))})` : ""
}

/**
 * Entries without a name are left out, but a catalog whose entries all lack one is a format the
 * driver does not read (a renamed `snapshot`): an error, not an empty catalog.
 */
function noneNamed(servers: unknown[], entries: number): void {
  if (servers.length === 0 && entries > 0) throw new ShapeMismatch(`none of its ${entries} servers has a name (snapshot.server.name, image, source or endpoint)`)
}

/** One OCI entry as a catalog server; undefined when it has no name. */
function profileTile(s: OciServer): Record<string, unknown> | undefined {
  // an entry without a snapshot, named and described flat (`{name, description, image}`, as a list
  // of names or a map keyed by name reads): its own fields are its tile (its tools read below)
  const snap = s.snapshot?.server ?? (s.snapshot === undefined && typeof s.name === "string" ? flatTile(s) : {})
  const name = entryName(s, snap)
  if (!name) {
    noteSkipped("a catalog entry without a name (snapshot.server.name, image, source or endpoint)")
    return undefined
  }
  // a snapshot without its `server` (a renamed field): the entry is named from its image or source,
  // but its description, tools, secrets and config are not read; said, never a bare tile
  if (isRecord(s.snapshot) && s.snapshot.server == null) noteSkipped(snapshotWithoutServer(name, s.snapshot))
  // catalog.Server prints `"image": ""` (no omitempty): the entry's own image is then the real one.
  const tile = normTile(name, { ...snap, image: snap.image || s.image, policy: s.policy ?? snap.policy })
  if (!tile.tools && s.tools) {
    tile.tools = s.tools.map((t) => (typeof t === "string" ? { name: t, inputSchema: { type: "object" } } : normTool(t)))
  } else if (Array.isArray(tile.tools) && s.tools?.every((t) => typeof t === "string")) {
    // catalog_next.Server.tools is the list of enabled tool names (nil = all): mark the snapshot's tools.
    const on = new Set(s.tools as string[])
    tile.tools = (tile.tools as Array<Record<string, unknown>>).map((t) => ({ ...t, enabled: on.has(String(t.name)) }))
  }
  return tile
}

/** The tile fields of a flat entry, read as a tile is (its tools are the entry's, read by `profileTile`). */
function flatTile(s: OciServer): z.output<typeof TileIn> {
  const r = TileIn.safeParse({ ...s, tools: undefined, policy: undefined })
  return r.success ? r.data : {}
}

function detect(input: unknown): "legacy" | "profiles" | undefined {
  const value = catalogDocument(input)
  if (!isRecord(value)) throw new ShapeMismatch("a catalog is an object")
  if ("registry" in value) return "legacy"
  if ("servers" in value) return "profiles"
  throw new ShapeMismatch("a catalog has `registry` (legacy) or `servers` (profiles)")
}

export const catalogParser: KindParser = {
  legacy: (v) => runSteps(legacySteps(v)),
  profiles: (v) => runSteps(profilesSteps(v)),
  detect,
  steps: { legacy: legacySteps, profiles: profilesSteps },
  zod: { legacy: zodLegacy, profiles: zodProfiles },
}
