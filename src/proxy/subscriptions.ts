/**
 * @module proxy/subscriptions
 * Resource subscriptions of upstream clients, per URI: one downstream `resources/subscribe` per URI
 * whatever the number of clients, `notifications/resources/updated` fanned out to subscribed clients.
 * Era-blind: a legacy client's `resources/subscribe` and a 2026-07-28 client's
 * `subscriptions/listen` `resourceSubscriptions` (one `ClientLink` per listen, mcp/listen) land
 * here alike; toward a modern downstream the pool turns the subscribe into a listen of its own.
 * Updates of one URI go out at most UPDATES_PER_SECOND times a second (the latest of each interval:
 * an update only says "read it again"), however fast its server sends them. A URI subscribed at one
 * server and then at another (it moved: the lists changed) is held at the new one for all its clients.
 */
import { errorMessage, type Logger } from "../core/index.ts"
import { LatestOnly, UPDATES_PER_SECOND } from "./latest-only.ts"
import type { ClientLink } from "./types.ts"

/** URIs whose last update is remembered (for its rate); past it, the idle ones are forgotten. */
const UPDATE_RATES_KEPT = 256

interface Subscription {
  server: string
  clients: Set<ClientLink>
}

/** Sends one `resources/subscribe` or `resources/unsubscribe` to a downstream server. */
export type SubscriptionSender = (server: string, method: "resources/subscribe" | "resources/unsubscribe", uri: string, signal?: AbortSignal) => Promise<void>

export class ResourceSubscriptions {
  private readonly subs = new Map<string, Subscription>()
  /** Per URI, the clients whose subscribe is being sent to the downstream; one that unsubscribes or goes away meanwhile is taken out. */
  private readonly asking = new Map<string, Set<ClientLink>>()
  /** The rate of updates of each URI (one waits while its interval runs). */
  private readonly updates = new Map<string, LatestOnly<Record<string, unknown>>>()

  constructor(
    private readonly send: SubscriptionSender,
    private readonly log: Logger,
  ) {}

  /**
   * Subscribe `client` to `uri` owned by `server`; the downstream is asked only for the first client.
   * A client that unsubscribes or goes away while the downstream is asked is not subscribed when it
   * answers, and the downstream is unsubscribed again unless another client holds the URI there
   * (before, it was added after its detach or unsubscribe: updates went on to a client that had
   * unsubscribed, and the downstream stayed subscribed, and started, for nobody).
   */
  async subscribe(server: string, uri: string, client: ClientLink, signal?: AbortSignal): Promise<void> {
    const known = this.subs.get(uri)
    if (known && known.server === server) {
      known.clients.add(client)
      return
    }
    let asking = this.asking.get(uri)
    if (asking === undefined) this.asking.set(uri, (asking = new Set()))
    asking.add(client)
    let still: boolean
    try {
      await this.send(server, "resources/subscribe", uri, signal)
    } finally {
      still = asking.delete(client)
      if (asking.size === 0 && this.asking.get(uri) === asking) this.asking.delete(uri)
    }
    const now = this.subs.get(uri)
    if (!still) {
      if (!now || now.server !== server) {
        await this.send(server, "resources/unsubscribe", uri).catch((e: unknown) => this.log.debug("unsubscribe of a subscription nobody holds failed", { server, uri, error: errorMessage(e) }))
      }
      return
    }
    if (now && now.server === server) now.clients.add(client)
    else {
      // the URI moved to another server (the lists changed): its clients go along, the old server is let go
      this.subs.set(uri, { server, clients: new Set([...(now?.clients ?? []), client]) })
      if (now) void this.send(now.server, "resources/unsubscribe", uri).catch((e: unknown) => this.log.debug("unsubscribe at the URI's former server failed", { server: now.server, uri, error: errorMessage(e) }))
    }
  }

  /** Unsubscribe `client`; the downstream is unsubscribed when no client is left. */
  async unsubscribe(uri: string, client: ClientLink, signal?: AbortSignal): Promise<void> {
    // a subscribe of it under way ends unsubscribed (subscribe)
    this.asking.get(uri)?.delete(client)
    const sub = this.subs.get(uri)
    if (!sub || !sub.clients.delete(client) || sub.clients.size > 0) return
    this.subs.delete(uri)
    this.forgetUpdates(uri)
    await this.send(sub.server, "resources/unsubscribe", uri, signal)
  }

  /** A client went away: drop its subscriptions (unsubscribing downstream in the background). */
  detach(client: ClientLink): void {
    for (const asking of this.asking.values()) asking.delete(client)
    for (const uri of [...this.subs.keys()]) {
      if (this.subs.get(uri)?.clients.has(client)) {
        this.unsubscribe(uri, client).catch((e: unknown) => this.log.debug("unsubscribe after client detach failed", { uri, error: errorMessage(e) }))
      }
    }
  }

  /** A downstream notification: forward it to the clients subscribed to its URI. False if nobody is. */
  updated(server: string, params: Record<string, unknown> | undefined): boolean {
    const uri = params?.uri
    const sub = typeof uri === "string" ? this.subs.get(uri) : undefined
    if (!sub || sub.server !== server) return false
    let rate = this.updates.get(uri as string)
    if (rate === undefined) {
      if (this.updates.size >= UPDATE_RATES_KEPT) this.sweepUpdates()
      rate = new LatestOnly(UPDATES_PER_SECOND, (out) => this.fanOut(uri as string, server, out))
      this.updates.set(uri as string, rate)
    }
    rate.push(withoutSubscriptionId(params!))
    return true
  }

  /** One update to every client subscribed to `uri` at `server` now. */
  private fanOut(uri: string, server: string, out: Record<string, unknown>): void {
    const sub = this.subs.get(uri)
    if (!sub || sub.server !== server) return
    for (const c of sub.clients) c.notify("notifications/resources/updated", out).catch(() => {})
  }

  private forgetUpdates(uri: string): void {
    this.updates.get(uri)?.cancel()
    this.updates.delete(uri)
  }

  /** Forgets the URIs with no update waiting and none within their interval. */
  private sweepUpdates(): void {
    const now = performance.now()
    for (const [uri, rate] of this.updates) if (rate.idle(now)) this.updates.delete(uri)
  }

  /** Every URI subscribed (as its server listed it). */
  uris(): IterableIterator<string> {
    return this.subs.keys()
  }

  /** URIs subscribed at `server` (re-subscribed after the server restarts). */
  urisOf(server: string): string[] {
    const out: string[] = []
    for (const [uri, s] of this.subs) if (s.server === server) out.push(uri)
    return out
  }

  /**
   * A server renamed by a config reload (the same program under a new name): its subscriptions are
   * held at the new name, whose start subscribes them again (proxy onReady), as a restart's does.
   */
  moveServer(from: string, to: string): void {
    for (const uri of this.urisOf(from)) {
      this.subs.get(uri)!.server = to
      this.forgetUpdates(uri)
    }
  }

  /** A server was removed: its subscriptions end. */
  dropServer(server: string): void {
    for (const uri of this.urisOf(server)) {
      this.subs.delete(uri)
      this.forgetUpdates(uri)
    }
  }

  get size(): number {
    return this.subs.size
  }
}

const SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId"

/** A modern downstream tags its update with its listen's id: ours toward the server, meaningless to our clients. */
function withoutSubscriptionId(params: Record<string, unknown>): Record<string, unknown> {
  const meta = params._meta as Record<string, unknown> | undefined
  if (meta === undefined || !(SUBSCRIPTION_ID in meta)) return params
  const { [SUBSCRIPTION_ID]: _, ...rest } = meta
  const { _meta: __, ...out } = params
  return Object.keys(rest).length > 0 ? { ...out, _meta: rest } : out
}
