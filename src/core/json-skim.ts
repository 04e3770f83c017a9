/**
 * @module core/json-skim
 * Reads JSON that `checkJsonBytes` already accepted, over the chunks it arrived in, without
 * decoding it whole: a caller walks it value by value, building only the small values it wants
 * (strings over a bound become `LONG_STRING`, so a 30 MiB text is skipped with `indexOf`, never
 * copied) and skipping the rest. What a large tool result's content blocks are checked with, one
 * block at a time (pool/tool-result-check). It trusts the grammar (the validator has run): on
 * anything unexpected it throws, and the caller falls back to parsing. A long string's bytes can be
 * checked as base64 afterwards, where `value` noted them (`longs`, `base64BytesProblem`).
 */
import { utf8Text } from "./utf8.ts"
import { Base64Scan } from "./base64-check.ts"

/** Stands for a string longer than the bound asked for (its content was not read). */
export const LONG_STRING = "(a long string)"

/** A string's text from its JSON bytes (without quotes): ASCII without escapes as it is, the rest as JSON.parse reads it. */
function decoded(b: Uint8Array, len: number): string {
  let s = ""
  for (let i = 0; i < len; i++) {
    const c = b[i]!
    if (c >= 0x80 || c === 92) return JSON.parse(`"${utf8Text(b.subarray(0, len))}"`) as string
    s += String.fromCharCode(c)
  }
  return s
}

/** A long string `value` built as `LONG_STRING`: the object and key it is the value of, and its bytes ([start, end), quotes included). */
export interface LongString {
  owner: object
  key: string
  start: number
  end: number
}

export class JsonSkim {
  /**
   * When set, `value` notes here each long string it builds as `LONG_STRING` under one of these
   * keys (the rest cost nothing more).
   */
  longs: { keys: ReadonlySet<string>; found: LongString[] } | undefined

  private ci = 0
  private cur: Uint8Array
  private i = 0
  /** Offset of `cur` in the whole input. */
  private base = 0
  /** The bytes of the short string being read (reused). */
  private keep = new Uint8Array(0)

  constructor(private readonly chunks: readonly Uint8Array[]) {
    this.cur = chunks[0] ?? new Uint8Array(0)
  }

  /** Offset of the next byte in the whole input. */
  get pos(): number {
    return this.base + this.i
  }

  /** The next byte that is not whitespace (not consumed), or -1 at the end. */
  peek(): number {
    for (;;) {
      while (this.i < this.cur.length) {
        const c = this.cur[this.i]!
        if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return c
        this.i++
      }
      if (!this.nextChunk()) return -1
    }
  }

  /** Consume the next non-whitespace byte, which must be `c`. */
  expect(c: number): void {
    if (this.peek() !== c) throw new Error(`unexpected byte at ${this.pos}`)
    this.i++
  }

  /** Consume `,` (true) or the closing `close` (false). */
  more(close: number): boolean {
    const c = this.peek()
    this.i++
    if (c === 44) return true
    if (c === close) return false
    throw new Error(`unexpected byte at ${this.pos - 1}`)
  }

  /**
   * Read an object member by member: `member(key)` reads (or skips) its value. Keys over `maxKey`
   * bytes are given as `LONG_STRING`.
   */
  object(member: (key: string) => void, maxKey = 256): void {
    this.expect(123)
    if (this.peek() === 125) {
      this.i++
      return
    }
    do {
      const key = this.string(maxKey)
      this.expect(58)
      member(key)
    } while (this.more(125))
  }

  /** Read an array item by item: `item(index)` reads (or skips) each. */
  array(item: (index: number) => void): void {
    this.expect(91)
    if (this.peek() === 93) {
      this.i++
      return
    }
    let n = 0
    do item(n++)
    while (this.more(93))
  }

  /**
   * The next value, built, with strings over `maxString` bytes as `LONG_STRING` (a `__proto__` key is
   * an own property, as with JSON.parse). For small values only: it builds all of it.
   */
  value(maxString: number): unknown {
    const c = this.peek()
    if (c === 34) return this.string(maxString)
    if (c === 123) {
      const o: Record<string, unknown> = {}
      this.object((k) => {
        const start = this.longs?.keys.has(k) === true && this.peek() === 34 ? this.pos : -1
        const v = this.value(maxString)
        if (start >= 0 && v === LONG_STRING) this.longs!.found.push({ owner: o, key: k, start, end: this.pos })
        if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
        else o[k] = v
      }, maxString)
      return o
    }
    if (c === 91) {
      const a: unknown[] = []
      this.array(() => void a.push(this.value(maxString)))
      return a
    }
    return JSON.parse(this.scalar())
  }

  /** Skip the next value (strings by `indexOf`, nothing built). */
  skip(): void {
    const c = this.peek()
    if (c === 34) this.string(0)
    else if (c === 123) this.object(() => this.skip(), 0)
    else if (c === 91) this.array(() => this.skip())
    else this.scalar()
  }

  /** The JSON type of the next value: "string", "object", "array", "number", "boolean" or "null". */
  kind(): string {
    const c = this.peek()
    return c === 34 ? "string" : c === 123 ? "object" : c === 91 ? "array" : c === 116 || c === 102 ? "boolean" : c === 110 ? "null" : "number"
  }

  /** A number or literal's text. */
  private scalar(): string {
    this.peek()
    let s = ""
    for (;;) {
      while (this.i < this.cur.length) {
        const c = this.cur[this.i]!
        if (c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9) return s
        s += String.fromCharCode(c)
        this.i++
      }
      if (!this.nextChunk()) return s
    }
  }

  /** A string (the next value): decoded when at most `max` bytes, else `LONG_STRING` (skipped, not copied). */
  string(max: number): string {
    this.expect(34)
    if (max > 0 && this.keep.length < max) this.keep = new Uint8Array(max)
    const keep = max > 0 ? this.keep : undefined
    let len = 0
    let slashes = 0 // backslashes right before the current position, carried across chunks
    for (;;) {
      const cur = this.cur
      const from = this.i
      const q = cur.indexOf(34, from)
      const end = q < 0 ? cur.length : q
      if (keep !== undefined && len + (end - from) <= max) {
        // a short string: copied byte by byte (a view per segment costs more than the copy)
        for (let j = from; j < end; j++) keep[len++] = cur[j]!
      } else len += end - from
      // backslashes just before `end` (all of this segment: add those carried from before it)
      let run = 0
      while (end - run > from && cur[end - run - 1] === 92) run++
      slashes = run === end - from ? slashes + run : run
      if (q < 0) {
        this.i = cur.length
        if (!this.nextChunk()) throw new Error("unterminated string")
        continue
      }
      this.i = q + 1
      if (slashes % 2 === 1) {
        // an escaped quote: part of the string
        if (keep !== undefined && len < max) keep[len] = 34
        len++
        slashes = 0
        continue
      }
      if (keep === undefined || len > max) return LONG_STRING
      return decoded(keep, len)
    }
  }

  private nextChunk(): boolean {
    if (this.ci + 1 >= this.chunks.length) return false
    this.base += this.cur.length
    this.cur = this.chunks[++this.ci]!
    this.i = 0
    return true
  }
}

/** Hex digit value of an ASCII code, or -1. */
function hex(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1
}

/**
 * What makes the JSON string at bytes [start, end) of `chunks` (quotes included, valid JSON) no
 * base64 as `atob` reads it, or undefined: read over the bytes, its escapes (`\/`, `\n`, `\u0041`)
 * as the characters they stand for, nothing decoded or copied.
 */
export function base64BytesProblem(chunks: readonly Uint8Array[], start: number, end: number): string | undefined {
  const scan = new Base64Scan()
  let from = start + 1
  const to = end - 1
  let base = 0
  let esc = 0 // 0: none, 1: after a backslash, 2-5: the hex digits of \u left
  let code = 0
  for (const chunk of chunks) {
    const next = base + chunk.length
    if (next > from && base < to) {
      const last = Math.min(to, next) - base
      for (let j = from - base; j < last; j++) {
        const c = chunk[j]!
        if (esc === 0) {
          if (c === 92) esc = 1
          else if (!scan.code(c >= 0x80 ? 0x80 : c)) return scan.problem()
        } else if (esc === 1) {
          if (c === 117) {
            esc = 5
            code = 0
          } else {
            esc = 0
            const ch = c === 110 ? 10 : c === 114 ? 13 : c === 116 ? 9 : c === 102 ? 12 : c === 98 ? 8 : c
            if (!scan.code(ch)) return scan.problem()
          }
        } else {
          code = code * 16 + hex(c)
          if (--esc === 1) {
            esc = 0
            if (!scan.code(code)) return scan.problem()
          }
        }
      }
      from = next
    }
    base = next
    if (base >= to) break
  }
  return scan.problem()
}
