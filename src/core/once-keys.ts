/**
 * @module core/once-keys
 * Keys seen once, for saying a thing once (a warning per name and reason, on lists answered many
 * times): `first(key)` is true the first time a key is seen. Bounded: past `max` keys the memory
 * starts over (something that makes up new keys every time does not grow it; a key may then be
 * said again). Keys are kept as 64-bit hashes, so the bound costs a few bytes per key whatever
 * the keys' length.
 *
 * `pass()` bounds what one pass over a list says: a list of thousands of bad entries (a plugin's
 * tools hook answers up to 10 000) is warned about one by one for its first `limit` new entries
 * only, the others counted for one summary line. Before, such a list wrote a line per entry on
 * every pass (past `max` keys the memory started over each time): megabytes of log per tools/list.
 */
export class OnceKeys {
  private readonly seen = new Set<number | bigint>()

  constructor(private readonly max = 16_384) {}

  /** True the first time `key` is seen (since the memory last started over). */
  first(key: string): boolean {
    const h = Bun.hash(key)
    if (this.seen.has(h)) return false
    if (this.seen.size >= this.max) this.seen.clear()
    this.seen.add(h)
    return true
  }

  /** A budget for one pass over a list: see OncePass. */
  pass(limit = ONCE_PER_PASS): OncePass {
    return new OncePass(this, limit)
  }
}

/** New keys said one by one per pass (`OnceKeys.pass`); the rest are counted. */
export const ONCE_PER_PASS = 10

/**
 * One pass over a list: `say(key, fn)` runs `fn` for a key not seen before, for the first `limit`
 * such keys of the pass; further new keys are remembered as seen and counted in `more` (say them
 * with one line at the end of the pass). A list that stays the same says nothing on later passes.
 */
export class OncePass {
  private said = 0
  /** New keys of this pass past the limit, not said one by one. */
  more = 0

  constructor(
    private readonly keys: OnceKeys,
    readonly limit: number,
  ) {}

  say(key: string, fn: () => void): void {
    if (!this.keys.first(key)) return
    if (this.said < this.limit) {
      this.said++
      fn()
    } else this.more++
  }
}
