/**
 * @module pool/answer-sends
 * Our answers to a remote server's requests (sampling, elicitation, roots, ping: each relayed,
 * answered or refused) each go out as a POST of their own. A server that sends its requests in a
 * flood (tens of thousands in one response stream) had as many POSTs made at once: 40 000 held
 * ~450 MB and every call of that server waited behind them. Here at most MAX_IN_FLIGHT answers are
 * being sent at once and MAX_QUEUED wait their turn, in order; an answer past both is dropped (the
 * server asks faster than it takes answers: it cannot be waiting on each), with one warning per
 * burst naming the server, and the count dropped logged when the burst is over, or worded as the
 * connection's end when it was closed meanwhile (not as a flood the server got through).
 */
import type { JSONRPCMessage, TransportSendOptions } from "@modelcontextprotocol/client"
import type { Logger } from "../core/index.ts"

export const MAX_IN_FLIGHT = 16
export const MAX_QUEUED = 256

type Send = (message: JSONRPCMessage, options?: TransportSendOptions) => Promise<void>

/** A message we send that is an answer (a result or an error for one of the server's requests). */
export function isAnswer(m: JSONRPCMessage | JSONRPCMessage[]): m is JSONRPCMessage {
  return !Array.isArray(m) && !("method" in m) && ("result" in m || "error" in m)
}

export class AnswerSends {
  private inFlight = 0
  private readonly queue: (() => void)[] = []
  private dropped = 0
  /** The connection was closed: the sends still under way fail, the flood ended with it. */
  private closed = false

  constructor(
    private readonly server: string,
    private readonly log: Logger | undefined,
    private readonly max = MAX_IN_FLIGHT,
    private readonly maxQueued = MAX_QUEUED,
  ) {}

  /** The connection is closing: a flood under way ended with it (said so when its sends settle). */
  close(): void {
    this.closed = true
    if (this.inFlight === 0) this.over()
  }

  /** Sends `message` through `send` when there is room; resolves without sending when it is dropped. */
  send(message: JSONRPCMessage, options: TransportSendOptions | undefined, send: Send): Promise<void> {
    if (this.inFlight < this.max) return this.run(message, options, send)
    if (this.queue.length >= this.maxQueued) {
      if (this.dropped++ === 0) {
        this.log?.warn("remote server sends us requests faster than it takes our answers; answers past the bound are dropped", {
          server: this.server,
          inFlight: this.inFlight,
          queued: this.queue.length,
          remedy: "Fix or update the server: it floods its client with requests (sampling, elicitation, roots, ping).",
        })
      }
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => this.queue.push(() => void this.run(message, options, send).then(resolve, reject)))
  }

  private async run(message: JSONRPCMessage, options: TransportSendOptions | undefined, send: Send): Promise<void> {
    this.inFlight++
    try {
      await send(message, options)
    } finally {
      this.inFlight--
      const next = this.queue.shift()
      if (next !== undefined) next()
      else if (this.inFlight === 0) this.over()
    }
  }

  private over(): void {
    if (this.dropped === 0) return
    if (this.closed) this.log?.warn("remote server's connection ended while it flooded us with requests; answers dropped", { server: this.server, dropped: this.dropped })
    else this.log?.warn("remote server's flood of requests is over; answers dropped", { server: this.server, dropped: this.dropped })
    this.dropped = 0
  }
}
