/**
 * @module proxy/relay-gate
 * Bounds on a downstream's requests to the client (sampling, elicitation, roots): how many wait at
 * once, and how many start per second. Each is a dialog or a model call on the user's side: a server
 * that sends them in a loop (a bug, or a hostile server pressing the user to click "accept") gets
 * the ones past a bound refused at once with an error naming it, instead of flooding the client and
 * the log. Per server: one server's flood does not refuse another's request.
 */

/** Requests of one server to the client waiting at once. */
export const MAX_CLIENT_REQUESTS_PER_SERVER = 8
/** Requests of one server to the client started per second. */
export const MAX_CLIENT_REQUESTS_PER_SECOND = 20
/** Relays per server and second that are logged one by one (the rest are counted in the next line). */
const LOGGED_PER_SECOND = 5

export type Admission = { ok: true; log: boolean; unlogged: number } | { ok: false; first: boolean; why: string }

interface Window {
  start: number
  started: number
  refused: number
  /** Relays admitted but not logged in the previous window (reported with the next logged one). */
  unlogged: number
}

export class RelayGate {
  private readonly waiting = new Map<string, number>()
  private readonly windows = new Map<string, Window>()

  constructor(
    readonly max = MAX_CLIENT_REQUESTS_PER_SERVER,
    readonly perSecond = MAX_CLIENT_REQUESTS_PER_SECOND,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Room for one more request of `server` (call `leave` when it settles), or why not. */
  enter(server: string): Admission {
    const t = this.now()
    let w = this.windows.get(server)
    if (w === undefined || t - w.start >= 1000) {
      const carried = w ? w.unlogged : 0
      w = { start: t, started: 0, refused: 0, unlogged: carried }
      this.windows.set(server, w)
    }
    const n = this.waiting.get(server) ?? 0
    const why = n >= this.max ? `already has ${this.max} requests waiting on the client` : w.started >= this.perSecond ? `sent more than ${this.perSecond} requests to the client within a second` : undefined
    if (why !== undefined) return { ok: false, first: w.refused++ === 0, why }
    w.started++
    this.waiting.set(server, n + 1)
    if (w.started > LOGGED_PER_SECOND) {
      w.unlogged++
      return { ok: true, log: false, unlogged: 0 }
    }
    const unlogged = w.unlogged
    w.unlogged = 0
    return { ok: true, log: true, unlogged }
  }

  leave(server: string): void {
    const n = (this.waiting.get(server) ?? 1) - 1
    if (n <= 0) this.waiting.delete(server)
    else this.waiting.set(server, n)
  }

  /** Forget a server (removed). */
  forget(server: string): void {
    this.waiting.delete(server)
    this.windows.delete(server)
  }
}
