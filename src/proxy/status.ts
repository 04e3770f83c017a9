/**
 * @module proxy/status
 * Per-server status rows (orchestrator_status, /readyz, /metrics) from the pool's sessions.
 */
import { cutText } from "../core/index.ts"
import type { Pool } from "../pool/index.ts"
import { stripInvisible, type ItemIssue } from "../catalog/index.ts"
import { rowRemedy } from "./server-remedy.ts"
import type { DownstreamDef, ListCut, ListKind, ServerState, ServerStatus, Tool } from "./types.ts"

/** Said of a server whose tool list is not known yet (`toolsNotListed`). */
export const TOOLS_NOT_LISTED =
  "its tool list is not known yet (none stored for its definition, none listed in this run): tools/list answers so far lack its tools; search_tools, describe_tools and call_tool reach them once it lists"

/** A tools/list answer as given: the servers whose tools it had, and why it lacked the others' (their state then). */
export interface FirstAnswer {
  had: ReadonlySet<string>
  lacked: ReadonlyMap<string, string>
  /** Servers it had only some tools of (a first listing still reading pages, or one stored so), and why. */
  partial?: ReadonlyMap<string, string>
}

/**
 * Why a server's tool list is only a part of what it lists, if it is: the pages of a first listing
 * read so far (a later page not answered yet, or failed), or such pages stored by an earlier run. The
 * caps (pages, items, size, cursors) cut a list for good: the answer had all that will be served.
 */
export function partialCut(cuts: readonly ListCut[] | undefined): string | undefined {
  const cut = cuts?.find((c) => c.why === "awaited" || c.why === "failed" || c.why === "stored")
  if (cut === undefined) return undefined
  const how = cut.why === "awaited" ? "its first listing was still reading pages" : cut.why === "failed" ? "a later page of its first listing had failed" : "its list stored by an earlier run was cut short, and it was listing again"
  return `${how}: ${cut.items} tools from ${cut.pages} pages`
}

/**
 * Why `server`'s tools were not in `first` (the first tools/list answer of `whose`: "this run's",
 * "this connection's"), if they were not; a server added since was not set up yet then.
 */
/** How a lacked server's reason begins when it had failed (proxy's first answer), the error after it. */
export const FAILED = "it had failed: "

export function notInFirstList(first: FirstAnswer | undefined, server: string, whose: string, lastError?: string): string | undefined {
  if (first === undefined) return undefined
  if (first.had.has(server)) {
    const part = first.partial?.get(server)
    // Cursor keeps that answer: the rest came later, reachable by call_tool only
    return part === undefined ? undefined : `only some of its tools were in ${whose} first tools/list answer (${part}); a client such as Cursor keeps that answer: search_tools and call_tool reach the rest (notInYourList names them)`
  }
  let why = first.lacked.get(server) ?? "it was not set up yet: the Toolkit was still being probed, or a reload added it since"
  // the failure the row already shows as its last error is not quoted a second time
  if (lastError !== undefined && why.startsWith(FAILED) && why.length > FAILED.length && lastError.startsWith(why.slice(FAILED.length))) why = "it had failed with the last error shown"
  return `its tools were not in ${whose} first tools/list answer (${why}); a client such as Cursor keeps that answer: search_tools and call_tool reach them once it is up`
}

/**
 * `notWaited`: why lists do not wait for a server (proxy/silence), if they do not. `storeRead`: the
 * stored lists were read (before that, a server without tools may only not be loaded yet).
 * `notInFirst`: why its tools were not in the first tools/list answer, if they were not.
 */
export function serverStatuses(
  entries: readonly { def: DownstreamDef; tools?: Tool[]; issues?: Partial<Record<ListKind, ItemIssue[]>>; withheld?: Partial<Record<ListKind, ItemIssue[]>>; cuts?: Partial<Record<ListKind, ListCut[]>> }[],
  pool: Pool,
  notWaited?: (server: string) => string | undefined,
  storeRead = true,
  notInFirst?: (server: string, lastError?: string) => string | undefined,
): ServerStatus[] {
  const servers: ServerStatus[] = []
  for (const e of entries) {
    const s = pool.get(e.def.name)
    if (!s) continue
    const retryAt = s.retryAtWall()
    const era = s.era
    // the surface's withheld items (proxy/surface) count as dropped
    const issues = [...(e.issues ? Object.values(e.issues).flat() : []), ...(e.withheld ? Object.values(e.withheld).flat() : [])]
    const droppedAll = issues.filter((i) => i.action === "dropped")
    const repairedAll = issues.filter((i) => i.action === "repaired")
    const dropped = droppedAll.slice(0, MAX_SHOWN_ISSUES).map(shown)
    const repaired = repairedAll.slice(0, MAX_SHOWN_ISSUES).map(shown)
    const truncated = e.cuts ? Object.values(e.cuts).flat() : []
    const notWaitedFor = notWaited?.(e.def.name)
    const past = s.lastError !== undefined && s.lastErrorPast
    const lastError = currentError(s)
    const notInFirstList = notInFirst?.(e.def.name, lastError)
    servers.push({
      name: e.def.name,
      source: e.def.source,
      transport: s.transport,
      ...(era ? { era: { era: era.era, via: era.via } } : {}),
      state: s.state,
      // a start after failures no stable connection has cleared yet (proxy/state-words: "restarting")
      ...(s.state === "starting" && s.breaker.consecutiveFailures > 0 ? { restarting: true as const } : {}),
      tools: e.tools?.length ?? 0,
      inFlight: s.limiter.inFlight,
      queued: s.limiter.queued,
      calls: s.calls,
      requests: s.requests,
      failures: s.failures,
      ...(lastError !== undefined ? { lastError } : {}),
      ...(past ? { pastError: s.lastError! } : {}),
      // every error shown says what to do: the failure's own remedy, else its transport's (before, a start failure with only the generic remedy showed none)
      ...(lastError !== undefined ? { remedy: rowRemedy(e.def, s.state, lastError, s.lastRemedy, s.needsAuth?.remedy) } : {}),
      ...(retryAt !== undefined ? { retryAt } : {}),
      ...(dropped.length ? { dropped } : {}),
      ...(droppedAll.length > dropped.length ? { droppedMore: droppedAll.length - dropped.length } : {}),
      ...(repaired.length ? { repaired } : {}),
      ...(repairedAll.length > repaired.length ? { repairedMore: repairedAll.length - repaired.length } : {}),
      ...(truncated.length ? { truncated } : {}),
      ...(notWaitedFor !== undefined ? { notWaitedFor } : {}),
      ...(storeRead && e.tools === undefined ? { toolsNotListed: TOOLS_NOT_LISTED } : {}),
      ...(notInFirstList !== undefined ? { notInFirstList } : {}),
    })
  }
  return servers
}

/**
 * `serverStatuses` cut to `ServerState`: what the own tools' descriptions read each time the tools
 * list is built (search_tools names the servers without tools), where building the whole rows (every
 * server's dropped and repaired items, cut to their shown text) cost a 50-server list its largest
 * share of the rebuild after one server's change.
 */
export function serverStates(entries: Iterable<{ def: DownstreamDef; tools?: Tool[] }>, pool: Pool, storeRead = true): ServerState[] {
  const out: ServerState[] = []
  for (const e of entries) {
    const s = pool.get(e.def.name)
    if (!s) continue
    const lastError = currentError(s)
    out.push({
      name: e.def.name,
      state: s.state,
      ...(s.state === "starting" && s.breaker.consecutiveFailures > 0 ? { restarting: true as const } : {}),
      tools: e.tools?.length ?? 0,
      ...(lastError !== undefined ? { lastError } : {}),
      ...(storeRead && e.tools === undefined ? { toolsNotListed: TOOLS_NOT_LISTED } : {}),
    })
  }
  return out
}

/**
 * A session's last error while it still holds: one from before the connection that is up now (a
 * failed first start, then a good one) is past (`pastError` in a row), so a ready server does not
 * read as failing (and has no remedy for it).
 */
function currentError(s: { lastError?: string; lastErrorPast: boolean }): string | undefined {
  return s.lastError !== undefined && !s.lastErrorPast ? s.lastError : undefined
}

/**
 * An issue as the status shows it (to a model, too): a downstream's names and the reasons quoting
 * its schema keys without the hidden characters they may hold (catalog/sanitize).
 */
/**
 * Items of one server listed in `dropped` (and in `repaired`) at most; the rest are counted
 * (`droppedMore`, `repairedMore`). A server listing 3 000 invalid tools made orchestrator_status
 * 460 KB, ≈ 115 000 tokens for the model that asked what is wrong; the log has a line each for the
 * first ones too (proxy/fetch-list).
 */
export const MAX_SHOWN_ISSUES = 100

function shown({ kind, name, why }: ItemIssue): { kind: ItemIssue["kind"]; name: string; why: string } {
  return { kind, name: shownIssueName(stripInvisible(name).text), why: stripInvisible(why).text }
}

/** Characters of an item's name shown in the status and the log: a server's 10 000-character name was shown whole in each. */
const MAX_ISSUE_NAME = 200

/** `name` cut to MAX_ISSUE_NAME characters, marked when cut. */
export function shownIssueName(name: string): string {
  return name.length <= MAX_ISSUE_NAME ? name : `${cutText(name, MAX_ISSUE_NAME)}… (${name.length} characters)`
}
