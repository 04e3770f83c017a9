/**
 * @module mcp/init-gate
 * The lifecycle rule for our requests to a client (a downstream's `roots/list`, `sampling/createMessage`,
 * `elicitation/create` relayed, our own elicitation): none is sent before the client's
 * `notifications/initialized`. One asked for earlier is held, then sent once that notification comes,
 * in the order they were asked for. Held within its own deadline: its time held counts towards its
 * timeout (a client that never initializes gets it refused when that runs out, with an error saying
 * why), and its signal still cancels it. Nothing is kept after it settled; the connection ending
 * refuses what is still held.
 */
import { RpcAnswerError as ProtocolError } from "./rpc-answer.ts"

/** The SDK's RequestTimeout code: what a request to the client gets when its deadline passes. */
const REQUEST_TIMEOUT = -32001
/** The SDK's default request timeout (ms), for a request sent without one. */
const DEFAULT_TIMEOUT_MS = 60_000

export interface GatedOptions {
  timeoutMs?: number
  signal?: AbortSignal
}

interface Held {
  /** Sends it with what is left of its deadline. */
  go(): void
  fail(err: unknown): void
}

export class InitGate {
  private isOpen = false
  private closedWhy?: string
  /** In the order asked for (a Set keeps insertion order; a settled one leaves it). */
  private readonly held = new Set<Held>()

  get open(): boolean {
    return this.isOpen
  }

  /** Requests held right now. */
  get size(): number {
    return this.held.size
  }

  /**
   * `send` now when the client is initialized; else once it is, given the ms left of the
   * request's timeout. Rejects when the deadline passes or the signal aborts first.
   */
  run<T>(method: string, o: GatedOptions, send: (timeoutMs: number) => Promise<T>): Promise<T> {
    const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS
    if (this.isOpen) return send(timeoutMs)
    if (this.closedWhy !== undefined) return Promise.reject(new ProtocolError(-32603, `${method} was not sent to the client: ${this.closedWhy}`))
    if (o.signal?.aborted) return Promise.reject(o.signal.reason)
    return new Promise<T>((resolve, reject) => {
      const started = performance.now()
      const settle = (): void => {
        this.held.delete(h)
        clearTimeout(timer)
        o.signal?.removeEventListener("abort", onAbort)
      }
      const h: Held = {
        go: () => {
          settle()
          const left = Math.max(1, Math.round(timeoutMs - (performance.now() - started)))
          try {
            send(left).then(resolve, reject)
          } catch (e) {
            reject(e)
          }
        },
        fail: (err) => {
          settle()
          reject(err)
        },
      }
      const onAbort = (): void => h.fail(o.signal!.reason)
      const timer = setTimeout(
        () =>
          h.fail(
            new ProtocolError(
              REQUEST_TIMEOUT,
              `${method} was not sent to the client: the client did not finish initializing (no notifications/initialized) within the request's ${timeoutMs} ms timeout; MCP servers send no requests before it`,
              { timeout: timeoutMs },
            ),
          ),
        timeoutMs,
      )
      o.signal?.addEventListener("abort", onAbort, { once: true })
      this.held.add(h)
    })
  }

  /** The client sent `notifications/initialized`: what is held goes out, in order. */
  opened(): void {
    if (this.isOpen || this.closedWhy !== undefined) return
    this.isOpen = true
    for (const h of [...this.held]) h.go()
  }

  /** The connection ended: what is held is refused (`why`), and so is anything asked for later. */
  closed(why = "the connection closed before the client finished initializing"): void {
    if (this.isOpen || this.closedWhy !== undefined) return
    this.closedWhy = why
    for (const h of [...this.held]) h.fail(new ProtocolError(-32603, `request not sent to the client: ${why}`))
  }
}
