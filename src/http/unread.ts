/**
 * @module http/unread
 * A deadline for clients that stop reading. A large answer (a JSON body, an SSE event) holds its
 * bytes against `pool.maxResultBytesInFlight` until the client took them (core/result-budget); a
 * client that stops reading but keeps its socket open would hold them for as long as the socket
 * lives, and every other large result fails meanwhile (RESULTS_OVER_BUDGET). So large bodies are
 * handed to the connection in chunks (`UNREAD_CHUNK`), and when the client takes no chunk for
 * `unread.ms` (default 30 s; each chunk taken starts it over, so a reader taking 8 KiB/s or more is
 * never cut off) the response is dropped: its bytes given back, the connection closed, a warning
 * logged. Bun's idle timeout (60 s in serve) also closes such a connection, silently and later.
 */

/** Large bodies go to the connection in pieces of this size: each one taken shows the client reads. */
export const UNREAD_CHUNK = 256 * 1024

/** What a dropped response is reported with. */
export interface UnreadDrop {
  /** "json" (a JSON answer's body) or "sse" (an event stream). */
  body: "json" | "sse"
  /** Bytes of large answers the client had not taken. */
  bytes: number
  ms: number
}

/**
 * The process's setting (as `resultBudget` is the process's budget): createHttpApp sets `ms` from
 * its options and `dropped` to its logger.
 */
export const unread: { ms: number; dropped: (d: UnreadDrop) => void } = { ms: 30_000, dropped: () => {} }

/** The deadline of one response: armed while large bytes wait for the reader, started over by each chunk taken. */
export class UnreadWatch {
  private timer?: ReturnType<typeof setTimeout>

  constructor(private readonly expire: () => void) {}

  /** Large bytes wait for the reader: the deadline runs (from now, unless it runs already). */
  arm(): void {
    if (this.timer !== undefined || unread.ms <= 0) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.expire()
    }, unread.ms)
    this.timer.unref?.()
  }

  /** The reader took a chunk: the deadline starts over. */
  restart(): void {
    this.stop()
    this.arm()
  }

  stop(): void {
    if (this.timer === undefined) return
    clearTimeout(this.timer)
    this.timer = undefined
  }
}

/** `bytes` as chunks of at most UNREAD_CHUNK (views, no copy). */
export function chunks(bytes: Uint8Array): Uint8Array[] {
  if (bytes.byteLength <= UNREAD_CHUNK) return [bytes]
  const out: Uint8Array[] = []
  for (let at = 0; at < bytes.byteLength; at += UNREAD_CHUNK) out.push(bytes.subarray(at, Math.min(at + UNREAD_CHUNK, bytes.byteLength)))
  return out
}
