/**
 * @module http/sse
 * One server-sent-events response body: JSON-RPC messages as `event: message` events, keep-alive
 * comments (they keep the connection busy past Bun's idle timeout), and the reader's cancel
 * reported once (a client that closes the stream of a call cancels that call).
 */

const encoder = new TextEncoder()

export const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" } as const

export class SseStream {
  readonly body: ReadableStream<Uint8Array>
  private controller!: ReadableStreamDefaultController<Uint8Array>
  private timer?: ReturnType<typeof setInterval>
  private ended = false

  constructor(
    keepAliveMs: number,
    /** The reader went away before `end()` (client disconnect or cancel). */
    private readonly oncancel: () => void,
    /** The request's signal: it aborts when the client disconnects (in-process callers never cancel the body). */
    signal?: AbortSignal,
  ) {
    this.body = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.controller = c
      },
      cancel: () => this.gone(),
    })
    signal?.addEventListener("abort", () => this.gone(), { once: true })
    if (keepAliveMs > 0) {
      this.timer = setInterval(() => this.raw(": keep-alive\n\n"), keepAliveMs)
      this.timer.unref?.()
    }
  }

  get closed(): boolean {
    return this.ended
  }

  /** One JSON-RPC message, already serialised. */
  send(json: string): void {
    this.raw(`event: message\ndata: ${json}\n\n`)
  }

  /** Anything in SSE syntax (a comment, a priming event). */
  raw(text: string): void {
    if (this.ended) return
    try {
      this.controller.enqueue(encoder.encode(text))
    } catch {
      // the reader is gone; its cancel is reported separately
    }
  }

  /** Ends the stream normally. */
  end(): void {
    if (this.ended) return
    this.stop()
    try {
      this.controller.close()
    } catch {
      // already errored or cancelled
    }
  }

  private gone(): void {
    if (this.ended) return
    this.end()
    this.oncancel()
  }

  private stop(): void {
    this.ended = true
    if (this.timer) clearInterval(this.timer)
  }
}
