/**
 * @module docker/parsers/catalog
 * Catalog contents: legacy `{registry: {name: tile}}` in raw (≤ v0.37, all fields) or typed
 * (≥ v0.38) form, as JSON or YAML; profiles-era OCI catalogs (`servers[].snapshot.server`).
 */
import { z } from "zod"
import type { KindParser } from "./kind.ts"
import { PolicyIn, ShapeMismatch, TileIn, expect, isRecord, entryName, normTile, normTool, ToolIn } from "./common.ts"

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

function parseLegacy(value: unknown): unknown {
  const doc = expect(LegacyDocIn, value, "a catalog (`registry:` map)")
  const servers = Object.entries(doc.registry ?? {}).map(([name, tile]) => normTile(name, tile ?? {}))
  return { name: doc.name, title: doc.displayName, servers, policy: doc.policy }
}

function parseProfiles(value: unknown): unknown {
  const doc = expect(OciDocIn, value, "an OCI catalog (`servers[].snapshot.server`)")
  const servers: unknown[] = []
  for (const s of doc.servers) {
    const snap = s.snapshot?.server ?? {}
    const name = entryName(s, snap)
    if (!name) continue
    // catalog.Server prints `"image": ""` (no omitempty): the entry's own image is then the real one.
    const tile = normTile(name, { ...snap, image: snap.image || s.image, policy: s.policy ?? snap.policy })
    if (!tile.tools && s.tools) {
      tile.tools = s.tools.map((t) => (typeof t === "string" ? { name: t, inputSchema: { type: "object" } } : normTool(t)))
    } else if (Array.isArray(tile.tools) && s.tools?.every((t) => typeof t === "string")) {
      // catalog_next.Server.tools is the list of enabled tool names (nil = all): mark the snapshot's tools.
      const on = new Set(s.tools as string[])
      tile.tools = (tile.tools as Array<Record<string, unknown>>).map((t) => ({ ...t, enabled: on.has(String(t.name)) }))
    }
    servers.push(tile)
  }
  const ref = doc.ref ?? doc.catalog
  return { name: ref, ref, title: doc.title, digest: doc.digest, servers, policy: doc.policy }
}

function detect(value: unknown): "legacy" | "profiles" | undefined {
  if (!isRecord(value)) throw new ShapeMismatch("a catalog is an object")
  if ("registry" in value) return "legacy"
  if ("servers" in value) return "profiles"
  throw new ShapeMismatch("a catalog has `registry` (legacy) or `servers` (profiles)")
}

export const catalogParser: KindParser = { legacy: parseLegacy, profiles: parseProfiles, detect }
