/**
 * @module proxy/peer-lists
 * Editor windows start an orchestrator each, with the same config and cache directory. One started
 * a moment after another waits, at its first tools/list, for its own start of a slow server (an
 * `npx` download, a container) while the other has already stored that server's list. Cursor keeps
 * its first answer for the whole session: that answer should have the list as soon as any process
 * has it. So while a list (tools, prompts, resources) waits for servers whose list of it is not
 * known, the store is read again every `PEER_POLL_MS` for those still missing (one small file each;
 * a miss reads nothing), and what is found there is taken as stored lists are at start (the
 * server's own listing goes on; a different result is announced with list_changed).
 */

/** How often the store is read again for the servers a list waits for. */
export const PEER_POLL_MS = 250

export interface PeerLists<V> {
  /** The server's stored list(s), read afresh. */
  load(server: string): Promise<V | undefined>
  /** The server still has no list here. */
  missing(server: string): boolean
  /** Takes what another process stored. */
  adopt(server: string, stored: V): void
  /** The wait is over (its own listings came, or its deadline): stop reading. */
  over(): boolean
}

/** Resolves once every server of `servers` has a list (its own or one adopted), or when `over()`. */
export async function listsFromPeers<V>(servers: readonly string[], p: PeerLists<V>): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, PEER_POLL_MS))
    if (p.over()) return
    const left = servers.filter((s) => p.missing(s))
    if (left.length === 0) return
    const found = await Promise.all(left.map((s) => p.load(s).catch(() => undefined)))
    if (p.over()) return
    left.forEach((s, i) => {
      const stored = found[i]
      if (stored !== undefined && p.missing(s)) p.adopt(s, stored)
    })
  }
}
