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
  /** Per server, the context of its latest tool call. */
  private readonly callers = new Map<string, CallContext>()
  private readonly clients = new Set<ClientLink>()
  private latest: ClientLink | undefined

  /** Hot path: a tool call was routed to `server` (one map write, no allocation). */
  called(server: string, ctx: CallContext, client: ClientLink): void {
    this.callers.set(server, ctx)
    this.latest = client
  }

  /**
   * A run_code script's call was routed to `server` (no client of its own: the questions the server
   * asks during it belong to the script, never to another connection's earlier call or the latest one).
   */
  calledFromScript(server: string, ctx: CallContext): void {
    this.callers.set(server, ctx)
  }

  /** The live call a request from `server` belongs to (`busy`: as `target`), if any. */
  callerOf(server: string, busy: boolean): CallContext | undefined {
    const ctx = busy ? this.callers.get(server) : undefined
    return ctx !== undefined && !(ctx.cancel?.aborted ?? ctx.signal.aborted) ? ctx : undefined
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
      for (const [server, ctx] of this.callers) if (ctx.client === client) this.callers.delete(server)
      if (this.latest === client) this.latest = [...this.clients].pop()
      onDetach(client)
    }
  }

  /** A downstream's log message, to every connection that takes them. */
  log(server: string, params: DownstreamLogParams): void {
    for (const c of this.clients) c.log?.(server, params)
  }

  forget(server: string): void {
    this.callers.delete(server)
  }

  /**
   * Where a request from `server` goes. `busy`: the server has calls in flight, so the request
   * belongs to its latest call (stdio downstreams carry no link between the two; the latest call wins).
   */
  target(server: string, busy: boolean): RelayTarget {
    return this.targetOf(busy ? this.callers.get(server) : undefined)
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

/** An answer of the client (a JSON-RPC error with a numeric code), as opposed to a failure to reach it. */
function isRpcAnswer(e: unknown): boolean {
  return typeof (e as { code?: unknown } | null)?.code === "number"
}
