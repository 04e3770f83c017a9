/**
 * @module proxy/surface
 * Builds what the client sees from the per-server lists: namespaced tools and prompts with their
 * routes, resources with a uri → server map (URIs are never renamed), template prefixes.
 */
import { assignNames, sanitizeItem, type ItemIssue, type NamespaceOptions, type SanitizeOptions } from "../catalog/index.ts"
import type { Logger } from "../core/index.ts"
import type { ListKind, Prompt, Resource, ResourceTemplate, Tool } from "./types.ts"

export interface Route {
  server: string
  /** The downstream's own name. */
  name: string
}

export interface ServerLists {
  server: string
  tools?: Tool[]
  prompts?: Prompt[]
  resources?: Resource[]
  templates?: ResourceTemplate[]
  /** Items of the last listing of each kind that were repaired or dropped (absent when none). */
  issues?: Partial<Record<ListKind, ItemIssue[]>>
  /** Cache hints of the last listing of each kind, from a 2026-07-28 server (absent: none given). */
  hints?: Partial<Record<ListKind, CacheHint>>
}

/** A modern list result's `ttlMs`/`cacheScope`, and when it was listed (`Date.now()`). */
export interface CacheHint {
  ttlMs: number
  scope: "public" | "private"
  at: number
}

export interface Named<T> {
  items: T[]
  routes: Map<string, Route>
}

/** Namespaced copies of `name`d items (tools or prompts), sorted by exposed name. */
export function buildNamed<T extends { name: string }>(
  lists: readonly ServerLists[],
  pick: (l: ServerLists) => T[] | undefined,
  ns: NamespaceOptions,
  log: Logger,
  kind: string,
  sanitize?: SanitizeOptions,
): Named<T> {
  // each request carries its item through the naming (no map of 5 000 string keys per rebuild)
  const requests: { server: string; name: string; item: T }[] = []
  for (const l of lists) {
    const seen = new Set<string>()
    for (const raw of pick(l) ?? []) {
      if (typeof raw?.name !== "string" || seen.has(raw.name)) continue // duplicate within one server: keep the first
      seen.add(raw.name)
      const item = sanitize ? clean(raw, sanitize, log, kind, l.server, raw.name) : raw
      requests.push({ server: l.server, name: item.name, item })
    }
  }
  const items: T[] = []
  const routes = new Map<string, Route>()
  for (const e of assignNames(requests, ns)) {
    if (e.adjusted === "collision" || e.adjusted === "truncated") log.info(`${kind} name adjusted`, { server: e.server, name: e.name, exposed: e.exposed, why: e.adjusted })
    const item = e.item
    items.push(item.name === e.exposed ? item : renamed(item, e.exposed))
    routes.set(e.exposed, { server: e.server, name: e.name })
  }
  return { items, routes }
}

/*
 * A surface is rebuilt whenever any server's list changes; the definitions of the servers that did
 * not change come out as the same objects as before (memoized per source object), so what is
 * computed per definition object downstream of here (the outgoing redaction check) is not redone
 * for all 5 000 tools of a 50-server fleet. Definitions are never mutated in place.
 */
const cleaned = new WeakMap<object, { max: number; out: object; report: { hidden: number; truncated: number } }>()
const renames = new WeakMap<object, { name: string; out: object }>()

function renamed<T extends { name: string }>(item: T, name: string): T {
  const hit = renames.get(item)
  if (hit?.name === name) return hit.out as T
  const out = { ...item, name }
  renames.set(item, { name, out })
  return out
}

/** `item` with hidden text removed and descriptions capped, logged (the same object when clean). */
function clean<T extends object>(item: T, o: SanitizeOptions, log: Logger, kind: string, server: string, name: string): T {
  const hit = cleaned.get(item)
  const report = hit?.max === o.maxDescription ? hit.report : { hidden: 0, truncated: 0 }
  const out = hit?.max === o.maxDescription ? (hit.out as T) : sanitizeItem(item, o, report)
  if (hit?.max !== o.maxDescription) cleaned.set(item, { max: o.maxDescription, out, report })
  if (report.hidden) log.warn(`hidden characters removed from a ${kind} description (possible tool poisoning)`, { server, name, removed: report.hidden })
  if (report.truncated) log.info(`${kind} description truncated`, { server, name, max: o.maxDescription })
  return out
}

export interface ResourceSurface {
  resources: Resource[]
  templates: ResourceTemplate[]
  byUri: Map<string, string>
  /** [literal prefix of a template, server], longest prefix first. */
  templatePrefixes: [string, string][]
}

export function buildResources(lists: readonly ServerLists[], log: Logger, sanitize?: SanitizeOptions): ResourceSurface {
  const resources: Resource[] = []
  const templates: ResourceTemplate[] = []
  const byUri = new Map<string, string>()
  const templatePrefixes: [string, string][] = []
  const sorted = [...lists].sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : 0))
  for (const l of sorted) {
    for (const r of l.resources ?? []) {
      if (typeof r?.uri !== "string") continue
      const owner = byUri.get(r.uri)
      if (owner !== undefined) {
        if (owner !== l.server) log.warn("resource URI offered by two servers; the first keeps it", { uri: r.uri, kept: owner, dropped: l.server })
        continue
      }
      byUri.set(r.uri, l.server)
      resources.push(sanitize ? clean(r, sanitize, log, "resource", l.server, r.uri) : r)
    }
    for (const t of l.templates ?? []) {
      if (typeof t?.uriTemplate !== "string") continue
      templates.push(sanitize ? clean(t, sanitize, log, "resource template", l.server, t.uriTemplate) : t)
      templatePrefixes.push([t.uriTemplate.split("{")[0]!, l.server])
    }
  }
  templatePrefixes.sort((a, b) => b[0].length - a[0].length)
  return { resources, templates, byUri, templatePrefixes }
}

/** Which server serves `uri`: exact match, then the longest template prefix. */
export function resourceOwner(s: ResourceSurface, uri: string): string | undefined {
  const exact = s.byUri.get(uri)
  if (exact !== undefined) return exact
  for (const [prefix, server] of s.templatePrefixes) if (prefix.length > 0 && uri.startsWith(prefix)) return server
  return undefined
}
