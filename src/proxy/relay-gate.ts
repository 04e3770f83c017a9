/**
 * @module proxy/relay-gate
 * A bound on a downstream's requests to the client (sampling, elicitation, roots) waiting at once.
 * Each is a dialog or a model call on the user's side: a server that sends hundreds (a bug, or a
 * hostile server pressing the user to click "accept") gets the ones past the bound refused at once
 * with an error naming the bound, instead of flooding the client. Per server: one server's flood
 * does not refuse another's request.
 */

/** Requests of one server to the client waiting at once. */
export const MAX_CLIENT_REQUESTS_PER_SERVER = 8

export class RelayGate {
  private readonly waiting = new Map<string, number>()
  /** Servers refused since they last had room (one warning per flood). */
  private readonly flooding = new Set<string>()

  constructor(readonly max = MAX_CLIENT_REQUESTS_PER_SERVER) {}

  /**
   * Room for one more request of `server`: true (call `leave` when it settles), or false. `first`
   * tells whether this refusal starts a flood (log it once).
   */
  enter(server: string): { ok: true } | { ok: false; first: boolean } {
    const n = this.waiting.get(server) ?? 0
    if (n >= this.max) {
      const first = !this.flooding.has(server)
      this.flooding.add(server)
      return { ok: false, first }
    }
    this.waiting.set(server, n + 1)
    return { ok: true }
  }

  leave(server: string): void {
    const n = (this.waiting.get(server) ?? 1) - 1
    if (n <= 0) this.waiting.delete(server)
    else this.waiting.set(server, n)
    if (n < this.max) this.flooding.delete(server)
  }
}
