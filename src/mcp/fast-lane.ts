/**
 * @module mcp/fast-lane
 * The stdio hot path. `tools/call` requests are answered straight from the transport: one JSON.parse
 * in, no zod pass over the request, and a downstream result that arrived in a compact layout is
 * written out as its own (already validated) text instead of being serialised again. Everything
 * else (initialize, lists, prompts, logging, ping) goes to the face's protocol layer (mcp/face-protocol).
 * Cancellation (`notifications/cancelled`) of fast-lane calls is handled here too, and so is the
 * end of the connection's requests at shutdown: from `refuse` on, a request that arrives is answered
 * at once with the shutdown's error; `endInFlight` cancels each request still being served (lane
 * calls, the face's protocol layer's requests) and answers it with that error, so no request goes unanswered.
 */
import type { JSONRPCMessage, Transport, TransportSendOptions } from "@modelcontextprotocol/client"
import { RpcAnswerError as McpError, RpcCode as ErrorCode } from "./rpc-answer.ts"
import { argumentsProblem, CallCancel, clientDrops, errorMessage, JsonBytes, metaProblem, RawJson, resultBudget, unwrapRaw, type Logger } from "../core/index.ts"
import type { RawCallContext } from "../proxy/index.ts"
import { outgoingNotification, toolErrorResult, toRpcError } from "./error-map.ts"
import type { McpFace } from "./server.ts"
import { callModern, complete, isModern, judge, modernLink, MRTR_METHODS, mrtrParamsProblem, type JsonRpcError, type MrtrParams } from "./modern-lane.ts"
import { ListenRegistry } from "./listen.ts"
import type { LineStdioServerTransport } from "./stdio-transport.ts"

type Id = string | number
interface RawRequest {
  id?: Id
  method?: string
  /** `_meta` as the client sent it: any JSON value (null, a string…), read only through `tokenOf`/`isModern`. */
  params?: { name?: unknown; arguments?: unknown; requestId?: Id; reason?: string; _meta?: unknown }
}

/** The progress token of a request's `_meta`: a string or a number there, else none (never a throw on an odd `_meta`). */
function tokenOf(meta: unknown): string | number | undefined {
  const t = typeof meta === "object" && meta !== null ? (meta as { progressToken?: unknown }).progressToken : undefined
  return typeof t === "string" || typeof t === "number" ? t : undefined
}

/**
 * The error a request gets from a stopping process (app/serve makes it: SHUTTING_DOWN): `late` when
 * it arrived after shutdown began (not served), else it was in flight and is cancelled; `tool` for a
 * tools/call (answered as a tool error result, anything else as a JSON-RPC error).
 */
export type StopError = (late: boolean, tool: boolean) => Error

/** The context of one fast-lane call: one object, no closures, an AbortSignal only if read. */
class LaneCall implements RawCallContext {
  readonly cancel = new CallCancel()
  readonly raw = true
  progressToken?: string | number
  /** The request's `_meta` as sent (the proxy forwards what of it is not this hop's); unset when none. */
  meta?: unknown
  routedTo?: string
  routedTool?: string
  /** A 2026-07-28 request's method (tools/call, prompts/get, resources/read); unset for a legacy tools/call. */
  modernMethod?: string
  /** The client cancelled it: its id is free again (the transport forgot it), nothing is sent for it. */
  released = false

  constructor(
    private readonly inner: LineStdioServerTransport,
    readonly client: McpFace["link"],
    progressToken: string | number | undefined,
    meta: unknown,
    /** The client's request id and its JSON (legacy tools/call; unused by modern requests). */
    readonly id: Id = 0,
    readonly idJson = "",
  ) {
    if (progressToken !== undefined) this.progressToken = progressToken
    if (meta !== undefined) this.meta = meta
  }

  /** Made for consumers that ask (own tools); downstream calls listen on `cancel`. */
  get signal(): AbortSignal {
    return this.cancel.signal
  }

  async notify(n: { method: string; params?: Record<string, unknown> }): Promise<void> {
    // a downstream's progress message is text to the client: same redaction point as the SDK path
    if (!this.cancel.aborted) await this.inner.send(outgoingNotification(n))
  }
}

export class FastLaneTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void
  /** Called on each 2026-07-28 request but `server/discover` (no `initialize` comes first: the owner starts loading). */
  onmodern?: () => void
  private readonly inflight = new Map<Id, LaneCall>()
  /** Modern requests handed to the face's protocol layer, by id: their answers get `resultType` (and cache hints). */
  private readonly modernIds = new Map<Id, string>()
  private modernClient?: McpFace["link"]
  /** Open `subscriptions/listen` requests of a modern client. */
  private listens?: ListenRegistry
  /** Their ids (each gets a last answer at shutdown). */
  private readonly listenIds = new Set<Id>()
  /** Set once shutdown began: what a request gets from now on. */
  private stop?: StopError

  constructor(
    private readonly inner: LineStdioServerTransport,
    private readonly face: McpFace,
    private readonly log: Logger,
    /** The face's instructions, for `server/discover`. */
    private readonly instructions?: string,
  ) {}

  async start(): Promise<void> {
    // notifications the client was too far behind for are counted in one warning every few seconds
    const unwatch = clientDrops.watch(this.log)
    this.inner.onclose = () => {
      unwatch()
      for (const c of this.inflight.values()) c.cancel.abort(new Error("client disconnected"))
      this.inflight.clear()
      this.listens?.close()
      this.onclose?.()
    }
    this.inner.onerror = (e) => this.onerror?.(e)
    this.inner.onmessage = (m) => {
      try {
        if (!this.intercept(m as RawRequest)) this.onmessage?.(m)
      } catch (e) {
        // the transport answers it (-32603): a modern request's answer is no longer ours to complete
        const id = (m as RawRequest).id
        if (id !== undefined) this.modernIds.delete(id)
        throw e
      }
    }
    await this.inner.start()
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.modernIds.size !== 0) {
      const m = message as { id?: Id; method?: unknown; result?: Record<string, unknown> }
      const method = m.id !== undefined && m.method === undefined ? this.modernIds.get(m.id) : undefined
      if (method !== undefined) {
        this.modernIds.delete(m.id!)
        // a pre-serialised result (tools/list) is completed as an object: the modern lane is not the hot path
        if (m.result) message = { ...message, result: complete(method, unwrapRaw(m.result)) } as JSONRPCMessage
      }
    }
    return this.inner.send(message, options)
  }

  close(): Promise<void> {
    return this.inner.close()
  }

  /** Number of tools/call requests being served right now. */
  get inFlight(): number {
    return this.inflight.size
  }

  /**
   * Shutdown began: every request that arrives from now on is answered at once with `stop`'s error
   * and not served (notifications and answers to our requests still go through: a client's
   * cancellation, a downstream waiting on `roots/list`).
   */
  refuse(stop: StopError): void {
    this.stop = stop
  }

  /**
   * The shutdown's grace is over: each request still in flight is cancelled (a lane call's downstream
   * is sent `notifications/cancelled`; the face's protocol layer's handlers get the cancellation as if the client
   * had sent it) and answered now with the error; an open listen gets its last (complete) answer.
   * Only writes: nothing here waits for the client to read them.
   */
  endInFlight(stop: StopError): void {
    // anything that still arrives is refused too
    this.stop ??= stop
    for (const [id, c] of [...this.inflight]) {
      this.inflight.delete(id)
      const method = c.modernMethod ?? "tools/call"
      const err = stop(false, method === "tools/call")
      c.cancel.abort(err)
      this.inner.sendSerialized(stoppedAnswer(JSON.stringify(id), method, c.modernMethod !== undefined, err), id)
    }
    for (const id of this.listenIds) void this.inner.send({ jsonrpc: "2.0", id, result: { resultType: "complete" } } as JSONRPCMessage)
    this.listenIds.clear()
    this.listens?.close()
    for (const [id, method] of this.inner.openRequests()) {
      const modern = this.modernIds.delete(id)
      // the SDK aborts the handler (its downstream request is cancelled) and sends nothing for it
      try {
        this.onmessage?.({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "the orchestrator is shutting down" } })
      } catch (e) {
        this.log.debug("cancelling a request at shutdown failed", { error: errorMessage(e) })
      }
      this.inner.settle(id, stoppedAnswer(JSON.stringify(id), method, modern, stop(false, method === "tools/call")))
    }
  }

  private intercept(m: RawRequest): boolean {
    if (this.stop !== undefined && m.id !== undefined && typeof m.method === "string") {
      const err = this.stop(true, m.method === "tools/call")
      this.inner.sendSerialized(stoppedAnswer(JSON.stringify(m.id), m.method, isModern(m.method, m.params?._meta), err), m.id)
      return true
    }
    // an open listen's id is taken as long as the listen is (the transport no longer counts it as pending)
    if (this.listenIds.size !== 0 && m.id !== undefined && typeof m.method === "string" && this.listenIds.has(m.id)) {
      this.sendRpcError(m.id, JSON.stringify(m.id), { code: ErrorCode.InvalidRequest, message: `Invalid Request: id ${JSON.stringify(m.id)} is already in use by a subscriptions/listen request still open (request ids must be unique among a client's outstanding requests); this ${m.method} was not served` })
      return true
    }
    if (m.id !== undefined && isModern(m.method, m.params?._meta)) return this.serveModern(m.id, m)
    if (m.method === "tools/call" && m.id !== undefined) {
      void this.serveCall(m.id, m.params)
      return true
    }
    // a cancellation is a notification: a request by that name (it has an id) cancels nothing, it is Method not found
    if (m.method === "notifications/cancelled" && m.id === undefined && m.params?.requestId !== undefined) {
      if (this.listens?.end(m.params.requestId)) {
        this.listenIds.delete(m.params.requestId)
        return true
      }
      // a cancelled request is no longer outstanding: no answer goes out for it and its id may be used again
      // (by a legacy request too: a modern one's answer completion goes with it)
      this.inner.forget(m.params.requestId)
      this.modernIds.delete(m.params.requestId)
      const c = this.inflight.get(m.params.requestId)
      if (c) {
        this.inflight.delete(m.params.requestId)
        c.released = true
        c.cancel.abort(new Error(m.params.reason ? `cancelled by client: ${m.params.reason}` : "cancelled by client"))
        return true
      }
    }
    return false
  }

  /** A 2026-07-28 request: envelope checked, discover and removed methods answered here, the rest served. */
  private serveModern(id: Id, m: RawRequest): boolean {
    const method = m.method as string
    // a probe alone loads nothing: a probing client may spawn us once just to ask, then end stdin
    if (method !== "server/discover") {
      this.onmodern?.()
      this.face.link.modern = true // a downstream's server→client request during its calls is declined (no modern client takes one)
    }
    const v = judge(method, m.params?._meta as Record<string, unknown> | undefined, this.instructions)
    if ("error" in v) this.sendRpcError(id, JSON.stringify(id), v.error)
    else if ("result" in v) this.inner.sendSerialized(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${JSON.stringify(v.result)}}`, id)
    else if (MRTR_METHODS.has(method)) void this.serveMrtr(id, method, m.params)
    else if (method === "subscriptions/listen") {
      this.listens ??= new ListenRegistry(this.face, (msg) => void this.inner.send(msg as JSONRPCMessage))
      const error = this.listens.open(id, (m.params as { notifications?: unknown } | undefined)?.notifications)
      if (error) this.sendRpcError(id, JSON.stringify(id), error)
      // an open listen is no pending request: shutdown does not wait for it (it ends it)
      else {
        this.inner.forget(id)
        this.listenIds.add(id)
      }
    }
    else {
      this.modernIds.set(id, method)
      return false
    }
    return true
  }

  /** A 2026-07-28 tools/call, prompts/get or resources/read: served with its envelope (`callModern`, shared with the HTTP face). */
  private async serveMrtr(id: Id, method: string, params: RawRequest["params"]): Promise<void> {
    const idJson = JSON.stringify(id)
    const bad = mrtrParamsProblem(method, params)
    if (bad) return this.sendRpcError(id, idJson, bad)
    const ctx = new LaneCall(this.inner, (this.modernClient ??= modernLink(this.log)), tokenOf(params!._meta), params!._meta)
    ctx.modernMethod = method
    const cancel = ctx.cancel
    this.inflight.set(id, ctx)
    try {
      // not the hot path: the result comes completed as an object (`resultType`), then is written
      const result = await callModern(this.face, method, params as MrtrParams, ctx)
      if (cancel.aborted) return this.release(id, ctx)
      // a tools/call answer over the client's message limit becomes a tool error the model reads, as for older clients
      this.inner.sendSerialized(`{"jsonrpc":"2.0","id":${idJson},"result":${JSON.stringify(result)}}`, id, method === "tools/call", true)
    } catch (e) {
      if (cancel.aborted) return this.release(id, ctx)
      this.sendError(id, idJson, toRpcError(e))
    } finally {
      if (this.inflight.get(id) === ctx) this.inflight.delete(id)
    }
  }

  private serveCall(id: Id, params: RawRequest["params"]): void {
    const idJson = typeof id === "number" ? `${id}` : JSON.stringify(id)
    if (!params || typeof params.name !== "string") return this.sendError(id, idJson, new McpError(ErrorCode.InvalidParams, "tools/call needs params.name (string)"))
    const args = params.arguments
    const argsWrong = argumentsProblem("tools/call", args)
    if (argsWrong !== undefined) return this.sendError(id, idJson, new McpError(ErrorCode.InvalidParams, argsWrong))
    const metaWrong = metaProblem(params)
    if (metaWrong !== undefined) return this.sendError(id, idJson, new McpError(ErrorCode.InvalidParams, `Invalid params for tools/call: ${metaWrong}`))
    const ctx = new LaneCall(this.inner, this.face.link, tokenOf(params._meta), params._meta, id, idJson)
    this.inflight.set(id, ctx)
    let call: Promise<unknown>
    try {
      call = this.face.callTool(params.name, args as Record<string, unknown> | undefined, ctx)
    } catch (e) {
      call = Promise.reject(e)
    }
    // one reaction, no async frame: the hot path
    call.then(
      (result) => this.answer(ctx, result),
      (e: unknown) => this.fail(ctx, e),
    )
  }

  /** The result of lane call `ctx` goes out (unless it was cancelled meanwhile). */
  private answer(ctx: LaneCall, result: unknown): void {
    try {
      this.write(ctx, result)
    } catch (e) {
      this.fail(ctx, e)
    }
  }

  private write(ctx: LaneCall, result: unknown): void {
    const id = ctx.id
    if (this.inflight.get(id) === ctx) this.inflight.delete(id)
    const json = result instanceof RawJson ? result.json : undefined
    if (ctx.cancel.aborted) {
      if (json instanceof JsonBytes) json.release()
      return this.release(id, ctx)
    }
    const idJson = ctx.idJson
    // a large result goes out as the bytes it arrived in, never joined into one more string
    if (json instanceof JsonBytes) this.inner.sendLarge(`{"jsonrpc":"2.0","id":${idJson},"result":`, json, id)
    else {
      const text = json ?? JSON.stringify(result)
      // a large one (e.g. from a remote server) goes out in pieces: no joined line, no sink copy of it
      if (text.length >= resultBudget.large) this.inner.sendLarge(`{"jsonrpc":"2.0","id":${idJson},"result":`, text, id)
      else this.inner.sendSerialized(`{"jsonrpc":"2.0","id":${idJson},"result":${text}}`, id, true)
    }
  }

  /** Lane call `ctx` failed: its JSON-RPC error goes out (unless it was cancelled meanwhile). */
  private fail(ctx: LaneCall, e: unknown): void {
    const id = ctx.id
    if (this.inflight.get(id) === ctx) this.inflight.delete(id)
    if (ctx.cancel.aborted) return this.release(id, ctx)
    this.sendError(id, ctx.idJson, toRpcError(e))
  }

  /** A call that ended cancelled: its id stops being pending unless the cancellation freed it already (it may be in use again). */
  private release(id: Id, ctx: LaneCall): void {
    if (!ctx.released) this.inner.forget(id)
  }

  private sendError(id: Id, idJson: string, err: McpError): void {
    // McpError prefixes its message with "MCP error <code>: "; the wire message goes without it.
    const message = err.message.replace(/^MCP error -?\d+: /, "")
    this.sendRpcError(id, idJson, { code: err.code, message, ...(err.data !== undefined ? { data: err.data } : {}) })
  }

  private sendRpcError(id: Id, idJson: string, error: JsonRpcError): void {
    try {
      this.inner.sendSerialized(`{"jsonrpc":"2.0","id":${idJson},"error":${JSON.stringify(error)}}`, id)
    } catch (e) {
      this.log.error("cannot send error response", { error: errorMessage(e) })
    }
  }
}

/**
 * The answer a stopping process gives request `id` (its JSON `idJson`) of `method`: a tools/call gets
 * a tool error result (completed for a 2026-07-28 client), anything else a JSON-RPC error — as the
 * face reports its other failures (mcp/error-map).
 */
function stoppedAnswer(idJson: string, method: string, modern: boolean, err: Error): string {
  if (method === "tools/call") {
    const result = toolErrorResult(err) as unknown as Record<string, unknown>
    return `{"jsonrpc":"2.0","id":${idJson},"result":${JSON.stringify(modern ? complete(method, result) : result)}}`
  }
  const e = toRpcError(err)
  return `{"jsonrpc":"2.0","id":${idJson},"error":${JSON.stringify({ code: e.code, message: e.message.replace(/^MCP error -?\d+: /, ""), ...(e.data !== undefined ? { data: e.data } : {}) })}}`
}
