/**
 * @module http/modern
 * The 2026-07-28 era of our HTTP face: stateless requests, no session. One face per path (/mcp or
 * /mcp/t/<toolset>) serves every modern request, so a request costs no face and no handshake:
 * `tools/call`, `prompts/get` and `resources/read` go through the same path as the stdio fast lane's
 * (`callModern`: the request's envelope and MRTR fields reach the proxy), the
 * other methods through the face's protocol dispatch on a shared transport (request ids renumbered, so two
 * clients' ids never meet), and `subscriptions/listen` is a long-lived SSE response. The answer is
 * JSON, or a stream when the server has something to say before it; closing that stream (or the
 * connection) cancels the request downstream. At shutdown, a request still in flight when the grace
 * ends is cancelled the same way and answered with the shutdown's error (`endInFlight`).
 */
import { clientDrops, errorMessage, JsonBytes, paramHeaderProblem, RawJson, unwrapRaw, type Logger } from "../core/index.ts"
import { callModern, complete, judge, ListenRegistry, modernLink, modernRequest, MRTR_METHODS, mrtrParamsProblem, toolErrorResult, type JsonRpcError, type McpFace, type MrtrParams } from "../mcp/index.ts"
import type { ClientLink } from "../proxy/index.ts"
import { errorAnswer, HttpCall, modernResultAnswer } from "./call.ts"
import { headerProblem } from "./era.ts"
import { acceptOf, InFlight, Reply, type ClientLimit, type EndInFlight, type Id, type RpcMessage, type StopError } from "./reply.ts"
import { SSE_HEADERS, SseStream } from "./sse.ts"
import { HttpTransport } from "./transport.ts"
import { ClientGone } from "./gone.ts"

/** A request with no answer yet after this long is answered as a stream (keep-alives, visible progress). */
const STREAM_AFTER_MS = 250

/** HTTP status of a modern error answer: unknown/removed method 404, envelope and header errors 400. */
function statusOf(code: number): number {
  if (code === -32601) return 404
  if (code === -32020 || code === -32021 || code === -32022) return 400
  return 200
}

function errorResponse(id: Id | null, error: JsonRpcError, status = statusOf(error.code)): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", id, error }), { status, headers: { "content-type": "application/json" } })
}

export interface ModernOptions {
  log: Logger
  keepAliveMs: number
  /** Open `subscriptions/listen` streams at most (default 1024, as the SDK's handler): each holds a stream and a registry. */
  maxListens?: number
  /**
   * A listen open at least this long may be closed to make room for a new one in a full table (ms;
   * default `keepAliveMs`: by then a keep-alive was written, so a peer that reset the connection was
   * noticed). Younger ones are kept: a table full of them refuses the new listen.
   */
  listenGraceMs?: number
  /** `proxy.maxMessageBytes`: no answer over it is written to a client (http/reply, mcp/client-limit). */
  limit?: ClientLimit
}

/** Open listens per endpoint by default (the SDK's `createMcpHandler` default). */
export const MAX_LISTENS = 1024

/** One open `subscriptions/listen`: its stream, its registry, its request id and when it was opened. */
interface Listen {
  stream: SseStream
  registry: ListenRegistry
  id: Id
  opened: number
}

export class ModernEndpoint {
  private readonly transport = new HttpTransport(true)
  private readonly client: ClientLink
  /** In the order they were opened: the first is the oldest. */
  private readonly listens = new Set<Listen>()
  /** Requests being served (the shutdown waits for them, then ends them). */
  private readonly inflight = new InFlight()
  private nextId = 0
  /** Listens closed to make room since the last info line about it, and when that line was written. */
  private evicted = 0
  private evictLogged = -Infinity
  /** The listen limit was reached and said in the log (again only once one closed). */
  private limitWarned = false
  private connected?: Promise<void>
  /** Notifications a client did not read fast enough are counted in a warning every few seconds. */
  private readonly unwatch: () => void
  /** A client that went away before its answer is said in the log. */
  private readonly gone: ClientGone

  constructor(
    private readonly face: McpFace,
    private readonly o: ModernOptions,
  ) {
    this.unwatch = clientDrops.watch(o.log)
    this.gone = new ClientGone(o.log)
    this.client = modernLink(o.log)
    face.link.modern = true // a downstream's server→client request during its calls is declined (no modern client takes one)
  }

  /** Serves one modern request (its body already parsed and classified). */
  async handle(req: Request, m: RpcMessage & { method: string }): Promise<Response> {
    const id = m.id as Id
    const bad = headerProblem(m, req.headers)
    if (bad) return errorResponse(id, bad, 400)
    const meta = m.params?._meta as Record<string, unknown> | undefined
    const v = judge(m.method, meta)
    // an envelope error is the request's fault: 400 (404 for a removed or unknown method)
    if ("error" in v) return errorResponse(id, v.error, v.error.code === -32601 ? 404 : 400)
    if ("result" in v) return Response.json({ jsonrpc: "2.0", id, result: v.result })
    if (m.method === "tools/call" && typeof m.params?.name === "string") {
      const declared = this.face.paramHeadersOf(m.params.name)
      const why = declared && paramHeaderProblem(declared, m.params.arguments, (h) => req.headers.get(h))
      if (why) return errorResponse(id, { code: -32020, message: `Header mismatch: ${why}` }, 400)
    }
    if (MRTR_METHODS.has(m.method)) return this.call(req, id, m.method, m.params)
    if (m.method === "subscriptions/listen") return this.listen(req, id, m.params)
    return this.dispatch(req, id, m)
  }

  /** Requests being served right now. */
  get inFlight(): number {
    return this.inflight.size
  }

  /** Shutdown: every request still in flight is cancelled (downstream too) and answered now with `stop`'s error. */
  endInFlight(stop: StopError): void {
    this.inflight.endAll(stop)
  }

  /** The reply to one request; `end` answers it when the shutdown ends the requests still in flight. */
  private reply(req: Request, ids: Id[], onend: (pending: readonly Id[]) => void, end: EndInFlight, requests: readonly RpcMessage[], shape?: (a: RpcMessage) => RpcMessage, oversized?: (a: RpcMessage) => RpcMessage): Reply {
    const accept = acceptOf(req.headers.get("accept"))
    let untrack = (): void => {}
    const reply = new Reply({
      ids,
      batch: false,
      acceptsSse: accept.sse,
      acceptsJson: accept.json,
      keepAliveMs: this.o.keepAliveMs,
      streamAfterMs: STREAM_AFTER_MS,
      status: (a) => (a.error ? statusOf(a.error.code) : 200),
      signal: () => req.signal,
      ...(shape ? { shape } : {}),
      ...(this.o.limit !== undefined ? { limit: this.o.limit, requests, ...(oversized ? { oversized } : {}) } : {}),
      onend: (pending) => {
        untrack()
        onend(pending)
        this.gone.said(pending, requests)
      },
    })
    if (!reply.ended) untrack = this.inflight.add(end)
    return reply
  }

  /**
   * `tools/call`, `prompts/get`, `resources/read`: the same path as on the stdio face (`callModern`:
   * the request's envelope and MRTR fields go with it, an `input_required` comes back as it is),
   * with a context whose progress goes on this request's stream and which a closed stream cancels.
   */
  private async call(req: Request, id: Id, method: string, params: Record<string, unknown> | undefined): Promise<Response> {
    const bad = mrtrParamsProblem(method, params)
    if (bad) return errorResponse(id, bad, 400)
    let ctx: HttpCall | undefined
    const idJson = typeof id === "number" ? String(id) : JSON.stringify(id)
    const reply = this.reply(
      req,
      [id],
      (pending) => {
        if (pending.length !== 0) ctx?.cancel.abort(new Error("client disconnected"))
      },
      (stop) => {
        const tool = method === "tools/call"
        const err = stop(false, tool)
        // cancelled first (the downstream is sent notifications/cancelled), so the call's own outcome is dropped
        ctx?.cancel.abort(err)
        reply.answer(id, tool ? modernResultAnswer(idJson, toolErrorResult(err)) : errorAnswer(id, err))
      },
      [{ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) }],
      undefined,
      // the error sent instead of an answer over the limit: a tool error is a complete result too
      (a) => (a.result !== undefined ? { ...a, result: complete(method, a.result as Record<string, unknown>) } : a),
    )
    const token = (params!._meta as { progressToken?: string | number } | undefined)?.progressToken
    const c = (ctx = new HttpCall(this.client, reply, token, params!._meta))
    if (method === "tools/call") {
      // callModern's tools/call, with a downstream's result text written as it came (modernResultAnswer)
      c.modern = modernRequest(params)
      this.face.callTool(params!.name as string, params!.arguments as Record<string, unknown> | undefined, c).then(
        (result) => {
          if (!c.cancel.aborted) reply.answer(id, modernResultAnswer(idJson, result))
          else if (result instanceof RawJson && result.json instanceof JsonBytes) result.json.release()
        },
        (e: unknown) => {
          if (!c.cancel.aborted) reply.answer(id, errorAnswer(id, e))
        },
      )
      return reply.response
    }
    callModern(this.face, method, params as MrtrParams, c).then(
      (result) => {
        if (!c.cancel.aborted) reply.answer(id, { jsonrpc: "2.0", id, result })
      },
      (e: unknown) => {
        if (!c.cancel.aborted) reply.answer(id, errorAnswer(id, e))
      },
    )
    return reply.response
  }

  /** Any other method: the face's protocol dispatch, under an id of ours, its answer completed for this era. */
  private async dispatch(req: Request, id: Id, m: RpcMessage & { method: string }): Promise<Response> {
    await (this.connected ??= this.face.server.connect(this.transport as never))
    const inner = ++this.nextId
    const method = m.method
    const cancel = (reason: string): void => {
      this.transport.forget([inner])
      this.transport.deliver({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: inner, reason } })
    }
    const request = { ...m, id: inner }
    const reply = this.reply(
      req,
      [inner],
      (pending) => {
        if (pending.length !== 0) cancel("client disconnected")
      },
      (stop) => {
        cancel("the orchestrator is shutting down")
        reply.answer(inner, errorAnswer(inner, stop(false, false)))
      },
      [request],
      (a) => (a.result !== undefined ? { ...a, id, result: complete(method, unwrapRaw(a.result) as Record<string, unknown>) } : { ...a, id }),
    )
    this.transport.receive([request], reply)
    return reply.response
  }

  /** `subscriptions/listen`: an SSE response that stays open, acknowledged at once, tagged list changes after. */
  private listen(req: Request, id: Id, params: Record<string, unknown> | undefined): Response {
    const max = this.o.maxListens ?? MAX_LISTENS
    if (this.listens.size >= max && !this.evict(max)) {
      // a client that opens listens and never closes them would hold a stream each without bound
      // said once per time the limit is reached, not per refusal (a client retrying in a loop would flood the log)
      if (!this.limitWarned) this.o.log.warn("subscriptions/listen refused: too many open", { open: this.listens.size, max })
      this.limitWarned = true
      const grace = Math.round(this.graceMs / 1000)
      return errorResponse(id, {
        code: -32603,
        message: `Subscription limit reached: ${max} subscriptions/listen streams are open on this endpoint, every one opened within the last ${grace} s (an older one would have been closed to make room); retry later, or close one (end its stream) and listen again`,
      })
    }
    let entry: Listen | undefined
    const stream = new SseStream(this.o.keepAliveMs, () => {
      if (!entry) return
      entry.registry.close()
      this.listens.delete(entry)
      this.limitWarned = false
    }, req.signal)
    const registry = new ListenRegistry(this.face, (msg) => stream.send(JSON.stringify(msg), msg as { method?: unknown }))
    const error = registry.open(id, params?.notifications)
    if (error) {
      stream.end()
      registry.close()
      return errorResponse(id, error, 400)
    }
    entry = { stream, registry, id, opened: performance.now() }
    this.listens.add(entry)
    return new Response(stream.body, { status: 200, headers: SSE_HEADERS })
  }

  private get graceMs(): number {
    return this.o.listenGraceMs ?? this.o.keepAliveMs
  }

  /**
   * A full table makes room: of the listens open for the grace at least, the oldest one whose reader
   * has not taken what was written to it (a client stopped or gone without closing), else the oldest,
   * is ended with an error saying why (its client may listen again). False when every one is younger.
   */
  private evict(max: number): boolean {
    const now = performance.now()
    let oldest: Listen | undefined
    let unread: Listen | undefined
    for (const l of this.listens) {
      if (now - l.opened < this.graceMs) break // opened in order: the rest are younger still
      oldest ??= l
      if (l.stream.backlog > 0) {
        unread = l
        break
      }
    }
    const victim = unread ?? oldest
    if (!victim) return false
    this.listens.delete(victim)
    victim.registry.close()
    // at info once per 10 s at most (a client opening listens in a loop without closing them would
    // close one per listen), the others at debug; the info line counts them
    this.evicted++
    const fields = { openForMs: Math.round(now - victim.opened), unreadBytes: victim.stream.backlog, maxListens: max }
    if (now - this.evictLogged >= 10_000) {
      this.o.log.info("subscriptions/listen closed to make room", { ...fields, closedSinceLastLine: this.evicted })
      this.evictLogged = now
      this.evicted = 0
    } else this.o.log.debug("subscriptions/listen closed to make room", fields)
    const message = `Subscription closed to make room: ${max} subscriptions/listen streams were open on this endpoint, the most it keeps; this was the ${unread ? "oldest whose stream was not being read" : "oldest"}. Listen again to go on receiving notifications`
    victim.stream.send(JSON.stringify({ jsonrpc: "2.0", id: victim.id, error: { code: -32603, message } }))
    victim.stream.end()
    return true
  }

  /** Ends open listens gracefully (a `complete` result each) and lets the face go. */
  close(): void {
    this.unwatch()
    this.gone.flush()
    for (const l of this.listens) {
      l.registry.close()
      l.stream.send(JSON.stringify({ jsonrpc: "2.0", id: l.id, result: { resultType: "complete" } }))
      l.stream.end()
    }
    this.listens.clear()
    this.face.dispose()
    this.face.server.close().catch((e: unknown) => this.o.log.debug("modern face close failed", { error: errorMessage(e) }))
  }
}
