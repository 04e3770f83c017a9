/**
 * @module pool/sse-event-ends
 * Where Server-Sent Events end in a byte stream read chunk by chunk: at an empty line, a line
 * terminator (CR, LF or CRLF) right after another one (a stream starts at the start of a line). The
 * terminators are found by native searches: a long data line costs two scans, not a loop per byte.
 * Shared by the readers that check a response stream's events without parsing the rest of it
 * (`remote-limits.ts`: sizes, `own-answers.ts`: whose answer each event is).
 */

const LF = 10
const CR = 13

export class SseEventEnds {
  /** No byte since the last line terminator. */
  private lineEmpty = true
  /** The last byte was a CR (an LF right after it ends the same line). */
  private afterCR = false

  /**
   * The index just past the next event end in `chunk` at or after `from`, or -1 when no event ends
   * in the rest of it (what it saw is kept for the next chunk). Call it again from the index it gave.
   */
  next(chunk: Uint8Array, from: number): number {
    const n = chunk.byteLength
    let i = from
    while (i < n) {
      const lf = chunk.indexOf(LF, i)
      const cr = chunk.indexOf(CR, i)
      const at = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr)
      if (at < 0) {
        this.lineEmpty = false
        this.afterCR = false
        return -1
      }
      if (at > i) {
        this.lineEmpty = false
        this.afterCR = false
      }
      i = at + 1
      if (chunk[at] === LF && this.afterCR) {
        // the LF of a CRLF: the same terminator
        this.afterCR = false
        continue
      }
      this.afterCR = chunk[at] === CR
      if (!this.lineEmpty) {
        this.lineEmpty = true
        continue
      }
      return i
    }
    return -1
  }
}
