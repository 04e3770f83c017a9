/**
 * @module pool/ring-buffer
 * A bounded text buffer for a child's stderr: keeps the last `capacity` characters, never blocks.
 * What it hands out is redacted before it is cut (core/secrets): a tail or a truncated line that
 * starts or ends inside a secret would otherwise show part of it, which no later redaction sees.
 */
import { redactString } from "../core/index.ts"

/** The longest partial line held back by `lines()` before it is handed out anyway. */
const MAX_CARRY = 8192

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
    const all = redactString(this.chunks.join(""))
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
    let done: string
    if (end < 0) {
      if (joined.length <= MAX_CARRY) {
        this.carry = joined
        return ""
      }
      done = joined
      this.carry = ""
    } else {
      done = joined.slice(0, end + 1)
      this.carry = joined.slice(end + 1)
      if (this.carry.length > MAX_CARRY) {
        done += this.carry
        this.carry = ""
      }
    }
    return cut(redactString(done), max)
  }

  /** The partial line `pushLines` holds back (the stream ended without a newline), redacted and cut. */
  flushLines(max = 2000): string {
    const rest = this.carry
    this.carry = ""
    return rest ? cut(redactString(rest), max) : ""
  }

  get droppedChars(): number {
    return this.dropped
  }
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) + "…" : text
}
