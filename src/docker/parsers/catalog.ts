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
import { PolicyIn, ShapeMismatch, TileIn, expect, isRecord, entryName, normTile, normTool, ToolIn } from "./common.ts"
import { fastOciEntry, fastTile } from "./fast-tile.ts"

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

/**
 * The legacy catalog, entry by entry: each tile through the hand-written reader (fast-tile.ts), or
 * through the zod shape when it is not canonical. Any error is the whole document's zod error, as
 * before (the same first issue, path and message).
 */
function* legacySteps(value: unknown): Generator<void, unknown> {
  const registry = isRecord(value) ? value.registry : undefined
  if (!isRecord(value) || !(registry === null || isRecord(registry))) return zodLegacy(value)
  // the document's own fields (each forgiving) through the zod shape, without its entries
  const doc = expect(LegacyDocIn, { ...value, registry: null }, LEGACY_WHAT)
  const servers: unknown[] = []
  let n = 0
  for (const [name, raw] of Object.entries(registry ?? {})) {
    let tile = fastTile(raw)
    if (tile === undefined) {
      const r = TileIn.nullable().safeParse(raw)
      if (!r.success) return zodLegacy(value)
      tile = r.data ?? {}
    }
    servers.push(normTile(name, tile))
    if (++n % CATALOG_STEP === 0) yield
  }
  return { name: doc.name, title: doc.displayName, servers, policy: doc.policy }
}

/** The whole legacy document through zod: the error path (and the reference the fast one matches). */
function zodLegacy(value: unknown): unknown {
  const doc = expect(LegacyDocIn, value, LEGACY_WHAT)
  const servers = Object.entries(doc.registry ?? {}).map(([name, tile]) => normTile(name, tile ?? {}))
  return { name: doc.name, title: doc.displayName, servers, policy: doc.policy }
}

type OciServer = z.output<typeof OciServerIn>

/** The profiles-era catalog, entry by entry (as legacySteps). */
function* profilesSteps(value: unknown): Generator<void, unknown> {
  const list = isRecord(value) ? value.servers : undefined
  if (!isRecord(value) || !(list === null || Array.isArray(list))) return zodProfiles(value)
  const doc = expect(OciDocIn, { ...value, servers: null }, OCI_WHAT)
  const servers: unknown[] = []
  for (let i = 0; i < (list ?? []).length; i++) {
    const raw = list![i]
    let s = fastOciEntry(raw) as OciServer | undefined
    if (s === undefined) {
      const r = OciServerIn.safeParse(raw)
      if (!r.success) return zodProfiles(value)
      s = r.data
    }
    const tile = profileTile(s)
    if (tile) servers.push(tile)
    if ((i + 1) % CATALOG_STEP === 0) yield
  }
  noneNamed(servers, (list ?? []).length)
  const ref = doc.ref ?? doc.catalog
  return { name: ref, ref, title: doc.title, digest: doc.digest, servers, policy: doc.policy }
}

/** The whole OCI document through zod: the error path (and the reference the fast one matches). */
function zodProfiles(value: unknown): unknown {
  const doc = expect(OciDocIn, value, OCI_WHAT)
  const servers: unknown[] = []
  for (const s of doc.servers) {
    const tile = profileTile(s)
    if (tile) servers.push(tile)
  }
  noneNamed(servers, doc.servers.length)
  const ref = doc.ref ?? doc.catalog
  return { name: ref, ref, title: doc.title, digest: doc.digest, servers, policy: doc.policy }
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
  const snap = s.snapshot?.server ?? {}
  const name = entryName(s, snap)
  if (!name) return undefined
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

function detect(value: unknown): "legacy" | "profiles" | undefined {
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
