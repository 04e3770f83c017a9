/**
 * @module core/stream-tail
 * A configured value streamed in pieces under 6 characters across the messages of one stream (a
 * downstream relaying a model's token stream as progress messages or log notifications, a token
 * per message): each piece is too short for the edge check (core/stream-edges: pieces of 6 or
 * more), and the client showed the key whole (qa327). Stateful, one per stream (a call's progress,
 * a server's logger): it keeps the last `longest value − 1` characters already sent, and reads each
 * new piece after them.
 *
 * - A value that ends in the new piece (and started in earlier ones) is masked in each piece not
 *   yet sent.
 * - A piece whose end, read after what came before, is a start of a value of HOLD_MIN characters or
 *   more is held back (with the pieces it ends together with) until the next piece tells: a value
 *   (masked) or not (sent as they were). So at most HOLD_MIN − 1 characters of a value go out
 *   before it is recognised.
 * - Nothing else waits: a piece that cannot be the start of a value goes out at once (the cost is
 *   one scan of the kept tail and the piece per registered value: see docs/proxy.md *Redaction*).
 * - `flush` (the call's end, or HOLD_MS without a next piece: the caller's timer) sends what is held
 *   with the start of the value it may be masked: the stream ended on it.
 *
 * Memory: the tail (< the longest value) and the held pieces (they end within a value's length).
 */
import { MIN_ENCODED, REDACTED, secrets } from "./secrets.ts"

/** A start of a value this long at a piece's end holds it back: at most HOLD_MIN − 1 characters of a value are shown. */
export const HOLD_MIN = 3
/** How long a held piece waits for the next one of its stream before it goes out (masked). */
export const HOLD_MS = 1000

let memo: { generation: number; values: string[]; longest: number } | undefined

/** The registered values looked for across pieces (as held, upper- and lower-cased), and the longest's length. */
function tailValues(): { values: string[]; longest: number } {
  if (memo?.generation !== secrets.generation) {
    const out = new Set<string>()
    for (const v of secrets.plainValues()) if (v.length >= MIN_ENCODED && v.length <= 1024 && !/[\r\n]/.test(v)) out.add(v).add(v.toUpperCase()).add(v.toLowerCase())
    const values = [...out]
    memo = { generation: secrets.generation, values, longest: values.reduce((m, v) => Math.max(m, v.length), 0) }
  }
  return memo
}

interface Piece<T> {
  item: T
  text: string
}

export class StreamTail<T> {
  /** The last `longest − 1` characters of the pieces already sent (as the downstream wrote them). */
  private sent = ""
  private held: Piece<T>[] = []

  /** Whether a piece is held back (the caller's timer then calls `flush` after HOLD_MS). */
  get holding(): boolean {
    return this.held.length !== 0
  }

  /** A new piece of the stream: the pieces to send now, in order, each with its text (masked where a value crossed into it). */
  push(item: T, text: string): Array<[T, string]> {
    const { values, longest } = tailValues()
    if (values.length === 0) return this.held.length === 0 ? [[item, text]] : [...this.release(), [item, text]]
    this.held.push({ item, text })
    const start = this.sent.length
    let joined = this.sent
    for (const p of this.held) joined += p.text
    // values ending past what was sent: masked in the pieces not yet sent
    const spans = wholeSpans(joined, start, values)
    // the end that may be a value's start: held back until the next piece tells
    let holdFrom = joined.length
    for (const v of values) {
      const from = prefixAtEnd(joined, v)
      if (joined.length - from >= HOLD_MIN) holdFrom = Math.min(holdFrom, from)
    }
    const out: Array<[T, string]> = []
    let offset = start
    let kept = 0
    for (const p of this.held) {
      const end = offset + p.text.length
      if (end > holdFrom && end > offset) {
        // this piece and the ones after it stay (their masks are found again with the next piece)
        break
      }
      out.push([p.item, maskSpans(p.text, offset, spans)])
      offset = end
      kept++
    }
    this.held = this.held.slice(kept)
    this.sent = joined.slice(0, offset).slice(-(longest - 1))
    return out
  }

  /** The held pieces, to send now (the stream ended, or no next piece came): the value start they end with masked. */
  flush(): Array<[T, string]> {
    return this.release()
  }

  private release(): Array<[T, string]> {
    if (this.held.length === 0) return []
    const { values, longest } = tailValues()
    const start = this.sent.length
    let joined = this.sent
    for (const p of this.held) joined += p.text
    const spans = wholeSpans(joined, start, values)
    for (const v of values) {
      const from = prefixAtEnd(joined, v)
      if (joined.length - from >= HOLD_MIN) spans.push([Math.max(from, start), joined.length])
    }
    const out: Array<[T, string]> = []
    let offset = start
    for (const p of this.held) {
      out.push([p.item, maskSpans(p.text, offset, spans)])
      offset += p.text.length
    }
    this.held = []
    this.sent = joined.slice(-(Math.max(1, longest) - 1))
    return out
  }
}

/** Where each of `values` occurs in `joined` ending past `start` (in the pieces not yet sent). */
function wholeSpans(joined: string, start: number, values: readonly string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = []
  for (const v of values) for (let at = joined.indexOf(v, Math.max(0, start - v.length + 1)); at !== -1; at = joined.indexOf(v, at + 1)) spans.push([at, at + v.length])
  return spans
}

/** Where the longest proper start of `v` that `text` ends with begins (`text.length` when none). */
function prefixAtEnd(text: string, v: string): number {
  const first = v.charCodeAt(0)
  for (let at = Math.max(0, text.length - (v.length - 1)); at < text.length; at++) {
    if (text.charCodeAt(at) === first && v.startsWith(text.slice(at))) return at
  }
  return text.length
}

/** `text` (at `offset` of the joined stream) with its parts of `spans` each replaced by one REDACTED. */
function maskSpans(text: string, offset: number, spans: ReadonlyArray<[number, number]>): string {
  if (spans.length === 0) return text
  const cuts: Array<[number, number]> = []
  for (const [s, e] of spans) {
    const a = Math.max(s, offset) - offset
    const b = Math.min(e, offset + text.length) - offset
    if (b > a) cuts.push([a, b])
  }
  if (cuts.length === 0) return text
  cuts.sort((x, y) => x[0] - y[0])
  const merged: Array<[number, number]> = []
  for (const c of cuts) {
    const last = merged[merged.length - 1]
    if (last !== undefined && c[0] <= last[1]) last[1] = Math.max(last[1], c[1])
    else merged.push([c[0], c[1]])
  }
  let out = text
  for (let i = merged.length - 1; i >= 0; i--) out = out.slice(0, merged[i]![0]) + REDACTED + out.slice(merged[i]![1])
  return out
}

/**
 * A `StreamTail` with its timer: pieces go to `send` as the tail lets them (at once, unless one
 * may be a value's start), and held ones after HOLD_MS without a next piece, or at `flush`.
 */
export class HeldStream<T> {
  private readonly tail = new StreamTail<T>()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly send: (item: T, text: string) => void) {}

  push(item: T, text: string): void {
    for (const [i, t] of this.tail.push(item, text)) this.send(i, t)
    this.arm()
  }

  /** The held pieces out now (masked where they end with a value's start). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    for (const [i, t] of this.tail.flush()) this.send(i, t)
  }

  /** Held pieces dropped (a cancelled call's client is told nothing more). */
  drop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.tail.flush()
  }

  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (!this.tail.holding) return
    this.timer = setTimeout(() => this.flush(), HOLD_MS)
    this.timer.unref?.()
  }
}
