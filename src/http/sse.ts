/**
 * @module http/sse
 * One server-sent-events response body: JSON-RPC messages as `event: message` events, keep-alive
 * comments (they keep the connection busy past Bun's idle timeout), and the reader's cancel
 * reported once (a client that closes the stream of a call cancels that call). What the reader has
 * not taken yet is its backlog (the body's queue, in bytes): over the bound, notifications are held
 * back, the latest per key, or dropped (core/outbound); answers and requests always go out.
 */
import { HeldBytes, holdKey, OutboundGate, resultBudget } from "../core/index.ts"

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
        // the reader waits for more: it has taken everything
        pull: () => {
          this.held.free()
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
    return d === null || d >= 0 ? 0 : -d
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
      if (bytes.byteLength >= resultBudget.large) this.held.add(bytes.byteLength)
      this.controller.enqueue(bytes)
    } catch {
      // the reader is gone; its cancel is reported separately
    }
  }

  /** Ends the stream normally. */
  end(): void {
    if (this.ended) return
    // a large message written since the reader last asked for more: it may hold it without having
    // written it out yet (Bun takes one chunk, then asks again once it is on the wire); closed, and
    // its bytes given back, when it asks again
    const unread = this.held.bytes !== 0
    this.stop()
    if (unread) this.closeOnPull = true
    else this.close()
  }

  private close(): void {
    this.held.free()
    try {
      this.controller.close()
    } catch {
      // already errored or cancelled
    }
  }

  private gone(): void {
    this.held.free()
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
}
