/**
 * @module pool/modern-subscriptions
 * `resources/subscribe` toward a 2026-07-28 server, which has no such method: each subscribed URI is
 * one `subscriptions/listen` with `resourceSubscriptions: [uri]`, open while the subscription lasts
 * (re-opened when the server ends it), closed by `resources/unsubscribe`. The server's
 * `notifications/resources/updated` arrive like a legacy server's (the proxy routes them by URI), so
 * the proxy's subscription bookkeeping stays era-blind. One listen per URI keeps unsubscribing one
 * URI from disturbing the others (a filter cannot be changed on an open listen).
 */
import { errorMessage, type Logger } from "../core/index.ts"
import { restartDelay } from "./backoff.ts"
import { RELISTEN_CAP_MS } from "./modern-listen.ts"
import { RpcError } from "./rpc.ts"

/** The start of a listen's end reason when the server refused it (an error before its acknowledgement): not re-opened. */
export const REFUSED = "refused: "

/** One open `subscriptions/listen` of a downstream. */
export interface ListenHandle {
  /** Settles when the listen ends, with why (`"local"` when we closed it; `REFUSED…` when the server refused it before acknowledging it). */
  readonly ended: Promise<string>
  close(): void
}

/** Opens a listen for one URI; rejects when the server refuses it or does not honour the URI. */
export type OpenResourceListen = (uri: string) => Promise<ListenHandle>

export class ResourceListens {
  /** Per subscribed URI: its listen once open (undefined while opening or waiting to re-open). */
  private readonly open_ = new Map<string, ListenHandle | undefined>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  /** Per URI, the re-opens in a row (the pace of the next one). */
  private readonly attempts = new Map<string, number>()

  constructor(
    private readonly openListen: OpenResourceListen,
    private readonly isClosed: () => boolean,
    private readonly log: Logger,
    /** A listen the server ended is re-opened after this long at first (doubling to RELISTEN_CAP_MS). */
    private readonly relistenMs: number,
  ) {}

  /** `resources/subscribe` `{ uri }`: resolves `{}` once the server's listen for it is open. */
  async subscribe(params: Record<string, unknown> | undefined): Promise<object> {
    const uri = uriOf("resources/subscribe", params)
    if (this.open_.has(uri)) return {}
    this.open_.set(uri, undefined)
    try {
      this.track(uri, await this.openListen(uri))
    } catch (e) {
      this.open_.delete(uri)
      throw e
    }
    return {}
  }

  /** `resources/unsubscribe` `{ uri }`: closes its listen. */
  unsubscribe(params: Record<string, unknown> | undefined): Promise<object> {
    const uri = uriOf("resources/unsubscribe", params)
    const h = this.open_.get(uri)
    this.open_.delete(uri)
    this.attempts.delete(uri)
    h?.close()
    return Promise.resolve({})
  }

  closeAll(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const h of this.open_.values()) h?.close()
    this.open_.clear()
  }

  private track(uri: string, h: ListenHandle): void {
    if (!this.open_.has(uri)) {
      // unsubscribed while it was opening
      h.close()
      return
    }
    this.open_.set(uri, h)
    const startedAt = Date.now()
    void h.ended.then((why) => {
      if (why === "local" || this.open_.get(uri) !== h || this.isClosed()) return
      if (why.startsWith(REFUSED)) {
        this.open_.delete(uri)
        this.attempts.delete(uri)
        this.log.warn("resource subscription refused by the server; updates of this URI are not followed", { uri, error: why.slice(REFUSED.length) })
        return
      }
      // a listen that stayed open for the longest wait starts the pace over
      if (Date.now() - startedAt >= RELISTEN_CAP_MS) this.attempts.delete(uri)
      this.reopen(uri, why)
    })
  }

  /** The server ended the listen of `uri` while the subscription lasts: open it again, paced (RELISTEN_MS doubling to RELISTEN_CAP_MS). */
  private reopen(uri: string, why: string): void {
    this.open_.set(uri, undefined)
    const attempt = this.attempts.get(uri) ?? 0
    this.attempts.set(uri, attempt + 1)
    const wait = restartDelay(attempt, this.relistenMs, Math.max(this.relistenMs, RELISTEN_CAP_MS))
    this.log.info("resource subscription listen ended; re-opening", { uri, why, inMs: wait })
    const t = setTimeout(() => {
      this.timers.delete(t)
      if (!this.open_.has(uri) || this.isClosed()) return
      this.openListen(uri).then(
        (next) => this.track(uri, next),
        // it was open before: a failed re-open (a restarting server…) is tried again, paced
        (e: unknown) => {
          if (this.open_.has(uri) && !this.isClosed()) this.reopen(uri, errorMessage(e))
        },
      )
    }, wait)
    t.unref?.()
    this.timers.add(t)
  }
}

function uriOf(method: string, params: Record<string, unknown> | undefined): string {
  const uri = params?.uri
  if (typeof uri !== "string") throw new RpcError(method, -32602, "uri must be a string", undefined)
  return uri
}
