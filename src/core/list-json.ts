/**
 * @module core/list-json
 * The JSON of a list of definitions (an aggregated tools/list of 5 000 tools is ~5 MB), built from
 * one memoised text per definition object and written as memoised UTF-8 blocks. Definitions are
 * never mutated in place: a list rebuilt after one server's change holds the other servers'
 * definitions as the same objects (proxy/surface memoises them), so only the changed ones are
 * serialised and encoded again. The redaction check of list answers (core/redact) and the list
 * fingerprint (`listDigest`) read the same memoised texts; once an item's block is encoded only
 * the bytes stay.
 */

const itemTexts = new WeakMap<object, string>()
const itemDigests = new WeakMap<object, number>()
const listDigests = new WeakMap<readonly unknown[], string>()

/** `JSON.stringify(item)`, once per object until its list block is encoded (`listChunks`). */
export function itemJson(item: unknown): string {
  if (item === null || typeof item !== "object") return JSON.stringify(item) ?? "null"
  let text = itemTexts.get(item)
  if (text === undefined) {
    text = JSON.stringify(item) ?? "null"
    itemTexts.set(item, text)
  }
  return text
}

/** A block of consecutive items and its UTF-8 JSON (items joined with commas). */
interface Block {
  items: readonly unknown[]
  bytes: Uint8Array
}
/** Per first item: the blocks lately built from it (a changed neighbour makes a second one). */
const blocks = new WeakMap<object, Block[]>()
const encoder = new TextEncoder()
const COMMA = encoder.encode(",")
/** Blocks end after an item whose digest is 0 mod this (content-defined: an insertion shifts nothing). */
const BLOCK_MOD = 32
const BLOCK_MAX = 128

/**
 * The UTF-8 JSON of `head + JSON.stringify(items).slice(1, -1) + tail` as chunks, ready to write:
 * the items go in blocks whose ends depend on the items themselves, each block's bytes memoised, so
 * a list rebuilt after one server's change encodes only the blocks holding changed items, and a
 * repeated answer is written without transcoding ~5 MB of text again.
 */
export function listChunks(items: readonly unknown[], head: string, tail: string): Uint8Array[] {
  const out: Uint8Array[] = [encoder.encode(head)]
  for (let start = 0; start < items.length; ) {
    if (start > 0) out.push(COMMA)
    // a block known from an earlier list that starts here: no per-item digest lookups (the bytes
    // do not depend on where blocks end; only how much a later change re-encodes does)
    const known = knownBlock(items, start)
    if (known) {
      out.push(known.bytes)
      start += known.items.length
      continue
    }
    let end = start
    while (end + 1 < items.length && end + 1 - start < BLOCK_MAX && itemDigest(items[end]) % BLOCK_MOD !== 0) end++
    out.push(blockBytes(items, start, end + 1))
    start = end + 1
  }
  out.push(encoder.encode(tail))
  return out
}

/** A memoised block whose items are `items[start…]` (the same objects). */
function knownBlock(items: readonly unknown[], start: number): Block | undefined {
  const first = items[start]
  if (first === null || typeof first !== "object") return undefined
  const known = blocks.get(first)
  if (!known) return undefined
  for (const b of known) {
    if (start + b.items.length > items.length) continue
    let same = true
    for (let i = 1; i < b.items.length && same; i++) same = b.items[i] === items[start + i]
    if (same) return b
  }
  return undefined
}

function blockBytes(items: readonly unknown[], start: number, end: number): Uint8Array {
  const first = items[start]
  const key = first !== null && typeof first === "object" ? first : undefined
  const known = key ? blocks.get(key) : undefined
  const slice = items.slice(start, end)
  const bytes = encoder.encode(slice.map(itemJson).join(","))
  // the bytes are what stays: the items' texts are let go (~5 MB for 5 000 tools)
  for (const item of slice) if (item !== null && typeof item === "object") itemTexts.delete(item)
  if (key) {
    const list = known ?? []
    list.unshift({ items: slice, bytes })
    list.length = Math.min(list.length, 2)
    if (!known) blocks.set(key, list)
  }
  return bytes
}

/** Total bytes of chunks. */
/**
 * Whether two chunked texts hold the same bytes, without joining them: where both have the same
 * chunk object at the same offset (`listChunks` reuses the blocks of unchanged items) it is
 * skipped whole, so comparing a 5 000-tool answer with the last one after one server's change
 * reads only the blocks that were re-encoded, and allocates nothing (joining both took two ~5 MB
 * copies per change and client).
 */
export function sameBytes(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (chunksLength(a) !== chunksLength(b)) return false
  let i = 0
  let j = 0
  // offsets into a[i] and b[j]
  let x = 0
  let y = 0
  while (i < a.length && j < b.length) {
    const ca = a[i]!
    const cb = b[j]!
    if (x === 0 && y === 0 && ca === cb) {
      i++
      j++
      continue
    }
    const n = Math.min(ca.byteLength - x, cb.byteLength - y)
    if (n > 0 && Buffer.compare(ca.subarray(x, x + n), cb.subarray(y, y + n)) !== 0) return false
    x += n
    y += n
    if (x === ca.byteLength) {
      i++
      x = 0
    }
    if (y === cb.byteLength) {
      j++
      y = 0
    }
  }
  // equal lengths: what is left of either is empty chunks
  return true
}

export function chunksLength(chunks: readonly Uint8Array[]): number {
  let n = 0
  for (const c of chunks) n += c.byteLength
  return n
}

/**
 * A short fingerprint of the list's JSON (order-sensitive: 2 × 32-bit mixes of each item's 53-bit
 * text hash, and the count), memoised per array and per item: "is this the list the client was
 * sent?" without keeping a second ~9 MB copy of its text. Two different lists share one with a
 * chance of about 2^-64.
 */
export function listDigest(items: readonly unknown[]): string {
  let d = listDigests.get(items)
  if (d !== undefined) return d
  let a = 0x9e3779b9
  let b = 0x85ebca6b
  for (let i = 0; i < items.length; i++) {
    const h = itemDigest(items[i])
    a = Math.imul(a ^ (h >>> 0), 0x01000193) ^ i
    b = Math.imul(b ^ Math.floor(h / 0x100000000), 0x5bd1e995) + i
  }
  d = `${items.length}:${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}`
  listDigests.set(items, d)
  return d
}

function itemDigest(item: unknown): number {
  if (item === null || typeof item !== "object") return cyrb53(JSON.stringify(item) ?? "null")
  let h = itemDigests.get(item)
  if (h === undefined) {
    h = cyrb53(itemJson(item))
    itemDigests.set(item, h)
  }
  return h
}

/** cyrb53: a fast 53-bit string hash (public domain, bryc). */
function cyrb53(s: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
