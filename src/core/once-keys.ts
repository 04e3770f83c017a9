/**
 * @module core/once-keys
 * Keys seen once, for saying a thing once (a warning per name and reason, on lists answered many
 * times): `first(key)` is true the first time a key is seen. Bounded: past `max` keys the memory
 * starts over (something that makes up new keys every time does not grow it; a key may then be
 * said again).
 */
export class OnceKeys {
  private readonly seen = new Set<string>()

  constructor(private readonly max = 1000) {}

  /** True the first time `key` is seen (since the memory last started over). */
  first(key: string): boolean {
    if (this.seen.has(key)) return false
    if (this.seen.size >= this.max) this.seen.clear()
    this.seen.add(key)
    return true
  }
}
