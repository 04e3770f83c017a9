/**
 * @module core/collect-pace
 * A long synchronous build (the search index of a fleet: 5 000 tools in one go) allocates its
 * lasting structures between far more short-lived ones (tokens, word lists, counting maps). With no
 * collection in between, the two end up side by side in the same heap blocks: once the temporaries
 * die, every block still holds a few lasting objects and none can be given back. Measured on the
 * index of 50 × 100 recorded tools (docs/proxy.md, issue 15): 17 MB of live objects spread over
 * 37 MB of heap blocks, RSS +55 MiB. Asking for a concurrent collection every so often during the
 * build lets the next batch's objects fill the cells the last batch's garbage left, instead of new
 * blocks: 26.5 MB of blocks, RSS −19 MiB, for ~0.1 ms of this thread per ask (the collector runs
 * on its own thread; `Bun.gc(false)` does not wait for it). A start's listing burst is paced the
 * same way (proxy/fetch-list: items read), which took its peak from ~195 to ~160 MiB.
 */

/**
 * Units of work (documents indexed) between two asks. On the index, every 25 / 50 / 100 / 200 /
 * 400 left 26 / 26.5 / 27.5 / 31 / 35 MB of blocks (37.5 with none).
 */
export const COLLECT_EVERY = 50

/**
 * A counter that asks for a concurrent collection each time the units ticked reach `every` (one
 * ask per tick at most: a page of 10 000 items is one burst; the remainder counts on), `collect`
 * injectable for tests.
 */
export function collectPacer(every = COLLECT_EVERY, collect: () => void = () => Bun.gc(false)): (units?: number) => void {
  let n = 0
  return (units = 1) => {
    n += units
    if (n < every) return
    n %= every
    collect()
  }
}
