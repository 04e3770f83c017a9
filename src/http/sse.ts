/**
 * @module http/sse
 * One server-sent-events response body: JSON-RPC messages as `event: message` events, keep-alive
 * comments (they keep the connection busy past Bun's idle timeout), and the reader's cancel
 * reported once (a client that closes the stream of a call cancels that call). What the reader has
 * not taken yet is its backlog (the body's queue, in bytes): over the bound, notifications are held
 * back, the latest per key, or dropped (core/outbound); answers and requests always go out.
 * A large message goes to the reader a chunk at a time (what waits behind it waits too); a reader
 * that takes no chunk of it for `unread.ms` has the stream dropped (unread.ts), its bytes given back.
 */
import { HeldBytes, holdKey, OutboundGate, resultBudget } from "../core/index.ts"
import { chunks, unread, UNREAD_CHUNK, UnreadWatch } from "./unread.ts"

const encoder = new TextEncoder()

/** What a message is, for holding it back (its text is what is written). */
export interface MessageKind {
  id?: unknown
  method?: unknown
  params?: unknown
}

export const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" } as const

export class SseStream {
  readonly body: ReadableStream<Uint8Array>
  private controller!: ReadableStreamDefaultController<Uint8Array>
  private timer?: ReturnType<typeof setInterval>
  private ended = false
  private readonly gate: OutboundGate
  /** Large messages written since the reader last asked for more, held against `pool.maxResultBytesInFlight` (core/result-budget). */
  private readonly held = new HeldBytes()
  /** Ended while the reader had not taken a large message yet: closed (and its bytes given back) once it has. */
  private closeOnPull = false
  /** Chunks written behind the one the reader was handed (a large message's rest, and what came after it), in order. */
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  /** Runs while a large message waits for the reader (unread.ts). */
  private readonly watch = new UnreadWatch(() => this.unread())

  constructor(
    keepAliveMs: number,
    /** The reader went away before `end()` (client disconnect or cancel). */
    private readonly oncancel: () => void,
    /** The request's signal: it aborts when the client disconnects (in-process callers never cancel the body). */
    signal?: AbortSignal,
  ) {
    this.gate = new OutboundGate({ backlog: () => this.backlog, write: (text) => this.raw(text) })
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.controller = c
        },
        // the reader waits for more: it has taken everything handed to it
        pull: () => {
          const next = this.pending.shift()
          if (next !== undefined) {
            this.pendingBytes -= next.byteLength
            this.controller.enqueue(next)
            if (this.held.bytes !== 0) this.watch.restart()
            return
          }
          this.held.free()
          this.watch.stop()
          if (!this.closeOnPull) return this.gate.drained()
          this.closeOnPull = false
          this.close()
        },
        cancel: () => this.gone(),
      },
      // the queue counts bytes and wants none ahead: what is queued is what the reader has not taken
      { highWaterMark: 0, size: (chunk) => chunk?.byteLength ?? 0 },
    )
    signal?.addEventListener("abort", () => this.gone(), { once: true })
    if (keepAliveMs > 0) {
      this.timer = setInterval(() => this.raw(": keep-alive\n\n"), keepAliveMs)
      this.timer.unref?.()
    }
  }

  get closed(): boolean {
    return this.ended
  }

  /** Bytes written and not taken by the reader yet. */
  get backlog(): number {
    if (this.ended) return 0
    const d = this.controller.desiredSize
    return (d === null || d >= 0 ? 0 : -d) + this.pendingBytes
  }

  /** One JSON-RPC message, already serialised; `kind` (the message) when it is a notification that may be held back. */
  send(json: string, kind?: MessageKind): void {
    this.event(`event: message\ndata: ${json}\n\n`, kind)
  }

  /** One message's whole event (a resumable stream's carries its id); held back like `send`'s. */
  event(text: string, kind?: MessageKind): void {
    if (this.ended) return
    this.gate.send(text, kind === undefined ? undefined : holdKey(kind), typeof kind?.method === "string" ? kind.method : "")
  }

  /** Anything in SSE syntax (a comment, a priming event). */
  raw(text: string): void {
    if (this.ended) return
    try {
      const bytes = encoder.encode(text)
      if (bytes.byteLength >= resultBudget.large) {
        this.held.add(bytes.byteLength)
        this.watch.arm()
      }
      // the usual case: nothing waits, one chunk
      if (this.pending.length === 0 && bytes.byteLength <= UNREAD_CHUNK) return this.controller.enqueue(bytes)
      const parts = chunks(bytes)
      // the first goes to the reader's queue now unless others wait before it; the rest when it asks for more
      if (this.pending.length === 0) this.controller.enqueue(parts.shift()!)
      for (const c of parts) {
        this.pending.push(c)
        this.pendingBytes += c.byteLength
      }
    } catch {
      // the body no longer takes bytes (errored or cancelled under us): the reader is gone, whether or
      // not its cancel was reported; a write that fails frees the stream (a listen's place) now
      this.gone()
    }
  }

  /** Ends the stream normally. */
  end(): void {
    if (this.ended) return
    // a large message written since the reader last asked for more: it may hold it without having
    // written it out yet (Bun takes one chunk, then asks again once it is on the wire); closed, and
    // its bytes given back, when it asks again
    const untaken = this.held.bytes !== 0
    this.stop()
    if (untaken) this.closeOnPull = true
    else this.close()
  }

  private close(): void {
    this.held.free()
    this.watch.stop()
    try {
      this.controller.close()
    } catch {
      // already errored or cancelled
    }
  }

  private gone(): void {
    this.held.free()
    this.watch.stop()
    this.pending = []
    this.pendingBytes = 0
    this.closeOnPull = false
    if (this.ended) return
    this.end()
    this.oncancel()
  }

  private stop(): void {
    this.ended = true
    this.gate.clear()
    if (this.timer) clearInterval(this.timer)
  }

  /** The reader took nothing of a large message for `unread.ms`: the stream is dropped (the connection closed), its bytes given back. */
  private unread(): void {
    unread.dropped({ body: "sse", bytes: this.held.bytes, ms: unread.ms })
    try {
      this.controller.error(new Error(`the client took nothing of a large message for ${unread.ms} ms`))
    } catch {
      // already closed
    }
    this.gone()
  }
}
