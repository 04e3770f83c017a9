/**
 * @module proxy/start-listings
 * A server started by a listing (a client's first tools/list, a call of a name under it) lists what
 * it serves once it is ready (the proxy's onReady). The listing that started it is still in flight
 * then, its request not sent yet (it waits for that very start): asking the single flight again
 * listed every such server twice, once for the start and once more right after. A listing that
 * began while the server was not ready, with no start finished since, goes to the connection that
 * is ready now: onReady joins it. One that began on an earlier connection (the server restarted
 * under it) may have been answered by the old process: onReady asks again, as before. A
 * `list_changed` that arrives during the listing still asks again (proxy/coalesce: SingleFlight).
 */
export class StartListings {
  /** Per server: how many starts finished (onReady) in this run. */
  private readonly readies = new Map<string, number>()
  /** Per `server\0kind`: the listing under way began before the server was ready, after this many starts. */
  private readonly unsent = new Map<string, number>()

  /** A listing of `key` (`server\0kind`) begins; `ready`: the server has a connection ready now. */
  began(key: string, server: string, ready: boolean): void {
    if (ready) this.unsent.delete(key)
    else this.unsent.set(key, this.readies.get(server) ?? 0)
  }

  /** The listing of `key` ended. */
  ended(key: string): void {
    this.unsent.delete(key)
  }

  /**
   * `server` is ready (a start finished): whether the listing of `key` under way, if any, goes to
   * this connection (it began before any start finished since). Call once per kind, then `ready`.
   */
  goesToThisStart(key: string, server: string): boolean {
    return this.unsent.get(key) === (this.readies.get(server) ?? 0)
  }

  /** A start of `server` finished. */
  ready(server: string): void {
    this.readies.set(server, (this.readies.get(server) ?? 0) + 1)
  }

  /** The server was removed. */
  forget(server: string): void {
    this.readies.delete(server)
    for (const key of this.unsent.keys()) if (key.startsWith(`${server}\u0000`)) this.unsent.delete(key)
  }
}
