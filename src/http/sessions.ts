/**
 * @module http/sessions
 * The legacy (2025-11-25 and earlier) era of Streamable HTTP: stateful sessions, one McpFace +
 * `HttpTransport` per session, random UUID ids bound to the caller's credential, 404 for unknown
 * ids, idle expiry (not while the session's GET stream is open; a second GET replaces the first), a bounded table (full: the least recently used idle session is closed to make room;
 * 503 only when every session has a request in flight; an open GET stream alone does not make a session
 * busy: a client that went away without DELETE may leave one open), a GET stream for server-initiated messages, DELETE, resumable POST streams
 * (priming event, event ids, `GET` + `Last-Event-ID`; resume.ts), and a client that dropped a call's
 * stream and did not resume within the grace turned into `notifications/cancelled` so the downstream
 * call is aborted. At shutdown, what is still in flight when the grace ends is cancelled the same way
 * and answered with the shutdown's error (`endInFlight`); a session closed under its requests (DELETE)
 * ends them likewise, with SESSION_CLOSED. Sessions of the 2024-11-05 HTTP+SSE
 * transport (`openSse`, `postSse`; legacy-sse.ts) live in the same table: one stream carries every answer.
 */
import { randomUUID } from "node:crypto"
import { answerableId, clientDrops, errorMessage, formatDuration, JsonBytes, OrchestratorError, RawJson, type Logger } from "../core/index.ts"
import { toolErrorResult, type McpFace } from "../mcp/index.ts"
import { ACCEPTED_PROTOCOL_VERSIONS } from "../pool/index.ts"
import { callParams, errorAnswer, HttpCall, resultAnswer } from "./call.ts"
import { acceptOf, InFlight, Reply, replyHeaders, type ClientLimit, type EndInFlight, type Id, type ReplyHeaders, type RpcMessage, type StopError } from "./reply.ts"
import { DEFAULT_RESUME, ResumeStore, type ResumeLimits } from "./resume.ts"
import { SseStream } from "./sse.ts"
import { HttpTransport } from "./transport.ts"
import { LegacySseLink } from "./legacy-sse.ts"
import { ClientGone } from "./gone.ts"
import { clipped } from "./echo.ts"
import { EvictionLog } from "./evicted.ts"

export interface SessionOptions {
  createFace(): McpFace
  log: Logger
  /** Sessions with no request for this long are closed, an open GET stream with them (ms, 0 = never). */
  idleTtlMs: number
  /** Sessions kept open (default 256); a new one past it closes the least recently used idle one. */
  maxSessions?: number
  /** SSE keep-alive comment interval (ms); keeps streams open past the server's idle timeout. */
  keepAliveMs?: number
  /** Resumable streams: retry interval, grace after a drop, buffer caps (defaults: DEFAULT_RESUME). */
  resume?: Partial<ResumeLimits>
  /** `proxy.maxMessageBytes`: no message over it is written to a client (http/reply, mcp/client-limit). */
  limit?: ClientLimit
}

/** Protocol versions a legacy session speaks (the `MCP-Protocol-Version` header is checked against them). */
const LEGACY_VERSIONS = new Set(ACCEPTED_PROTOCOL_VERSIONS)
/** A call with no answer yet after this long is answered as a stream (keep-alives, visible progress). */
const STREAM_AFTER_MS = 250

interface Entry {
  id: string
  face: McpFace
  transport: HttpTransport
  owner: string
  lastSeen: number
  /**
   * POSTs being answered (requests in progress, their streams); a busy session never expires nor is
   * evicted. The GET stream is not counted: it stays open for as long as the client's socket does
   * (an editor or inspector tab left open, a half-open connection), and would pin the session forever.
   */
  active: number
  /** This session's POSTs being answered, each with how it is ended: a session closed under them (DELETE) answers them. */
  ends: InFlight
  closed: boolean
  /** tools/call requests served in the lane, by id (a client's notifications/cancelled finds them here). */
  calls: Map<Id, HttpCall>
  /** The session's resumable POST streams; `priming` when the version negotiated at initialize is 2025-11-25 or later. */
  resume: { store: ResumeStore; priming: boolean }
  /** Response headers with the session id, made once. */
  headers: ReplyHeaders
  /** Set while its initialize is answered (called as its reply ends): no session is evicted for it until it succeeded (`settleInit`). */
  initializing?: () => void
  /** Set for a session of the 2024-11-05 HTTP+SSE transport (GET /sse): its one stream carries every answer. */
  sse?: LegacySseLink
}

/** The first revision whose clients take a priming event (an SSE event with empty data); also the face's latest. */
const PRIMING_FROM = "2025-11-25"

/**
 * What a legacy HTTP+SSE client (protocol 2024-11-05: GET an event stream, read its `endpoint`
 * event, POST there) is told, at a GET /mcp without a session and at /sse or /messages: the
 * endpoint speaks Streamable HTTP only, and how to pick that transport in common clients.
 */
export const NO_LEGACY_SSE =
  "this endpoint speaks MCP Streamable HTTP (POST initialize to /mcp first); a client of the legacy HTTP+SSE transport (protocol 2024-11-05: a GET stream with an endpoint event) connects to /sse instead (/mcp/t/<toolset>/sse for a toolset), or picks its Streamable HTTP transport (mcp-remote: --transport http-only; Vercel AI SDK: transport type \"http\"; MCP Inspector: --transport http)"

/** Session ids of HTTP+SSE sessions whose stream ended, remembered (the latest ones) so a late POST hears why. */
const ENDED_KEPT = 1024

/** 404 for a Streamable HTTP session id we do not hold: why it ended when we remember it, else what may have happened. */
function sessionNotFound(ended: { why: string; sse: boolean } | undefined, sse = false): Response {
  const why = sse
    ? "that id is a session of the HTTP+SSE transport (GET /sse), whose messages are POSTed to its /messages?sessionId=… URL, not /mcp"
    : ended && !ended.sse
      ? `it was closed (${ended.why})`
      : "this process never issued that id or no longer remembers it (sessions do not survive a restart of the orchestrator)"
  return jsonRpcError(404, -32001, `Session not found: ${why}; initialize a new session`)
}

export function jsonRpcError(status: number, code: number, message: string, id: Id | null = null, data?: unknown): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message, ...(data !== undefined ? { data } : {}) }, id }), {
    status,
    headers: { "content-type": "application/json" },
  })
}

/** Expired sessions said one by one per sweep; the rest of that sweep's are counted in one line. */
const EXPIRED_LINES = 5

export class McpSessions implements AsyncDisposable {
  private readonly sessions = new Map<string, Entry>()
  private readonly sweeper?: ReturnType<typeof setInterval>
  private readonly keepAliveMs: number
  private readonly resumeLimits: ResumeLimits
  /** POSTs whose requests are being served (the shutdown waits for them, then ends them). */
  private readonly inflight = new InFlight()
  /** Notifications a client did not read fast enough are counted in a warning every few seconds. */
  private readonly unwatch: () => void
  /** A legacy HTTP+SSE client was logged about (once: its user reads our log, its own error shows no body). */
  private legacySseLogged = false
  /**
   * Sessions ended, the latest `ENDED_KEPT`, with why: a POST to an HTTP+SSE one is 410 saying so, not
   * 404; a request to a Streamable HTTP one is 404 (as the spec says) saying why (evicted, expired,
   * deleted), where it only said "Session not found" before.
   */
  private readonly ended = new Map<string, { why: string; sse: boolean }>()
  /** A client that went away before its answers is said in the log. */
  private readonly gone: ClientGone
  /** Evictions are said in the log, a few a second (a client opening sessions in a loop does not flood it). */
  private readonly evictions: EvictionLog

  constructor(private readonly opts: SessionOptions) {
    this.unwatch = clientDrops.watch(opts.log)
    this.gone = new ClientGone(opts.log)
    this.evictions = new EvictionLog(opts.log)
    this.keepAliveMs = opts.keepAliveMs ?? 15_000
    this.resumeLimits = { ...DEFAULT_RESUME, ...opts.resume }
    if (opts.idleTtlMs > 0) {
      this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.min(opts.idleTtlMs / 2, 60_000)))
      this.sweeper.unref?.()
    }
  }

  get size(): number {
    return this.sessions.size
  }

  has(id: string): boolean {
    return this.sessions.has(id)
  }

  /** POSTs with requests still being served. */
  get inFlight(): number {
    return this.inflight.size
  }

  /**
   * Shutdown: every request still in flight is cancelled (the face's handler and the downstream get
   * `notifications/cancelled`) and answered now with `stop`'s error, on its own POST's reply.
   */
  endInFlight(stop: StopError): void {
    this.inflight.endAll(stop)
  }

  /** What the resume buffers of all sessions hold (messages, JSON characters). */
  resumeStats(): { streams: number; events: number; bytes: number } {
    const t = { streams: 0, events: 0, bytes: 0 }
    for (const e of this.sessions.values()) {
      const s = e.resume.store.stats
      t.streams += s.streams
      t.events += s.events
      t.bytes += s.bytes
    }
    return t
  }

  /** Handles POST/GET/DELETE /mcp. `owner` identifies the credential the session is bound to. */
  async handle(req: Request, body: unknown, owner: string): Promise<Response> {
    const sid = req.headers.get("mcp-session-id")
    const messages = (Array.isArray(body) ? body : body === undefined ? [] : [body]) as RpcMessage[]
    const initialize = req.method === "POST" && messages.some((m) => m.method === "initialize")
    // `initialize` is a request: sent as a notification (no id) it opened a session nobody learnt the id of (a 202), evicting another client's
    if (initialize && !sid && messages.some((m) => m.method === "initialize" && (m.id === undefined || m.id === null))) {
      return jsonRpcError(400, -32600, "Invalid Request: initialize is a request and needs an id; no session was opened")
    }
    let entry: Entry | undefined
    if (sid) {
      entry = this.sessions.get(sid)
      // an HTTP+SSE session's id is no Streamable HTTP session
      if (!entry || entry.owner !== owner || entry.sse) return sessionNotFound(entry ? undefined : this.ended.get(sid), entry?.sse !== undefined && entry.owner === owner)
      if (initialize) return jsonRpcError(400, -32600, "Invalid Request: the session is already initialized", answerableId(messages[0]) ?? null)
      const version = req.headers.get("mcp-protocol-version")
      if (version !== null && !LEGACY_VERSIONS.has(version)) return jsonRpcError(400, -32000, `Bad Request: unsupported protocol version ${clipped(version)} (supported: ${[...LEGACY_VERSIONS].join(", ")})`)
    } else if (initialize) {
      if (messages.length > 1) return jsonRpcError(400, -32600, "Invalid Request: initialize must be sent alone")
      // no session is evicted for an initialize that may fail: room is made once it succeeded (`settleInit`)
      const full = this.makeRoom(false)
      if (full) return full
      entry = await this.open(owner, messages[0]!.params?.protocolVersion)
    } else {
      // a GET without a session is what a legacy HTTP+SSE client (2024-11-05) opens first: say which transport to pick
      if (req.method === "GET" && !this.legacySseLogged) {
        this.legacySseLogged = true
        this.opts.log.warn("GET without a session refused: a legacy HTTP+SSE client?", { hint: NO_LEGACY_SSE })
      }
      return jsonRpcError(400, -32000, req.method === "GET" ? `Bad Request: Mcp-Session-Id header is required; ${NO_LEGACY_SSE}` : "Bad Request: Mcp-Session-Id header is required (initialize first)")
    }
    entry.lastSeen = performance.now()
    try {
      if (req.method === "GET") return this.stream(entry, req)
      if (req.method === "DELETE") {
        this.close(entry, "the client ended it with DELETE")
        return new Response(null, { status: 200 })
      }
      return this.post(entry, req, messages, Array.isArray(body), initialize)
    } catch (e) {
      this.opts.log.warn("mcp request failed", { error: errorMessage(e) })
      return jsonRpcError(500, -32603, "Internal error")
    }
  }

  /**
   * Room for one more session: undefined, or the 503 when every open session is busy. `evict` false
   * only checks that an idle session could be evicted (the caller evicts once its session is sure).
   */
  private makeRoom(evict = true): Response | undefined {
    this.sweep()
    const max = this.opts.maxSessions ?? 256
    if (this.sessions.size >= max && !(evict ? this.evictIdle(max) : this.lru() !== undefined)) {
      return jsonRpcError(503, -32000, `Too many open sessions (${max}), every one busy with a request in flight; close one (DELETE /mcp, or close an /sse stream) or retry later`)
    }
    return undefined
  }

  /**
   * GET /sse (2024-11-05 HTTP+SSE transport): a new session whose one stream this is. Its first event
   * names where the client POSTs (`endpoint`: `<messagesPath>?sessionId=<id>`); the session ends
   * with the stream (requests in flight are cancelled downstream).
   */
  async openSse(req: Request, owner: string, messagesPath: string): Promise<Response> {
    // MCP-Protocol-Version on a GET /sse is either a new client that sends it on every request (the
    // Vercel AI SDK's `type: "sse"` transport, from its first GET) or a client whose session ended
    // reconnecting its event stream (the SDK's SSE client: its EventSource reconnects on its own, and
    // it sends the header once initialized). A session is not resumed (the reconnect names none: no
    // Last-Event-ID, our events carry no ids), so the reconnect gets a new, uninitialized session: its
    // requests are refused saying so (postSse: "never initialized … reconnect the client"). What such
    // a request must not do is evict another client's session: in a full table it is refused (409,
    // EventSource does not retry a non-200 answer, and the client's POSTs to its old session are 410
    // with why it ended), never made room for. Before, every such GET was 409: the AI SDK's SSE
    // transport could not connect at all.
    const version = req.headers.get("mcp-protocol-version")
    if (version !== null && this.sessions.size >= (this.opts.maxSessions ?? 256)) {
      this.opts.log.info("http+sse reconnect refused: the session table is full, and a client reconnecting its stream evicts nobody", { protocolVersion: version.slice(0, 40) })
      return jsonRpcError(409, -32000, `Conflict: GET ${messagesPath.replace(/messages$/, "sse")} with MCP-Protocol-Version while every session is taken: a client reconnecting its event stream after its session ended makes no room; reconnect the client (a new GET without MCP-Protocol-Version, then initialize)`)
    }
    const full = this.makeRoom()
    if (full) return full
    const e = await this.open(owner, undefined)
    const stream = new SseStream(this.keepAliveMs, () => this.close(e, "the client closed the event stream"), req.signal)
    e.sse = new LegacySseLink(stream, e.transport, {
      inflight: this.inflight,
      busy: (delta) => {
        e.active += delta
        e.lastSeen = performance.now()
      },
      ...(this.opts.limit !== undefined ? { limit: this.opts.limit } : {}),
    })
    stream.raw(`event: endpoint\ndata: ${messagesPath}?sessionId=${e.id}\n\n`)
    this.opts.log.debug("http+sse session opened", { session: e.id.slice(0, 8) })
    return new Response(stream.body, { status: 200, headers: e.headers.sse })
  }

  /**
   * POST /messages?sessionId=… (2024-11-05 HTTP+SSE transport): one JSON-RPC message of that session,
   * 202 Accepted; its answer goes on the session's stream.
   */
  postSse(sid: string | null, body: unknown, owner: string, ssePath: string): Response {
    if (!sid) return jsonRpcError(400, -32000, `Bad Request: the sessionId query parameter is required (the endpoint event of GET ${ssePath} names the URL to POST to)`)
    const e = this.sessions.get(sid)
    if (!e?.sse || e.owner !== owner || !e.sse.open) {
      const ended = this.ended.get(sid)
      const why = (ended?.sse ? ended.why : undefined) ?? (e?.sse ? "the stream ended" : undefined)
      if (why !== undefined) return jsonRpcError(410, -32001, `Session gone: its event stream closed (${why}; the session ended with it); reconnect the client: open a new session with GET ${ssePath}`)
      return jsonRpcError(404, -32001, `Session not found; open a new session with GET ${ssePath}`)
    }
    if (Array.isArray(body)) return jsonRpcError(400, -32600, "Invalid Request: the HTTP+SSE transport takes one JSON-RPC message per POST, not a batch")
    const m = body as RpcMessage
    if (m.method !== undefined && m.id !== undefined && m.id !== null && !e.sse.initialized && m.method !== "initialize" && m.method !== "ping") {
      // what a client whose stream reconnected on its own (without MCP-Protocol-Version: not refused at the GET) sends next
      return jsonRpcError(400, -32600, `Invalid Request: this HTTP+SSE session was never initialized (initialize comes first). A client gets such a session when its event stream reconnected on its own after its session ended (evicted from a full table, the connection dropped, the orchestrator restarted): a session ends with its stream and is not resumed; reconnect the client (a new GET ${ssePath}, then initialize)`, m.id)
    }
    if (m.method !== undefined && m.id !== undefined && m.id !== null && e.sse.awaits(m.id)) {
      return jsonRpcError(400, -32600, `Invalid Request: id ${JSON.stringify(m.id)} is already in use by a request of this session still in progress (request ids must be unique among a client's outstanding requests); this request was not served`, m.id)
    }
    e.lastSeen = performance.now()
    e.sse.receive(m)
    return new Response("Accepted", { status: 202, headers: { "content-type": "text/plain" } })
  }

  private post(e: Entry, req: Request, messages: RpcMessage[], batch: boolean, initialize: boolean): Response | Promise<Response> {
    const ids: Id[] = []
    for (const m of messages) if (m.method !== undefined && m.id !== undefined && m.id !== null) ids.push(m.id)
    // JSON-RPC: a requester's ids are unique among its outstanding requests. A request reusing the id
    // of one this session is still serving is refused (the whole POST, as for any invalid message); the first keeps running.
    for (const id of ids) {
      // one look-up: lane calls are bound in the transport too
      if (e.transport.awaits(id)) return jsonRpcError(400, -32600, `Invalid Request: id ${JSON.stringify(id)} is already in use by a request of this session still in progress (request ids must be unique among a client's outstanding requests); ${batch ? "this batch was" : "this request was"} not served`, batch ? null : id)
    }
    if (!batch && ids.length === 1 && messages[0]!.method === "tools/call") return this.call(e, req, messages[0]!, ids[0]!)
    // notifications among them (alone, or in a batch with requests): a cancellation ends its request here
    if (ids.length !== messages.length) this.cancellations(e, messages)
    if (ids.length === 0) {
      // notifications and answers to our requests: accepted, nothing to wait for
      e.transport.receive(messages)
      return new Response(null, { status: 202, headers: { "mcp-session-id": e.id } })
    }
    // a new session's initialize: its answer is handed over once it is known (a stream's too), with no session id if it failed
    const settled = initialize ? new Promise<void>((r) => (e.initializing = r)) : undefined
    const reply = this.reply(
      e,
      req,
      ids,
      batch,
      (pending) => {
        e.transport.forget(pending)
        if (!e.closed) for (const id of pending) cancelRequest(e, id)
      },
      (stop) => {
        const left = reply.pending
        e.transport.forget(left)
        for (const id of left) {
          if (!e.closed) cancelRequest(e, id, "the orchestrator is shutting down")
          const tool = messages.find((m) => m.id === id)?.method === "tools/call"
          const err = stop(false, tool)
          reply.answer(id, tool ? resultAnswer(JSON.stringify(id), toolErrorResult(err)) : errorAnswer(id, err))
        }
      },
      messages,
    )
    e.transport.receive(messages, reply)
    if (!initialize) return reply.response
    // a rejected initialize leaves no session behind (`settleInit`, run as its reply ends): its answer names none
    return Promise.all([reply.response, settled]).then(([res]) => {
      if (!e.closed || !res.headers.has("mcp-session-id")) return res
      const headers = new Headers(res.headers)
      headers.delete("mcp-session-id")
      return new Response(res.body, { status: res.status, headers })
    })
  }

  /** The client's `notifications/cancelled` in a POST: each request it names is no longer outstanding. */
  private cancellations(e: Entry, messages: readonly RpcMessage[]): void {
    for (const m of messages) {
      // a notification only: a request by that name (it has an id) cancels nothing, it is Method not found
      const target = m.method === "notifications/cancelled" && m.id === undefined ? (m.params?.requestId as Id | undefined) : undefined
      if (target === undefined) continue
      // no longer outstanding: nothing is answered for it, and its id may be used again
      const c = e.calls.get(target)
      if (c !== undefined) {
        e.calls.delete(target)
        c.cancel.abort(new Error(m.params?.reason ? `cancelled by client: ${String(m.params.reason)}` : "cancelled by client"))
      }
      const reply = e.transport.replyOf(target)
      e.transport.forget([target])
      // nothing is written for it: its POST's reply is over once nothing else is pending (session not busy, not in flight)
      reply?.withdraw(target)
    }
  }

  /**
   * tools/call in the lane: straight to the face (no protocol dispatch, a downstream's result text written
   * as it came); progress and requests to the client go on the call's own stream.
   */
  private call(e: Entry, req: Request, m: RpcMessage, id: Id): Response | Promise<Response> {
    const p = callParams(m.params)
    if ("error" in p) return jsonRpcError(200, p.error.code, p.error.message, id)
    let ctx: HttpCall | undefined
    const reply = this.reply(
      e,
      req,
      [id],
      false,
      () => ctx?.cancel.abort(new Error("client disconnected")),
      (stop) => {
        const err = stop(false, true)
        // cancelled first (the downstream is sent notifications/cancelled), so the call's own outcome is dropped
        ctx?.cancel.abort(err)
        if (e.calls.get(id) === ctx) {
          e.calls.delete(id)
          e.transport.forget([id])
        }
        reply.answer(id, resultAnswer(typeof id === "number" ? String(id) : JSON.stringify(id), toolErrorResult(err)))
      },
      [m],
    )
    const c = (ctx = new HttpCall(e.face.link, reply, (m.params?._meta as { progressToken?: string | number } | undefined)?.progressToken, m.params?._meta).onStreamOf(e.face, id))
    e.calls.set(id, c)
    // the face's requests to the client while serving it (sampling, elicitation, roots) go on this reply
    e.transport.bind(id, reply)
    const done = (): void => {
      if (e.calls.get(id) !== c) return
      e.calls.delete(id)
      e.transport.forget([id])
    }
    e.face.callTool(p.name, p.args, c).then(
      (result) => {
        done()
        if (!c.cancel.aborted) reply.answer(id, resultAnswer(typeof id === "number" ? String(id) : JSON.stringify(id), result))
        else if (result instanceof RawJson && result.json instanceof JsonBytes) result.json.release()
      },
      (err: unknown) => {
        done()
        if (!c.cancel.aborted) reply.answer(id, errorAnswer(id, err))
      },
    )
    return reply.response
  }

  /**
   * The reply to a POST of session `e`; `cancelled` gets the ids left unanswered when the client went
   * away; `end` answers what is pending when the shutdown ends the requests still in flight.
   */
  private reply(e: Entry, req: Request, ids: Id[], batch: boolean, cancelled: (pending: readonly Id[]) => void, end: EndInFlight, requests: readonly RpcMessage[]): Reply {
    const accept = acceptOf(req.headers.get("accept"))
    e.active++
    let untrack = (): void => {}
    const reply = new Reply({
      ids,
      batch,
      acceptsSse: accept.sse,
      acceptsJson: accept.json,
      keepAliveMs: this.keepAliveMs,
      streamAfterMs: STREAM_AFTER_MS,
      headers: e.headers,
      resume: e.resume, // one object per session: a JSON answer pays nothing for resumability
      signal: () => req.signal,
      ...(this.opts.limit !== undefined ? { limit: this.opts.limit, requests } : {}),
      onend: (pending) => {
        untrack()
        e.active--
        e.lastSeen = performance.now()
        if (e.initializing) this.settleInit(e, e.initializing)
        if (pending.length === 0) return
        cancelled(pending)
        this.gone.said(pending, requests, e.id)
      },
    })
    if (!reply.ended) {
      const table = this.inflight.add(end)
      const own = e.ends.add(end)
      untrack = () => {
        table()
        own()
      }
    }
    return reply
  }

  /** GET: the session's stream of server-initiated messages (one at a time), or a POST stream resumed. */
  private stream(e: Entry, req: Request): Response {
    // the same reading of Accept as a POST's: `*/*` and `text/*` take the stream, a q=0 refuses it
    if (!acceptOf(req.headers.get("accept")).sse) return jsonRpcError(406, -32000, "Not Acceptable: the GET stream needs Accept: text/event-stream")
    const last = req.headers.get("last-event-id")
    if (last) return this.resumeStream(e, req, last) // an empty one is no resume (as in the SDK)
    // one GET stream per session: a new one replaces the one open (ended). A client reconnects its GET
    // stream when it saw it drop, and the old connection may not look dropped here for minutes (a
    // network gone or a machine asleep: no FIN, writes still buffered); a 409 would leave that session
    // without server notifications for good once the client stopped retrying
    const old = e.transport.standalone
    if (old && !old.closed) {
      this.opts.log.debug("http session GET stream replaced by a new one", { session: e.id.slice(0, 8) })
      old.end()
    }
    // not counted in `active`: a full table may evict a session whose only traffic is this stream (the
    // stream ends with it); it does not expire while the stream is open (below), and its idle time
    // counts from the stream's end
    const s = new SseStream(this.keepAliveMs, () => {
      if (e.transport.standalone === s) e.transport.standalone = undefined
      e.lastSeen = performance.now()
    }, req.signal)
    s.raw(": stream\n\n")
    e.transport.standalone = s
    return new Response(s.body, { status: 200, headers: e.headers.sse })
  }

  /**
   * GET with `Last-Event-ID`: the POST stream it names, from after that event (then live while its
   * request runs). An id we do not hold (never issued, expired, evicted, or the GET stream's) is
   * 400 "Invalid event ID", as in the SDK's reference transport; the client starts over.
   */
  private resumeStream(e: Entry, req: Request, last: string): Response {
    const at = e.resume.store.find(last)
    if (!at) return jsonRpcError(400, -32000, "Bad Request: invalid or expired Last-Event-ID (nothing to resume)")
    const body = at.stream.resume(at.seq, req.signal)
    return new Response(body, { status: 200, headers: e.headers.sse })
  }

  private async open(owner: string, requested: unknown): Promise<Entry> {
    const face = this.opts.createFace()
    const id = randomUUID()
    const transport = new HttpTransport(false, this.opts.limit)
    transport.sessionId = id
    // the face answers a version it speaks with that version, anything else with its latest
    const version = typeof requested === "string" && LEGACY_VERSIONS.has(requested) ? requested : PRIMING_FROM
    const resume = { store: new ResumeStore(this.resumeLimits, this.keepAliveMs), priming: version >= PRIMING_FROM }
    const entry: Entry = { id, face, transport, owner, lastSeen: performance.now(), active: 0, ends: new InFlight(), closed: false, calls: new Map(), resume, headers: replyHeaders({ "mcp-session-id": id }) }
    this.sessions.set(id, entry)
    await face.server.connect(transport as never)
    this.opts.log.debug("http session opened", { session: id.slice(0, 8) })
    return entry
  }

  /**
   * Closes sessions with no request for longer than the TTL. A session whose GET stream is open is
   * a client still connected (an editor or inspector left open: the MCP SDK client does not start a
   * new session after a 404), so it stays; a dead socket ends its stream at a keep-alive write, and
   * a full table may evict it (`evictIdle`).
   */
  sweep(now = performance.now()): void {
    if (this.opts.idleTtlMs <= 0) return
    // one line each for the first few of a sweep, the rest counted in one (a client that opened a
    // session per request leaves up to the whole table to expire in one sweep)
    let expired = 0
    for (const e of this.sessions.values()) {
      if (e.active === 0 && !streaming(e) && now - e.lastSeen > this.opts.idleTtlMs) {
        if (++expired <= EXPIRED_LINES) this.opts.log.info("http session expired", { session: e.id.slice(0, 8), idleMs: Math.round(now - e.lastSeen), getStream: e.transport.standalone !== undefined })
        this.close(e, `expired: no request for ${formatDuration(this.opts.idleTtlMs)} (http.sessionIdleTimeout)`)
      }
    }
    if (expired > EXPIRED_LINES) this.opts.log.info("more http sessions expired (not logged one by one)", { expired: expired - EXPIRED_LINES, idleTimeoutMs: this.opts.idleTtlMs })
  }

  /**
   * The table is full: closes the session unused longest among those with no request in flight (a
   * client that went away without DELETE leaves one such behind, maybe with its GET stream still
   * open; the stream ends with it). False when every one is busy.
   */
  private evictIdle(max: number, keep?: Entry): boolean {
    const lru = this.lru(keep)
    if (!lru) return false
    this.evictions.said({ session: lru.id.slice(0, 8), idleMs: Math.round(performance.now() - lru.lastSeen), maxSessions: max, getStream: lru.transport.standalone !== undefined })
    this.close(lru, `evicted to make room for a new session: ${max} were open, and the least recently used idle one goes`)
    return true
  }

  /** The session unused longest among those with no request in flight (`keep` aside). */
  private lru(keep?: Entry): Entry | undefined {
    let lru: Entry | undefined
    for (const e of this.sessions.values()) if (e.active === 0 && e !== keep && (!lru || e.lastSeen < lru.lastSeen)) lru = e
    return lru
  }

  /**
   * A new session's initialize was answered (or its client went away): a failed one (invalid params,
   * any error answer) leaves no session behind; a successful one past the table's cap evicts the least
   * recently used idle session. Before, the room was made first: each failed initialize (a client
   * retrying a bad handshake) evicted another client's idle session, and its own stayed open.
   */
  private settleInit(e: Entry, settled: () => void): void {
    e.initializing = undefined
    settled()
    if (e.closed) return
    if (e.face.server.getClientVersion() === undefined) return this.close(e, "its initialize failed")
    const max = this.opts.maxSessions ?? 256
    if (this.sessions.size > max) this.evictIdle(max, e)
  }

  private close(e: Entry, why = "the session was closed"): void {
    if (e.closed) return
    if (e.ends.size !== 0) {
      // requests still in flight (a DELETE while a call runs): cancelled downstream and answered now;
      // a POST waiting for its answer was left open until its client gave up, the call running on
      const requests = e.ends.size
      e.ends.endAll(sessionClosed(why))
      this.opts.log.info("http session closed with requests in flight: cancelled downstream, answered SESSION_CLOSED", { session: e.id.slice(0, 8), why, requests })
    }
    e.closed = true
    this.sessions.delete(e.id)
    this.ended.set(e.id, { why, sse: e.sse !== undefined })
    if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.keys().next().value!)
    if (e.sse) {
      // its requests still running are cancelled downstream before the face goes
      const cancelled = e.sse.end(why)
      // said once per session, when requests went unanswered with it (their answers had nowhere to go)
      if (cancelled.length !== 0) this.opts.log.info("http+sse session ended with requests in flight: cancelled downstream, not answered", { session: e.id.slice(0, 8), why, cancelled: cancelled.length, methods: [...new Set(cancelled)].slice(0, 5) })
      else this.opts.log.debug("http+sse session ended", { session: e.id.slice(0, 8), why })
    }
    e.resume.store.close()
    e.face.dispose()
    e.face.server.close().catch(() => {})
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.unwatch()
    this.gone.flush()
    this.evictions.flush()
    if (this.sweeper) clearInterval(this.sweeper)
    for (const e of [...this.sessions.values()]) this.close(e, "the orchestrator is stopping")
  }
}

/** The error a request gets when its session is closed under it (`why`: by whom). */
function sessionClosed(why: string): StopError {
  return (_late, tool) => {
    const what = tool ? "call" : "request"
    return new OrchestratorError("protocol", "SESSION_CLOSED", `the HTTP session was closed (${why}) while this ${what} was in progress; the ${what} was cancelled${tool ? " downstream" : ""}`)
  }
}

/** Feeds a client-side cancellation into the session's face, as if the client had sent it. */
function cancelRequest(e: Entry, id: Id, reason = "client disconnected"): void {
  e.transport.deliver({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason } })
}

/** The session's GET stream is open (its client is connected, or its socket not found dead yet). */
function streaming(e: Entry): boolean {
  return e.transport.standalone !== undefined && !e.transport.standalone.closed
}
