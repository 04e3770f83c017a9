/**
 * @module proxy/list-waits
 * How long a list waits for listings under way (a server's refresh of one kind, or its start to
 * learn one): at most proxy.listWait, counted once per listing from the first list that waited for
 * it. The first answer after a server starts listing (its start, a restart, a change, a server
 * added) waits for it; answers after that, while the same listing is still under way, are given at
 * once with what is known. A server that never answers its list thus costs one answer `listWait`,
 * not every answer (its tools are announced with list_changed if it answers); once a run has ended
 * with it silent, the next starts do not wait for it at all (proxy/silence).
 */
import { waitAtMost } from "../core/index.ts"

const noop = (): void => {}

export class ListWaits {
  /** Per listing: until when a list waits for it (performance.now()). */
  private readonly until = new WeakMap<Promise<unknown>, number>()

  /** `listWait` is read at each first wait (a config reload applies to listings waited for after it). */
  constructor(private readonly listWait: () => number) {}

  /** Waits for these listings, each until its own deadline (never rejects). */
  async wait(listings: readonly Promise<unknown>[]): Promise<void> {
    const now = performance.now()
    const waits: Promise<void>[] = []
    for (const p of listings) {
      let until = this.until.get(p)
      if (until === undefined) this.until.set(p, (until = now + this.listWait()))
      // handled here whether waited for or not: a listing's failure is reported where it happens
      const settled = p.then(noop, noop)
      if (until > now) waits.push(waitAtMost(settled, until - now))
    }
    if (waits.length > 0) await Promise.all(waits)
  }

  /** A list waited for this listing, and its wait ran out (proxy/silence: it was waited for in vain). */
  ranOut(listing: Promise<unknown>): boolean {
    const until = this.until.get(listing)
    return until !== undefined && performance.now() >= until
  }
}
