/**
 * @module docker/parsers/servers
 * Enabled servers: legacy `server ls --json` (names ≤ v0.26, objects ≥ v0.27, `null` when empty,
 * or a registry.yaml map) and profiles-era `profile server ls` / `profile show` (name from snapshot).
 */
import { z } from "zod"
import type { KindParser } from "./kind.ts"
import { PolicyIn, ShapeMismatch, TileIn, expect, isRecord, lenientList, nameFromRef, noteSkipped, snapshotWithoutServer } from "./common.ts"

const Status = z.enum(["none", "required", "partial", "done"]).optional().catch(undefined)
const ListEntryIn = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional().catch(undefined),
  secrets: Status,
  config: Status,
  oauth: Status,
  policy: PolicyIn,
})
const LegacyListIn = lenientList(z.union([z.string().min(1).transform((name) => ({ name })), ListEntryIn]), "server", true)
const LegacyRegistryIn = z.looseObject({ registry: z.record(z.string(), z.unknown()).nullable() }).transform((r) => Object.keys(r.registry ?? {}).map((name) => ({ name })))

/** `workingset.Server` as stored in a profile. */
export const ProfileServerIn = z.looseObject({
  /** Not in the Go struct: the key of a profile's servers printed as a map keyed by name. */
  name: z.string().optional().catch(undefined),
  type: z.string().optional().catch(undefined),
  config: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  // a changed type (a new release's map of tools) is left unread and said (lenientList notes it), not the whole server
  tools: z.array(z.string()).nullish().catch(undefined),
  source: z.string().optional().catch(undefined),
  image: z.string().optional().catch(undefined),
  endpoint: z.string().optional().catch(undefined),
  catalogRef: z.string().optional().catch(undefined),
  catalog_ref: z.string().optional().catch(undefined),
  snapshot: z.looseObject({ server: TileIn.nullish() }).nullish().catch(undefined),
  policy: PolicyIn,
})
export type ProfileServerInT = z.output<typeof ProfileServerIn>

export const WorkingSetIn = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional().catch(undefined),
  // a server of a shape the driver does not know is left out (noted), not the whole profile
  servers: lenientList(ProfileServerIn, "server", true).optional().transform((v) => v ?? []),
  policy: PolicyIn,
})

/** Server name: `snapshot.server.name`, else the last segment of its source/image/endpoint. */
export function profileServerName(s: ProfileServerInT): string | undefined {
  return s.snapshot?.server?.name || s.name || nameFromRef(s.source) || nameFromRef(s.image) || nameFromRef(s.endpoint)
}

/**
 * A profile's servers with their names. A server has a name in every format the Toolkit printed
 * (its snapshot's, or its source, image or endpoint reference); one without is left out and noted
 * (the answer says so), and a profile none of whose servers has one is a format the driver does
 * not know (a renamed field): an error, never a silently empty list.
 */
export function namedProfileServers(p: { id: string; servers: ProfileServerInT[] }): Array<{ name: string; s: ProfileServerInT }> {
  const out: Array<{ name: string; s: ProfileServerInT }> = []
  let first: string | undefined
  for (const [index, s] of p.servers.entries()) {
    const name = profileServerName(s)
    if (name) {
      // named from its reference, but its snapshot's server (a renamed field) not read: said
      if (isRecord(s.snapshot) && s.snapshot.server == null) noteSkipped(snapshotWithoutServer(name, s.snapshot))
      out.push({ name, s })
      continue
    }
    const why = `server ${index} of profile ${JSON.stringify(p.id)} has no name (none of snapshot.server.name, source, image, endpoint)`
    first ??= why
    noteSkipped(why)
  }
  if (out.length === 0 && first !== undefined) throw new ShapeMismatch(first)
  return out
}

/**
 * Profiles printed without their `servers` field: workingset.WorkingSet always prints it (`[]` when
 * empty, never omitted), so a profile without it is a format the driver does not know (the field
 * renamed or moved), never a profile without servers — read so, servers_list answered "no server
 * is enabled". One such profile among others is left out and noted; all of them are an error.
 */
export function withServersField(sets: readonly unknown[]): unknown[] {
  const missing = sets.filter((v) => isRecord(v) && !("servers" in v))
  if (missing.length === 0) return [...sets]
  const why = (v: unknown): string => `profile ${JSON.stringify(String((v as { id?: unknown }).id ?? "?").slice(0, 64))} has no \`servers\` field (a format the driver does not know; not read as a profile without servers)`
  if (missing.length === sets.length) throw new ShapeMismatch(why(missing[0]))
  for (const m of missing) noteSkipped(why(m))
  return sets.filter((v) => !missing.includes(v))
}

function parseLegacy(value: unknown): unknown {
  // names or objects (or null), each read on its own; or a registry.yaml map
  return expect(isRecord(value) ? LegacyRegistryIn : LegacyListIn, value, "`server ls --json` output (names, objects or null)")
}

/** A flat list of a profile's servers (`workingset.Server`s, not grouped under their profile): no entry is a profile. */
function isFlatServerList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => isRecord(v) && !("servers" in v) && !("id" in v))
}

function parseProfiles(value: unknown): unknown {
  // a newer CLI may print the filtered profile's servers as one flat list: its servers, profile unnamed
  const flat = isFlatServerList(value)
  const sets = flat ? [{ id: "(the profile listed)", servers: value }] : withServersField(Array.isArray(value) ? value : value === null ? [] : [value])
  const profiles = expect(z.array(WorkingSetIn), sets, "`profile server ls --format json` output")
  const out: unknown[] = []
  for (const p of profiles) {
    for (const { name, s } of namedProfileServers(p)) {
      const snap = s.snapshot?.server
      out.push({
        name,
        profile: flat ? undefined : p.id,
        type: s.type,
        image: s.image ?? snap?.image,
        description: snap?.description,
        title: snap?.title,
        tools: s.tools === undefined ? null : s.tools,
        policy: s.policy,
      })
    }
  }
  return out
}

function detect(value: unknown): "legacy" | "profiles" | undefined {
  if (value === null) return undefined
  const first = Array.isArray(value) ? value[0] : value
  if (first === undefined) return undefined
  if (typeof first === "string") return "legacy"
  // a profile (`id`: neither era's server entry has one), its `servers` field there or not (withServersField)
  if (isRecord(first) && ("servers" in first || typeof first.id === "string") && "id" in first) return "profiles"
  if (isRecord(first) && ("name" in first || "registry" in first)) return "legacy"
  // a profile's server without a name of its own (`workingset.Server`, a flat list): named by its snapshot or reference
  if (isRecord(first) && ("snapshot" in first || "source" in first || "endpoint" in first || "image" in first)) return "profiles"
  throw new ShapeMismatch("not a server list")
}

export const serversParser: KindParser = { legacy: parseLegacy, profiles: parseProfiles, detect }
