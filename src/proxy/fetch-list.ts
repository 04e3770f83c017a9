/**
 * @module proxy/fetch-list
 * Paginated list requests (`tools/list`, `prompts/list`, …) against one downstream (cursor loop,
 * bounded page count), and the refresh of one server's lists with change detection. Every item is
 * checked on the way in (catalog/validate): repaired or dropped, so one bad item never makes a
 * client reject the whole aggregated list, and one definition nothing can be done with (too deep,
 * or failing its check or its pin) never fails the listing; what was done is kept per server for the
 * status. An answer that is no list (`{"tools":"nope"}`, no `tools` from a server declaring tools, a
 * result that is no object) fails the listing (`BAD_RESPONSE`): it is never read as an empty list.
 * A server's lists other than its tools (prompts, resources, resource templates) each stand or fall
 * on their own (proxy/list-parts): one failing never blanks another, and one answered as a method
 * the server does not implement (`{}`, "method not found") is read as empty while it holds nothing.
 */
import { checkList, checkListSliced, checkTools, definitionHash, type CheckedList, type ItemIssue } from "../catalog/index.ts"
import { collectPacer, eachSliced, errorMessage, isRecord, jsonLength, keyedDigest, SLICE_FROM, type DownstreamError, type Logger } from "../core/index.ts"
import { badResponse, shown, type Pool } from "../pool/index.ts"
import { isListIssue, listPart, markWithoutList, PARTS, type PartFailure } from "./list-parts.ts"
import type { CacheHint, ServerLists } from "./surface.ts"
import type { ListCut, ListKind, Tool } from "./types.ts"
import { shownIssueName } from "./status.ts"

/**
 * Items listed, by every server and list, between two asks for a concurrent collection
 * (core/collect-pace): a start's listing burst (50 servers × 100 tools) parses, checks, names,
 * hashes and serialises each definition several times within a few turns; the collector's own
 * threshold let that garbage raise the peak to ~210 MiB, RSS 156–167 with the asks (qa314).
 */
const listPace = collectPacer()

/** Pages read of one list at most: a server whose cursor never ends cannot hold a listing forever. */
export const MAX_PAGES = 100

/**
 * Items kept of one list of one server at most (tools, prompts, resources or templates): what one
 * server lists is held, checked, stored and sent to every client, so a server listing a million
 * prompts (ten pages of 100 000) cost gigabytes and stalled every other server's calls for seconds.
 * No client makes use of more; the rest is cut, as past the page cap.
 */
export const MAX_ITEMS = 10_000

/**
 * Characters of JSON (each item's text as serialised once: core/definition-digest) kept of one list
 * of one server at most. The item cap alone does not bound memory: a server answering 100 pages of one prompt with a
 * 20 MB description each took the orchestrator past 4 GB (each page within pool.maxFrameBytes).
 */
export const MAX_LIST_BYTES = 32 * 1024 * 1024

/**
 * Characters of a `nextCursor` followed at most. A cursor is sent back with the next page's request
 * (and kept to catch one given again): a server whose cursor grows each page (100 KB more a page)
 * had the listing send and hold hundreds of megabytes; real cursors are tens of characters.
 */
export const MAX_CURSOR_CHARS = 64 * 1024

export type ListMethod = "tools/list" | "prompts/list" | "resources/list" | "resources/templates/list"
const FIELD: Record<ListMethod, string> = {
  "tools/list": "tools",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
}
/** The server capability that declares a list. */
const CAPABILITY: Record<ListMethod, "tools" | "prompts" | "resources"> = {
  "tools/list": "tools",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resources",
}

/**
 * All items of a list, following `nextCursor`: at most MAX_PAGES pages, MAX_ITEMS items and
 * MAX_LIST_BYTES of them, and never a cursor the server gave before (a cut is pushed to `cuts` in
 * each case).
 * Retried on connection loss (lists are idempotent). `hints` gets the pages' cache hints
 * (2026-07-28 servers): the shortest `ttlMs`, `private` if any page is.
 */
export async function fetchList<T>(pool: Pool, server: string, method: ListMethod, hints?: HintSink, cuts?: ListCut[], read?: PagesRead): Promise<T[]> {
  const out: T[] = []
  if (read !== undefined) read.items = out
  let cursor: string | number | undefined
  /** The cursors given so far: one given again would list the same pages again, in a loop. */
  const given = new Set<string | number>()
  let bytes = 0
  for (let page = 0; page < MAX_PAGES; page++) {
    let r: Record<string, unknown> | undefined
    let items: T[]
    try {
      r = (await pool.call(server, method, cursor !== undefined ? { cursor } : undefined, { idempotent: true, listing: true })) as Record<string, unknown> | undefined
      items = itemsOf(pool, server, method, r, page) as T[]
      listPace(items.length)
    } catch (err) {
      // what the pages before held goes with the failure (`pagesRead`): a first listing serves it
      if (page > 0 && typeof err === "object" && err !== null) (err as { [PAGES_READ]?: PagesRead })[PAGES_READ] = { items: out, pages: page }
      throw err
    }
    const over = out.length + items.length > MAX_ITEMS
    let full = false
    for (let i = 0; i < items.length && out.length < MAX_ITEMS; i++) {
      // the item's JSON length, its digests taken with it (core/definition-digest: the relist's reuse
      // and the save's fingerprint read them); one that cannot be serialised is walked instead
      bytes += jsonLength(items[i]) ?? approxBytes(items[i], MAX_LIST_BYTES - bytes)
      if (bytes > MAX_LIST_BYTES) {
        full = true
        break
      }
      out.push(items[i]!)
    }
    if (hints && typeof r?.ttlMs === "number" && r.ttlMs >= 0) hints.add(r.ttlMs, r.cacheScope === "public" ? "public" : "private")
    const next = nextCursorOf(r)
    if (next === BAD_CURSOR) {
      cuts?.push({ list: method, pages: page + 1, items: out.length, why: "cursor-value" })
      return out
    }
    cursor = next
    if (full) {
      cuts?.push({ list: method, pages: page + 1, items: out.length, why: "bytes" })
      return out
    }
    if (over || (cursor && out.length >= MAX_ITEMS)) {
      cuts?.push({ list: method, pages: page + 1, items: out.length, why: "items" })
      return out
    }
    if (cursor === undefined) return out
    if (given.has(cursor)) {
      cuts?.push({ list: method, pages: page + 1, items: out.length, why: "cursor" })
      return out
    }
    given.add(cursor)
    if (read !== undefined) {
      read.pages = page + 1
      read.onPage?.()
    }
  }
  // only reached with every allowed page read and a cursor still given
  cuts?.push({ list: method, pages: MAX_PAGES, items: out.length })
  return out
}

const BAD_CURSOR = Symbol("a nextCursor the next page cannot be asked with")

/**
 * A page's `nextCursor`: undefined at the end (none, null, ""); a string, or a finite number (a
 * hand-written server's page number: sent back as it came, which such a server takes); BAD_CURSOR
 * for any other value or a string over MAX_CURSOR_CHARS. Before, a cursor that was no string ended
 * the listing in silence, its later pages missing from every answer.
 */
function nextCursorOf(r: Record<string, unknown> | undefined): string | number | undefined | typeof BAD_CURSOR {
  const c = r?.nextCursor
  if (c === undefined || c === null || c === "") return undefined
  if (typeof c === "string") return c.length <= MAX_CURSOR_CHARS ? c : BAD_CURSOR
  return typeof c === "number" && Number.isFinite(c) ? c : BAD_CURSOR
}

const PAGES_READ = Symbol("pages read before a listing failed")

/** The items of the pages a listing read (before one of its later pages failed, or while a later page is awaited). */
export interface PagesRead {
  items: unknown[]
  pages: number
  /** Told when a page was read and the next is asked for (the listing is under way, not silent). */
  onPage?: () => void
}

/** What a failed listing had read before its failing page (undefined: it failed on its first page). */
function pagesRead(err: unknown): PagesRead | undefined {
  return typeof err === "object" && err !== null ? (err as { [PAGES_READ]?: PagesRead })[PAGES_READ] : undefined
}

const PARTIAL_TAKEN = Symbol("a first listing's pages read before its failure are served")

/**
 * The failure of a first tools listing (no list known of the server) after some of its pages were
 * read: those pages' tools were taken and are served until a listing succeeds (the failure is
 * still counted and retried). A client that lists once (Cursor) would otherwise get none of them.
 */
export function partialTaken(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { [PARTIAL_TAKEN]?: boolean })[PARTIAL_TAKEN] === true
}

/**
 * For an item that cannot be serialised (nested past what JSON.stringify walks): about how many
 * bytes of JSON `v` is (string lengths, object keys, 8 per other value), counted until past `limit`: an explicit stack (no recursion, whatever the nesting), and a 20 MB string is
 * one length read.
 */
function approxBytes(v: unknown, limit: number): number {
  let n = 0
  const stack: unknown[] = [v]
  while (stack.length > 0 && n <= limit) {
    const x = stack.pop()
    if (typeof x === "string") n += x.length + 2
    else if (Array.isArray(x)) {
      n += 2
      for (let i = 0; i < x.length; i++) stack.push(x[i])
    } else if (typeof x === "object" && x !== null) {
      n += 2
      for (const k in x) {
        n += k.length + 4
        stack.push((x as Record<string, unknown>)[k])
      }
    } else n += 8
  }
  return n
}

/**
 * The items of one page. A page that is no list fails the listing (the server's previous list
 * stays, proxy/list-retry counts it): a result that is no object, a field that is no list, or no
 * field at all from a server declaring that capability. A server not declaring it (tools/list is
 * asked of every server) has none. A first page that is an object without the field is marked
 * (proxy/list-parts): it is what a catch-all answer to a method the server does not implement looks like.
 */
function itemsOf(pool: Pool, server: string, method: ListMethod, r: unknown, page: number): unknown[] {
  if (typeof r !== "object" || r === null || Array.isArray(r)) throw notAList(method, `its result is ${shown(r)}, not an object`)
  const field = FIELD[method]
  const items = (r as Record<string, unknown>)[field]
  if (Array.isArray(items)) return items
  if (items === undefined) {
    const caps = pool.get(server)?.info?.capabilities
    const declared = caps === undefined || (caps[CAPABILITY[method]] !== undefined && caps[CAPABILITY[method]] !== null)
    if (!declared) return []
    const err = notAList(method, `it has no ${field} list, though the server declares ${CAPABILITY[method]}`)
    if (page === 0) markWithoutList(err)
    throw err
  }
  throw notAList(method, `its ${field} is ${shown(items)}, not a list`)
}

function notAList(method: ListMethod, problem: string): DownstreamError {
  return badResponse(method, problem, "Fix or update the server; its previous list is kept, and the listing is tried again.")
}

/** Collects the cache hints of one listing (several pages, or resources and templates together). */
export class HintSink {
  private ttlMs: number | undefined
  private scope: "public" | "private" = "public"

  add(ttlMs: number, scope: "public" | "private"): void {
    this.ttlMs = this.ttlMs === undefined ? ttlMs : Math.min(this.ttlMs, ttlMs)
    if (scope === "private") this.scope = "private"
  }

  /** The hint to keep, or undefined when no page carried one (a legacy server). */
  result(at: number): CacheHint | undefined {
    return this.ttlMs === undefined ? undefined : { ttlMs: this.ttlMs, scope: this.scope, at }
  }
}

/** When a listing was read (performance.now()), for timing what is done with it. */
export interface ListTiming {
  arrived?: number
  /**
   * Told when one list of several (resources, templates) changed the server's items while the
   * others may still be coming: what is served of the kind changed now.
   */
  onPart?: () => void
  /** Told when a first tools listing has read a page and asks for the next (proxy/list-waits `pageRead`). */
  onPage?: () => void
  /** Told of each list of prompts, resources or templates that failed (what it held stays). */
  onFailed?: (method: ListMethod, err: unknown) => void
}

/** Re-fetch one kind of lists of one server into `e`. Returns whether anything changed. */
export async function refreshLists(pool: Pool, e: ServerLists, kind: ListKind, gate?: ToolGateFn, log?: Logger, timing?: ListTiming): Promise<boolean> {
  const hints = new HintSink()
  const cuts: ListCut[] = []
  const changed = await refreshKind(pool, e, kind, hints, cuts, gate, log, timing)
  const h = hints.result(Date.now())
  if (h) (e.hints ??= {})[kind] = h
  else if (e.hints) delete e.hints[kind]
  noteCuts(e, kind, cuts, log)
  return changed
}

async function refreshKind(pool: Pool, e: ServerLists, kind: ListKind, hints: HintSink, cuts: ListCut[], gate?: ToolGateFn, log?: Logger, timing?: ListTiming): Promise<boolean> {
  const server = e.server
  if (kind === "tools") {
    let listed: unknown[]
    let failed: unknown
    // a first listing shows the pages it has read while it waits for the next (takePagesRead)
    const soFar: PagesRead | undefined = e.tools === undefined ? { items: [], pages: 0, ...(timing?.onPage ? { onPage: timing.onPage } : {}) } : undefined
    if (soFar !== undefined) e.toolPagesRead = soFar
    try {
      listed = await fetchList<unknown>(pool, server, "tools/list", hints, cuts, soFar)
    } catch (err) {
      const read = pagesRead(err)
      // a server listed before keeps that list (the failure is retried); a first listing keeps what it read
      if (read === undefined || read.items.length === 0 || e.tools !== undefined) throw err
      listed = read.items
      cuts.push({ list: "tools/list", pages: read.pages, items: read.items.length, why: "failed" })
      failed = err
    } finally {
      if (e.toolPagesRead === soFar) delete e.toolPagesRead
    }
    if (timing) timing.arrived = performance.now()
    const next = reuseUnchanged(e.tools, await checkedTools(e, listed, gate, log))
    if (failed !== undefined) {
      e.tools = next
      noteCuts(e, kind, cuts, log)
      ;(failed as { [PARTIAL_TAKEN]?: boolean })[PARTIAL_TAKEN] = true
      throw failed
    }
    if (next === e.tools) return false
    e.tools = next
    return true
  }
  return refreshParts(pool, e, kind, hints, cuts, log, timing)
}

/** Listed tools checked (repaired or dropped, noted for the status) and passed through the gate (pins). */
async function checkedTools(e: ServerLists, listed: unknown[], gate: ToolGateFn | undefined, log: Logger | undefined): Promise<Tool[]> {
  const checked = await checkTools<Tool>(asListedBefore(e, listed))
  // pins hash the definition as the server sent it (stable across our repairs and normalisation);
  // a long list's hashes are made ahead a slice per turn (kept per object: the gate finds them made)
  if (gate && checked.sources.length > SLICE_FROM) await eachSliced(checked.sources, hashAhead)
  const allowed = gate ? gateEach(gate, e.server, checked) : undefined
  note(e, "tools", [checked], log)
  return allowed ? checked.items.filter((_, i) => allowed.has(checked.sources[i])) : checked.items
}

/** A definition's pin hash made now (one that cannot be hashed is left to the gate, which says so). */
function hashAhead(t: unknown): void {
  try {
    if (isRecord(t) && typeof t.name === "string") definitionHash(t as Tool)
  } catch {
    // the gate asks again and drops it, saying why
  }
}

/**
 * The pages a server's first tools listing has read while a later page is still awaited (a page
 * the server is slow to answer, or never answers), taken as its tools now: a list answered while
 * that page is awaited (the first one, once its wait ran out, which Cursor keeps) has them, where
 * it had none of the server's tools until the page's timeout (60 s). The listing goes on and
 * replaces them when it ends (a list_changed). False when there is nothing to take.
 */
export async function takePagesRead(e: ServerLists, gate?: ToolGateFn, log?: Logger): Promise<boolean> {
  const read = e.toolPagesRead
  if (e.tools !== undefined || read === undefined || read.pages === 0 || read.items.length === 0) return false
  const tools = await checkedTools(e, read.items.slice(), gate, log)
  if (e.tools !== undefined || e.toolPagesRead !== read) return false
  e.tools = tools
  noteCuts(e, "tools", [{ list: "tools/list", pages: read.pages, items: read.items.length, why: "awaited" }], log)
  return true
}

/**
 * As takePagesRead, for a server's prompts, or its resources and templates: the pages a first
 * listing of each has read while a later page is still awaited are taken as its items now (checked;
 * `truncated` `why: "awaited"`), where a list answered meanwhile (the first, which Cursor keeps) had
 * none of them. The listing goes on and replaces them when it ends (a list_changed). False when
 * nothing was taken.
 */
export function takePartPagesRead(e: ServerLists, kind: "prompts" | "resources", log?: Logger): boolean {
  const cuts: ListCut[] = []
  for (const p of PARTS[kind]) {
    const read = e.partPagesRead?.[p.key]
    if (e[p.key] !== undefined || read === undefined || read.pages === 0 || read.items.length === 0) continue
    ;(e as unknown as Record<string, unknown[]>)[p.key] = checkList<unknown>(p.item, read.items.slice()).items
    cuts.push({ list: p.method, pages: read.pages, items: read.items.length, why: "awaited" })
  }
  if (cuts.length === 0) return false
  noteCuts(e, kind, [...(e.cuts?.[kind] ?? []), ...cuts], log)
  return true
}

/**
 * Prompts, or resources and templates: each list fetched and kept on its own (proxy/list-parts).
 * One that fails keeps what it held (its items, issues and cuts) and is warned about while the
 * others are taken; only when every list of the kind failed does the listing fail (the first
 * failure thrown, the others warned about).
 */
async function refreshParts(pool: Pool, e: ServerLists, kind: "prompts" | "resources", hints: HintSink, cuts: ListCut[], log?: Logger, told?: ListTiming): Promise<boolean> {
  const parts = PARTS[kind]
  const found: ItemIssue[][] = parts.map(() => [])
  let changed = false
  // each list is taken as it arrives: one the server is slow to answer, or never answers (a
  // resources/templates/list left unanswered), does not keep the other out of the answers given
  // meanwhile (before, its resources were missing from every list until the templates timed out)
  const results = await Promise.all(
    parts.map(async (p, i) => {
      // a first listing shows the pages it has read while it waits for the next (takePartPagesRead)
      const soFar: PagesRead | undefined = e[p.key] === undefined ? { items: [], pages: 0 } : undefined
      if (soFar !== undefined) (e.partPagesRead ??= {})[p.key] = soFar
      const r = await listPart(e, p, (m) => fetchList<unknown>(pool, e.server, m, hints, cuts, soFar)).finally(() => {
        if (e.partPagesRead?.[p.key] === soFar) delete e.partPagesRead?.[p.key]
      })
      if ("failed" in r) return r
      const checked = await checkListSliced<unknown>(p.item, r.items)
      found[i]!.push(...checked.issues, ...(r.issue ? [r.issue] : []))
      const before = e[p.key] as unknown[] | undefined
      const next = reuseUnchanged(before, checked.items)
      if (next !== before) {
        ;(e as unknown as Record<string, unknown[]>)[p.key] = next
        changed = true
        told?.onPart?.()
      }
      return r
    }),
  )
  const issues: ItemIssue[] = []
  const failures: PartFailure[] = []
  parts.forEach((p, i) => {
    const r = results[i]!
    if ("failed" in r) {
      failures.push(r)
      told?.onFailed?.(r.method, r.failed)
      // what it held stays, with what was noted of it
      issues.push(...(e.issues?.[kind] ?? []).filter((x) => x.kind === p.item))
      cuts.push(...(e.cuts?.[kind] ?? []).filter((c) => c.list === p.method))
    } else issues.push(...found[i]!)
  })
  if (failures.length === parts.length) {
    for (const f of failures.slice(1)) log?.warn(`listing ${kind} failed`, { server: e.server, list: f.method, error: errorMessage(f.failed) })
    throw failures[0]!.failed
  }
  noteIssues(e, kind, issues, log)
  for (const f of failures) log?.warn(`listing ${kind} failed`, { server: e.server, list: f.method, error: errorMessage(f.failed) })
  return changed
}

/**
 * The gate of freshly listed tools (catalog/pins): the ones a client may see. `tools` is the
 * server's whole listing (as sent), unless `part` (a part of one); `served`, when given, the
 * checked copy of each (same index): what a stored list holds, which pins restored from one are of.
 */
export type ToolGateFn = (server: string, tools: Tool[], part?: boolean, served?: readonly unknown[]) => Tool[]

/**
 * The checked tools the gate (catalog/pins) lets through, by their definition as sent. When the
 * gate throws (a definition it cannot take), it is asked tool by tool: the ones it cannot take are
 * dropped (an issue, as an invalid definition is), the rest of the list stands — and is then
 * handed to it as the whole listing (what it holds for names not in it may go).
 */
function gateEach(gate: ToolGateFn, server: string, checked: CheckedList<Tool>): Set<unknown> {
  const sources = checked.sources as Tool[]
  try {
    return new Set<unknown>(gate(server, sources, false, checked.items))
  } catch {
    // found below, tool by tool
  }
  const out = new Set<unknown>()
  const taken: Tool[] = []
  const served: unknown[] = []
  sources.forEach((t, i) => {
    try {
      for (const x of gate(server, [t], true, [checked.items[i]])) out.add(x)
      taken.push(t)
      served.push(checked.items[i])
    } catch (err) {
      const name = String(checked.items[i]?.name)
      const issues = checked.issues.filter((x) => !(x.name === name && x.action === "repaired"))
      issues.push({ kind: "tool", name, action: "dropped", why: `pinning its definition failed: ${errorMessage(err)}` })
      checked.issues.splice(0, checked.issues.length, ...issues)
    }
  })
  try {
    return new Set<unknown>(gate(server, taken, false, served))
  } catch {
    return out
  }
}

const CUT_WHY: Record<NonNullable<ListCut["why"]>, string> = {
  pages: `stopped at the page cap: the server offered more than ${MAX_PAGES} pages; the items past them are not listed`,
  cursor: "stopped at a repeated cursor: the server gave a nextCursor it had given before, which would list the same pages again",
  items: `stopped at the item cap: the server listed more than ${MAX_ITEMS.toLocaleString("en-US")} items; the rest are not listed`,
  bytes: `stopped at the size cap: the server's items came to more than ${MAX_LIST_BYTES / 1024 / 1024} MiB of JSON; the rest are not listed`,
  "cursor-value": `stopped at a nextCursor the next page cannot be asked with: no string (nor page number), or over ${MAX_CURSOR_CHARS / 1024} KiB (a cursor growing each page); the pages after it are not listed`,
  failed: "stopped at a page that failed, in the server's first listing: the items of the pages read before it are served until a listing succeeds (retried)",
  awaited: "has a page not answered yet, in the server's first listing: the items of the pages read before it are served meanwhile (the listing goes on)",
  stored: "is the part an earlier run's first listing read before a page failed or went unanswered: served from the store at once while the server is listed again",
}

/**
 * A stored list that is a first listing's pages read in an earlier run (`save` with its cut): the
 * cut is kept for the status (`why: "stored"`) until a listing of this run ends whole.
 */
export function takeStoredCut(e: ServerLists, cut: Pick<ListCut, "list" | "pages" | "items">, log?: Logger): void {
  noteCuts(e, "tools", [{ list: cut.list, pages: cut.pages, items: cut.items, why: "stored" }], log)
}

/** Why a list is partial (the pages a first listing read): what is stored marked so. */
const PARTIAL_WHY: ReadonlySet<ListCut["why"]> = new Set(["failed", "awaited", "stored"])

/** The cuts of `e`'s prompts, resources and templates that make them partial (stored with them: `StoredLists.partial`). */
export function partialPartCuts(e: ServerLists): ListCut[] {
  return [...(e.cuts?.prompts ?? []), ...(e.cuts?.resources ?? [])].filter((c) => PARTIAL_WHY.has(c.why))
}

/**
 * Stored lists of `kind` taken as `e`'s that were stored partial (`cuts`: each naming its method):
 * said so in the status (`truncated`, `why: "stored"`). True when any was.
 */
export function takeStoredPartCuts(e: ServerLists, kind: "prompts" | "resources", cuts: readonly Pick<ListCut, "list" | "pages" | "items">[], log?: Logger): boolean {
  const mine = cuts.filter((c) => PARTS[kind].some((p) => p.method === c.list))
  if (mine.length === 0) return false
  noteCuts(e, kind, mine.map((c) => ({ list: c.list, pages: c.pages, items: c.items, why: "stored" })), log)
  return true
}

/**
 * Keep the lists cut at the page cap for the status; warn when a cut appears or changes (the
 * server offered more than MAX_PAGES pages: the items past them are missing from the surface).
 */
function noteCuts(e: ServerLists, kind: ListKind, cuts: ListCut[], log: Logger | undefined): void {
  const before = e.cuts?.[kind]
  if (cuts.length === 0) {
    if (before !== undefined) delete e.cuts![kind]
    return
  }
  ;(e.cuts ??= {})[kind] = cuts
  if (log === undefined || sameJson(before, cuts)) return
  for (const c of cuts) log.warn(`${c.list} ${CUT_WHY[c.why ?? "pages"]}`, { server: e.server, pages: c.pages, items: c.items })
}

/** Keep what was repaired or dropped for the status; log it when it differs from the last listing. */
function note(e: ServerLists, kind: ListKind, lists: CheckedList<unknown>[], log: Logger | undefined): void {
  noteIssues(e, kind, lists.flatMap((l) => l.issues), log)
}

/** Issues of one list logged a line each at most (the rest in one line; all in orchestrator_status). */
export const MAX_LOGGED_ISSUES = 50

function noteIssues(e: ServerLists, kind: ListKind, issues: ItemIssue[], log: Logger | undefined): void {
  const before = e.issues?.[kind]
  if (issues.length === 0) {
    if (before !== undefined) delete e.issues![kind]
    return
  }
  ;(e.issues ??= {})[kind] = issues
  if (log === undefined || sameJson(before, issues)) return
  // a line each up to a bound, then one line for the rest: a server listing thousands of invalid
  // items logged a line for each at every change of its list (all are in orchestrator_status)
  if (issues.length > MAX_LOGGED_ISSUES) {
    const rest = issues.slice(MAX_LOGGED_ISSUES)
    const dropped = rest.filter((i) => i.action === "dropped").length
    log.warn(`${kind}: ${rest.length} more items dropped or repaired than are logged one by one`, {
      server: e.server,
      dropped,
      repaired: rest.length - dropped,
      names: rest.slice(0, 10).map((i) => shownIssueName(i.name)),
      remedy: "orchestrator_status lists every one (dropped, repaired) with why",
    })
    issues = issues.slice(0, MAX_LOGGED_ISSUES)
  }
  for (const i of issues) {
    // a list read as none (proxy/list-parts): the name is its method
    if (isListIssue(i)) log.warn(`${i.name} read as an empty list`, { server: e.server, why: i.why })
    else if (i.duplicate) log.warn(`downstream ${i.kind} listed twice: the later copy is dropped, the first kept`, { server: e.server, name: shownIssueName(i.name), why: i.why })
    else if (i.action === "dropped") log.warn(`downstream ${i.kind} dropped: its definition is invalid`, { server: e.server, name: shownIssueName(i.name), why: i.why })
    else log.info(`downstream ${i.kind} definition repaired`, { server: e.server, name: shownIssueName(i.name), why: i.why })
  }
}

/** Per server: the tool definitions of its last listing, as it sent them. */
const listedBefore = new WeakMap<ServerLists, unknown[]>()

/**
 * `raw` (a fresh listing), with each definition whose JSON equals one of the server's last listing
 * replaced by that object: what is memoised per definition object as sent (catalog/validate's
 * check, catalog/pins' hash) is then redone for the changed definitions only, and their checked
 * objects come out the same as before. Compared by a keyed digest of the JSON text kept per object
 * (core/definition-digest: never the text): a relist serialises the new listing once, and the list
 * fingerprint of its save reads the same digests.
 */
function asListedBefore(e: ServerLists, raw: unknown[]): unknown[] {
  const before = listedBefore.get(e)
  let out = raw
  if (before !== undefined) {
    const old = new Map<bigint, unknown>()
    for (const b of before) {
      const d = keyedDigest(b)
      if (d !== undefined && !old.has(d)) old.set(d, b)
    }
    out = raw.map((item) => {
      const d = typeof item === "object" && item !== null ? keyedDigest(item) : undefined
      return (d !== undefined && old.get(d)) || item
    })
    if (out.length === before.length && out.every((item, i) => item === before[i])) out = before
  }
  listedBefore.set(e, out)
  return out
}

/**
 * `after`, with each definition whose JSON equals one listed before kept as the old object; `before`
 * itself when nothing changed (same JSON in the same order). A relist after one tool changed thus
 * leaves the other definitions' objects alone, and what is memoised per definition object downstream
 * (proxy/surface's sanitizing and naming, the outgoing redaction check, core/list-json's encoded
 * blocks) is redone for the changed ones only. Definitions that already are the old objects (see
 * `asListedBefore`) are not serialised again; the others are compared by their keyed digest
 * (core/definition-digest), which the list fingerprint of the save then reuses: a live listing
 * replacing a stored list serialises each new definition once, and the stored ones not at all
 * (their digests were taken when the stored list was loaded).
 */
export function reuseUnchanged<T>(before: T[] | undefined, after: T[]): T[] {
  if (before === undefined) return after
  const listed = new Set<T>(before)
  const again = new Set<T>(after)
  // the old objects by digest, built at the first new object, of those not listed again as they are
  let old: Map<bigint | string, T> | undefined
  const out = after.map((item) => {
    if (listed.has(item)) return item
    old ??= byDigest(before.filter((b) => !again.has(b)))
    return old.get(digestKey(item)) ?? item
  })
  const same = out.length === before.length && out.every((item, i) => item === before[i] || digestKey(item) === digestKey(before[i]))
  return same ? before : out
}

function byDigest<T>(items: readonly T[]): Map<bigint | string, T> {
  const m = new Map<bigint | string, T>()
  for (const item of items) {
    const key = digestKey(item)
    if (!m.has(key)) m.set(key, item)
  }
  return m
}

/** An item's keyed digest; one that cannot be serialised gets a key of its own (it matches only itself). */
const unserialisable = new WeakMap<object, string>()
function digestKey(item: unknown): bigint | string {
  const d = keyedDigest(item)
  if (d !== undefined) return d
  if (typeof item !== "object" || item === null) return "?"
  let k = unserialisable.get(item)
  if (k === undefined) unserialisable.set(item, (k = `?${unserialisableCount++}`))
  return k
}
let unserialisableCount = 0

function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined) return b === undefined
  return JSON.stringify(a) === JSON.stringify(b)
}
