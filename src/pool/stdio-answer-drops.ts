/**
 * @module pool/stdio-answer-drops
 * Our answers to a stdio server's requests (ping and roots answered here, sampling, elicitation and
 * the refusals of pool/relay-gate) are written to its stdin. A server that sends requests in a
 * flood and does not read its stdin had every answer held in memory for it (20 000 pings with 10 kB
 * ids: ~250 MB, until the server ended). Past MAX_ANSWER_BACKLOG characters not taken by the server,
 * an answer is dropped instead (the server asks faster than it reads: it cannot be waiting on each),
 * with one warning per flood naming the server, and the count dropped said once it read its backlog,
 * or, when it ended instead (exited, its stdin broken), worded as its end: not as a flood that is over.
 * Our own requests are not dropped here (their callers and deadlines bound them).
 */
import type { Logger } from "../core/index.ts"

/** Characters written to a server and not read by it past which our answers to its requests are dropped. */
export const MAX_ANSWER_BACKLOG = 16 * 1024 * 1024

export class StdioAnswerDrops {
  private dropped = 0

  constructor(
    private readonly server: string | undefined,
    private readonly log: Logger,
    private readonly max = MAX_ANSWER_BACKLOG,
  ) {}

  /** Whether an answer is dropped, with `backlog` characters the server has not read yet. */
  drops(backlog: number): boolean {
    if (backlog < this.max) return false
    if (this.dropped++ === 0) {
      this.log.warn("stdio server sends us requests faster than it reads our answers; answers past the bound are dropped", {
        ...(this.server !== undefined ? { server: this.server } : {}),
        unreadBytes: backlog,
        remedy: "Fix or update the server: it floods its client with requests (sampling, elicitation, roots, ping) and does not read the answers.",
      })
    }
    return true
  }

  /** The server read everything written to it: the flood (if any) is over. */
  drained(): void {
    if (this.dropped === 0) return
    this.log.warn("stdio server's flood of requests is over; answers dropped", { ...(this.server !== undefined ? { server: this.server } : {}), dropped: this.dropped })
    this.dropped = 0
  }

  /** The server ended (exited, or its stdin broke) with answers dropped: said as its end, once. */
  ended(): void {
    if (this.dropped === 0) return
    this.log.warn("stdio server ended while flooding us with requests, its answers unread; answers dropped", { ...(this.server !== undefined ? { server: this.server } : {}), dropped: this.dropped })
    this.dropped = 0
  }
}
