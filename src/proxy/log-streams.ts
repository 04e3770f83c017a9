/**
 * @module proxy/log-streams
 * A downstream's log messages as streams, one per server and logger: a text message is read after
 * the ones before it (core/stream-tail), so a key relayed a few characters per message (a token
 * stream logged as it comes) is masked though no message holds 6 characters of it. A message that
 * cannot be a key's start goes out at once; one that may be waits for the next (HOLD_MS at most).
 * Data that is not text goes out at once, after what its stream held.
 */
import { HeldStream, maskStreamEdges } from "../core/index.ts"
import type { DownstreamLogParams } from "./types.ts"

/** A message and its text as the downstream wrote it (capped). */
interface Piece {
  log: DownstreamLogParams
  raw: string
}

/** Streams kept (server and logger): the oldest is flushed and forgotten past this. */
const MAX_STREAMS = 64

export class LogStreams {
  private readonly streams = new Map<string, HeldStream<Piece>>()

  /** `deliver`: where a message goes (every client of the server, and the modern requests asking for its logs). */
  constructor(private readonly deliver: (server: string, log: DownstreamLogParams) => void) {}

  /** `log` of `server`; `text`: its data when a string (as capped, before any masking at its edges). */
  push(server: string, log: DownstreamLogParams, text: string | undefined): void {
    const key = `${server}\u0000${log.logger ?? ""}`
    let stream = this.streams.get(key)
    if (text === undefined) {
      stream?.flush()
      return this.deliver(server, log)
    }
    if (stream === undefined) {
      stream = new HeldStream<Piece>((p, t) => this.deliver(server, t === p.raw ? p.log : { ...p.log, data: maskStreamEdges(t) }))
      this.streams.set(key, stream)
      if (this.streams.size > MAX_STREAMS) {
        const [oldKey, oldest] = this.streams.entries().next().value!
        oldest.flush()
        this.streams.delete(oldKey)
      }
    }
    stream.push({ log, raw: text }, text)
  }
}
