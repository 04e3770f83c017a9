/**
 * @module http/transport
 * The transport between one MCP face and HTTP requests: a message from a POST goes to the face,
 * each answer goes to the `Reply` of the POST that carried its request, and what the face sends
 * while serving a request (progress, logs, a request to the client: tagged with `relatedRequestId`)
 * goes on that request's reply too. Anything else goes on the session's GET stream, if one is open.
 * Replaces the SDK's Streamable HTTP server transport: no zod pass over every message, JSON answers
 * unless a stream is needed.
 */
import { HTTP_CLIENTS, oversize, requestTooLarge } from "../mcp/index.ts"
import { droppedAsTooLarge, type ClientLimit, type Id, type Reply, type RpcMessage } from "./reply.ts"
import type { SseStream } from "./sse.ts"

export class HttpTransport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: never) => void
  sessionId?: string
  /** The reply waiting for each request's answer. */
  private readonly replies = new Map<Id, Reply>()
  /** The replies of the latest requests forgotten (`forget`: the client cancelled them), at most FORMER_KEPT. */
  private readonly former = new Map<Id, Reply>()
  private stream?: SseStream
  /**
   * Requests to the client that belong to no request of its still open, asked while no GET stream was
   * open (a downstream's `roots/list` right after the client's `notifications/initialized`: the SDK's
   * client opens its GET stream only once that notification was answered). Sent when a GET stream
   * opens; one the face gives up on (its timeout: `notifications/cancelled`) or the session closing
   * drops. Bounded by the face's own pending requests.
   */
  private readonly waiting = new Map<Id, string>()
  /**
   * List changes (`notifications/{tools,prompts,resources}/list_changed`) sent while no GET stream was
   * open, by method: sent when one opens. Before, they were dropped: a list that changed between a
   * client's initialize and its GET stream (servers still starting), or while that stream reconnected,
   * was never re-read (Cursor lists once per session), its tools missing for the whole session.
   * At most one per kind (each says the same thing).
   */
  private readonly changed = new Set<string>()
  /**
   * List changes written on a GET stream that the client has not listed since (its `tools/list`…
   * clears its kind): sent again on the next GET stream it opens. A client reconnects its stream when
   * the connection died (a network change, a machine asleep), and what was written on the dead one
   * before it was seen to drop never arrived: before, a list change so lost left that client with its
   * old list for the whole session (it lists again only when told).
   */
  private readonly told = new Set<string>()

  /** The session's GET stream (server-initiated messages). */
  get standalone(): SseStream | undefined {
    return this.stream
  }

  set standalone(s: SseStream | undefined) {
    this.stream = s
    if (!s || s.closed) return
    for (const method of this.changed) this.told.add(method)
    this.changed.clear()
    for (const method of this.told) s.send(`{"jsonrpc":"2.0","method":"${method}"}`)
    if (this.waiting.size === 0) return
    const held = [...this.waiting.values()]
    this.waiting.clear()
    for (const json of held) s.send(json)
  }
  /**
   * The 2024-11-05 HTTP+SSE transport (legacy-sse.ts): an answer no reply waits for is handed here
   * (it goes on the session's one stream); the Streamable HTTP sessions leave it unset (dropped).
   */
  unreplied?: (answer: RpcMessage) => void
  private closed = false

  constructor(
    /** The modern era: a request of the face toward the client is refused here, never written. */
    private readonly refuseRequests = false,
    /** `proxy.maxMessageBytes`: a request to the client over it is not sent and fails at once; a notification is dropped. */
    private readonly limit?: ClientLimit,
  ) {}

  async start(): Promise<void> {}

  /** Hands messages of one POST to the face; the answers to its requests go to `reply`. */
  receive(messages: readonly RpcMessage[], reply?: Reply): void {
    for (const m of messages) {
      if (reply && m.method !== undefined && m.id !== undefined && m.id !== null) this.replies.set(m.id, reply)
      const listed = m.method === undefined || this.told.size + this.changed.size === 0 ? undefined : LISTED_BY.get(m.method)
      if (listed !== undefined) {
        this.told.delete(listed)
        this.changed.delete(listed)
      }
      this.deliver(m)
    }
  }

  /** Feeds one message to the face as if the client had sent it. */
  deliver(m: RpcMessage): void {
    try {
      ;(this.onmessage as ((m: RpcMessage) => void) | undefined)?.(m)
    } catch (e) {
      this.onerror?.(e instanceof Error ? e : new Error(String(e)))
    }
  }

  /**
   * Request `id` is answered on `reply` outside the face (a tools/call in the lane): what the face
   * sends while serving it (a request to the client, tagged with its id) goes there too. `forget` it when done.
   */
  bind(id: Id, reply: Reply): void {
    this.replies.set(id, reply)
  }

  /** Is request `id` of this session waiting for its answer? */
  awaits(id: Id): boolean {
    return this.replies.has(id)
  }

  /** The reply waiting for request `id`'s answer, if any. */
  replyOf(id: Id): Reply | undefined {
    return this.replies.get(id)
  }

  /** Requests whose reply ended without their answer: their answers are dropped. */
  forget(ids: readonly Id[]): void {
    for (const id of ids) {
      const r = this.replies.get(id)
      if (r === undefined) continue
      this.replies.delete(id)
      // kept a while for the cancellation of a question asked on it (`send`: Reply.pushCancel)
      this.former.delete(id)
      this.former.set(id, r)
      if (this.former.size > FORMER_KEPT) this.former.delete(this.former.keys().next().value!)
    }
  }

  async send(message: RpcMessage, options?: { relatedRequestId?: Id }): Promise<void> {
    if (this.closed) return
    const id = message.id
    if (message.method === undefined && id !== undefined && id !== null) {
      const r = this.replies.get(id)
      if (r) {
        this.replies.delete(id)
        r.answer(id, message)
      } else this.unreplied?.(message)
      return
    }
    if (this.refuseRequests && message.method !== undefined && id !== undefined && id !== null) {
      // a 2026-07-28 client takes no server→client requests: the face gets a refusal at once, not a timeout
      return this.deliver({ jsonrpc: "2.0", id, error: { code: -32601, message: `${message.method} cannot be sent to a 2026-07-28 client` } })
    }
    const related = options?.relatedRequestId
    const r = related !== undefined ? this.replies.get(related) : undefined
    if (message.method !== undefined && id !== undefined && id !== null) {
      // a request to the client (a downstream's sampling, elicitation… relayed): over the limit it is
      // not sent and fails now (the SDK rejects the request with this), as on stdio
      const json = JSON.stringify(message)
      const over = this.limit === undefined ? undefined : oversize(json, this.limit.maxBytes)
      if (over !== undefined) throw requestTooLarge(message.method, over, this.limit!.maxBytes, HTTP_CLIENTS)
      if (r?.carriesMessages) return r.push(json)
      if (this.standalone && !this.standalone.closed) return this.standalone.send(json)
      // no call of the client carries it: it goes on the GET stream once the client opens one
      if (r === undefined) return void this.waiting.set(id, json)
      // nowhere to write it: the face hears so now, not at the request's timeout (the call hung)
      return this.deliver({ jsonrpc: "2.0", id, error: { code: -32603, message: undeliverable(message.method) } })
    }
    // the face gave up on a request the client never saw: neither is sent
    if (message.method === "notifications/cancelled" && this.waiting.delete((message.params as { requestId?: Id } | undefined)?.requestId as Id)) return
    // a notification: the reply checks its size (Reply.push)
    if (r && !r.ended) return r.push(message)
    // a withdrawn question of a call the client cancelled: on that call's stream, still open and read
    if (message.method === "notifications/cancelled" && related !== undefined && (r ?? this.former.get(related))?.pushCancel(message) === true) return
    if (!this.standalone || this.standalone.closed) {
      if (LIST_CHANGED.has(message.method!)) this.changed.add(message.method!)
      return
    }
    const json = JSON.stringify(message)
    if (this.limit !== undefined && droppedAsTooLarge(message, json, this.limit)) return
    if (LIST_CHANGED.has(message.method!)) this.told.add(message.method!)
    this.standalone.send(json, message)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.waiting.clear()
    this.former.clear()
    this.changed.clear()
    this.told.clear()
    this.standalone?.end()
    this.standalone = undefined
    this.replies.clear()
    this.onclose?.()
  }
}

/** The list change a client's request has caught up with (it lists that kind again). */
const LISTED_BY = new Map([
  ["tools/list", "notifications/tools/list_changed"],
  ["prompts/list", "notifications/prompts/list_changed"],
  ["resources/list", "notifications/resources/list_changed"],
])
/** The list changes a session's GET stream is owed when it opens (transport `changed`): those a list request catches up with. */
const LIST_CHANGED: ReadonlySet<string> = new Set(LISTED_BY.values())

/**
 * Why a request to the client could not be sent: the POST it belongs to takes JSON only (`Accept:
 * application/json`: an answer, nothing in between) or its stream is over, and no GET stream is open.
 */
function undeliverable(method: string): string {
  const why = "the client's request was sent with Accept: application/json only (its answer is one JSON body, with no room for a request of ours) or its stream ended"
  return `${method} could not be sent to the client: ${why}, and the session has no GET event stream open. Send Accept: application/json, text/event-stream (or open the GET stream) so requests such as elicitation, sampling and roots can reach the client`
}

/** How many cancelled requests' replies a session keeps for the cancellation of a question asked on one (`forget`). */
const FORMER_KEPT = 64
