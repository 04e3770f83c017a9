/**
 * @module pool/rpc
 * A lean JSON-RPC client over an SDK `Transport`: ids, timeouts (reset by progress, bounded by a
 * maximum total), cancellation (`notifications/cancelled`), progress routing. Results are returned as
 * received: no schema validation, no copies.
 */
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/client"
import { boundedServerMessage, cutText, DownstreamError, errorMessage, isAborted, JsonBytes, listenAbort, nestsDeeperThan, RawJson, unlistenAbort, type CallCancel, type Logger } from "../core/index.ts"
import { DeadlineTimer } from "./deadline-timer.ts"
import { seconds, timeoutMessage, timeoutRemedy, waitNote } from "./deadline.ts"
import { StdioChildTransport } from "./stdio-transport.ts"
import type { ModernCallOptions } from "./era.ts"
import { answerProblem, answerSubject } from "./answer-check.ts"
import { bytesHaveModernKeys, hasModernKeys, withoutModernKeys } from "./modern-keys.ts"
import { strayAnswer } from "./stray-answers.ts"
import { toolResultBytesProblem, toolResultProblem } from "./tool-result-check.ts"
import { joinedTextResult } from "./text-join.ts"
import { DeepMessages, MAX_RESULT_DEPTH } from "./deep-messages.ts"
import { issuesInWords } from "./issue-words.ts"
import { namedRequest, type RelatedRequests } from "./asked-during.ts"
import { unsentAnswer } from "./unsent-answer.ts"

export { MAX_RESULT_DEPTH } from "./deep-messages.ts"

/** How a connection that ended before its handshake was answered is worded (pool/connect says the same for an exit that broke our first write). */
export const BEFORE_INITIALIZE = "before answering initialize"

export interface ProgressParams {
  progress: number
  total?: number
  message?: string
  [k: string]: unknown
}

export interface RequestOptions {
  timeoutMs: number
  signal?: AbortSignal
  /** Cheaper than `signal` on the hot path (no listener registration on an EventTarget). */
  cancel?: CallCancel
  /**
   * The caller can forward a `RawJson` result: when the response came in a compact layout, the
   * promise resolves to the parsed result together with its exact text.
   */
  raw?: boolean
  /** Ask for progress; each notification resets the timeout (bounded by `maxTotalMs`). */
  onProgress?: (p: ProgressParams) => void
  maxTotalMs?: number
  /**
   * A call without `maxTotalMs` (no progress): how long from its start it may wait on the server's
   * questions to the client (`pool.maxTotalTimeout`; ASKING_CAP_MS when unset).
   */
  askingCapMs?: number
  /**
   * Time the call spent before it was written (restart, queue) and on what: counted in a timeout's
   * message, as `note`, or worded from `what` only then (a queued call formats nothing up front).
   */
  waited?: { ms: number; note?: string | undefined; what?: string }
  /** Toward a 2026-07-28 server only (envelope, MRTR); a legacy connection ignores it. */
  modern?: ModernCallOptions
  /**
   * The most bytes its answer may have, when the caller can take less than `pool.maxFrameBytes` (a
   * run_code script: codeMode.memory): a larger one is dropped unread as it comes, and the request fails.
   * Such a caller takes in a tool result's texts only: a large one of text blocks alone comes as one
   * text block (pool/text-join), never built whole.
   */
  maxAnswerBytes?: number
  /**
   * Whose request this is (opaque here: the proxy's call context): a request the server makes while
   * serving it (`relatedTo`) is handed to `onRequest` with it, so it reaches that call's client.
   */
  owner?: unknown
}

export interface RpcHandlers {
  log: Logger
  /** Downstream notifications other than progress (list_changed, logging, resource updates…). */
  onNotification?(method: string, params: Record<string, unknown> | undefined): void
  /**
   * Server→client requests other than `ping` (sampling, elicitation, roots): the result is sent back
   * to the downstream; a thrown error with a numeric `rpcCode` (or `code`) becomes that JSON-RPC error.
   * `signal` aborts when the downstream cancels the request or the connection closes. `owner`: the
   * `RequestOptions.owner` of our request in flight the server made it for, when that is known.
   */
  onRequest?(method: string, params: Record<string, unknown> | undefined, signal: AbortSignal, owner?: unknown): Promise<unknown>
  /** Why the connection closed, for the error given to in-flight calls. */
  describeClose?(): string
  /** What the server said as it ended by itself ("stderr: …", pool/child-said), for the errors of the calls it took with it. */
  lastWords?(): string | undefined
  /** The connection ended (after in-flight calls were failed). */
  onClosed?(): void
}

type Id = number

/**
 * A call without a total bound of its own (`maxTotalMs`: one that asked for no progress) waits on
 * the server's questions to the client `askingCapMs` (the session's `pool.maxTotalTimeout`), else
 * this long, from its start at most (the default `pool.maxTotalTimeout`, and a parked call's
 * lifetime): a server that keeps a question open, or asks again each time one times out, cannot
 * hold a call for ever (qa354: before, this constant was used whatever `pool.maxTotalTimeout` said).
 */
const ASKING_CAP_MS = 600_000

/** How long from its start a request may be kept waiting on the server's questions to the client. */
function askingCap(o: RequestOptions): number {
  return o.maxTotalMs ?? o.askingCapMs ?? ASKING_CAP_MS
}

/** How many ended requests' owners a connection keeps for questions that name them late (`relatedOwner`). */
const ENDED_OWNERS_KEPT = 128

interface Pending {
  method: string
  /** The tool a `tools/call` named, or what another request is about (pool/answer-check): for an error about its answer. */
  tool: string | undefined
  resolve(v: unknown): void
  reject(e: unknown): void
  /** performance.now() past which the request times out (one connection timer serves them all). */
  deadline: number
  opts: RequestOptions
  startedAt: number
  /** The connection's count of answers when this request was sent (`answers`): a timeout after others were answered is this request's, not a silent server's. */
  answersAtStart: number
  onAbort: (() => void) | undefined
  /** Its timeout was restarted while the server waited on its questions to the client (said in a timeout's message). */
  asking?: true
}

/** Raised by `request` when the downstream answered with a JSON-RPC error. Its message is bounded (core `boundedServerMessage`: it becomes a failed start's or list's reason, the server's `lastError`, status and log lines, not only the relayed error). */
export class RpcError extends DownstreamError {
  readonly rpcCode: number
  readonly data: unknown
  /** `tool`: the tool a `tools/call` named (the session adds `details.server`): the model is told which one failed. */
  constructor(method: string, code: number, message: string, data: unknown, tool?: string) {
    super("DOWNSTREAM_RPC_ERROR", boundedServerMessage(message), { details: { method, rpcCode: code, ...(tool !== undefined && method === "tools/call" ? { tool } : {}) } })
    this.rpcCode = code
    this.data = data
  }
}

export class RpcConnection {
  private nextId = 1
  private readonly pending = new Map<Id, Pending>()
  /** Answers received to our requests (results and errors): whether the server answered while one request waited. */
  private answers = 0
  /** Messages received of any kind (answers, the server's requests and notifications): whether it ran while a health check waited. */
  received = 0
  /** Server→client requests being relayed, by the downstream's id (created on first use). */
  private serving: Map<unknown, AbortController> | undefined
  /** The owners of our latest requests that ended (at most ENDED_OWNERS_KEPT): a late question naming one of them is known to be its (`relatedOwner`). */
  private endedOwners: Map<Id, unknown> | undefined
  private closedReason: string | undefined
  /** Set when the orchestrator closes the connection on purpose: what in-flight requests are told. */
  private closingWith: DownstreamError | undefined
  /** One timer for all pending requests, armed for the earliest deadline (no timer per call). */
  private readonly timer = new DeadlineTimer((now) => this.sweep(now))
  private readonly t: Transport
  /** The same transport when it is a stdio child's (requests are written as text, synchronously). */
  private readonly stdio: StdioChildTransport | undefined
  private readonly h: RpcHandlers
  /** Answers to no request of ours seen so far (warned about at powers of ten). */
  private strays = 0
  /** The server's messages nested too deep: dropped (pool/deep-messages). */
  private readonly deep: DeepMessages
  /**
   * Set by a 2026-07-28 connection over this one (it reads `resultType`, `ttlMs`, `cacheScope` itself);
   * otherwise (legacy) results lose them (pool/modern-keys).
   */
  keepsModernKeys = false

  constructor(transport: Transport, handlers: RpcHandlers) {
    this.t = transport
    this.h = handlers
    this.deep = new DeepMessages(handlers.log, (answer) => void this.t.send(answer as JSONRPCMessage).catch(() => {}))
    if (transport instanceof StdioChildTransport) {
      this.stdio = transport
      transport.onframe = (m, resultJson) => this.receive(m, resultJson)
      transport.onstderranswer = (m) => this.answeredOnStderr(m)
    } else transport.onmessage = (m) => this.receive(m as unknown as Record<string, unknown>, undefined)
    transport.onclose = () => this.closed(this.h.describeClose?.() ?? "connection closed")
    transport.onerror = (e) => {
      this.h.log.warn("downstream transport error", { error: errorMessage(e) })
      // a stdio child whose stdin cannot be written (writes leave with their burst, after `send`
      // returned): the connection is over, and in-flight calls fail now rather than at their timeout
      if (e instanceof DownstreamError && e.code === "STDOUT_GARBAGE") this.closed(e.message)
      else if (e instanceof DownstreamError && e.code === "WRITE_FAILED" && transport instanceof StdioChildTransport) this.closed(e.message, "WRITE_FAILED")
    }
  }

  get isClosed(): boolean {
    return this.closedReason !== undefined
  }

  get inFlight(): number {
    return this.pending.size
  }

  start(): Promise<void> {
    return this.t.start()
  }

  request(method: string, params: Record<string, unknown> | undefined, opts: RequestOptions): Promise<unknown> {
    // refused before anything was written (`unsent`: the session may send it on a restarted connection)
    if (this.closedReason !== undefined) return Promise.reject(new DownstreamError("NOT_CONNECTED", this.closedReason, { details: { unsent: true } }))
    const abort = opts.cancel ?? opts.signal
    if (isAborted(abort)) return Promise.reject(cancelled(method))
    const id = this.nextId++
    let sendParams = params
    if (opts.onProgress) sendParams = { ...params, _meta: { ...(params?._meta as object | undefined), progressToken: id } }
    return new Promise((resolve, reject) => {
      const startedAt = performance.now()
      const tool = method === "tools/call" && typeof params?.name === "string" ? params.name : answerSubject(method, params)
      const p: Pending = { method, tool, resolve, reject, deadline: startedAt + opts.timeoutMs, opts, startedAt, answersAtStart: this.answers, onAbort: undefined }
      if (abort !== undefined) {
        p.onAbort = () => this.cancel(id, p, "client cancelled")
        listenAbort(abort, p.onAbort)
      }
      this.pending.set(id, p)
      this.timer.arm(p.deadline)
      if (this.stdio !== undefined) {
        // the line built here: no message object, and no promise or reaction for the write
        const head = `{"jsonrpc":"2.0","id":${id},"method":${method === "tools/call" ? '"tools/call"' : JSON.stringify(method)}`
        const error = this.stdio.sendText(sendParams !== undefined ? `${head},"params":${JSON.stringify(sendParams)}}` : `${head}}`)
        if (error !== undefined && this.settle(id, p)) reject(error)
        return
      }
      const msg = (sendParams !== undefined ? { jsonrpc: "2.0", id, method, params: sendParams } : { jsonrpc: "2.0", id, method }) as JSONRPCMessage
      this.t.send(msg).then(undefined, (e: unknown) => {
        if (this.settle(id, p)) reject(e instanceof DownstreamError ? e : new DownstreamError("WRITE_FAILED", errorMessage(e), { cause: e }))
      })
    })
  }

  /**
   * Expire every request past its deadline, then re-arm for the next one. While the server waits on
   * a request of its own to the client (a user answering its elicitation, a 2026-07-28 client's
   * retry bringing the answer to a parked call), its calls do not time out: the question has its
   * own bound (the relay's timeout, the parked call's lifetime), each call's deadline restarts when
   * it is answered (`relay`), and `maxTotalMs` (else ASKING_CAP_MS from its start) still holds. Before, a user had the call's timeout
   * counted from the question to answer it, and a call parked for a 2026-07-28 client timed out
   * under a user who took longer.
   */
  private sweep(now: number): number {
    let next = Infinity
    const asking = this.serving !== undefined && this.serving.size > 0
    for (const [id, p] of this.pending) {
      if (p.deadline <= now + 1) {
        const max = askingCap(p.opts)
        if (!asking || p.startedAt + max <= now + 1) {
          this.expire(id, p)
          continue
        }
        p.asking = true
        p.deadline = Math.min(now + p.opts.timeoutMs, p.startedAt + max)
      }
      if (p.deadline < next) next = p.deadline
    }
    return next
  }

  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    if (this.closedReason !== undefined) return Promise.resolve()
    return this.t.send({ jsonrpc: "2.0", method, ...(params ? { params } : {}) } as JSONRPCMessage).catch(() => {})
  }

  /** Fail one in-flight request (e.g. its response was too large to accept). */
  fail(id: string | number, error: Error): boolean {
    const p = this.pending.get(id as Id)
    if (!p || !this.settle(id as Id, p)) return false
    p.reject(error)
    return true
  }

  /** The request `id` got an answer that is no valid message (`problem`): it fails at once with BAD_RESPONSE. False if it is not in flight. */
  failBadResponse(id: string | number, problem: string): boolean {
    const p = this.pending.get(id as Id)
    if (!p || !this.settle(id as Id, p)) return false
    p.reject(badResponse(p.method, problem, undefined, p.tool))
    return true
  }

  /** The id of the request made last (a stdio request is written when `request` returns). */
  get lastRequestId(): Id {
    return this.nextId - 1
  }

  /** Is this request still waiting for its answer? */
  isPending(id: Id): boolean {
    return this.pending.has(id)
  }

  /** What request `id` (in flight) asked of its answer's size (`RequestOptions.maxAnswerBytes`), with what it called; undefined: no more than any. */
  answerCap(id: string | number): { bytes: number; method: string; tool: string | undefined } | undefined {
    const p = this.pending.get(id as Id)
    const bytes = p?.opts.maxAnswerBytes
    return p === undefined || bytes === undefined ? undefined : { bytes, method: p.method, tool: p.tool }
  }

  /** Ids of requests still waiting. */
  pendingIds(): Id[] {
    return [...this.pending.keys()]
  }

  /**
   * Close the connection. `why`: what requests still in flight are told (the server was removed, the
   * orchestrator is stopping) — not how the child then ended (stdin EOF makes it exit with code 0).
   */
  async close(why?: DownstreamError): Promise<void> {
    this.closingWith ??= why
    try {
      await this.t.close()
    } finally {
      this.closed("connection closed by the orchestrator")
    }
  }

  private receive(m: Record<string, unknown>, resultJson: string | JsonBytes | undefined): void {
    this.received++
    const id = m.id
    const method = m.method
    if (typeof method === "string") {
      if (id !== undefined && id !== null && this.echoed(id as Id, method)) return
      if (this.deep.drops(id, method, m.params)) return
      if (id !== undefined && id !== null) this.answerServerRequest(id as Id, method, m.params as Record<string, unknown> | undefined)
      else this.notification(method, m.params as Record<string, unknown> | undefined)
      return
    }
    const p = this.pending.get(id as Id)
    if (!p) {
      if (resultJson instanceof JsonBytes) resultJson.release()
      return this.stray(m)
    }
    this.settle(id as Id, p)
    this.answers++
    // JSON-RPC 1.0's layout (python jsonrpclib and its kin): both members always, the unused one null —
    // `"error":null` beside a result is that result, `"result":null` beside an error that error
    const err = (m.error === null && m.result !== undefined ? undefined : m.error) as { code?: unknown; message?: unknown; data?: unknown } | undefined
    if (err !== undefined) {
      // both: no valid JSON-RPC response, and no telling which of the two the server meant
      if (m.result !== undefined && m.result !== null) return p.reject(badResponse(p.method, `it carries both a result and an error (${shown(err)}); a JSON-RPC response has one of them`, undefined, p.tool))
      // an error that is no JSON-RPC error object is answered as what it is, not as "-32603: error"
      if (typeof err !== "object" || err === null || Array.isArray(err)) p.reject(badResponse(p.method, `its error is ${shown(err)}, not an object`, undefined, p.tool))
      else {
        // a code that is no number is named in the message (the face makes any code no integer -32603: mcp/error-map)
        const message = typeof err.message === "string" ? err.message : err.message === undefined ? `(no message) ${shown(err)}` : `(its error message is ${shown(err.message)}, not a string)`
        const code = typeof err.code === "number" ? err.code : -32603
        p.reject(new RpcError(p.method, code, typeof err.code === "number" ? message : `${message} (the error code it came with, ${shown(err.code)}, is no JSON-RPC error code: an integer; sent as -32603)`, err.data, p.tool))
      }
    } else if (resultJson instanceof JsonBytes) this.resolveLarge(p, m, resultJson)
    else {
      // a client cannot match a response whose result is not an object to its request: it would
      // wait for its own timeout, so such an answer fails the call here, naming what was wrong
      const problem = resultProblem(p.method, m.result, typeof resultJson === "string" ? resultJson.length : undefined)
      if (problem !== undefined) p.reject(badResponse(p.method, problem, undefined, p.tool))
      // a legacy answer with 2026-07-28 keys: taken off (pool/modern-keys), never forwarded as its text
      else if (this.dropsModernKeys(p.method) && hasModernKeys(m.result)) p.resolve(withoutModernKeys(m.result as object))
      else p.resolve(resultJson !== undefined && p.opts.raw === true ? new RawJson(m.result, resultJson) : m.result)
    }
  }

  /**
   * Our own request come back as the server's (its id and method): a program that writes what it
   * reads (`cat`, a shell loop, a misconfigured bridge) is no MCP server, and nothing will answer it.
   * That request fails at once naming what happened. Before, the echo was answered as a request from
   * the server ("initialize is not supported by mcp-orchestrator"), and that answer echoed back
   * became the request's error: a start failed blaming the orchestrator. Not for the methods both
   * sides send (ping, tasks/*): a server's own request may share an id with ours.
   */
  private echoed(id: Id, method: string): boolean {
    const p = this.pending.get(id)
    if (p === undefined || p.method !== method || method === "ping" || method.startsWith("tasks/")) return false
    this.settle(id, p)
    p.reject(badResponse(method, `it sent our own ${method} request back instead of answering it: a program that echoes what it reads (cat, a shell) is no MCP server`, undefined, p.tool))
    return true
  }

  /**
   * An answer to a request of ours in flight that the server wrote on stderr (stdio): unless the same
   * answer comes on stdout within `STDERR_ANSWER_GRACE_MS` (a server that also logs what it writes:
   * the two pipes are read in no set order), it will never answer there, so that request fails then,
   * saying so, not at its timeout (a start waited out the whole connect timeout and then read as a
   * timeout). Its id as we sent it, or as a string.
   */
  private answeredOnStderr(m: Record<string, unknown>): void {
    const id = typeof m.id === "string" && /^\d+$/.test(m.id) ? Number(m.id) : m.id
    const p = this.pending.get(id as Id)
    if (p === undefined) return
    setTimeout(() => this.failOnStderr(id as Id, p), STDERR_ANSWER_GRACE_MS).unref?.()
  }

  private failOnStderr(id: Id, p: Pending): void {
    if (!this.settle(id, p)) return
    p.reject(
      new DownstreamError("PROTOCOL_ON_STDERR", `it wrote its answer to ${p.method} on stderr: this server writes its protocol messages on stderr; MCP stdio servers must use stdout`, {
        remedy: "Fix the server (or its launch options) so that it writes JSON-RPC messages to stdout and only its logs to stderr.",
        details: { method: p.method },
      }),
    )
  }

  /** A response to no request in flight: a late one is dropped; one that can only be a request's answer fails it; the rest are warned about (pool/stray-answers). */
  private stray(m: Record<string, unknown>): void {
    const v = strayAnswer(m, this.nextId - 1, [...this.pending.keys()])
    if (v.kind === "late") return
    if (v.kind === "owner") return void this.failBadResponse(v.id, v.problem)
    // warned at the 1st, 10th, 100th… (a server answering every request twice is named, not echoed)
    const n = ++this.strays
    if (Number.isInteger(Math.log10(n))) this.h.log.warn("downstream answer to no request dropped", { got: v.what, count: n, remedy: "Fix or update the server: each of its answers must carry the id of the request it answers." })
  }

  /** A large result: forwarded as its bytes when the caller can, else parsed here (one time). */
  private resolveLarge(p: Pending, m: Record<string, unknown>, bytes: JsonBytes): void {
    // forwarded unparsed: checked as JSON (line framer), and a tool result's content blocks over its
    // bytes, one block at a time (nothing parsed whole)
    if (p.opts.raw === true) {
      const c = p.method === "tools/call" ? largeToolResultCheck(bytes) : { problem: undefined, modernKeys: this.dropsModernKeys(p.method) && bytesHaveModernKeys(bytes.chunks) }
      if (c.problem !== undefined) {
        bytes.release()
        return p.reject(badResponse(p.method, c.problem, undefined, p.tool))
      }
      // one with 2026-07-28 keys a legacy client must not get: parsed below, so the same answer as
      // a small one (the keys taken off), never forwarded as its bytes
      if (!(c.modernKeys && this.dropsModernKeys(p.method))) return p.resolve(new RawJson(undefined, bytes))
    }
    // a run_code script's call takes in the texts only, joined: a result of text blocks alone is read
    // over its bytes, block by block (pool/text-join); a million small blocks were a million objects
    if ((p.method === "tools/call" || p.method === "tasks/result") && p.opts.maxAnswerBytes !== undefined) {
      const joined = joinedTextResult(bytes.chunks)
      if (joined !== undefined) {
        bytes.release()
        return p.resolve(joined)
      }
    }
    try {
      const problem = resultProblem(p.method, m.result)
      if (problem !== undefined) p.reject(badResponse(p.method, problem, undefined, p.tool))
      else p.resolve(this.dropsModernKeys(p.method) && hasModernKeys(m.result) ? withoutModernKeys(m.result as object) : m.result)
    } catch (e) {
      p.reject(new DownstreamError("READ_FAILED", `${p.method}: the result could not be read: ${errorMessage(e)}`, { details: { method: p.method } }))
    } finally {
      bytes.release()
    }
  }

  /** A result of `method` loses its 2026-07-28 keys on this connection (a legacy one; pool/modern-keys). */
  private dropsModernKeys(method: string): boolean {
    return !this.keepsModernKeys && method !== "server/discover"
  }

  private notification(method: string, params: Record<string, unknown> | undefined): void {
    if (method === "notifications/progress" && params) {
      const p = this.pending.get(params.progressToken as Id)
      if (!p?.opts.onProgress) {
        // a token of no request in flight: maybe one a caller set itself (a task's progress after its CreateTaskResult, proxy/task-call)
        if (p === undefined) this.h.onNotification?.(method, params)
        return
      }
      const max = p.opts.maxTotalMs
      if (max !== undefined) {
        // progress restarts the timeout, bounded by the maximum total (a later deadline needs no re-arm)
        p.deadline = Math.min(performance.now() + p.opts.timeoutMs, p.startedAt + max)
        this.timer.arm(p.deadline)
      }
      const { progressToken: _drop, ...rest } = params
      try {
        p.opts.onProgress(rest as ProgressParams)
      } catch (e) {
        this.h.log.warn("progress listener failed", { error: errorMessage(e) })
      }
      return
    }
    if (method === "notifications/cancelled" && this.serving !== undefined && params) {
      const c = this.serving.get(params.requestId)
      if (c) return c.abort(new Error(typeof params.reason === "string" ? params.reason : "cancelled by the server"))
    }
    // the server cancelled OUR request (it gave up on a call: no answer will come): the call fails
    // now, saying so, instead of waiting out its whole timeout (a request of its own, above, first)
    if (method === "notifications/cancelled" && params && this.cancelledByServer(params.requestId, params.reason)) return
    this.h.onNotification?.(method, params)
  }

  /** Fail our in-flight request `requestId` the server says it cancelled; false when none is in flight. */
  private cancelledByServer(requestId: unknown, reason: unknown): boolean {
    // (our ids are numbers; a server may echo one as a string)
    const id = typeof requestId === "string" && /^\d{1,15}$/.test(requestId) ? Number(requestId) : requestId
    if (typeof id !== "number") return false
    const p = this.pending.get(id)
    if (p === undefined || !this.settle(id, p)) return false
    const why = typeof reason === "string" && reason.trim() !== "" ? ` (its reason: ${JSON.stringify(reason.trim())})` : ""
    p.reject(new RpcError(p.method, CANCELLED_BY_SERVER, `${p.method} was cancelled by the server itself${why}: it sent notifications/cancelled for this request and will not answer it; retry, and if it recurs see the server's log for why it gives up`, undefined, p.tool))
    return true
  }

  private answerServerRequest(id: Id, method: string, params: Record<string, unknown> | undefined): void {
    if (method !== "ping" && this.h.onRequest) return void this.relay(id, method, params, this.h.onRequest)
    let reply: Record<string, unknown>
    if (method === "ping") reply = { jsonrpc: "2.0", id, result: {} }
    else if (method === "roots/list") reply = { jsonrpc: "2.0", id, result: { roots: [] } }
    else reply = { jsonrpc: "2.0", id, error: { code: -32601, message: `${method} is not supported by mcp-orchestrator` } }
    void this.t.send(reply as JSONRPCMessage).catch(() => {})
  }

  /** Serve one server→client request through `onRequest`; the answer (or error) goes back on this connection. */
  private async relay(id: Id, method: string, params: Record<string, unknown> | undefined, handler: NonNullable<RpcHandlers["onRequest"]>): Promise<void> {
    const serving = (this.serving ??= new Map())
    const c = new AbortController()
    serving.set(id, c)
    // The calls waiting on this answer (e.g. a tools/call waiting for the user) keep their time.
    this.extendPending()
    let reply: Record<string, unknown>
    try {
      reply = { jsonrpc: "2.0", id, result: await handler(method, params, c.signal, this.relatedOwner(id, params)) }
    } catch (e) {
      const x = e as { rpcCode?: unknown; code?: unknown; data?: unknown }
      const code = typeof x.rpcCode === "number" ? x.rpcCode : typeof x.code === "number" ? x.code : -32603
      reply = { jsonrpc: "2.0", id, error: { code, message: errorMessage(e).replace(/^(?:MCP error -?\d+: )+/, ""), ...(x.data !== undefined ? { data: x.data } : {}) } }
    } finally {
      if (serving.get(id) === c) serving.delete(id)
      this.extendPending()
    }
    if (c.signal.aborted || this.closedReason !== undefined) return // cancelled by the downstream, or gone: no answer
    await this.t.send(reply as JSONRPCMessage).catch((e: unknown) => {
      // the answer could not be written (too large, refused): the server gets an error naming why,
      // not silence until its own timeout (pool/unsent-answer); a connection that is gone gets nothing
      if (this.closedReason !== undefined) return
      return this.t.send(unsentAnswer(id, method, e, this.h.log) as JSONRPCMessage).catch(() => {})
    })
  }

  /**
   * The owner of our request in flight the server's request `id` was made for: the one whose response
   * stream carried it (Streamable HTTP), else the one it names (`_meta` related-request id, or the
   * progress token of ours). Undefined when unknown: the proxy then guesses (the server's latest call).
   */
  private relatedOwner(id: Id, params: Record<string, unknown> | undefined): unknown {
    // a call already over is still named (the proxy tells the server so, and asks nobody: before, a
    // question naming a call just answered was taken for an unrelated one, its client asked)
    const owner = (ours: string | number | undefined): unknown => (typeof ours === "number" ? (this.pending.get(ours)?.opts.owner ?? this.endedOwners?.get(ours)) : undefined)
    return owner((this.t as RelatedRequests).relatedRequest?.(id)) ?? owner(namedRequest(params))
  }

  /** Restart the timeout of every pending request (still bounded by `maxTotalMs` when set). */
  private extendPending(): void {
    const now = performance.now()
    for (const p of this.pending.values()) {
      const restarted = Math.min(now + p.opts.timeoutMs, p.startedAt + askingCap(p.opts))
      // the cap bounds the restart of a call without progress, never cuts it below its own timeout
      if (p.opts.maxTotalMs !== undefined) p.deadline = restarted
      else if (restarted > p.deadline) {
        p.deadline = restarted
        p.asking = true
      }
      this.timer.arm(p.deadline)
    }
  }

  private expire(id: Id, p: Pending): void {
    if (!this.settle(id, p)) return
    const w = p.opts.waited
    const elapsed = performance.now() - p.startedAt + (w?.ms ?? 0)
    const budget = p.opts.timeoutMs + (w?.ms ?? 0)
    const note =
      p.opts.maxTotalMs !== undefined
        ? "restarted by each progress notification"
        : p.asking === true
          ? `restarted while the server waited on its questions to the client, up to ${seconds(askingCap(p.opts))} in all (pool.maxTotalTimeout)`
          : (w?.note ?? (w?.what !== undefined ? waitNote(w.what, w.ms) : undefined))
    void this.notify("notifications/cancelled", { requestId: id, reason: "timeout" })
    // the server answered other requests meanwhile: this one is slow, the server is not silent (the
    // session then counts no restart or breaker failure for it: pool/session noteError)
    const meanwhile = this.answers - p.answersAtStart
    const alive = meanwhile > 0 ? `; the server answered ${meanwhile} other request${meanwhile === 1 ? "" : "s"} meanwhile, so it is this ${p.method === "tools/call" ? "tool" : "request"} that is slow` : ""
    p.reject(
      new DownstreamError("TIMEOUT", `${timeoutMessage(p.method, elapsed, budget, note)}; the downstream was sent a cancellation${alive}`, {
        remedy: timeoutRemedy(budget),
        details: { method: p.method, timeoutMs: Math.round(budget), elapsedMs: Math.round(elapsed), ...(meanwhile > 0 ? { answeredMeanwhile: meanwhile } : {}) },
      }),
    )
  }

  private cancel(id: Id, p: Pending, reason: string): void {
    if (!this.settle(id, p)) return
    void this.notify("notifications/cancelled", { requestId: id, reason })
    p.reject(cancelled(p.method))
  }

  /** Remove a pending request and its cancel listener. False if it was already settled. */
  private settle(id: Id, p: Pending): boolean {
    if (this.pending.get(id) !== p) return false
    this.pending.delete(id)
    if (p.opts.owner !== undefined) {
      const ended = (this.endedOwners ??= new Map())
      ended.set(id, p.opts.owner)
      if (ended.size > ENDED_OWNERS_KEPT) ended.delete(ended.keys().next().value!)
    }
    if (p.onAbort !== undefined) unlistenAbort((p.opts.cancel ?? p.opts.signal)!, p.onAbort)
    return true
  }

  /** The connection is over: in-flight calls fail with `code` (why it ended, e.g. WRITE_FAILED). */
  private closed(reason: string, code: "SERVER_EXITED" | "WRITE_FAILED" = "SERVER_EXITED"): void {
    if (this.closedReason !== undefined) return
    const why = this.closingWith
    this.closedReason = why?.message ?? reason
    this.timer.clear()
    // read once, and only when a call is taken (a start's failure quotes it on its own)
    const words = why === undefined && code === "SERVER_EXITED" && [...this.pending.values()].some((p) => p.method !== "initialize") ? this.h.lastWords?.() : undefined
    if (this.serving) for (const c of this.serving.values()) c.abort(new Error(this.closedReason))
    for (const [id, p] of [...this.pending]) {
      this.settle(id, p)
      // the handshake is not a call of anyone's: the server ended before it was up (a start failure)
      const what = p.method === "initialize" ? `${reason} ${BEFORE_INITIALIZE}` : `${reason}; the ${p.method} call was not retried${said(words)}`
      p.reject(why ?? new DownstreamError(code, what, { details: { method: p.method } }))
    }
    try {
      this.h.onClosed?.()
    } catch (e) {
      this.h.log.error("close listener failed", { error: errorMessage(e) })
    }
  }
}

/** The JSON-RPC code of a request the server cancelled itself (-32800, "request cancelled", as LSP numbers it). */
const CANCELLED_BY_SERVER = -32800

function cancelled(method: string): DownstreamError {
  return new DownstreamError("CANCELLED", `${method} was cancelled by the client`)
}

/** How long an answer seen on a stdio server's stderr waits for the same answer on its stdout (`answeredOnStderr`). */
const STDERR_ANSWER_GRACE_MS = 500

/**
 * What makes `result` no valid answer to `method` (the checks every client's schema would fail
 * first), or undefined. `textLength`: the length of the JSON text it was parsed from, when known
 * (a text nesting n levels has at least 2n characters: a short one is not walked for its depth).
 */
export function resultProblem(method: string, result: unknown, textLength?: number): string | undefined {
  if (typeof result !== "object" || result === null || Array.isArray(result)) return `its result is ${shown(result)}, not an object`
  const problem = method === "tools/call" ? toolResultProblem(result, shown) : answerProblem(method, result, shown)
  if (problem !== undefined) return problem
  // a list's items are checked one by one (catalog/validate: a field nested past its bound is not
  // read, only that item is repaired or dropped): one deep definition never fails the whole list
  if (method.endsWith("/list")) return undefined
  // checked without recursion, before anything writes it
  if (textLength !== undefined && textLength <= 2 * MAX_RESULT_DEPTH) return undefined
  return nestsDeeperThan(result, MAX_RESULT_DEPTH) ? `its result nests more than ${MAX_RESULT_DEPTH.toLocaleString("en")} levels of arrays and objects deep` : undefined
}

/**
 * A large tool result's problem, checked over its bytes (`structured` noted on it for the output
 * schema check); undefined when it is valid. What the byte walk cannot read is parsed and checked.
 */
function largeToolResultCheck(bytes: JsonBytes): { problem: string | undefined; modernKeys: boolean } {
  try {
    const c = toolResultBytesProblem(bytes.chunks, shown)
    bytes.structured = c.structured
    bytes.types = c.types
    bytes.noContent = !c.content
    return c
  } catch {
    try {
      const r = bytes.parse()
      return { problem: resultProblem("tools/call", r), modernKeys: hasModernKeys(r) }
    } catch (e) {
      return { problem: `its result could not be read: ${errorMessage(e)}`, modernKeys: false }
    }
  }
}

/**
 * BAD_RESPONSE: the server's answer to `method` (a call of `tool`) is not valid MCP (`remedy`: what
 * follows for the caller). For another method than tools/call, `tool` is what the request was
 * about, with its kind ("prompt greet", "resource a://r": pool/answer-check `answerSubject`).
 */
export function badResponse(method: string, problem: string, remedy = "Fix or update the server; only this call failed.", tool?: string): DownstreamError {
  const about = tool === undefined ? "" : method === "tools/call" ? ` (tool ${tool})` : ` (${tool})`
  // a schema library's issue dump (the SDK client's) in words: which field, what was expected
  return new DownstreamError("BAD_RESPONSE", `its answer to ${method} is not valid MCP${about}: ${issuesInWords(problem)}`, {
    remedy,
    details: { method },
  })
}

/** A value as a short JSON excerpt for an error message. */
export function shown(v: unknown): string {
  if (v === undefined) return "missing"
  let json: string | undefined
  try {
    json = JSON.stringify(v)
  } catch {
    json = undefined
  }
  if (json === undefined) return typeof v
  return json.length > 60 ? `${cutText(json, 60)}…` : json
}

/** "\nstderr: …" when the server said something as it ended. */
function said(words: string | undefined): string {
  return words ? `\n${words}` : ""
}
