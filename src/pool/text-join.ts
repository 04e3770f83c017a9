/**
 * @module pool/text-join
 * A large tool result made of text blocks alone, read for a run_code script (RequestOptions
 * `maxAnswerBytes`), which takes in their texts joined by newlines (mcp/tools/run-code `resultValue`):
 * one scan of its bytes copies each block's text, still JSON-escaped, into one buffer, and that is
 * decoded once as one string, handed on as one text block. Nothing is built per block. Before, 1 000 000
 * blocks of one letter (27 MB of JSON) were parsed into a million objects on the main thread (+187 MiB
 * peak) only to be joined into a 2 MB text. Anything else (another block type, a block with other
 * members, structuredContent, a key of another era) is left to the parse, as before.
 */
import { concatBytes, utf8Text } from "../core/index.ts"

export interface JoinedText {
  content: [{ type: "text"; text: string }]
  isError?: boolean
}

const enc = new TextEncoder()
const K_CONTENT = enc.encode('"content"')
const K_IS_ERROR = enc.encode('"isError"')
const K_META = enc.encode('"_meta"')
const K_TYPE = enc.encode('"type"')
const K_TEXT = enc.encode('"text"')
const V_TEXT = K_TEXT
const V_TRUE = enc.encode("true")
const V_FALSE = enc.encode("false")
/** A newline between two texts, as it is written inside a JSON string. */
const NEWLINE = enc.encode("\\n")

/**
 * The result in `chunks` (JSON the line framer checked) as one text block of its blocks' texts joined
 * by newlines, when it has only `content` of text blocks (`{"type":"text","text":…}`, no other
 * member) and `isError`, `_meta`; else undefined.
 */
export function joinedTextResult(chunks: readonly Uint8Array[]): JoinedText | undefined {
  const b = chunks.length === 1 ? chunks[0]! : concatBytes(chunks)
  try {
    return new Scan(b).result()
  } catch {
    // what the scan does not expect is parsed as before
    return undefined
  }
}

/** Thrown for anything but the one shape the scan takes (the caller parses instead). */
class NotPlain extends Error {}

class Scan {
  private i = 0
  /** The texts so far, JSON-escaped, joined by `\n` escapes. */
  private out: Uint8Array
  private n = 0
  /** The bounds of the last string read (its quotes included): no array per string. */
  private s = 0
  private e = 0

  constructor(private readonly b: Uint8Array) {
    this.out = new Uint8Array(Math.min(b.length, 1 << 20))
  }

  result(): JoinedText | undefined {
    let content = false
    let isError: boolean | undefined
    this.expect(0x7b)
    if (this.peek() === 0x7d) return undefined
    do {
      this.string()
      const [ks, ke] = [this.s, this.e]
      this.expect(0x3a)
      if (this.is(ks, ke, K_CONTENT)) {
        // a repeated key: JSON.parse keeps the last
        this.n = 0
        this.content()
        content = true
      } else if (this.is(ks, ke, K_IS_ERROR)) {
        this.ws()
        if (this.literal(V_TRUE)) isError = true
        else if (this.literal(V_FALSE)) isError = false
        else throw new NotPlain()
      } else if (this.is(ks, ke, K_META)) this.skip()
      else throw new NotPlain()
    } while (this.more(0x7d))
    this.ws()
    if (!content || this.i !== this.b.length) return undefined
    const text = JSON.parse(`"${utf8Text(this.out.subarray(0, this.n))}"`) as string
    return { content: [{ type: "text", text }], ...(isError !== undefined ? { isError } : {}) }
  }

  private content(): void {
    this.expect(0x5b)
    if (this.peek() === 0x5d) return void this.i++
    let first = true
    do {
      this.expect(0x7b)
      let ts = -1
      let te = -1
      let typed = false
      if (this.peek() === 0x7d) throw new NotPlain()
      do {
        this.string()
        const text = this.is(this.s, this.e, K_TEXT)
        if (!text && !this.is(this.s, this.e, K_TYPE)) throw new NotPlain()
        this.expect(0x3a)
        this.string()
        if (text) {
          ts = this.s + 1
          te = this.e - 1
        } else if (this.is(this.s, this.e, V_TEXT)) typed = true
        else throw new NotPlain()
      } while (this.more(0x7d))
      if (!typed || ts < 0) throw new NotPlain()
      if (!first) this.put(NEWLINE, 0, NEWLINE.length)
      first = false
      this.put(this.b, ts, te)
    } while (this.more(0x5d))
  }

  /** Appends `from`'s bytes [start, end) (short ones byte by byte: no view made per block). */
  private put(from: Uint8Array, start: number, end: number): void {
    const len = end - start
    if (this.n + len > this.out.length) {
      const grown = new Uint8Array(Math.max(this.out.length * 2, this.n + len))
      grown.set(this.out.subarray(0, this.n))
      this.out = grown
    }
    if (len > 64) this.out.set(from.subarray(start, end), this.n)
    else for (let k = 0; k < len; k++) this.out[this.n + k] = from[start + k]!
    this.n += len
  }

  private ws(): void {
    const b = this.b
    while (this.i < b.length) {
      const c = b[this.i]!
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return
      this.i++
    }
  }

  private peek(): number {
    this.ws()
    return this.i < this.b.length ? this.b[this.i]! : -1
  }

  private expect(c: number): void {
    if (this.peek() !== c) throw new NotPlain()
    this.i++
  }

  /** `,` (true) or `close` (false). */
  private more(close: number): boolean {
    const c = this.peek()
    this.i++
    if (c === 0x2c) return true
    if (c === close) return false
    throw new NotPlain()
  }

  private literal(word: Uint8Array): boolean {
    if (!this.is(this.i, this.i + word.length, word)) return false
    this.i += word.length
    return true
  }

  /** Reads a string: its bounds (its quotes included) in `s`, `e`; the scan is past it. */
  private string(): void {
    if (this.peek() !== 0x22) throw new NotPlain()
    const b = this.b
    const start = this.i
    let at = start + 1
    // short strings (keys, most texts) by a plain loop: a native search per string costs more
    for (const stop = Math.min(b.length, at + 32); at < stop; at++) {
      const c = b[at]!
      if (c === 0x5c) break
      if (c === 0x22) {
        this.i = at + 1
        this.s = start
        this.e = at + 1
        return
      }
    }
    for (;;) {
      const q = b.indexOf(0x22, at)
      if (q < 0) throw new NotPlain()
      let slashes = 0
      while (b[q - 1 - slashes] === 0x5c) slashes++
      at = q + 1
      if (slashes % 2 === 0) break
    }
    this.i = at
    this.s = start
    this.e = at
  }

  /** Skips the next value (a `_meta`): strings by their ends, containers by their depth. */
  private skip(): void {
    const c = this.peek()
    if (c === 0x22) return void this.string()
    if (c !== 0x7b && c !== 0x5b) {
      while (this.i < this.b.length && !",}] \n\r\t".includes(String.fromCharCode(this.b[this.i]!))) this.i++
      return
    }
    let depth = 0
    do {
      const d = this.peek()
      if (d === 0x22) this.string()
      else {
        if (d === 0x7b || d === 0x5b) depth++
        else if (d === 0x7d || d === 0x5d) depth--
        else if (d < 0) throw new NotPlain()
        this.i++
      }
    } while (depth > 0)
  }

  private is(start: number, end: number, word: Uint8Array): boolean {
    if (end - start !== word.length || end > this.b.length) return false
    for (let k = 0; k < word.length; k++) if (this.b[start + k] !== word[k]) return false
    return true
  }
}
