/**
 * @module core/definition-digest
 * Per item object as a server listed it (tools, prompts, resources; held, stored, reused across
 * relists): the length of its JSON text and two 64-bit hashes of it, all taken from one
 * `JSON.stringify` and kept (never the text). Before, a list's way in walked each definition for its
 * size and serialised it up to three times more (the relist's reuse, its comparison with the list
 * held, the list fingerprint of every save, the sanitizer's scan): now the size cap
 * (proxy/fetch-list), the reuse, that comparison, the fingerprint and the scan (catalog/sanitize)
 * read these, so an item is serialised once here (once more only
 * for the stored file, at most once per write interval, and in its own canonical form for its pin).
 *
 * - `keyedDigest`: keyed by a key drawn per process, so a server cannot craft a changed definition
 *   that passes for an old one (which would keep the old object, its pin hash and its check): a
 *   match by chance is a 2⁻⁶⁴ event. Used to tell "the same definition as before".
 * - `listPrint`: a list's fingerprint from the items' unkeyed hashes, the same in every process (the
 *   stored first answer compares another window's prints with its own: app/tool-snapshot).
 *
 * Definitions are never mutated in place (a changed one comes as a new object), which is what
 * makes a hash kept per object right.
 */
import { hidesInJson } from "./hidden-text.ts"

interface Digests {
  keyed: bigint
  plain: bigint
  /** Characters of the JSON text. */
  length: number
  /** The text holds an invisible code point or a control character (core/hidden-text: catalog/sanitize walks such a definition). */
  hidden: boolean
}

const digests = new WeakMap<object, Digests>()
const KEY = crypto.getRandomValues(new BigUint64Array(1))[0]!
/** In a list's print, for an item that cannot be serialised (none reaches a stored list: catalog/validate drops it). */
const UNSERIALISABLE = 0xffff_ffff_ffff_ffffn

function digestsOf(item: unknown): Digests | undefined {
  if (typeof item !== "object" || item === null) {
    return digestsOfText(JSON.stringify(item) ?? "null")
  }
  let d = digests.get(item)
  if (d === undefined) {
    let text: string
    try {
      text = JSON.stringify(item) ?? "null"
    } catch {
      // nested past what JSON.stringify can walk (or a cycle): matches nothing, dropped by its check
      return undefined
    }
    d = digestsOfText(text)
    digests.set(item, d)
  }
  return d
}

function digestsOfText(text: string): Digests {
  return { keyed: BigInt(Bun.hash.wyhash(text, KEY)), plain: BigInt(Bun.hash.wyhash(text)), length: text.length, hidden: hidesInJson(text) }
}

/**
 * The length of `JSON.stringify(item)` in characters (undefined when it cannot be serialised), its
 * digests taken on the way: a listing's size cap counts this, so the one serialisation of a listed
 * item is the one its reuse and its list's fingerprint read later.
 */
export function jsonLength(item: unknown): number | undefined {
  return digestsOf(item)?.length
}

/**
 * The length of `JSON.stringify(item)` and whether that text hides anything (core/hidden-text);
 * undefined when it cannot be serialised. What catalog/sanitize needs to pass a clean definition
 * as it is, from the one serialisation above.
 */
export function jsonFacts(item: unknown): { length: number; hidden: boolean } | undefined {
  return digestsOf(item)
}

/** A keyed 64-bit hash of `JSON.stringify(item)` (same JSON ⇔ same digest, but for a 2⁻⁶⁴ chance); undefined when it cannot be serialised. */
export function keyedDigest(item: unknown): bigint | undefined {
  return digestsOf(item)?.keyed
}

/**
 * A fingerprint of a list (16 hex digits: order-sensitive, the count included) made from its items'
 * unkeyed hashes: a 10 000-tool list whose definitions were hashed as they came (a relist, a load)
 * costs 10 000 lookups and one hash of 80 KB, not a serialisation of the ~10 MB list on the event
 * loop. The same in every process and run.
 */
export function listPrint(items: readonly unknown[]): string {
  const h = new BigUint64Array(items.length + 1)
  h[0] = BigInt(items.length)
  for (let i = 0; i < items.length; i++) h[i + 1] = digestsOf(items[i])?.plain ?? UNSERIALISABLE
  return BigInt(Bun.hash.wyhash(h)).toString(16)
}
