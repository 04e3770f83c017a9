/**
 * @module proxy/silence
 * Servers that start but never answer `tools/list`, remembered across runs. Cursor starts the
 * orchestrator often and keeps its first tools/list answer for the whole session; that answer waits
 * up to `proxy.listWait` for every server without a stored list, which buys nothing for a server
 * that did not list in the whole previous run. So:
 *
 * - **Noted.** A server that is up (its `initialize` answered) with its `tools/list` unanswered when
 *   the run ends (the proxy is disposed), after a list waited for it in vain (`listWait` ran out) or
 *   at least `listWait` after it was asked (a first start ever: not while lists still wait for it,
 *   `firstWaitUnder`), or unanswered for SILENCE_NOTE_MS (30 s) already, gets a
 *   note next to its stored lists, under the same key (its definition: a changed command, args, env
 *   or url has none): `silentSince`. The end of the run is
 *   the rule; the 30 s note is for a run that never gets to its end (killed with SIGKILL, the
 *   machine put to sleep), and is dropped as soon as the server lists. A server that fails to start
 *   or crashes is not up at that moment and is not noted silent, nor is one that answers
 *   `tools/list` with an error (proxy/list-retry) or has a list: the first two get a failure note.
 * - **Not waited for.** At the next start, a server with such a note and no stored list is not
 *   waited for by any list (tools, prompts, resources, the catalog, a call of a name not listed
 *   yet): the answer is given at once without it. It is started as usual; if it lists, its list is
 *   stored, the note dropped and its tools announced with list_changed, as for any late server.
 * - **Checked again.** A note is trusted for SILENCE_RECHECK_MS (3 days) after a run last found the
 *   server silent (`checkedAt`, else `silentSince`). A start after that waits for it once more, as
 *   for a server never noted, so a server fixed meanwhile (its definition unchanged) is in that
 *   start's first answer again, and its note goes when it lists. One still silent in that run is
 *   noted again (`checkedAt` now, `silentSince` kept) and trusted for 3 more days: a server that
 *   stays broken costs one `listWait` every 3 days, not one per start. Runs that skip it never
 *   renew its note (they did not wait for it, so they prove nothing new).
 * - **Failed before it listed.** A configured server without a tool list whose start fails, that
 *   crashes before it lists, whose `tools/list` answers an error, or whose start is still under way
 *   when the run ends for as long as lists wait for it (`listWait`, a first start ever
 *   `firstListWait`: proxy/first-start; a run ended sooner proves no failure), is noted at once, once per run (`failedSince`,
 *   `failedAt`, `failedRuns`, `failure`). One failed run may be a blip (a remote server's network):
 *   from FAILED_RUNS_SKIP (2) runs it is not waited for, as a silent one (same answer, status row,
 *   completeness, background start; a start that did not finish, one that hung, from one run
 *   already: `failedRunsToSkip`), until it lists (the note goes: a flapping server counts from
 *   one again) or 3 days after `failedAt` (waited for once more). A run that sees it fail again
 *   renews the note, whether it waited for it or not (its background start is evidence).
 * - **Failed while its stored list was served.** A server with a stored tool list whose start fails
 *   (or that crashes, or whose listing fails) before it lists in a run is noted and counted the same
 *   way. From FAILED_RUNS_SKIP runs in a row its stored lists are left out of every list (they
 *   could not be called: a script gone, a package unpublished, a remote server gone) and the stored
 *   first answer is superseded, so the next start's first answer lacks them, with a warning; it is
 *   still started, and once it lists its tools are announced and stored again, and the note goes.
 *   3 days after it last failed its stored list is served again (and it is counted again). Before,
 *   its uncallable tools were in every first answer until it listed again.
 * - **Completeness** (proxy/completeness, what may become the persisted first answer): such a
 *   server counts as listed with no tools, so one silent server does not keep the snapshot from ever
 *   being written; only while its note is trusted (`trustedUntil`: the stored answer carries it, and
 *   is not served after it). Unless it listed before: a crash drops a server's stored list, and the note then
 *   says `listed`; answers without such a server are never complete (the snapshot keeps the last
 *   complete one, with its tools). A server with a stored list is answered from it, never noted.
 */
import { errorMessage, redactString, type Logger } from "../core/index.ts"
import type { SilenceNote, ToolListStore } from "./types.ts"

/** Unanswered this long (or `listWait`, if longer), a server is noted without waiting for the run's end. */
export const SILENCE_NOTE_MS = 30_000

/** A note is trusted this long after a run last found the server silent; then a start waits for it once more. */
export const SILENCE_RECHECK_MS = 3 * 24 * 3600_000

/** Consecutive runs that found a server failing before it listed, from which lists do not wait for it (one failed run may be a blip). */
export const FAILED_RUNS_SKIP = 2

/**
 * The failed runs from which lists do not wait for a server, by what failed: a start that did not
 * finish (it hung, for as long as lists wait for it) after one run, since waiting for it again costs
 * the next start's whole first answer that wait again, and Cursor restarts us often (before: two
 * runs, so the start after a hang was held by it once more); any other failure (a refused connection,
 * an exit) after FAILED_RUNS_SKIP, since one such run may be a blip and costs no wait.
 */
export function failedRunsToSkip(failure: string | undefined): number {
  return failure?.startsWith(START_UNFINISHED) === true ? 1 : FAILED_RUNS_SKIP
}

/** How a note's failure begins for a start still under way when the run ended (slow or hung: its remedy differs). */
const START_UNFINISHED = "its start did not finish"

/** A failure kept in a note is cut to this many characters. */
const FAILURE_CHARS = 300

export interface SilenceOptions {
  store: ToolListStore | undefined
  log: Logger
  listWait: () => number
  /** How long lists wait for this server's start under way (proxy/first-start: longer for a first start ever), and the setting. */
  startWait?: (server: string) => { ms: number; key: string }
  /** The server is up (ready) and no tool list of it is known in this run (none stored, none listed). */
  unlisted: (server: string) => boolean
  /** A list waited for the server's tools listing under way, and that wait ran out (proxy/list-waits). */
  waitedOut: (server: string) => boolean
  /**
   * Lists still wait for the server's first start ever, its first page of tools included (proxy/first-start):
   * a run that ends then cut its listing short, which proves no silence (as a start cut short proves no failure).
   */
  firstWaitUnder?: (server: string) => boolean
  /** The server is configured and no tool list of it is known in this run, whatever its state. */
  noList: (server: string) => boolean
  /** Default SILENCE_NOTE_MS (tests use less). */
  noteAfterMs?: number
  /**
   * What to do about the server's noted failure, when its owner words it (the Toolkit gateway, which
   * is not in the user's config: `DownstreamDef.remedy`); undefined: the config's remedies apply.
   */
  remedy?: (server: string, failure: string) => string | undefined
}

export class Silence {
  /** Notes as on disk: read at start or written by this run. */
  private readonly notes = new Map<string, SilenceNote>()
  /** Notes as read at start (the failed runs counted before this one). */
  private readonly previous = new Map<string, SilenceNote>()
  /** Servers this run does not wait for (a note said silent or failing, no stored list), until they answer: why. */
  private readonly skipped = new Map<string, string>()
  /** Servers found failing before they listed in this run (noted once per run), with what failed. */
  private readonly failedNow = new Map<string, string>()
  /** Per server: when its start began (performance.now()), while under way (a start that never finishes). */
  private readonly starts = new Map<string, number>()
  /** Servers whose note is older than SILENCE_RECHECK_MS: waited for again in this run, their note renewed if still silent. */
  private readonly rechecking = new Set<string>()
  /** Per server: when its tools/list went out on its current connection (performance.now()), while unanswered. */
  private readonly asked = new Map<string, number>()
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  /** Per server: its note writes in order (a drop is never overtaken by an earlier write). */
  private readonly writes = new Map<string, Promise<void>>()
  private ended = false

  constructor(private readonly o: SilenceOptions) {}

  /**
   * The note an earlier run left (read with the stored lists); `stored`: a tool list is known.
   * True: the stored lists are not to be served (`withheldStored`).
   */
  loaded(server: string, note: SilenceNote | undefined, stored: boolean): boolean {
    if (!note) return false
    if (stored && note.failedRuns === undefined) {
      // moot: the list it has is answered from (and says it listed); the note goes
      void this.write(server, undefined)
      return false
    }
    this.previous.set(server, note)
    this.notes.set(server, note)
    // found failing in this run before its note was read: counted on top of the note's runs
    const failing = this.failedNow.get(server)
    if (failing !== undefined) {
      this.failedNow.delete(server)
      this.failed(server, failing)
    }
    if (stored) return this.skipFailed(server, note, true)
    if (!this.skipSilent(server, note)) this.skipFailed(server, note)
    return false
  }

  /** A note of silence, the last check within SILENCE_RECHECK_MS: skipped (true); an older one is waited for again. */
  private skipSilent(server: string, note: SilenceNote): boolean {
    if (note.silentSince === undefined) return false
    const checkedAt = note.checkedAt ?? note.silentSince
    if (!fresh(checkedAt)) {
      this.rechecking.add(server)
      this.o.log.info("waited for again: it did not list its tools when last checked, days ago", { server, silentSince: note.silentSince, checkedAt })
      return false
    }
    this.skipped.set(server, `it did not list its tools in the last run (silent on tools/list since ${note.silentSince}); lists answer without it`)
    this.o.log.warn("not waited for: it did not list its tools in the last run", {
      server,
      silentSince: note.silentSince,
      remedy: "The server starts but never answers tools/list. It is still started: its tools are announced (list_changed) if it lists. Fix or remove it; a changed definition is waited for again, and so is this one 3 days after it was last found silent.",
    })
    return true
  }

  /** A note of enough failed runs (`failedRunsToSkip`), the last within SILENCE_RECHECK_MS: skipped (true). */
  private skipFailed(server: string, note: SilenceNote, stored = false): boolean {
    const runs = note.failedRuns ?? 0
    if (runs < failedRunsToSkip(note.failure) || note.failedAt === undefined) return false
    if (!fresh(note.failedAt)) {
      this.o.log.info("waited for again: it failed before listing its tools when last started, days ago", { server, failedSince: note.failedSince, failedAt: note.failedAt })
      return false
    }
    const failure = note.failure ?? "unknown"
    const inRuns = runs === 1 ? "in the last run" : `in each of the last ${runs} runs`
    this.skipped.set(server, `it failed before listing its tools ${inRuns} (last: ${failure}; failing since ${note.failedSince ?? note.failedAt}); lists answer without it${stored ? " (its stored tools left out: they could not be called)" : ""}`)
    this.o.log.warn(stored ? "stored tools left out of the lists: its start failed in the last runs, so they could not be called" : "not waited for: it failed before listing its tools in the last runs", {
      server,
      failedRuns: runs,
      failedSince: note.failedSince,
      failure,
      remedy: this.failedRemedy(server, failure, runs),
    })
    return true
  }

  /**
   * What to do about a server skipped as failing: its owner's remedy when it has one (the Toolkit
   * gateway: no servers.NAME.connectTimeout applies to it, and doctor does not start it), else by
   * the kind of failure.
   */
  private failedRemedy(server: string, failure: string, runs: number): string {
    const unfinished = failure.startsWith(START_UNFINISHED)
    const these = runs === 1 ? "the last run" : "each of these runs"
    const what = unfinished ? `Its start was still under way when ${these} ended.` : `Its start failed, it crashed, or its tools/list answered an error, in ${these}.`
    const own = this.o.remedy?.(server, failure)
    const fix =
      own ??
      (unfinished
        ? `It never finishes, or it is slow to start (npx fetching a package). If it is slow, run \`mcp-orchestrator doctor\` once (it waits for the whole connect budget and stores the tools it lists, which the next start answers from) or raise servers.${server}.connectTimeout; if it hangs, fix or remove it.`
        : "Fix or remove it (orchestrator_status shows its last error).")
    return `${what} It is still started: its tools are announced (list_changed) and callable if it lists. ${fix} A changed definition is waited for again, and so is this one 3 days after it last failed.`
  }

  /** Lists do not wait for this server (it did not list in the last run, and has not in this one). */
  notWaited(server: string): boolean {
    return this.skipped.size !== 0 && this.skipped.has(server)
  }

  /** For completeness: not waited for, and never listed with this definition (no tools to miss). */
  countsAsListed(server: string): boolean {
    return this.notWaited(server) && this.notes.get(server)?.listed !== true
  }

  /**
   * Until when (epoch ms) the note that makes lists skip it is trusted (SILENCE_RECHECK_MS after a
   * run last found it silent, or failing); undefined when it is not skipped by a note.
   */
  trustedUntil(server: string): number | undefined {
    const note = this.notWaited(server) ? this.notes.get(server) : undefined
    if (!note) return undefined
    const at = [note.silentSince !== undefined ? (note.checkedAt ?? note.silentSince) : undefined, (note.failedRuns ?? 0) >= failedRunsToSkip(note.failure) ? note.failedAt : undefined]
      .map((d) => (d === undefined ? NaN : Date.parse(d)))
      .filter((t) => Number.isFinite(t))
    return at.length === 0 ? undefined : Math.max(...at) + SILENCE_RECHECK_MS
  }

  /** Why lists do not wait for it (orchestrator_status), if they do not. */
  why(server: string): string | undefined {
    return this.skipped.size === 0 ? undefined : this.skipped.get(server)
  }

  /** Its start begins (a server without a tool list in this run): one that never finishes is noted at the run's end. */
  starting(server: string): void {
    if (!this.ended) this.starts.set(server, performance.now())
  }

  /** Its start finished (up, or failed: `failed` says so). */
  started(server: string): void {
    if (this.starts.size !== 0) this.starts.delete(server)
  }

  /**
   * It failed before it listed its tools in this run (its start failed, it crashed, its tools/list
   * answered an error): noted once per run, counting the consecutive runs that found it so. A server
   * that lists later in the run drops the note (`answered`).
   */
  failed(server: string, why: string): number {
    if (this.ended || this.failedNow.has(server)) return 0
    this.failedNow.set(server, why)
    this.starts.delete(server)
    const before = this.previous.get(server)
    const now = new Date().toISOString()
    const runs = (before?.failedRuns ?? 0) + 1
    // written to the cache directory: masked before it is cut (a cut must not split a secret)
    const said = redactString(why)
    const failure = said.length > FAILURE_CHARS ? `${said.slice(0, FAILURE_CHARS)}…` : said
    const next: SilenceNote = { ...this.notes.get(server), failedSince: before?.failedSince ?? now, failedAt: now, failedRuns: runs, failure }
    this.notes.set(server, next)
    this.o.log.info(runs >= failedRunsToSkip(failure) ? "server noted as failing before it lists its tools: the next starts will not wait for it" : "server noted as failing before it lists its tools: a next start that finds it so again will not wait for it after", { server, failedRuns: runs })
    void this.write(server, next)
    return runs
  }

  /** Whether `runs` failed runs (`failed`) make a later start skip the server (and leave its stored lists out). */
  enoughFailures(server: string, runs: number): boolean {
    return runs >= failedRunsToSkip(this.failedNow.get(server))
  }

  /** Its tools/list just went out on a new connection (the server is up): noted if it stays unanswered. */
  asking(server: string): void {
    if (this.ended) return
    const at = performance.now()
    this.asked.set(server, at)
    this.clearTimer(server)
    const t = setTimeout(
      () => {
        this.timers.delete(server)
        if (this.asked.get(server) === at && this.o.unlisted(server)) void this.mark(server)
      },
      Math.max(this.o.noteAfterMs ?? SILENCE_NOTE_MS, this.o.listWait()),
    )
    t.unref?.()
    this.timers.set(server, t)
  }

  /**
   * It answered tools/list: with its list (`listed`; the list is stored, so the note goes) or with an
   * error (not silent: list-retry supervises it; only the fact that it listed before is kept).
   */
  answered(server: string, listed: boolean): void {
    if (this.asked.size !== 0) this.asked.delete(server)
    if (this.timers.size !== 0) this.clearTimer(server)
    if (listed) {
      // an error answer is no listing: a server skipped as failing stays skipped (it failed again)
      if (this.skipped.size !== 0) this.skipped.delete(server)
      this.starts.delete(server)
      this.failedNow.delete(server)
    }
    const note = this.notes.size !== 0 ? this.notes.get(server) : undefined
    if (!note || (!listed && note.silentSince === undefined)) return
    // an error answer: not silent, but what else the note says (it listed before, it failed) stays
    const { silentSince: _s, checkedAt: _c, ...rest } = note
    const next: SilenceNote | undefined = !listed && Object.keys(rest).length !== 0 ? rest : undefined
    if (next) this.notes.set(server, next)
    else this.notes.delete(server)
    void this.write(server, next)
  }

  /**
   * Its stored list is to be dropped (a crash) after it listed in this run: it is known to have
   * listed. False once the run ends (nothing is noted then): the list must then stay, since a list
   * dropped without this note lets a later start count the server as listed with no tools, and
   * write a first answer without its tools.
   */
  dropped(server: string): boolean {
    if (this.ended) return false
    if (this.notes.get(server)?.listed) return true
    const next: SilenceNote = { listed: true }
    this.notes.set(server, next)
    void this.write(server, next)
    return true
  }

  /** Removed (a reload, the Toolkit): nothing more is noted for it in this run. */
  forget(server: string): void {
    this.asked.delete(server)
    this.starts.delete(server)
    this.skipped.delete(server)
    this.rechecking.delete(server)
    this.clearTimer(server)
  }

  /**
   * The run ends: servers up and unanswered, after a list's wait for them ran out or at least
   * `listWait` after they were asked, are noted; every note write is finished before this resolves
   * (the cache is closed after the proxy). Nothing is noted after.
   */
  async end(): Promise<void> {
    if (this.ended) return
    const now = performance.now()
    const wait = this.o.listWait()
    const due = [...this.asked].filter(([s, at]) => ((now - at >= wait && !this.o.firstWaitUnder?.(s)) || this.o.waitedOut(s)) && this.o.unlisted(s)).map(([s]) => this.mark(s))
    // a start under way, of a server without a list, for as long as lists wait for it (a first start
    // ever: proxy.firstListWait): one that does not finish, or too slow for any first answer. A start
    // cut shorter by the run's end (Cursor restarting it) is no failure: it was progressing, as far as is known
    for (const [s, at] of this.starts) {
      const bound = this.o.startWait?.(s) ?? { ms: wait, key: "proxy.listWait" }
      if (now - at >= bound.ms && this.o.noList(s)) this.failed(s, `${START_UNFINISHED} within ${bound.key} (${bound.ms} ms), when the run ended`)
    }
    this.ended = true
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
    this.asked.clear()
    await Promise.all([...due, ...this.writes.values()])
  }

  /** Notes the server as silent (its first silent run is kept), or renews the note it was checked again for. */
  private mark(server: string): Promise<void> {
    const note = this.notes.get(server)
    if (note?.silentSince !== undefined && !this.rechecking.delete(server)) return Promise.resolve()
    const now = new Date().toISOString()
    const next: SilenceNote = note?.silentSince !== undefined ? { ...note, checkedAt: now } : { ...note, silentSince: now }
    this.notes.set(server, next)
    this.o.log.info("server noted as silent: it is up and has not answered tools/list; the next starts will not wait for it", { server })
    return this.write(server, next)
  }

  /** Writes (or with undefined, drops) the note, after the server's earlier writes; never rejects. */
  private write(server: string, note: SilenceNote | undefined): Promise<void> {
    const store = this.o.store
    // after the run's end: the cache is being closed (a note left behind is moot: the list is stored)
    if (this.ended || !store?.saveSilence || !store.clearSilence) return Promise.resolve()
    const p: Promise<void> = (this.writes.get(server) ?? Promise.resolve())
      .then(() => (note ? store.saveSilence!(server, note) : store.clearSilence!(server)))
      .catch((err: unknown) => this.o.log.warn("silence note not written", { server, error: errorMessage(err) }))
      .finally(() => {
        if (this.writes.get(server) === p) this.writes.delete(server)
      })
    this.writes.set(server, p)
    return p
  }

  private clearTimer(server: string): void {
    const t = this.timers.get(server)
    if (t === undefined) return
    clearTimeout(t)
    this.timers.delete(server)
  }
}

/** A run found this (ISO 8601) recently enough for its note to be trusted; an unreadable or future date (a clock set wrong) is not. */
function fresh(at: string): boolean {
  return Math.abs(Date.now() - Date.parse(at)) < SILENCE_RECHECK_MS
}
