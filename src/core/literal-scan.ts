/**
 * @module core/literal-scan
 * Whether a text holds any of many literal strings (the secret registry's spellings), without
 * running one alternation of them all at every position of a large text. The alternation costs at
 * each position about one comparison per spelling whose first character fits, so a text made of
 * the characters the spellings are made of (a base64 image, a hex dump) paid for every hex and
 * base64 spelling registered at every character (qa228 made the scan of a 1 MiB result about three
 * times slower). Here the long literals are found by sampling: every literal of SAMPLED_MIN
 * characters or more holds, in its first STEP + GRAM - 1 characters, the GRAM characters that start
 * at one position of each STEP, so the text is read only at every STEP-th position (its GRAM
 * characters hashed and looked up in a bit table of those of the literals); a hit is checked
 * against the literals holding that gram, each compared where it would start. Shorter literals keep
 * their own alternation (few, and with a whole-token bound: the caller's `pattern`; a long one is
 * matched as it is written, so SAMPLED_MIN must be at least the whole-token bound's length). Same
 * verdict as the one alternation.
 */

/** Characters hashed at each sampled position. */
const GRAM = 4
/** Shortest literal found by sampling; shorter ones are matched by a plain alternation. */
export const SAMPLED_MIN = 12
/** Bits of the gram table (128 KiB: a few thousand grams leave a false hit about every 300 samples). */
const TABLE_BITS = 20

function gramHash(text: string, at: number): number {
  let h = Math.imul(text.charCodeAt(at), 0x9e3779b1)
  h = Math.imul(h ^ text.charCodeAt(at + 1), 0x85ebca77)
  h = Math.imul(h ^ text.charCodeAt(at + 2), 0xc2b2ae3d)
  h = Math.imul(h ^ text.charCodeAt(at + 3), 0x27d4eb2f)
  return (h ^ (h >>> 15)) >>> (32 - TABLE_BITS)
}

export class LiteralScan {
  private readonly table = new Uint32Array(1 << (TABLE_BITS - 5))
  /** Each gram of the table: the long literals holding it, with its offset in each. */
  private readonly grams = new Map<string, Array<[literal: string, offset: number]>>()
  /** The short literals' alternation (global). */
  private readonly short: RegExp[]
  private readonly sampled: boolean
  /** Positions between two samples: a literal of `sampledMin` characters spans one sample whatever its start. */
  private readonly step: number

  /**
   * `literals` longest first; `pattern` turns one into its regex source (escaped, a short one
   * bounded); `build` joins sources into as few regexes as the engine compiles, with `flags`.
   * `sampledMin` (at least GRAM + 1): the shortest literal found by sampling; a smaller one samples
   * more often (the secret registry's pieces of values, 6+ characters, core/split-items).
   */
  constructor(literals: readonly string[], pattern: (s: string) => string, build: (sources: string[], flags: string) => RegExp[], sampledMin = SAMPLED_MIN) {
    const long = literals.filter((s) => s.length >= sampledMin)
    this.sampled = long.length > 0
    this.step = sampledMin - GRAM + 1
    for (const s of long) {
      for (let at = 0; at < this.step; at++) {
        const h = gramHash(s, at)
        this.table[h >>> 5]! |= 1 << (h & 31)
        const gram = s.slice(at, at + GRAM)
        const holders = this.grams.get(gram)
        if (holders) holders.push([s, at])
        else this.grams.set(gram, [[s, at]])
      }
    }
    const short = literals.filter((s) => s.length < sampledMin)
    this.short = short.length ? build(short.map(pattern), "g") : []
  }

  test(text: string): boolean {
    for (const re of this.short) {
      re.lastIndex = 0
      if (re.test(text)) return true
    }
    if (!this.sampled || text.length < this.step + GRAM - 1) return false
    const table = this.table
    const last = text.length - GRAM
    const step = this.step
    for (let i = step - 1; i <= last; i += step) {
      const h = gramHash(text, i)
      if ((table[h >>> 5]! & (1 << (h & 31))) === 0) continue
      const holders = this.grams.get(text.slice(i, i + GRAM))
      if (holders === undefined) continue
      for (const [literal, offset] of holders) if (i >= offset && text.startsWith(literal, i - offset)) return true
    }
    return false
  }
}
