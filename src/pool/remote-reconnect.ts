/**
 * @module pool/remote-reconnect
 * Pacing of the SDK's SSE reconnections (the session's GET stream, a request stream's resumption).
 * The SDK waits what the server's `retry` field says, with no floor: a server whose stream ends at
 * once with `retry: 0` (a bug, a proxy cutting it) had the stream opened again hundreds of times a
 * second for as long as the session lived. Here a reconnection after a stream that lived under
 * QUICK_MS and carried no message waits at least a floor that doubles (FLOOR_MS, 2×, … up to
 * MAX_MS); a stream that carried a message (SEP-1699 polling: progress, then the answer) or lived
 * long (an idle stream a proxy cut after a minute) resets it, so the server's own `retry` rules again.
 */
import type { ReconnectionScheduler } from "@modelcontextprotocol/client"

/** First floor after one quick empty stream. */
export const FLOOR_MS = 250
/** Largest floor. */
export const MAX_MS = 30_000
/** A stream that ended sooner than this after its reconnection, having carried nothing, counts as empty. */
const QUICK_MS = 5_000

export class ReconnectPacer {
  private empties = 0
  private received = 0
  private lastAt: number | undefined

  /** A message arrived (on any stream of the transport). */
  noteMessage(): void {
    this.received++
  }

  /** Start afresh: the streams that made the floor are over (a request given up: `RequestStreams`). */
  forget(): void {
    this.empties = 0
    this.lastAt = undefined
  }

  /** `scheduler` with the floor applied to its delay. */
  pace(scheduler: ReconnectionScheduler): ReconnectionScheduler {
    return (reconnect, delay, attempt) => scheduler(() => {
      this.lastAt = Date.now()
      this.received = 0
      reconnect()
    }, Math.max(delay, this.floor()), attempt)
  }

  /** The least wait before this reconnection (0: none). */
  private floor(): number {
    const quick = this.lastAt !== undefined && Date.now() - this.lastAt < QUICK_MS
    this.empties = quick && this.received === 0 ? this.empties + 1 : 0
    return this.empties === 0 ? 0 : Math.min(MAX_MS, FLOOR_MS * 2 ** (this.empties - 1))
  }
}
