/**
 * @module docker/parsers/misc
 * Small kinds: secrets (`secret ls --json`), config (legacy config.yaml `{server:{key:v}}` vs the
 * profiles' flat `{"server.key": v}`), catalogs (legacy `{"catalogs":{…}}` vs OCI `[{ref,…}]`),
 * profiles list and one profile.
 */
import { z } from "zod"
import type { KindParser } from "./kind.ts"
import { PolicyIn, ShapeMismatch, expect, isNoticePair, isRecord, lenientList, noteSkipped, oneDocument } from "./common.ts"
import { WorkingSetIn, namedProfileServers, withServersField } from "./servers.ts"

const SecretsIn = lenientList(z.looseObject({ name: z.string().min(1), provider: z.string().optional().catch(undefined) }), "secret", true)
function parseSecrets(value: unknown): unknown {
  return expect(SecretsIn, value, "`secret ls --json` output").map((s) => ({ name: s.name, provider: s.provider }))
}
export const secretsParser: KindParser = { legacy: parseSecrets, profiles: parseSecrets, detect: () => "legacy" }

function parseConfigLegacy(value: unknown): unknown {
  if (value === null) return {}
  // a `Tip: …` or update notice printed with the file reads as a pair: not a server's config
  if (isRecord(value)) value = Object.fromEntries(Object.entries(value).filter(([k, v]) => !isNoticePair(k, v)))
  // a server whose entry is no map (a scalar or list: a field a new release writes beside the
  // servers, a hand edit) is left out and said, not the whole configuration; only when no entry
  // reads is the format unknown
  if (isRecord(value)) {
    const entries = Object.entries(value)
    const kept = entries.filter(([k, v]) => {
      if (v === null || isRecord(v)) return true
      noteSkipped(`config entry ${JSON.stringify(k.slice(0, 64))}: not a map of keys (a ${Array.isArray(v) ? "list" : typeof v}; not read)`)
      return false
    })
    if (kept.length === 0 && entries.length > 0) throw new ShapeMismatch("none of config.yaml's entries is a server's map of keys ({server: {setting: value}})")
    value = Object.fromEntries(kept)
  }
  const m = expect(z.record(z.string(), z.record(z.string(), z.unknown()).nullable()), value, "config.yaml ({server: {setting: value}})")
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v ?? {}]))
}
/** `profile config --get-all`'s flat map: every key `server.key` (a wrapper's key has no dot). */
const isFlatConfig = (v: Record<string, unknown>): boolean => Object.keys(v).length > 0 && Object.keys(v).every((k) => k.includes("."))

function parseConfigProfiles(value: unknown): unknown {
  if (value === null) return {}
  value = oneDocument(value, isFlatConfig, "`profile config --get-all` map")
  const flat = expect(z.record(z.string(), z.unknown()), value, "`profile config --get-all` output ({\"server.key\": value})")
  const out: Record<string, Record<string, unknown>> = {}
  // a key that is not `server.key` (a field a new release prints beside the config) is left out and
  // said, not the whole configuration; only when no key reads is the format unknown
  let first: string | undefined
  for (const [k, v] of Object.entries(flat)) {
    const dot = k.indexOf(".")
    if (dot <= 0 || dot === k.length - 1) {
      const why = `config key ${JSON.stringify(k.slice(0, 64))} is not server.key (its value not read)`
      first ??= why
      noteSkipped(why)
      continue
    }
    const server = k.slice(0, dot)
    ;(out[server] ??= {})[k.slice(dot + 1)] = v
  }
  if (first !== undefined && Object.keys(out).length === 0) throw new ShapeMismatch(first)
  return out
}
function detectConfig(value: unknown): "legacy" | "profiles" | undefined {
  if (value === null) return undefined
  if (!isRecord(value)) throw new ShapeMismatch("config is a map")
  // `{"data": {"server.key": v}}`: a wrapped flat map (a legacy server's keys never all hold a dot)
  const only = Object.keys(value).length === 1 ? Object.values(value)[0] : undefined
  if (!Object.keys(value)[0]?.includes(".") && isRecord(only) && isFlatConfig(only)) return "profiles"
  const keys = Object.keys(value)
  if (keys.length === 0) return undefined
  // config.yaml keys are canonical server names (dots become `_`); flat keys always hold a dot.
  if (keys.every((k) => k.includes(".")) && !keys.every((k) => isRecord(value[k]))) return "profiles"
  if (keys.every((k) => isRecord(value[k]) || value[k] === null)) return keys.every((k) => k.includes(".")) ? undefined : "legacy"
  return "profiles"
}
export const configParser: KindParser = { legacy: parseConfigLegacy, profiles: parseConfigProfiles, detect: detectConfig }

const LegacyCatalogsIn = z.looseObject({
  catalogs: z
    .record(z.string(), z.looseObject({ displayName: z.string().optional().catch(undefined), url: z.string().optional().catch(undefined), lastUpdate: z.string().optional().catch(undefined) }).nullable())
    .nullable(),
})
function parseCatalogsLegacy(value: unknown): unknown {
  // a catalog that is no object (a field a new release adds beside them) is left out and said, not every catalog
  if (isRecord(value) && isRecord(value.catalogs)) {
    const kept = Object.entries(value.catalogs).filter(([name, c]) => {
      if (c === null || isRecord(c)) return true
      noteSkipped(`catalog ${JSON.stringify(name.slice(0, 64))}: not an object`)
      return false
    })
    if (kept.length === 0 && Object.keys(value.catalogs).length > 0) throw new ShapeMismatch("none of the `catalogs` entries is an object")
    value = { ...value, catalogs: Object.fromEntries(kept) }
  }
  const doc = expect(LegacyCatalogsIn, value ?? { catalogs: null }, "`catalog ls --format json` output ({catalogs: {…}})")
  return Object.entries(doc.catalogs ?? {}).map(([name, c]) => ({ name, title: c?.displayName, url: c?.url, lastUpdate: c?.lastUpdate }))
}
const OciCatalogsIn = lenientList(z.looseObject({ ref: z.string().min(1), digest: z.string().optional().catch(undefined), title: z.string().optional().catch(undefined), policy: PolicyIn }), "catalog", true)
function parseCatalogsProfiles(value: unknown): unknown {
  return expect(OciCatalogsIn, value, "`catalog list --format json` output ([{ref, digest, title}])").map((c) => ({ name: c.ref, title: c.title, digest: c.digest, policy: c.policy }))
}
function detectCatalogs(value: unknown): "legacy" | "profiles" | undefined {
  if (value === null || (Array.isArray(value) && value.length === 0)) return undefined
  if (Array.isArray(value)) return "profiles"
  if (isRecord(value) && "catalogs" in value) return "legacy"
  throw new ShapeMismatch("catalog list is {catalogs:{…}} (legacy) or an array (profiles)")
}
export const catalogsParser: KindParser = { legacy: parseCatalogsLegacy, profiles: parseCatalogsProfiles, detect: detectCatalogs }

function normProfile(p: z.output<typeof WorkingSetIn>): unknown {
  const servers: unknown[] = []
  for (const { name, s } of namedProfileServers(p)) {
    servers.push({
      name,
      type: s.type,
      // v0.28 omits `tools` (= all enabled); `null` = all; `[]` = none.
      tools: s.tools === undefined ? null : s.tools,
      config: s.config ?? undefined,
      image: s.image,
      source: s.source,
      endpoint: s.endpoint,
      catalogRef: s.catalogRef ?? s.catalog_ref,
      description: s.snapshot?.server?.description,
      policy: s.policy,
    })
  }
  return { id: p.id, name: p.name, servers, policy: p.policy }
}
/** A `WorkingSet`: its `id`, and servers or a name. */
const isWorkingSet = (v: Record<string, unknown>): boolean => typeof v.id === "string" && ("servers" in v || "name" in v)

function parseProfile(value: unknown): unknown {
  // `{"profile": {…}}`, `{"data": {…}}` or `[{…}]`: the one profile inside
  return normProfile(expect(WorkingSetIn, withServersField([oneDocument(value, isWorkingSet, "profile")])[0], "`profile show --format json` output (WorkingSet)"))
}
function parseProfiles(value: unknown): unknown {
  return expect(lenientList(WorkingSetIn, "profile", true), value, "`profile list --format json` output ([]WorkingSet)").map(normProfile)
}
export const profileParser: KindParser = { legacy: parseProfile, profiles: parseProfile, detect: () => "profiles" }
export const profilesParser: KindParser = { legacy: parseProfiles, profiles: parseProfiles, detect: () => "profiles" }
