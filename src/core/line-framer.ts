/**
 * @module core/line-framer
 * Newline-delimited JSON-RPC framing over byte chunks, shared by stdio transports: one `JSON.parse`
 * per line and an envelope check, no schema validation; non-JSON lines skipped; oversize frames dropped.
 */
import { concatBytes } from "./bytes.ts"
import { compactResponse } from "./raw-json.ts"

export interface OversizeFrame {
  bytes: number
  /** First and last bytes of the dropped frame (the id of an SDK response sits at its end). */
  head: string
  tail: string
}

export interface LineFramerHandlers {
  /**
   * A JSON-RPC 2.0 object. For a response in a compact SDK layout, `resultJson` is the exact text
   * of its (validated) result, for forwarding without serialising again.
   */
  onMessage(message: Record<string, unknown>, resultJson?: string): void
  /** A line that is not a JSON-RPC object (banner, log line, garbage). */
  onSkip(line: string): void
  onOversize(frame: OversizeFrame): void
}

const NL = 10
const NOT_JSON = Symbol("not JSON")
const KEEP = 512

/**
 * Feed chunks with `push`; call `end` on EOF. Lines larger than `maxFrameBytes` are never
 * accumulated: the framer switches to discard mode and remembers only the first and last bytes.
 */
export class LineFramer {
  private readonly max: number
  private readonly h: LineFramerHandlers
  private readonly decoder = new TextDecoder()
  private parts: Uint8Array[] = []
  private size = 0
  private discarding = false
  private discarded = 0
  private head: Uint8Array | undefined
  private tail: Uint8Array = new Uint8Array(0)

  constructor(maxFrameBytes: number, handlers: LineFramerHandlers) {
    this.max = maxFrameBytes
    this.h = handlers
  }

  push(chunk: Uint8Array): void {
    let start = 0
    let nl = chunk.indexOf(NL, start)
    while (nl >= 0) {
      if (this.discarding) {
        this.discardBytes(chunk.subarray(start, nl))
        this.finishDiscard()
      } else if (this.size === 0) {
        if (nl - start > this.max) this.reportOversize(chunk.subarray(start, nl))
        // a line at the chunk's start needs no view of its own (the common case: one message per read)
        else if (start === 0) this.line(chunk, nl)
        else this.line(chunk.subarray(start), nl - start)
      } else {
        this.append(chunk.subarray(start, nl))
        if (this.discarding) this.finishDiscard()
        else this.lineOfParts()
      }
      start = nl + 1
      nl = chunk.indexOf(NL, start)
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start)
      if (this.discarding) this.discardBytes(rest)
      // Kept without copying: chunks from a stream are never reused by their producer.
      else this.append(rest)
    }
  }

  end(): void {
    if (this.discarding) this.finishDiscard()
    else if (this.size > 0) this.lineOfParts()
  }

  private append(bytes: Uint8Array): void {
    if (this.size + bytes.length > this.max) {
      const parts = this.parts
      this.parts = []
      this.size = 0
      this.discarding = true
      this.discarded = 0
      this.head = undefined
      for (const p of parts) this.discardBytes(p)
      this.discardBytes(bytes)
      return
    }
    this.parts.push(bytes)
    this.size += bytes.length
  }

  /** The line gathered from several chunks. */
  private lineOfParts(): void {
    const whole = this.take()
    this.line(whole, whole.length)
  }

  private take(): Uint8Array {
    const parts = this.parts
    const out = parts.length === 1 ? parts[0]! : concatBytes(parts, this.size)
    this.parts = []
    this.size = 0
    return out
  }

  private discardBytes(b: Uint8Array): void {
    if (this.head === undefined) this.head = b.slice(0, KEEP)
    else if (this.head.length < KEEP) {
      const h = new Uint8Array(Math.min(KEEP, this.head.length + b.length))
      h.set(this.head, 0)
      h.set(b.subarray(0, h.length - this.head.length), this.head.length)
      this.head = h
    }
    this.discarded += b.length
    if (b.length >= KEEP) this.tail = b.slice(b.length - KEEP)
    else {
      const t = new Uint8Array(Math.min(KEEP, this.tail.length + b.length))
      const fromOld = t.length - b.length
      t.set(this.tail.subarray(this.tail.length - fromOld), 0)
      t.set(b, fromOld)
      this.tail = t
    }
  }

  private finishDiscard(): void {
    this.h.onOversize({
      bytes: this.discarded,
      head: this.decoder.decode(this.head ?? new Uint8Array(0)),
      tail: this.decoder.decode(this.tail),
    })
    this.discarding = false
    this.discarded = 0
    this.head = undefined
    this.tail = new Uint8Array(0)
  }

  private reportOversize(b: Uint8Array): void {
    this.h.onOversize({ bytes: b.length, head: this.decoder.decode(b.subarray(0, KEEP)), tail: this.decoder.decode(b.subarray(b.length - KEEP)) })
  }

  /** The line is `buf[0, end)`; `buf` may go on past it (the newline, later lines). */
  private line(buf: Uint8Array, end: number): void {
    if (end > 0 && buf[end - 1] === 13) end--
    if (end === 0) return
    // Decoding up to the chunk's end avoids a view when only the line break follows (JSON allows
    // trailing whitespace); otherwise decode exactly the line.
    const onlyBreakAfter = end === buf.length || (buf.length - end <= 2 && buf[buf.length - 1] === NL)
    const text = this.decoder.decode(onlyBreakAfter ? buf : buf.subarray(0, end))
    const first = text.charCodeAt(0)
    if (first !== 123 /* { */) {
      const shown = text.trimEnd()
      if (shown.trim().length > 0) this.h.onSkip(shown)
      return
    }
    const compact = compactResponse(text)
    if (compact !== undefined) {
      let result: unknown = NOT_JSON
      try {
        result = JSON.parse(compact.result)
      } catch {
        // not one JSON value: the whole line is parsed below (and skipped if it is not JSON either)
      }
      if (result !== NOT_JSON) return this.h.onMessage({ result, jsonrpc: "2.0", id: compact.id }, compact.result)
    }
    let msg: unknown
    try {
      msg = JSON.parse(text)
    } catch {
      this.h.onSkip(text.trimEnd())
      return
    }
    if (msg !== null && typeof msg === "object" && (msg as { jsonrpc?: unknown }).jsonrpc === "2.0") this.h.onMessage(msg as Record<string, unknown>)
    else this.h.onSkip(text.trimEnd())
  }
}


/** Extract a JSON-RPC id from the edges of a dropped frame, if one is visible. */
export function idFromFrameEdges(frame: OversizeFrame): string | number | undefined {
  const re = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/g
  const tail = [...frame.tail.matchAll(re)].pop() ?? [...frame.head.matchAll(re)][0]
  if (!tail) return undefined
  const v = tail[1]!
  return v.startsWith('"') ? (JSON.parse(v) as string) : Number(v)
}
