/**
 * @module proxy/clients
 * The upstream client connections the proxy knows, and which one a downstream's request goes to:
 * the client of the call the downstream is serving, else the most recently active connection.
 */
import type { ClientSender } from "./relay.ts"
import type { CallContext, ClientLink, DownstreamLogParams } from "./types.ts"

export interface RelayTarget {
  client: ClientLink | undefined
  send: ClientSender | undefined
  /** "caller" (the client of a call in flight), "latest" (most recent connection) or "none". */
  via: "caller" | "latest" | "none"
}

export class ClientRegistry {
  /**
   * Per server, the context of its latest call a client made that is still in flight (a script's
   * never replaces it: `scriptCalls`); when it ends (`settled`), the latest of the others still in flight.
   */
  private readonly callers = new Map<string, CallContext>()
  /** Per server, the client calls in flight, oldest first (added by `called`, removed by `settled`). */
  private readonly clientCalls = new Map<string, Set<CallContext>>()
  /** Per server, the run_code script calls in flight (added by `calledFromScript`, removed by `scriptSettled`). */
  private readonly scriptCalls = new Map<string, Set<CallContext>>()
  private readonly clients = new Set<ClientLink>()
  private latest: ClientLink | undefined

  /** Hot path: a call of a client was routed to `server` (map writes; a set per server, made once). */
  called(server: string, ctx: CallContext, client: ClientLink): void {
    this.callers.set(server, ctx)
    this.latest = client
    let live = this.clientCalls.get(server)
    if (live === undefined) this.clientCalls.set(server, (live = new Set()))
    live.delete(ctx)
    live.add(ctx)
  }

  /**
   * A client's call to `server` (`called`) ended: a question the server asks from now on is not
   * its (qa354: before, the server's latest call stayed its callers' entry after it ended, and a
   * question asked during an earlier call still in flight, another client's, went to its client).
   */
  settled(server: string, ctx: CallContext): void {
    const live = this.clientCalls.get(server)
    if (live === undefined || !live.delete(ctx)) return
    if (this.callers.get(server) !== ctx) return
    let last: CallContext | undefined
    for (const c of live) last = c
    if (last !== undefined) this.callers.set(server, last)
    else this.callers.delete(server)
  }

  /**
   * A run_code script's call was routed to `server` (no client of its own: the questions the server
   * asks during it belong to the script, never to another connection's earlier call or the latest one).
   */
  calledFromScript(server: string, ctx: CallContext): void {
    let live = this.scriptCalls.get(server)
    if (live === undefined) this.scriptCalls.set(server, (live = new Set()))
    live.add(ctx)
  }

  /** A script's call to `server` (`calledFromScript`) ended. */
  scriptSettled(server: string, ctx: CallContext): void {
    const live = this.scriptCalls.get(server)
    if (live?.delete(ctx) && live.size === 0) this.scriptCalls.delete(server)
  }

  /**
   * The live call a request from `server` belongs to (`busy`: it has calls in flight; `inFlight`:
   * how many). A stdio server's question names no request of ours, so: a script's call only when
   * every call in flight there is a script's (its question is refused: nobody can answer it); when a
   * client's call is in flight beside them, that client's latest call (it can answer; before, the
   * latest call of either kind won, and a client's question was refused as a script's, or a script's
   * shown to a client). A question known to be its call's (a task's, one on a remote call's POST
   * stream, one naming the call in `_meta`) is routed before this (proxy `relayRequest`).
   */
  callerOf(server: string, busy: boolean, inFlight = 1): CallContext | undefined {
    if (!busy) return undefined
    const direct = live(this.callers.get(server))
    const scripts = this.scriptCalls.get(server)
    if (scripts === undefined) return direct
    let script: CallContext | undefined
    let count = 0
    for (const c of scripts) {
      if (live(c) === undefined) continue
      script ??= c
      count++
    }
    if (script === undefined) return direct
    return direct !== undefined && inFlight > count ? direct : script
  }

  /** `client` did something (subscribe, …): it is the most recently active connection. */
  active(client: ClientLink): void {
    if (this.clients.has(client)) this.latest = client
  }

  /** Register a connection; the returned function detaches it and then calls `onDetach`. */
  attach(client: ClientLink, onDetach: (client: ClientLink) => void): () => void {
    this.clients.add(client)
    this.latest = client
    return () => {
      if (!this.clients.delete(client)) return
      for (const live of this.clientCalls.values()) for (const c of live) if (c.client === client) live.delete(c)
      for (const [server, ctx] of this.callers) if (ctx.client === client) this.callers.delete(server)
      if (this.latest === client) this.latest = [...this.clients].pop()
      onDetach(client)
    }
  }

  /** `client` is still connected (attached and not detached). */
  has(client: ClientLink): boolean {
    return this.clients.has(client)
  }

  /** A downstream's log message, to every connection that takes them. */
  log(server: string, params: DownstreamLogParams): void {
    for (const c of this.clients) c.log?.(server, params)
  }

  forget(server: string): void {
    this.callers.delete(server)
    this.clientCalls.delete(server)
    this.scriptCalls.delete(server)
  }

  /**
   * Where a request from `server` goes. `busy`: the server has calls in flight, so the request
   * belongs to its latest call (stdio downstreams carry no link between the two; the latest call wins).
   */
  target(server: string, busy: boolean, inFlight = 1): RelayTarget {
    return this.targetOf(this.callerOf(server, busy, inFlight))
  }

  /**
   * Where a request that belongs to the call `ctx` goes (a request naming a task run for that call:
   * proxy/task-call): its client while the call is live, else the most recent connection.
   */
  targetOf(ctx: CallContext | undefined): RelayTarget {
    const caller = ctx !== undefined && !(ctx.cancel?.aborted ?? ctx.signal.aborted) && ctx.client !== undefined && this.clients.has(ctx.client) ? ctx.client : undefined
    const client = caller ?? this.latest
    if (!client) return { client: undefined, send: undefined, via: "none" }
    const viaClient: ClientSender = (m, p, o) => client.request(m, p, o)
    if (!caller || !ctx?.request) return { client, send: viaClient, via: caller ? "caller" : "latest" }
    // The call's own channel (e.g. its HTTP stream); the connection when that channel is gone.
    const send: ClientSender = (m, p, o) => ctx.request!(m, p, o).catch((e: unknown) => (isRpcAnswer(e) ? Promise.reject(e) : viaClient(m, p, o)))
    return { client, send, via: "caller" }
  }
}

/** `ctx` while its call is not cancelled. */
function live(ctx: CallContext | undefined): CallContext | undefined {
  return ctx !== undefined && !(ctx.cancel?.aborted ?? ctx.signal.aborted) ? ctx : undefined
}

/** An answer of the client (a JSON-RPC error with a numeric code), as opposed to a failure to reach it. */
function isRpcAnswer(e: unknown): boolean {
  return typeof (e as { code?: unknown } | null)?.code === "number"
}
