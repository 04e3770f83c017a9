/**
 * @module proxy/completeness
 * Whether a tools/list answer was built from a complete aggregate: every server's tool list known
 * (listed by this process, or stored by an earlier one; a server the last run found silent that
 * never listed counts as listed with no tools: proxy/silence) and no dynamic source (the Toolkit
 * gateway) being changed. An answer given while a server had not listed yet (after proxy.listWait, or while
 * the session ends) is not: app/serve persists only complete answers, since a start answers its
 * first tools/list from the persisted one and Cursor keeps that for its whole session.
 *
 * Completeness is kept per surface (every answer built from the same surface shares it) and is
 * live: when the servers missing from the last answer list and add nothing (the current surface
 * has the same signature), that answer becomes complete and the listeners are told. When they add
 * tools it stays incomplete: the answer rebuilt for the list_changed that follows is complete.
 */
import { errorMessage, type Logger } from "../core/index.ts"

/** The completeness of one tools/list answer. */
export interface ToolsListing {
  readonly complete: boolean
  /**
   * When the answer is complete only because notes of earlier runs let servers count as listed
   * with no tools (proxy/silence): when the first of those notes stops being trusted (epoch ms), and
   * a start would wait for its server again. A persisted answer is not served after it.
   */
  readonly until?: number | undefined
}

export interface CompletenessSource<S extends object> {
  /** Every server has a tool list. */
  listsKnown(): boolean
  /** The dynamic sources being changed right now (ProxyOptions.sourcesSettling). */
  settling?: () => Promise<unknown> | undefined
  /** The current surface, if it is built (undefined: invalidated since). */
  current(): S | undefined
  /** The signature of a surface, and of the current one (built if needed). */
  signatureOf(surface: S): string
  currentSignature(): string
  log: Logger
}

export class ToolsCompleteness<S extends object> {
  private readonly listings = new WeakMap<S, { complete: boolean }>()
  private last: S | undefined
  private readonly listeners = new Set<() => void>()
  /** The sources' settling promise last seen, and whether it has settled. */
  private sources: { settling: Promise<unknown>; done: boolean } | undefined
  private stopped = false

  constructor(private readonly o: CompletenessSource<S>) {}

  /** Follows the sources' settling promise, so whether it has settled is known without waiting (call before building an answer). */
  watchSources(): void {
    const settling = this.o.settling?.()
    if (settling === undefined || this.sources?.settling === settling) return
    const seen = { settling, done: false }
    this.sources = seen
    const done = (): void => {
      seen.done = true
      this.check()
    }
    void Promise.resolve(settling).then(done, done)
  }

  /** Every server's list is known and no dynamic source is being changed. */
  known(): boolean {
    if (!this.o.listsKnown()) return false
    const settling = this.o.settling?.()
    if (settling === undefined) return true
    this.watchSources()
    return this.sources?.settling === settling && this.sources.done
  }

  /**
   * `surface` was answered: complete when it is still the current one (a tools hook may have run
   * while a server listed) and everything is known.
   */
  answered(surface: S): void {
    let listing = this.listings.get(surface)
    if (!listing) this.listings.set(surface, (listing = { complete: false }))
    if (!listing.complete && surface === this.o.current() && this.known()) listing.complete = true
    this.last = surface
  }

  /** The completeness of the last answer (live), undefined before any. */
  listing(): ToolsListing | undefined {
    return this.last && this.listings.get(this.last)
  }

  onComplete(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  /**
   * The aggregate may have just become complete (a server listed, one was removed, the sources
   * settled): the last answer is complete now when it holds the same tools as the current surface.
   */
  check(): void {
    const last = this.last
    const listing = last && this.listings.get(last)
    if (this.stopped || !last || !listing || listing.complete || !this.known()) return
    // a change: its own answer follows the list_changed
    if (this.o.signatureOf(last) !== this.o.currentSignature()) return
    listing.complete = true
    for (const l of this.listeners) {
      try {
        l()
      } catch (e) {
        this.o.log.error("tools-complete listener failed", { error: errorMessage(e) })
      }
    }
  }

  stop(): void {
    this.stopped = true
    this.listeners.clear()
  }
}
