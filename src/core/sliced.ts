/**
 * @module core/sliced
 * Work over a long list a slice at a time, giving the event loop back between slices. A server
 * listing 10 000 tools had each of them checked, hashed and named in one synchronous run of
 * seconds: every other server's calls, the client's pings and the shutdown signals waited
 * behind it. Short lists (up to SLICE_FROM items: nearly all) are done in one go as before, with
 * no extra turn; a longer one does about SLICE_MS of work per turn.
 */

/** Lists up to this long are worked through in one go (no time checks, no extra turn). */
export const SLICE_FROM = 256
/** Work per turn of the event loop for a longer one. */
export const SLICE_MS = 8

/**
 * The next turn of the event loop (setImmediate: after its I/O poll, so pending reads and calls
 * are served first; a 0 ms timer would not let them in on every turn).
 */
export function nextTurn(): Promise<void> {
  return new Promise<void>((r) => setImmediate(r))
}

/** `fn` over `items` in order; above SLICE_FROM items, a turn of the event loop every SLICE_MS of work. */
export async function eachSliced<T>(items: readonly T[], fn: (x: T, i: number) => void, ms = SLICE_MS): Promise<void> {
  if (items.length <= SLICE_FROM) {
    items.forEach(fn)
    return
  }
  let start = performance.now()
  for (let i = 0; i < items.length; i++) {
    fn(items[i]!, i)
    if ((i & 7) === 7 && performance.now() - start >= ms) {
      await nextTurn()
      start = performance.now()
    }
  }
}
