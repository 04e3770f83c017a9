/**
 * @module proxy/log-streams
 * A downstream's log messages as streams, one per server and logger: a text message is read after
 * the ones before it (core/stream-tail), so a key relayed a few characters per message (a token
 * stream logged as it comes) is masked though no message holds 6 characters of it. A message that
 * cannot be a key's start goes out at once; one that may be waits for the next (HOLD_MS at most).
 * Data that is not text goes out at once, after what its stream held. The orchestrator's own debug
 * record of each message is written from what this sends, not as it arrived (qa333: the pieces
 * were logged one per record, the key readable across them); a message of no MCP log level is
 * read in its stream too, for that record, and not forwarded.
 */
import { HeldStream, maskStreamEdges } from "../core/index.ts"
import type { DownstreamLogParams } from "./types.ts"

/** A message and its text as the downstream wrote it (capped). */
interface Piece {
  log: DownstreamLogParams
  raw: string
  forward: boolean
}

/** Streams kept (server and logger): the oldest is flushed and forgotten past this. */
const MAX_STREAMS = 64

export class LogStreams {
  private readonly streams = new Map<string, HeldStream<Piece>>()

  /**
   * `deliver`: where a message goes (our debug record; when `forward`, every client of the server
   * and the modern requests asking for its logs).
   */
  constructor(private readonly deliver: (server: string, log: DownstreamLogParams, forward: boolean) => void) {}

  /** `log` of `server`; `text`: its data when a string (as capped, before any masking at its edges); `forward`: to clients too (an MCP log level). */
  push(server: string, log: DownstreamLogParams, text: string | undefined, forward = true): void {
    const key = `${server}\u0000${log.logger ?? ""}`
    let stream = this.streams.get(key)
    if (text === undefined) {
      stream?.flush()
      return this.deliver(server, log, forward)
    }
    if (stream === undefined) {
      stream = new HeldStream<Piece>((p, t) => this.deliver(server, t === p.raw ? p.log : { ...p.log, data: maskStreamEdges(t) }, p.forward))
      this.streams.set(key, stream)
      if (this.streams.size > MAX_STREAMS) {
        const [oldKey, oldest] = this.streams.entries().next().value!
        oldest.flush()
        this.streams.delete(oldKey)
      }
    }
    stream.push({ log, raw: text, forward }, text)
  }
}
