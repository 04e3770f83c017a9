/**
 * @module proxy/surface
 * Builds what the client sees from the per-server lists: namespaced tools and prompts with their
 * routes, resources with a uri → server map (URIs are never renamed, but for an MCP Apps `ui://`
 * view several servers list: proxy/shared-ui), template prefixes.
 */
import { assignNames, modelArgTool, nameBudget, namePrefix, portableTool, sanitizeItem, type ItemIssue, type ItemKind, type NamedEntry, type NamespaceOptions, type SanitizeOptions, type SanitizeReport } from "../catalog/index.ts"
import type { Logger } from "../core/index.ts"
import { shownIssueName } from "./status.ts"
import type { ListCut, ListKind, Prompt, Resource, ResourceTemplate, Tool } from "./types.ts"
import { exposedTaskTool, taskRequired } from "./task-call.ts"
import { routeResource, templateClaim, uriOrigin, type ResourceRoute, type TemplateClaim } from "./resource-route.ts"
import { perServerUri, sharedUiUris } from "./shared-ui.ts"

export interface Route {
  server: string
  /** The downstream's own name. */
  name: string
  /** A tool whose definition says `execution.taskSupport: "required"`: called as a task (proxy/task-call). */
  task?: true
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
  /** Lists of the last listing of each kind that stopped at the page cap (absent when none). */
  cuts?: Partial<Record<ListKind, ListCut[]>>
  /**
   * Items of each kind the last build of the surface withheld (catalog/sanitize: hidden characters in
   * a value the server matches exactly, such as an enum member or a property name); absent when none.
   */
  withheld?: Partial<Record<ListKind, ItemIssue[]>>
  /** While a first tools listing is under way: the pages it has read (proxy/fetch-list takePagesRead). */
  toolPagesRead?: { items: unknown[]; pages: number }
  /** While a first listing of prompts, resources or templates is under way: the pages it has read (proxy/fetch-list takePartPagesRead). */
  partPagesRead?: Partial<Record<"prompts" | "resources" | "templates", { items: unknown[]; pages: number }>>
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
  /** `items` in runs that are the same arrays while their servers' lists are (NamedSurface's families). */
  parts?: readonly (readonly T[])[]
}

/** Namespaced copies of `name`d items (tools or prompts), sorted by exposed name. */
export function buildNamed<T extends { name: string }>(
  lists: readonly ServerLists[],
  pick: (l: ServerLists) => T[] | undefined,
  ns: NamespaceOptions,
  log: Logger,
  kind: "tool" | "prompt",
  sanitize?: SanitizeOptions,
  portable = false,
): Named<T> {
  // each request carries its item through the naming (no map of 5 000 string keys per rebuild)
  const requests: Request<T>[] = []
  for (const l of lists) {
    const withheld: ItemIssue[] = []
    for (const r of requestsOf(l.server, pick(l), log, kind, sanitize, withheld, portable)) requests.push(r)
    noteWithheld(l, kind, withheld)
  }
  const items: T[] = []
  const routes = new Map<string, Route>()
  for (const e of assignNames(requests, ns)) {
    logAdjusted(log, kind, e)
    const item = e.item
    items.push(item.name === e.exposed ? item : renamed(item, e.exposed))
    routes.set(e.exposed, routeOf(e))
  }
  return { items, routes }
}

/**
 * The names every candidate exposed name of `server`'s items begins with (catalog/namespace
 * `namePrefix`: `sanitize(server + separator)`, or the server's first SERVER_KEEP characters for a
 * longer name, which a cut name keeps; cut to `budget − 7` before a hash suffix). Two servers
 * whose keys are not prefixes of one another can never claim the same name, so their names do not
 * depend on each other. Passthrough has no prefix: every server shares one key.
 */
export function familyKey(server: string, ns: NamespaceOptions): string {
  if (ns.passthrough) return ""
  return namePrefix(server, ns.separator).slice(0, nameBudget(ns.budget) - 7)
}

interface Request<T> {
  server: string
  name: string
  item: T
  task?: true
}

function routeOf(r: { server: string; name: string; task?: true }): Route {
  return r.task === true ? { server: r.server, name: r.name, task: true } : { server: r.server, name: r.name }
}

/** One server's part: its deduplicated, sanitized items as naming requests (kept while its list is the same array). */
interface Piece<T> {
  server: string
  source: readonly T[] | undefined
  max: number | undefined
  portable: boolean
  key: string
  requests: Request<T>[]
}

/** A family: servers whose keys share the first one's as prefix; named together, apart from the rest. */
interface Family<T> {
  pieces: Piece<T>[]
  items: T[]
  routes: [string, Route][]
}

/**
 * `buildNamed`, kept up to date per server: a list change of one server re-sanitizes only that
 * server's list and re-assigns only the names of its family (catalog/namespace's greedy order is
 * (server, name); names of servers outside the family can never equal any candidate name of it, see
 * `familyKey`), and the aggregated items are the families' sorted items concatenated in key order
 * (each family's names begin with its first key, so that is the global order by exposed name).
 * The result equals `buildNamed` of the same lists (test/proxy/surface-incremental.test.ts).
 * `routes` is one map updated in place: it always answers for the latest build.
 */
export class NamedSurface<T extends { name: string }> {
  private readonly pieces = new Map<string, Piece<T>>()
  private families = new Map<string, Family<T>>()
  private readonly routes = new Map<string, Route>()
  private nsKey = ""

  constructor(
    private readonly kind: "tool" | "prompt",
    private readonly log: Logger,
  ) {}

  build(lists: readonly ServerLists[], pick: (l: ServerLists) => T[] | undefined, ns: NamespaceOptions, sanitize?: SanitizeOptions, portable = false): Named<T> {
    const nsKey = `${ns.separator}\u0000${ns.budget}\u0000${ns.passthrough}\u0000${[...(ns.reserved ?? [])].join(" ")}`
    if (nsKey !== this.nsKey) {
      // other names everywhere: start over
      this.pieces.clear()
      this.families.clear()
      this.routes.clear()
      this.nsKey = nsKey
    }
    const max = sanitize?.maxDescription
    const current: Piece<T>[] = []
    const present = new Set<string>()
    for (const l of lists) {
      const source = pick(l)
      let piece = this.pieces.get(l.server)
      if (!piece || piece.source !== source || piece.max !== max || piece.portable !== portable) {
        const withheld: ItemIssue[] = []
        piece = { server: l.server, source, max, portable, key: familyKey(l.server, ns), requests: requestsOf(l.server, source, this.log, this.kind, sanitize, withheld, portable) }
        this.pieces.set(l.server, piece)
        noteWithheld(l, this.kind, withheld)
      }
      present.add(l.server)
      current.push(piece)
    }
    for (const server of [...this.pieces.keys()]) if (!present.has(server)) this.pieces.delete(server)
    // families: runs of keys (in order) that begin with the run's first key
    current.sort((a, b) => cmp(a.key, b.key) || cmp(a.server, b.server))
    const families = new Map<string, Family<T>>()
    const items: T[] = []
    const parts: T[][] = []
    for (let i = 0; i < current.length; ) {
      const root = current[i]!.key
      let j = i + 1
      while (j < current.length && current[j]!.key.startsWith(root)) j++
      const members = current.slice(i, j)
      // two pieces of one family under one root key: the servers' own order decides the naming
      members.sort((a, b) => cmp(a.server, b.server))
      const familyId = members.map((m) => m.server).join("\u0000")
      let fam = this.families.get(familyId)
      if (!fam || fam.pieces.length !== members.length || fam.pieces.some((p, k) => p !== members[k])) fam = this.nameFamily(members, ns)
      families.set(familyId, fam)
      parts.push(fam.items)
      for (const t of fam.items) items.push(t)
      i = j
    }
    // routes: only families that came or went are touched
    for (const [id, fam] of this.families) if (families.get(id) !== fam) for (const [exposed] of fam.routes) this.routes.delete(exposed)
    for (const [id, fam] of families) if (this.families.get(id) !== fam) for (const [exposed, route] of fam.routes) this.routes.set(exposed, route)
    this.families = families
    return { items, routes: this.routes, parts }
  }

  private nameFamily(pieces: Piece<T>[], ns: NamespaceOptions): Family<T> {
    const requests: Request<T>[] = []
    for (const p of pieces) for (const r of p.requests) requests.push(r)
    return named(assignNames(requests, ns), this.log, this.kind, pieces)
  }
}

function named<T extends { name: string }>(entries: (Request<T> & NamedEntry)[], log: Logger, kind: string, pieces: Piece<T>[]): Family<T> {
  const items: T[] = []
  const routes: [string, Route][] = []
  for (const e of entries) {
    logAdjusted(log, kind, e)
    const item = e.item
    items.push(item.name === e.exposed ? item : renamed(item, e.exposed))
    routes.push([e.exposed, routeOf(e)])
  }
  return { pieces, items, routes }
}

/**
 * A server's items as naming requests: the first of a duplicated name kept, sanitized when asked
 * (an item the sanitizer finds poisoned is left out, and added to `withheld`), a tool's input
 * schema in the subset every model API reads when `portable` (catalog/portable-schema).
 */
function requestsOf<T extends { name: string }>(server: string, source: readonly T[] | undefined, log: Logger, kind: "tool" | "prompt", sanitize: SanitizeOptions | undefined, withheld: ItemIssue[], portable = false): Request<T>[] {
  const requests: Request<T>[] = []
  const seen = new Set<string>()
  for (const raw of source ?? []) {
    if (typeof raw?.name !== "string" || seen.has(raw.name)) continue // duplicate within one server: keep the first
    seen.add(raw.name)
    const cleaned = sanitize ? clean(raw, sanitize, log, kind, server, raw.name, withheld) : raw
    if (cleaned === undefined) continue
    const shown = portable && kind === "tool" ? portableTool(cleaned, (changes) => log.info("tool schema rewritten for model APIs (proxy.portableSchemas)", { server, name: raw.name, changes })) : cleaned
    // argument names a model API refuses are exposed under valid ones (catalog/arg-keys; calls get theirs back)
    const item = kind === "tool" ? modelArgTool(shown) : shown
    // a task-required tool is shown as a plain one (the orchestrator runs the task: proxy/task-call)
    if (kind === "tool" && taskRequired(raw)) requests.push({ server, name: item.name, item: exposedTaskTool(item), task: true })
    else requests.push({ server, name: item.name, item })
  }
  return requests
}

const LIST_OF: Record<ItemKind, ListKind> = { tool: "tools", prompt: "prompts", resource: "resources", template: "resources" }

/** Keep what the build withheld of `l`'s list of `kind` for the status (proxy/status). */
function noteWithheld(l: ServerLists, kind: ItemKind, withheld: ItemIssue[]): void {
  const list = LIST_OF[kind]
  if (withheld.length) (l.withheld ??= {})[list] = withheld
  else if (l.withheld?.[list]) delete l.withheld[list]
}

/** A name that is not the plain `server<sep>name` because it was cut, taken, or is an own tool's name. */
function logAdjusted(log: Logger, kind: string, e: NamedEntry): void {
  if (e.adjusted === "reserved") log.warn(`${kind} name adjusted: it is the name of one of mcp-orchestrator's own ${kind}s`, { server: e.server, name: shownIssueName(e.name), exposed: e.exposed, why: e.adjusted })
  else if (e.adjusted === "collision" || e.adjusted === "truncated") log.info(`${kind} name adjusted`, { server: e.server, name: shownIssueName(e.name), exposed: e.exposed, why: e.adjusted })
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/*
 * A surface is rebuilt whenever any server's list changes; the definitions of the servers that did
 * not change come out as the same objects as before (memoized per source object), so what is
 * computed per definition object downstream of here (the outgoing redaction check) is not redone
 * for all 5 000 tools of a 50-server fleet. Definitions are never mutated in place.
 */
const cleaned = new WeakMap<object, { max: number; out: object; report: SanitizeReport }>()
const renames = new WeakMap<object, { name: string; out: object }>()

function renamed<T extends { name: string }>(item: T, name: string): T {
  const hit = renames.get(item)
  if (hit?.name === name) return hit.out as T
  const out = { ...item, name }
  renames.set(item, { name, out })
  return out
}

const KIND_WORDS: Record<ItemKind, string> = { tool: "tool", prompt: "prompt", resource: "resource", template: "resource template" }

/**
 * `item` with hidden text removed and descriptions capped, logged (the same object when clean), or
 * undefined when it is poisoned: hidden characters in a value the server matches exactly (an enum
 * member, a property name, a prompt argument name, a URI) can be neither removed (the server would
 * no longer accept what the model sends) nor passed on, so the item is withheld, with a warning and
 * an entry in `withheld` (orchestrator_status lists it among the dropped items).
 */
function clean<T extends object>(item: T, o: SanitizeOptions, log: Logger, kind: ItemKind, server: string, name: string, withheld: ItemIssue[]): T | undefined {
  const hit = cleaned.get(item)
  const report = hit?.max === o.maxDescription ? hit.report : { hidden: 0, truncated: 0 }
  const out = hit?.max === o.maxDescription ? (hit.out as T) : sanitizeItem(item, o, report, kind)
  if (hit?.max !== o.maxDescription) cleaned.set(item, { max: o.maxDescription, out, report })
  const words = KIND_WORDS[kind]
  if (report.poisoned?.length) {
    const where = report.poisoned.join(", ")
    log.warn(`${words} withheld: hidden characters in a value its server matches exactly (possible tool poisoning)`, { server, name, where })
    withheld.push({ kind, name, action: "dropped", why: `withheld: hidden characters in ${where} (possible tool poisoning)` })
    return undefined
  }
  if (report.hidden) log.warn(`hidden characters removed from a ${words} definition (possible tool poisoning)`, { server, name, removed: report.hidden })
  if (report.truncated) log.info(`${words} description truncated`, { server, name, max: o.maxDescription })
  return out
}

export interface ResourceSurface {
  resources: Resource[]
  templates: ResourceTemplate[]
  byUri: Map<string, string>
  /** uri → every server listing it (more than one: reads of it are refused as contended). */
  listed: Map<string, string[]>
  /** The templates reads are routed by (proxy/resource-route). */
  claims: TemplateClaim[]
  /** A scheme and authority → the servers listing resources or templates under it. */
  origins: Map<string, Set<string>>
}

export function buildResources(lists: readonly ServerLists[], log: Logger, sanitize?: SanitizeOptions): ResourceSurface {
  const resources: Resource[] = []
  const templates: ResourceTemplate[] = []
  const byUri = new Map<string, string>()
  const listed = new Map<string, string[]>()
  const claims: TemplateClaim[] = []
  const origins = new Map<string, Set<string>>()
  const inOrigin = (text: string, server: string): void => {
    const o = uriOrigin(text)
    if (o !== undefined && !o.includes("{")) (origins.get(o) ?? origins.set(o, new Set()).get(o)!).add(server)
  }
  const sorted = [...lists].sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : 0))
  // an MCP Apps view URI several servers list is listed per server (proxy/shared-ui), not contended
  const sharedUi = sharedUiUris(sorted.map((l) => ({ server: l.server, resources: l.resources })))
  for (const l of sorted) {
    const withheld: ItemIssue[] = []
    for (const listedR of l.resources ?? []) {
      if (typeof listedR?.uri !== "string") continue
      const r = sharedUi.has(listedR.uri) ? { ...listedR, uri: perServerUri(l.server, listedR.uri) } : listedR
      const owner = byUri.get(r.uri)
      if (owner !== undefined) {
        if (owner !== l.server) {
          log.warn("resource URI offered by two servers; the first keeps it in the list, reads of it are refused as contended", { uri: r.uri, kept: owner, dropped: l.server })
          const all = listed.get(r.uri)!
          if (!all.includes(l.server)) all.push(l.server)
        }
        continue
      }
      const item = sanitize ? clean(r, sanitize, log, "resource", l.server, r.uri, withheld) : r
      if (item === undefined) continue
      byUri.set(r.uri, l.server)
      listed.set(r.uri, [l.server])
      inOrigin(r.uri, l.server)
      resources.push(item)
    }
    for (const t of l.templates ?? []) {
      if (typeof t?.uriTemplate !== "string") continue
      const item = sanitize ? clean(t, sanitize, log, "template", l.server, t.uriTemplate, withheld) : t
      if (item === undefined) continue
      templates.push(item)
      const claim = templateClaim(l.server, t.uriTemplate)
      if (claim === undefined) continue
      claims.push(claim)
      inOrigin(claim.lead, l.server)
    }
    noteWithheld(l, "resource", withheld)
  }
  // the URI as the servers list it names none of them: a read of it is refused as contended, naming the per-server forms
  for (const [uri, servers] of sharedUi) if (!listed.has(uri)) listed.set(uri, [...servers])
  return { resources, templates, byUri, listed, claims, origins }
}

/**
 * Which server serves `uri` (proxy/resource-route `routeResource`): the one listing it, else the
 * most specific matching template; `ambiguous` when servers contend for it (none is guessed).
 * `pending`: servers whose resource lists are not known (a catch-all template does not overtake them).
 */
export function resourceOwner(s: ResourceSurface, uri: string, pending?: readonly string[]): ResourceRoute | undefined {
  return routeResource(uri, s.listed, s.claims, s.origins, pending)
}
