/**
 * @module proxy/early-changes
 * A server's `list_changed` that arrives before the first answer of its kind (tools, prompts,
 * resources) was given: many servers register more once initialized (plugins loaded, a login
 * read), and Cursor keeps its first answer for the whole session (it ignores list_changed). Before,
 * the relist such a change asks for waited out the coalescing window, and the first answer, given
 * as soon as the server's first listing was in, held only its first items. Now that answer has the
 * relist made at once (`flush`) and waits for it, and for those the server's changes ask for while
 * it waits: per server and kind at most `proxy.listWait` from the first list that waited on one of
 * them (proxy/list-waits: one group), and in the budget of the listing under way when the change
 * came (its start's). A server that never stops changing thus costs the first answer one
 * `listWait`. After the first answer of a kind, changes are announced to the client as before.
 */
import type { ListWaits, Waited } from "./list-waits.ts"
import type { ListKind } from "./types.ts"

export interface EarlyChangesDeps {
  waits: ListWaits
  /** Starts the relist `key` (`server\0kind`) is scheduled for now, if one is. */
  relistNow(key: string): void
  /** The listing of `key` under way. */
  current(key: string): Promise<void> | undefined
  /** Lists wait for this server (it is configured, and not one they skip: proxy/silence, down). */
  waited(server: string): boolean
}

export class EarlyChanges {
  private readonly answered = new Set<ListKind>()
  /** Per `server\0kind` that announced a change before the first answer of its kind: what its relists' waits are grouped with. */
  private readonly changed = new Map<string, object>()

  constructor(private readonly d: EarlyChangesDeps) {}

  /** `server` announced a change of `kind`: noted while no answer of that kind was given. */
  announced(server: string, kind: ListKind): void {
    const key = `${server}\u0000${kind}`
    if (this.answered.has(kind) || this.changed.has(key)) return
    const anchor = {}
    // the listing under way (its start's): the relists share its deadline
    const running = this.d.current(key)
    if (running !== undefined) this.d.waits.joins(anchor, running)
    this.d.waits.together([anchor])
    this.changed.set(key, anchor)
  }

  /** The first answer of `kind` is being given: later changes go to the client as list_changed. */
  answer(kind: ListKind): void {
    if (this.answered.has(kind)) return
    this.answered.add(kind)
    for (const key of this.changed.keys()) if (key.endsWith(`\u0000${kind}`)) this.changed.delete(key)
  }

  /** The server was removed. */
  forget(server: string): void {
    for (const key of this.changed.keys()) if (key.startsWith(`${server}\u0000`)) this.changed.delete(key)
  }

  /** Before the first answer of `kind`: waits for the relists the servers' changes asked for (bounded, see above). */
  async settle(kind: ListKind): Promise<void> {
    if (this.answered.has(kind) || this.changed.size === 0) return
    const waited = new Set<Promise<void>>()
    for (;;) {
      const running: { listing: Promise<void>; server: string }[] = []
      for (const [key, anchor] of this.changed) {
        const [server, k] = key.split("\u0000") as [string, ListKind]
        if (k !== kind || !this.d.waited(server)) continue
        this.d.relistNow(key)
        const listing = this.d.current(key)
        if (listing === undefined || waited.has(listing)) continue
        this.d.waits.joins(listing, anchor)
        waited.add(listing)
        running.push({ listing, server })
      }
      if (running.length === 0) return
      await this.d.waits.wait(running satisfies Waited[])
      // out of time: a change announced meanwhile is not waited for (it would be, at once, again)
      if (running.every((w) => this.d.waits.ranOut(w.listing))) return
    }
  }
}
