/**
 * @module catalog/search/vocabulary
 * One instance of each word the index keeps per tool (its name's words, its own words as written,
 * its argument states). A fleet of 5 000 tools repeats a few thousand distinct words ~86 000 times
 * ("get", "list", "issue"…); each tool's tokenizing made its own copy of every one, kept for the
 * life of the index. Interned, a tool's word list holds pointers to shared strings.
 *
 * Words of removed tools are not tracked one by one (a count per word would cost what interning
 * saves): once as many words have been released as the vocabulary holds, it is rebuilt from the
 * live lists, so a downstream that keeps relisting new words cannot grow it without bound.
 */
export class Vocabulary {
  private words = new Map<string, string>()
  private released = 0

  /** The vocabulary's instance of `w` (added when new). */
  intern(w: string): string {
    const v = this.words.get(w)
    if (v !== undefined) return v
    this.words.set(w, w)
    return w
  }

  /** `ws` with each word as the vocabulary's instance, distinct when `distinct` (first occurrence kept, in order). */
  internAll(ws: Iterable<string>, distinct = false): string[] {
    const out: string[] = []
    for (const w of ws) out.push(this.intern(w))
    return distinct ? [...new Set(out)] : out
  }

  /**
   * `n` words of a removed tool are no longer used; `live()` lists every word list still kept when
   * the vocabulary is due a rebuild (called only then).
   */
  release(n: number, live: () => Iterable<readonly string[]>): void {
    this.released += n
    if (this.released <= this.words.size) return
    const next = new Map<string, string>()
    for (const list of live()) for (const w of list) next.set(w, w)
    this.words = next
    this.released = 0
  }

  get size(): number {
    return this.words.size
  }
}
