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
 * came (its start's). After the first answer of a kind, changes are announced to the client as before.
 * What one server's changes can add is bounded by a count too: at most MAX_EARLY_LISTINGS of its
 * listings of a kind are waited for before the first answer of that kind (the one under way when it
 * changed, and the relists its changes asked for), then no more, said once per server and kind. A
 * server that sends `list_changed` nonstop from its start (hostile or buggy) held every client's first
 * answer, for all servers, one whole `listWait` (5.7 s against 0.9 s without it); now that answer comes
 * about as fast as without it, complete for the others, with that server's last listing waited for.
 */
import type { Logger } from "../core/index.ts"
import type { ListWaits, Waited } from "./list-waits.ts"
import type { ListKind } from "./types.ts"

/** Listings of one server and kind a first answer waits for on account of its changes (the one under way, two relists). */
export const MAX_EARLY_LISTINGS = 3

export interface EarlyChangesDeps {
  waits: ListWaits
  log: Logger
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
  /** Per `server\0kind`: its listings waited for before the first answer of its kind (MAX_EARLY_LISTINGS). */
  private readonly listings = new Map<string, number>()
  /** The `server\0kind`s whose bound was said. */
  private readonly said = new Set<string>()

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
    for (const key of this.listings.keys()) if (key.endsWith(`\u0000${kind}`)) this.listings.delete(key)
  }

  /** The server was removed. */
  forget(server: string): void {
    for (const key of this.changed.keys()) if (key.startsWith(`${server}\u0000`)) this.changed.delete(key)
    for (const key of this.listings.keys()) if (key.startsWith(`${server}\u0000`)) this.listings.delete(key)
    for (const key of this.said) if (key.startsWith(`${server}\u0000`)) this.said.delete(key)
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
        // its changes asked for as many listings as a first answer waits for: no more (said once)
        const count = this.listings.get(key) ?? 0
        if (count >= MAX_EARLY_LISTINGS) {
          this.bounded(key, server, kind)
          continue
        }
        this.d.relistNow(key)
        const listing = this.d.current(key)
        if (listing === undefined || waited.has(listing)) continue
        this.d.waits.joins(listing, anchor)
        waited.add(listing)
        this.listings.set(key, count + 1)
        running.push({ listing, server })
      }
      if (running.length === 0) return
      await this.d.waits.wait(running satisfies Waited[])
      // out of time: a change announced meanwhile is not waited for (it would be, at once, again)
      if (running.every((w) => this.d.waits.ranOut(w.listing))) return
    }
  }

  /** `server` changed `kind` past MAX_EARLY_LISTINGS before its first answer: its changes hold it no more (said once). */
  private bounded(key: string, server: string, kind: ListKind): void {
    if (this.said.has(key)) return
    this.said.add(key)
    this.d.log.warn("server keeps announcing list changes before the first answer: that answer waits for no more of its listings", {
      server,
      kind,
      listings: MAX_EARLY_LISTINGS,
      remedy: `Fix or update the server: it sends notifications/${kind}/list_changed again and again; its later changes reach the client as list_changed.`,
    })
  }
}
