/**
 * @module core/masked-key
 * A key that masking made equal to a key the object already has (two keys that each held a
 * secret both become `[REDACTED]`): numbered (`[REDACTED#2]`, `[REDACTED#3]`…) so that both
 * entries stay. Before qa222 the later one overwrote the earlier: data silently lost.
 */

/** `key` if `o` has no own property of that name, else the first free numbered form of it. */
export function freeKey(o: object, key: string): string {
  if (!Object.hasOwn(o, key)) return key
  const at = key.lastIndexOf("]")
  for (let n = 2; ; n++) {
    // `…[REDACTED]…` numbers its last mask (`[REDACTED#2]`); any other key gets `#2` at its end
    const k = at >= 0 ? `${key.slice(0, at)}#${n}${key.slice(at)}` : `${key}#${n}`
    if (!Object.hasOwn(o, k)) return k
  }
}
