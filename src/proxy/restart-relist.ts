/**
 * @module proxy/restart-relist
 * A server restarted by the pool (it exited, crashed, or was stopped idle) may list other tools than
 * the process before it, and the client still holds the old list. A call of a tool that process had
 * is held, after a restart following a failure, until the new process listed its tools (its start
 * lists them at once: proxy `onReady`), within the call's budget and proxy.listWait: a tool the new
 * list lacks fails with the unknown-tool answer naming the restart and the tools now, nothing sent.
 * Before, the call went to the new process: its raw -32602 "Unknown tool", or (a server that ignores
 * names it does not know) a hang until the call's timeout.
 */

/** The reason shown for such a restart (proxy/unknown-tool: "was restarted (…) and no longer lists …"). */
export const RESTART_WHY = "its process ended and a new one was started, which lists other tools"

export class RestartRelists {
  /** Per server: the tool names the process before its latest restart listed, and the new process's listing while under way. */
  private readonly last = new Map<string, { before: ReadonlySet<string>; listing: Promise<void> | undefined }>()

  /** `server` started again with a live list from its previous process (`before`); `listing` is the new process's tools/list. */
  restarted(server: string, before: Iterable<string>, listing: Promise<void>): void {
    const entry = { before: new Set(before), listing: listing as Promise<void> | undefined }
    this.last.set(server, entry)
    const done = (): void => {
      entry.listing = undefined
    }
    listing.then(done, done)
  }

  /** The new process's tools/list of `server` while under way (a call of a tool waits for it). */
  listing(server: string): Promise<void> | undefined {
    return this.last.get(server)?.listing
  }

  /** The tools the process before `server`'s latest restart listed, if it restarted in this run. */
  before(server: string): ReadonlySet<string> | undefined {
    return this.last.get(server)?.before
  }

  /** The server was removed (or redefined): its restarts are no longer this one's. */
  forget(server: string): void {
    this.last.delete(server)
  }
}
