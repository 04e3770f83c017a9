/**
 * @module proxy/list-waits
 * How long a list waits for listings under way (a server's refresh of one kind, or its start to
 * learn one): at most proxy.listWait, counted once per listing from the first list that waited for
 * it. The first answer after a server starts listing (its start, a restart, a change, a server
 * added) waits for it; answers after that, while the same listing is still under way, are given at
 * once with what is known. A server that never answers its list thus costs one answer `listWait`,
 * not every answer (its tools are announced with list_changed if it answers); once a run has ended
 * with it silent, the next starts do not wait for it at all (proxy/silence).
 * A server's listings of every kind (tools, prompts, resources) wait on the same start while it is
 * starting: that start is waited for at most `listWait` from the first list that waited on it,
 * whatever kind that was, so a server that never finishes its start costs a client that lists tools,
 * then prompts, then resources one `listWait`, not one per kind.
 * Likewise the listings a server's start begins (its tools, prompts, resources: `together`) share one
 * deadline, `listWait` from the first list that waited on any of them: a server that starts and then
 * leaves prompts/list and resources/list unanswered costs a client that lists tools, then prompts,
 * then resources one `listWait`, not one per kind (before, each kind's first list waited its own).
 * A server that goes down while a list waits for it (its start failed or its connection was lost:
 * restart backoff, breaker open) is waited for through one restart (a one-off crash, a first start
 * that lost a race, still makes the first answer: Cursor keeps that one), and no more when it goes
 * down again (`wentDown`): its listing may go on through further restarts (the pool retries a
 * listing cut by a lost connection), but a list does not wait for those — a server that crashes
 * after each handshake would otherwise hold the list through every restart. A removed server is
 * waited for no more at once (`released`). Other servers' waits go on.
 * A server's first start ever (`firstStart`: no list stored for its definition, nothing noted about
 * it, nothing failed in this run) is waited for longer while it is under way: up to the bound
 * `firstStart` gives (proxy.firstListWait), counted once per run from the first list that waited on
 * it, so a new setup's first answer has the tools of servers slow to start (`npx` fetching a
 * package). When that start ends up (`startEnded`) before its bound, the first page of the tools
 * listing it began is waited for within the same bound (`pageRead`: a server slow to list once up is
 * as slow to start), then its later pages while they keep coming, each within `listWait` of the
 * last, up to that bound (`whilePaging`), then as any listing (`listWait`); a later list joins the
 * first one's wait (`firstRun`); down, the listing is waited for as
 * any (through one restart); a start still under way at the bound is not waited for any more (a start
 * that never finishes, or never answers tools/list, costs that bound once).
 */
import { waitAtMost } from "../core/index.ts"

const noop = (): void => {}

/** Adds `item` to the set of `key` in `map`; returns its removal (the set goes with its last item). */
function enlist<T>(map: Map<string, Set<T>>, key: string, item: T): () => void {
  let set = map.get(key)
  if (set === undefined) map.set(key, (set = new Set()))
  set.add(item)
  const own = set
  return () => {
    own.delete(item)
    if (own.size === 0 && map.get(key) === own) map.delete(key)
  }
}

/** A listing to wait for: alone, or with its server (whose start under way bounds it too). */
export type Waited = Promise<unknown> | { listing: Promise<unknown>; server: string }

export class ListWaits {
  /** Per listing, and per server start under way: until when a list waits for it (performance.now()). */
  private readonly until = new WeakMap<object, number>()
  /** Per server: the waits for its listings under way now, and how often it went down during each. */
  private readonly waiting = new Map<string, Set<{ release: () => void; downs: number }>>()
  /** Per listing: the listings begun with it (one server's start), sharing one deadline. */
  private readonly groupOf = new WeakMap<object, object>()
  /** Per server: until when lists wait for its first start ever (set by the first wait, once per run). */
  private readonly firstUntil = new Map<string, number>()
  /** Per server: the lists' waits for its first start ever and the listing it began, under way now (later lists of that listing join them). */
  private readonly firstRun = new Map<string, { listing: Promise<unknown>; run: Promise<void> }>()
  /** Per server: the waits for its first start under way now (ended by `startEnded`, whether it came up). */
  private readonly firstWaiting = new Map<string, Set<(up: boolean) => void>>()
  /** Per server: the waits for the first page of its first listing after its first start ever (ended by `pageRead`). */
  private readonly firstPage = new Map<string, Set<() => void>>()

  /**
   * `listWait` is read at each first wait (a config reload applies to listings waited for after it);
   * `startOf(server)`: the server's start under way (one object per attempt), if it is starting;
   * `firstStart(server)`: how long lists wait for its first start ever, if this is one (else
   * undefined: `listWait`).
   */
  constructor(
    private readonly listWait: () => number,
    private readonly startOf: (server: string) => object | undefined = () => undefined,
    private readonly firstStart: (server: string) => number | undefined = () => undefined,
  ) {}

  /** Waits for these listings, each until its own deadline or its server's start's (never rejects). */
  async wait(listings: readonly Waited[]): Promise<void> {
    const now = performance.now()
    const waits: Promise<void>[] = []
    for (const w of listings) {
      const p = w instanceof Promise ? w : w.listing
      // handled here whether waited for or not: a listing's failure is reported where it happens
      const settled = p.then(noop, noop)
      const first = w instanceof Promise ? undefined : this.firstStart(w.server)
      if (first !== undefined && !(w instanceof Promise)) {
        waits.push(this.waitFirst(w, settled, first, now))
        continue
      }
      // a list that comes while an earlier one still waits for the server's first start ever and
      // the listing it began (the start ended up, so it is no first start any more) waits as long
      // as that one: before, it had listWait, and on running out served the pages read so far to
      // both (a server slow to list once up left out of a new setup's first answer)
      const joined = w instanceof Promise ? undefined : this.firstRun.get(w.server)
      if (joined !== undefined && !(w instanceof Promise) && joined.listing === w.listing) {
        waits.push(Promise.race([joined.run, settled]))
        continue
      }
      const until = this.deadlineOf(w, now)
      if (until > now) waits.push(w instanceof Promise ? waitAtMost(settled, until - now) : this.waitFor(w.server, settled, until - now).then(noop))
    }
    if (waits.length > 0) await Promise.all(waits)
  }

  /** Until when `w` is waited for: its listing's deadline, its group's, its server's start's. */
  private deadlineOf(w: Waited, now: number): number {
    const p = w instanceof Promise ? w : w.listing
    let until = this.deadline(p, now)
    const group = this.groupOf.get(p)
    if (group !== undefined) until = Math.min(until, this.deadline(group, now))
    const start = w instanceof Promise ? undefined : this.startOf(w.server)
    if (start !== undefined) until = Math.min(until, this.deadline(start, now))
    return until
  }

  /**
   * A listing of a server whose first start ever is under way: waited for until that start ends
   * (at most `ms` from the first list that waited on it, in this run), then as any listing — with
   * one restart already counted if the start went down.
   */
  private waitFirst(w: { listing: Promise<unknown>; server: string }, settled: Promise<void>, ms: number, now: number): Promise<void> {
    const run = this.waitFirstRun(w, settled, ms, now)
    const joined = this.firstRun.get(w.server)
    const both = { listing: w.listing, run: joined === undefined || joined.listing !== w.listing ? run : Promise.all([joined.run, run]).then(noop) }
    this.firstRun.set(w.server, both)
    void both.run.then(() => {
      if (this.firstRun.get(w.server) === both) this.firstRun.delete(w.server)
    })
    return run
  }

  private async waitFirstRun(w: { listing: Promise<unknown>; server: string }, settled: Promise<void>, ms: number, now: number): Promise<void> {
    let until = this.firstUntil.get(w.server)
    if (until === undefined) this.firstUntil.set(w.server, (until = now + ms))
    if (until <= now) return
    let done = false
    let up: boolean | undefined
    const listed = settled.then(() => void (done = true))
    let end: (up: boolean) => void = noop
    const ended = new Promise<void>((r) => (end = (u) => ((up = u), r())))
    const leave = enlist(this.firstWaiting, w.server, end)
    let released: boolean
    try {
      released = await this.waitFor(w.server, Promise.race([listed, ended]), until - now)
    } finally {
      leave()
    }
    // listed, removed, or its bound ran out with the start still under way: no more waiting
    if (done || released || up === undefined) return
    // up: its first listing is part of its first start ever, waited for within the same bound until a
    // page of it is in (a server that answers initialize at once and is slow to list, a proxy reaching
    // its backends on tools/list, is as slow to start as one slow to answer initialize); then as any
    // listing. A page read shows the listing under way: a later page never answered costs listWait.
    if (up && (await this.untilFirstPage(w.server, listed, until)) !== "paged") return
    // a listing that keeps reading pages is still part of the first start: waited for page by page
    // (listWait each) within the same bound; a page not answered within listWait ends the wait there
    if (up && (await this.whilePaging(w.server, listed, until)) !== "bound") return
    const later = performance.now()
    const next = this.deadlineOf(w, later)
    if (next > later) await this.waitFor(w.server, settled, next - later, up ? 0 : 1)
  }

  /** Waits for the first page of the server's listing: "paged" when one was read with more to come, else listed, released or out of time. */
  private async untilFirstPage(server: string, listed: Promise<void>, until: number): Promise<"paged" | "other"> {
    const now = performance.now()
    if (until <= now) return "paged"
    const next = this.nextPage(server)
    try {
      await this.waitFor(server, Promise.race([listed, next.page]), until - now)
    } finally {
      next.leave()
    }
    return next.paged() ? "paged" : "other"
  }

  /**
   * The next page the server's first tools listing reads (`pageRead`): `page` resolves then, and
   * `paged()` says it did; `leave` stops listening (always called).
   */
  private nextPage(server: string): { page: Promise<void>; leave: () => void; paged: () => boolean } {
    let paged = false
    let end = noop
    const page = new Promise<void>((r) => (end = () => ((paged = true), r())))
    return { page, leave: enlist(this.firstPage, server, end), paged: () => paged }
  }

  /**
   * After the first page of a first listing ever: waits while pages keep coming, each within
   * `listWait` of the last, until the first-start bound `until`. "bound" when that ran out with the
   * listing still reading pages (then waited for as any listing), else listed, stalled or released.
   * Before, the rest of the listing had `listWait` in all: a server listing 5 pages at 1.5 s each
   * (a paginating proxy, a slow backend) left 2 pages out of a new setup's first answer.
   */
  private async whilePaging(server: string, listed: Promise<void>, until: number): Promise<"bound" | "other"> {
    for (;;) {
      const now = performance.now()
      if (until <= now) return "bound"
      const next = this.nextPage(server)
      let released: boolean
      try {
        released = await this.waitFor(server, Promise.race([listed, next.page]), Math.min(this.listWait(), until - now))
      } finally {
        next.leave()
      }
      if (released || !next.paged()) return performance.now() >= until && !released ? "bound" : "other"
    }
  }

  /** A first tools listing of the server read a page and asks for the next: waits for its next page end (`untilFirstPage`, `whilePaging`). */
  pageRead(server: string): void {
    const set = this.firstPage.get(server)
    if (set !== undefined) for (const end of set) end()
  }

  /**
   * A dynamic source's first decision about `server` (the Toolkit probe, before the gateway is
   * added), waited for as that server's first start: until the same deadline (`ms` from the first
   * list that waited on either), so the probe and the gateway's first start share one bound.
   */
  async decision(server: string, decided: Promise<unknown>, ms: number): Promise<void> {
    const now = performance.now()
    let until = this.firstUntil.get(server)
    if (until === undefined) this.firstUntil.set(server, (until = now + ms))
    if (until > now) await this.waitFor(server, decided.then(noop, noop), until - now)
  }

  /** The server's start ended (`up`: it is ready; else it went down): waits for its first start go on to its listing. */
  startEnded(server: string, up: boolean): void {
    const set = this.firstWaiting.get(server)
    if (set !== undefined) for (const end of set) end(up)
  }

  /**
   * The server went down (its start failed, its connection was lost): a list that already waited
   * through one of its restarts stops waiting for it now (the listings themselves go on).
   */
  wentDown(server: string): void {
    const set = this.waiting.get(server)
    if (set === undefined) return
    for (const w of set) if (++w.downs >= 2) w.release()
  }

  /** The server was removed: lists waiting for its listings stop waiting now. */
  released(server: string): void {
    this.firstUntil.delete(server)
    const set = this.waiting.get(server)
    if (set === undefined) return
    for (const w of set) w.release()
  }

  /** Waits for `settled` at most `ms`, or until `server` is released (true then); `downs`: restarts already waited through. */
  private async waitFor(server: string, settled: Promise<void>, ms: number, downs = 0): Promise<boolean> {
    let wasReleased = false
    const w = { release: noop, downs }
    const released = new Promise<void>((r) => (w.release = () => ((wasReleased = true), r())))
    const leave = enlist(this.waiting, server, w)
    try {
      await waitAtMost(Promise.race([settled, released]), ms)
      return wasReleased
    } finally {
      leave()
    }
  }

  /** Until when `what` is waited for: set by the first wait. */
  private deadline(what: object, now: number): number {
    let until = this.until.get(what)
    if (until === undefined) this.until.set(what, (until = now + this.listWait()))
    return until
  }

  /**
   * `listing` is what `waited` stood for (a server's start and first listing of a kind, then that
   * listing itself): a list that waited for `waited` has the same deadline for `listing`, not a new
   * one (before, a server that hung on prompts/list cost the first prompts list two listWaits).
   */
  same(waited: object, listing: object): void {
    const until = this.until.get(waited)
    if (until === undefined) return
    const own = this.until.get(listing)
    this.until.set(listing, own === undefined ? until : Math.min(own, until))
  }

  /**
   * These listings began together (a server's start lists every kind it serves): a list waits for
   * any of them at most `listWait` from the first list that waited on one of them. A listing already
   * in a group (a single-flight listing a new start joined) stays in its own.
   */
  together(listings: readonly object[]): void {
    const group = {}
    for (const l of listings) if (!this.groupOf.has(l)) this.groupOf.set(l, group)
  }

  /** `waited` stands for `listing`, which is under way: it is in `listing`'s group (waited for no longer than it). */
  joins(waited: object, listing: object): void {
    const group = this.groupOf.get(listing)
    if (group !== undefined) this.groupOf.set(waited, group)
  }

  /** Lists wait for the server's first start ever (its first page of tools included) until a moment still to come. */
  firstWaitUnder(server: string): boolean {
    const until = this.firstUntil.get(server)
    return until !== undefined && until > performance.now()
  }

  /** A list waited for this listing, and its wait ran out (proxy/silence: it was waited for in vain). */
  ranOut(listing: Promise<unknown>): boolean {
    const until = this.until.get(listing)
    if (until === undefined) return false
    const group = this.groupOf.get(listing)
    const shared = group === undefined ? undefined : this.until.get(group)
    return performance.now() >= (shared === undefined ? until : Math.min(until, shared))
  }
}

/**
 * Resolves once one of `listings` settles with `enough()` true then, never otherwise: raced with a
 * wait for all of them, it ends that wait as soon as what it waited for is known (a read of a URI
 * its lister has listed does not wait for a server beside it that never answers).
 */
export function whenEnough(listings: readonly Promise<unknown>[], enough: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    for (const p of listings) void p.then(noop, noop).then(() => enough() && resolve())
  })
}
