/**
 * @module mcp/face-protocol
 * The JSON-RPC layer of one client connection, written for the face (it replaces the SDK's
 * `Protocol`, whose module evaluation alone holds ≈ 7.7 MiB of zod schemas in every session):
 * requests dispatched to their handlers (params checked by the handler's Standard Schema, the
 * 2026-07-28 wire-only material lifted out first), answers and errors written back, cancellation
 * (`notifications/cancelled` aborts the handler's signal, and no answer goes out for it), our own
 * requests to the client (ids, deadlines, progress, cancellation, the client's answer matched and
 * checked), and the end of the connection (what is pending is refused, what is running aborted).
 * The connection speaks the 2025 wire era: 2026-only methods are Method not found, 2026-only
 * notifications dropped (modern requests reach it through the lanes, which completed their envelope).
 */
import type { JSONRPCMessage, JSONRPCRequest, Notification, RequestId, Result, StandardSchemaV1, Transport, TransportSendOptions } from "@modelcontextprotocol/client"
import { isRecord as isObj, metaProblem } from "../core/index.ts"
import { CANCELLED, EMPTY, PROGRESS } from "./face-params.ts"
import { ClientRequestError, RpcAnswerError, RpcCode } from "./rpc-answer.ts"
import { isModernOnlyNotification, isModernOnlyRequest, liftWireOnly } from "./wire-2025.ts"

type Obj = Record<string, unknown>

/** The default deadline of a request of ours to the client (the SDK's too). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000
/** "Resource not found" of the 2025 revision; a 2026-07-28 request gets -32602 for it. */
const RESOURCE_NOT_FOUND = -32002

/** What a handler gets besides its params. */
export interface FaceContext {
  sessionId?: string
  mcpReq: {
    id: RequestId
    method: string
    _meta?: Obj
    /** The request's 2026-07-28 `_meta` envelope (a modern request), lifted out of its params. */
    envelope?: Obj
    inputResponses?: unknown
    requestState?: unknown
    /** Aborted when the client cancels the request or the connection ends. */
    signal: AbortSignal
    /** A request to the client as part of this one (Streamable HTTP: on this request's stream). */
    send<T>(request: { method: string; params?: Obj }, resultSchema: StandardSchemaV1<unknown, T>, options?: FaceRequestOptions): Promise<T>
    notify(notification: { method: string; params?: Obj }): Promise<void>
  }
}

export interface FaceRequestOptions {
  timeout?: number
  signal?: AbortSignal
  relatedRequestId?: RequestId
  onprogress?: (progress: Obj) => void
  resetTimeoutOnProgress?: boolean
  maxTotalTimeout?: number
}

type RequestHandler = (request: JSONRPCRequest, ctx: FaceContext) => Result | Promise<Result>

interface Pending {
  settle(response: { result?: unknown; error?: { code: number; message: string; data?: unknown } } | Error): void
  onprogress?: (progress: Obj) => void
  timer: ReturnType<typeof setTimeout>
  started: number
  options: FaceRequestOptions
  onTimeout: () => void
}

/** A Standard Schema's issues as one line: `path.to.field: message, …`. */
function issuesText(issues: ReadonlyArray<StandardSchemaV1.Issue>): string {
  return issues.map((i) => (i.path?.length ? `${i.path.map((p) => String(typeof p === "object" ? p.key : p)).join(".")}: ${i.message}` : i.message)).join(", ")
}

/**
 * The id of a request of ours that `v` (an answer's `id`, a progress token) names, or undefined. Ours
 * are integers from 0; a client that echoes one as its decimal string is still understood (the SDK's
 * `Protocol` read them with `Number()`), nothing else is: `Number()` made `null`, `""`, `false` and
 * `[]` 0 and `true` 1, so an error a client sent with id null (about a message it could not read)
 * failed our first request to it, and that request's real answer was then dropped as unknown.
 */
export function ourRequestId(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) && v >= 0 ? v : undefined
  return typeof v === "string" && /^(?:0|[1-9]\d{0,15})$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : undefined
}

type Checked<T> = { ok: true; value: T } | { ok: false; why: string }
const checked = <T>(r: StandardSchemaV1.Result<T>): Checked<T> => (r.issues?.length ? { ok: false, why: issuesText(r.issues) } : { ok: true, value: (r as { value: T }).value })

/** `value` checked by `schema`: at once when the schema checks synchronously (ours do), else later. */
function validate<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): Checked<T> | Promise<Checked<T>> {
  const r = schema["~standard"].validate(value)
  return r instanceof Promise ? r.then(checked) : checked(r)
}

export class FaceProtocol {
  private connected?: Transport
  private nextId = 0
  private readonly handlers = new Map<string, RequestHandler>()
  private readonly notificationHandlers = new Map<string, (n: Notification) => void | Promise<void>>()
  /** The client's requests being served, by id: their abort controllers. */
  private running = new Map<RequestId, AbortController>()
  /** Our requests to the client waiting for an answer, by id. */
  private pending = new Map<number, Pending>()
  /** Called once when the connection ended (closed by either side). */
  onclose?: () => void
  /** Out-of-band problems: an answer to no request of ours, a notification handler that threw, a failed write. */
  onerror?: (error: Error) => void
  /** Serves requests no handler is registered for. */
  fallbackRequestHandler?: RequestHandler

  constructor() {
    this.setNotificationHandler("notifications/cancelled", { params: CANCELLED }, (p) => {
      if (p.requestId !== undefined) this.running.get(p.requestId)?.abort(p.reason)
    })
    this.setNotificationHandler("notifications/progress", { params: PROGRESS }, (p) => this.onprogress(p))
    this.setRequestHandler("ping", { params: EMPTY }, () => ({}))
  }

  get transport(): Transport | undefined {
    return this.connected
  }

  /** Capability checks of subclasses (a handler for a method our capabilities do not cover, a notification we may not send). */
  protected assertRequestHandlerCapability(_method: string): void {}
  protected assertNotificationCapability(_method: string): void {}

  setRequestHandler<T>(method: string, schemas: { params: StandardSchemaV1<unknown, T> }, handler: (params: T, ctx: FaceContext) => Result | Promise<Result>): void {
    this.assertRequestHandlerCapability(method)
    this.handlers.set(method, async (request, ctx) => {
      const parsed = await validate(schemas.params, { ...request.params })
      if (!parsed.ok) throw new RpcAnswerError(RpcCode.InvalidParams, `Invalid params for ${method}: ${parsed.why}`)
      return handler(parsed.value, ctx)
    })
  }

  setNotificationHandler<T>(method: string, schemas: { params: StandardSchemaV1<unknown, T> }, handler: (params: T, notification: Notification) => void | Promise<void>): void {
    const run = (parsed: Checked<T>, n: Notification): void | Promise<void> => {
      if (!parsed.ok) throw new RpcAnswerError(RpcCode.InvalidParams, `Invalid params for notification ${method}: ${parsed.why}`)
      return handler(parsed.value, n)
    }
    this.notificationHandlers.set(method, (n) => {
      const parsed = validate(schemas.params, { ...n.params })
      return parsed instanceof Promise ? parsed.then((p) => run(p, n)) : run(parsed, n)
    })
  }

  /** Takes `transport` over (its callbacks are chained before ours) and starts it. */
  async connect(transport: Transport): Promise<void> {
    this.connected = transport
    const onclose = transport.onclose
    transport.onclose = () => {
      try {
        onclose?.()
      } finally {
        this.ended()
      }
    }
    const onerror = transport.onerror
    transport.onerror = (e) => {
      onerror?.(e)
      this.onerror?.(e)
    }
    const onmessage = transport.onmessage
    transport.onmessage = (message, extra) => {
      onmessage?.(message, extra)
      this.dispatch(message as Obj)
    }
    await transport.start()
  }

  async close(): Promise<void> {
    await this.connected?.close()
  }

  /** One message from the client; the transports checked its JSON-RPC envelope (core/jsonrpc-envelope). */
  private dispatch(m: Obj): void {
    if (typeof m.method === "string") {
      if (m.id !== undefined) this.onrequest(m as unknown as JSONRPCRequest)
      else this.onnotification(m as unknown as Notification)
    } else if (m.id !== undefined && ("result" in m || "error" in m)) this.onresponse(m)
    else this.onerror?.(new Error(`Unknown message type: ${JSON.stringify(m)}`))
  }

  private onrequest(raw: JSONRPCRequest): void {
    const transport = this.connected
    const id = raw.id
    const fail = (code: number, message: string): void => {
      transport?.send({ jsonrpc: "2.0", id, error: { code, message } }).catch((e) => this.onerror?.(new Error(`Failed to send an error response: ${e}`)))
    }
    const handler = isModernOnlyRequest(raw.method) ? undefined : (this.handlers.get(raw.method) ?? this.fallbackRequestHandler)
    if (handler === undefined) return fail(RpcCode.MethodNotFound, "Method not found")
    if (raw.params !== undefined && !isObj(raw.params)) return fail(RpcCode.InvalidParams, `Invalid params for ${raw.method}: params must be an object`)
    const metaWrong = metaProblem(raw.params)
    if (metaWrong !== undefined) return fail(RpcCode.InvalidParams, `Invalid params for ${raw.method}: ${metaWrong}`)
    const { params, lifted } = liftWireOnly(raw.params, "request")
    const request = params === raw.params ? raw : ({ ...raw, params } as JSONRPCRequest)
    const abort = new AbortController()
    this.running.set(id, abort)
    const ctx: FaceContext = {
      ...(transport?.sessionId !== undefined ? { sessionId: transport.sessionId } : {}),
      mcpReq: {
        id,
        method: raw.method,
        ...(isObj(request.params?._meta) ? { _meta: request.params._meta as Obj } : {}),
        ...(lifted.envelope !== undefined ? { envelope: lifted.envelope } : {}),
        ...("inputResponses" in lifted ? { inputResponses: lifted.inputResponses } : {}),
        ...("requestState" in lifted ? { requestState: lifted.requestState } : {}),
        signal: abort.signal,
        send: (r, schema, options) => this.request(r, schema, { ...options, relatedRequestId: id }),
        notify: (n) => this.notification(n, { relatedRequestId: id }),
      },
    }
    Promise.resolve()
      .then(() => handler(request, ctx))
      .then(
        async (result) => {
          if (abort.signal.aborted) return
          try {
            await transport?.send({ jsonrpc: "2.0", id, result } as JSONRPCMessage)
          } catch (e) {
            // a result that cannot go out (not serialisable, refused by the transport) still gets an answer
            this.onerror?.(new Error(`Failed to send the result of ${raw.method}: ${e}`))
            await transport?.send({ jsonrpc: "2.0", id, error: { code: RpcCode.InternalError, message: `Internal error: the result of this ${raw.method} could not be sent (the orchestrator's log says why)` } })
          }
        },
        async (e: unknown) => {
          if (abort.signal.aborted) return
          const err = (e ?? {}) as { code?: unknown; message?: unknown; data?: unknown }
          let code = Number.isSafeInteger(err.code) ? (err.code as number) : RpcCode.InternalError
          // 2026-07-28 has no -32002: a modern request gets -32602 for a resource nobody serves
          if (code === RESOURCE_NOT_FOUND && lifted.envelope !== undefined) code = RpcCode.InvalidParams
          const message = typeof err.message === "string" ? err.message : "Internal error"
          await transport?.send({ jsonrpc: "2.0", id, error: { code, message, ...(err.data !== undefined ? { data: err.data } : {}) } })
        },
      )
      .catch((e) => this.onerror?.(new Error(`Failed to send response: ${e}`)))
      .finally(() => {
        if (this.running.get(id) === abort) this.running.delete(id)
      })
  }

  private onnotification(raw: Notification): void {
    if (isModernOnlyNotification(raw.method)) return
    const handler = this.notificationHandlers.get(raw.method)
    if (handler === undefined) return
    const { params } = liftWireOnly(raw.params, "notification")
    const n = params === raw.params ? raw : ({ ...raw, params } as Notification)
    // run as it is read: a progress notification written just before the answer it belongs to must
    // reach its listener before that answer settles the request (the SDK's deferred dispatch lost it)
    const report = (e: unknown): void => this.onerror?.(new Error(`Uncaught error in notification handler: ${e}`))
    try {
      const r = handler(n)
      if (r instanceof Promise) r.catch(report)
    } catch (e) {
      report(e)
    }
  }

  private onprogress(p: { progressToken: string | number } & Obj): void {
    const { progressToken, ...progress } = p
    const id = ourRequestId(progressToken)
    const pending = id === undefined ? undefined : this.pending.get(id)
    if (pending?.onprogress === undefined) {
      this.onerror?.(new Error(`Received a progress notification for an unknown token: ${JSON.stringify(p)}`))
      return
    }
    if (pending.options.resetTimeoutOnProgress) {
      const total = Date.now() - pending.started
      if (pending.options.maxTotalTimeout !== undefined && total >= pending.options.maxTotalTimeout) {
        pending.settle(new ClientRequestError("REQUEST_TIMEOUT", "Maximum total timeout exceeded", { maxTotalTimeout: pending.options.maxTotalTimeout, totalElapsed: total }))
        return
      }
      clearTimeout(pending.timer)
      pending.timer = setTimeout(pending.onTimeout, pending.options.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS)
    }
    pending.onprogress(progress)
  }

  private onresponse(m: Obj): void {
    const id = ourRequestId(m.id)
    const pending = id === undefined ? undefined : this.pending.get(id)
    if (pending === undefined) {
      this.onerror?.(new Error(`Received a response for an unknown message ID: ${JSON.stringify(m)}`))
      return
    }
    pending.settle(m as { result?: unknown; error?: { code: number; message: string; data?: unknown } })
  }

  /**
   * A request to the client: resolves with its result (`resultType` of a 2026-07-28 answer dropped,
   * checked by `resultSchema`), rejects with its JSON-RPC error (RpcAnswerError) or a
   * ClientRequestError (deadline, end of the connection, an answer `resultSchema` refuses).
   */
  request<T>(req: { method: string; params?: Obj }, resultSchema: StandardSchemaV1<unknown, T>, options: FaceRequestOptions = {}): Promise<T> {
    const transport = this.connected
    if (!transport) return Promise.reject(new ClientRequestError("NOT_CONNECTED", "Not connected"))
    const signal = options.signal
    if (signal?.aborted) {
      const reason = signal.reason
      return Promise.reject(reason instanceof ClientRequestError ? reason : new ClientRequestError("REQUEST_TIMEOUT", String(reason)))
    }
    const id = this.nextId++
    const message: Obj = { ...req, jsonrpc: "2.0", id }
    if (options.onprogress) message.params = { ...req.params, _meta: { ...(req.params?._meta as Obj | undefined), progressToken: id } }
    return new Promise<T>((resolve, reject) => {
      let done = false
      const finish = (): void => {
        done = true
        clearTimeout(entry.timer)
        if (this.pending.get(id) === entry) this.pending.delete(id)
        signal?.removeEventListener("abort", onAbort)
      }
      const cancel = (reason: unknown): void => {
        if (done) return
        finish()
        if (req.method !== "initialize") {
          transport
            .send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: String(reason) } }, { ...(options.relatedRequestId !== undefined ? { relatedRequestId: options.relatedRequestId } : {}) })
            .catch((e) => this.onerror?.(new Error(`Failed to send cancellation: ${e}`)))
        }
        reject(reason instanceof ClientRequestError ? reason : new ClientRequestError("REQUEST_TIMEOUT", String(reason)))
      }
      const onAbort = (): void => cancel(signal?.reason)
      const timeout = options.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS
      const onTimeout = (): void => cancel(new ClientRequestError("REQUEST_TIMEOUT", "Request timed out", { timeout }))
      const settle: Pending["settle"] = (response) => {
        if (done) return
        finish()
        if (response instanceof Error) return reject(response)
        if (response.error !== undefined) {
          const e = response.error as { code?: unknown; message?: unknown; data?: unknown }
          return reject(new RpcAnswerError(Number.isSafeInteger(e.code) ? (e.code as number) : RpcCode.InternalError, typeof e.message === "string" ? e.message : "Internal error", e.data))
        }
        let result = response.result
        if (!isObj(result)) return reject(new ClientRequestError("INVALID_RESULT", `Invalid result for ${req.method}: expected an object`))
        if ("resultType" in result) {
          result = { ...result }
          delete (result as Obj).resultType
        }
        const answer = (r: Checked<T>): void => (r.ok ? resolve(r.value) : reject(new ClientRequestError("INVALID_RESULT", `Invalid result for ${req.method}: ${r.why}`)))
        const r = validate(resultSchema, result)
        if (r instanceof Promise) r.then(answer, reject)
        else answer(r)
      }
      const entry: Pending = { settle, timer: setTimeout(onTimeout, timeout), started: Date.now(), options, onTimeout, ...(options.onprogress ? { onprogress: options.onprogress } : {}) }
      this.pending.set(id, entry)
      signal?.addEventListener("abort", onAbort, { once: true })
      const sendOptions: TransportSendOptions = options.relatedRequestId !== undefined ? { relatedRequestId: options.relatedRequestId } : {}
      transport.send(message as JSONRPCMessage, sendOptions).catch((e) => {
        if (done) return
        finish()
        reject(e)
      })
    })
  }

  /** A notification to the client (`relatedRequestId`: part of that request's answer stream). */
  async notification(n: { method: string; params?: Obj }, options?: { relatedRequestId?: RequestId }): Promise<void> {
    const transport = this.connected
    if (!transport) throw new ClientRequestError("NOT_CONNECTED", "Not connected")
    if (isModernOnlyNotification(n.method)) throw new ClientRequestError("NOT_SUPPORTED", `Notification '${n.method}' is not supported by the negotiated protocol version (wire era 2025-11-25)`)
    this.assertNotificationCapability(n.method)
    await transport.send({ jsonrpc: "2.0", ...n } as JSONRPCMessage, options?.relatedRequestId !== undefined ? { relatedRequestId: options.relatedRequestId } : undefined)
  }

  /** The connection ended: refuse what waits for the client, abort what is being served. */
  private ended(): void {
    const pending = this.pending
    this.pending = new Map()
    const running = this.running
    this.running = new Map()
    const error = new ClientRequestError("CONNECTION_CLOSED", "Connection closed")
    this.connected = undefined
    try {
      this.onclose?.()
    } finally {
      for (const p of pending.values()) p.settle(error)
      for (const a of running.values()) a.abort(error)
    }
  }
}
