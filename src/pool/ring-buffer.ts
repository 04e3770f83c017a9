/**
 * @module pool/ring-buffer
 * A bounded text buffer for a child's stderr: keeps the last `capacity` characters, never blocks.
 * What it hands out is redacted before it is cut (core/secrets): a tail or a truncated line that
 * starts or ends inside a secret would otherwise show part of it, which no later redaction sees.
 */
import { redactLineSeams, redactString } from "../core/index.ts"

/** The longest partial line held back by `lines()` before it is handed out anyway. */
const MAX_CARRY = 8192
/**
 * A partial line handed out early is cut this far before its end, and only where the cut splits no
 * secret (core redaction of the text on both sides of the cut, together and apart, agrees): a
 * configured secret value, a known token shape or a `KEY=value` value up to this long is never
 * handed out in halves that each no longer match.
 */
const HOLD = 4096
/** A partial line longer than this goes out at the cut even if no safe one was found (a wall of secrets). */
const MAX_HOLD = 64 * 1024

export class TextRing {
  private chunks: string[] = []
  private size = 0
  private dropped = 0
  constructor(private readonly capacity = 64 * 1024) {}

  push(text: string): void {
    if (text.length >= this.capacity) {
      this.dropped += this.size + text.length - this.capacity
      this.chunks = [text.slice(text.length - this.capacity)]
      this.size = this.capacity
      return
    }
    this.chunks.push(text)
    this.size += text.length
    while (this.size > this.capacity) {
      const first = this.chunks[0]!
      const excess = this.size - this.capacity
      if (first.length <= excess) {
        this.chunks.shift()
        this.size -= first.length
        this.dropped += first.length
      } else {
        this.chunks[0] = first.slice(excess)
        this.size -= excess
        this.dropped += excess
      }
    }
  }

  /** The last `max` characters, redacted. */
  tail(max = 2048): string {
    const all = redactLineSeams(redactString(this.chunks.join("")))
    return all.length > max ? all.slice(all.length - max) : all
  }

  private carry = ""

  /**
   * Pushes `text` and returns the lines it completed (with the partial line held back from the
   * previous push), redacted and then cut to `max` characters; "" when none completed. Logging
   * whole lines keeps a secret split across two reads of the pipe in one piece for redaction.
   */
  pushLines(text: string, max = 2000): string {
    this.push(text)
    const joined = this.carry + text
    const end = joined.lastIndexOf("\n")
    const done = end < 0 ? "" : joined.slice(0, end + 1)
    this.carry = end < 0 ? joined : joined.slice(end + 1)
    if (this.carry.length > MAX_CARRY) {
      // a line too long to hold whole goes out in parts, cut where no secret is split
      const at = safeCut(this.carry)
      if (at > 0) {
        const head = this.carry.slice(0, at)
        this.carry = this.carry.slice(at)
        // redacted apart from the completed lines: the part's cut was checked on its own
        return cut(redactLineSeams(redactString(done)) + redactString(head), max)
      }
    }
    // a value wrapped across two of its lines (folded output) is masked on both sides: core/split-items
    return done ? cut(redactLineSeams(redactString(done)), max) : ""
  }

  /** The partial line `pushLines` holds back (the stream ended without a newline), redacted and cut. */
  flushLines(max = 2000): string {
    const rest = this.carry
    this.carry = ""
    return rest ? cut(redactLineSeams(redactString(rest)), max) : ""
  }

  get droppedChars(): number {
    return this.dropped
  }
}

/**
 * Where a partial line may be cut: `HOLD` before its end, where redacting the two sides apart gives
 * what redacting them together does (no secret runs across the cut); -1 when the cut would split one
 * (it waits for more of the line; past `MAX_HOLD` the cut moves back, up to 4 KiB, to one that splits
 * nothing, or is made anyway).
 */
function safeCut(text: string): number {
  const at = text.length - HOLD
  if (splitsNothing(text, at)) return at
  if (text.length <= MAX_HOLD) return -1
  for (let c = at - 256; c > at - 16 * 256 && c > 0; c -= 256) if (splitsNothing(text, c)) return c
  return at
}

function splitsNothing(text: string, at: number): boolean {
  const from = Math.max(0, at - HOLD)
  const to = Math.min(text.length, at + HOLD)
  return redactString(text.slice(from, at)) + redactString(text.slice(at, to)) === redactString(text.slice(from, to))
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) + "…" : text
}
