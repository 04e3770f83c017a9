/**
 * @module pool/modern-http
 * A 2026-07-28 (modern era) downstream over Streamable HTTP, spoken by the SDK v2 `Client` pinned to
 * the modern revision (per-request POSTs with `Mcp-Method`/`Mcp-Name` headers, cancellation by
 * closing the stream, `server/discover`, `subscriptions/listen`). Wrapped in the same `DownstreamConn`
 * as every other session, with our deadlines and errors: a tools/call is never re-sent.
 * `input_required` results (MRTR) are taken by hand (never auto-fulfilled here) and handed to the
 * proxy, which relays them to the calling client. A request that fails on the wire reads as on a
 * legacy session (`remote-errors.ts`); one whose response stream ends before its answer fails at once
 * (`request-streams.ts`), and so does one whose answer is over `pool.maxFrameBytes` (FRAME_TOO_LARGE:
 * `remote-limits.ts`) or would take the large results in flight over `pool.maxResultBytesInFlight`
 * (RESULTS_OVER_BUDGET). A server signed in with OAuth (`auth login`) gets its stored token as a legacy
 * session does (auth/serve: refresh ahead of expiry and once on a 401, failures as NEEDS_AUTH):
 * without it, a 2026-07-28-only server behind OAuth failed every connect with its 401, naming a
 * login that could not help.
 */
import { Client, ProtocolError, SdkError, SdkErrorCode, StreamableHTTPClientTransport } from "@modelcontextprotocol/client"
import type { RemoteServerSpec } from "../config/index.ts"
import type { ServeAuth } from "../auth/index.ts"
import { DownstreamError, errorMessage, listenAbort, NAME, paramHeaders, scanParamHeaders, unlistenAbort, VERSION, type Logger, type ParamHeader } from "../core/index.ts"
import { timeoutMessage, timeoutRemedy } from "./deadline.ts"
import { CLIENT_CAPABILITIES_META, isDiscoverResult, LOG_LEVEL_META, MODERN_PROTOCOL_VERSION, type DiscoverResult } from "./era.ts"
import type { InitializeInfo, ServerCapabilities } from "./handshake.ts"
import { announceKinds, infoFromDiscover, listenFilter, LISTS, notOurVersions, VERSIONS_REMEDY, REMOVED_METHODS, removedMethod, setLevel, settleModernResult, toolOf, type DownstreamConn } from "./modern-connection.ts"
import { ListenKeeper, RELISTEN_MS } from "./modern-listen.ts"
import { badAnswerOf, checkAnswers, listAnswer } from "./modern-result-check.ts"
import { ResourceListens, type ListenHandle } from "./modern-subscriptions.ts"
import { discoverProblem, isRefusedDiscover } from "./discover-check.ts"
import { ReconnectPacer } from "./remote-reconnect.ts"
import { endpointLabel, isRemoteRequestError, remoteRequestError, watchAnswers, withPlainErrors, type SeenAnswer } from "./remote-errors.ts"
import { registerHeaderSecrets, withOAuth, withStreams } from "./remote-transport.ts"
import { ANSWER_CAP_HEADER, REQUEST_TAG_HEADER, RequestStreams } from "./request-streams.ts"
import { badResponse, RpcError, type RequestOptions } from "./rpc.ts"

/** The list methods, whose answers are checked item by item here (catalog/validate via proxy/fetch-list), not whole by the SDK. */
const LIST_METHODS = new Set(["tools/list", "prompts/list", "resources/list", "resources/templates/list"])

/**
 * The result schema a list is asked with: any value, kept as it came. The SDK's own would parse it
 * again, without the items modern-result-check carries past its codec's check (`listAnswer`): one
 * tool it refuses failed the whole list. Each item is checked after (catalog/validate).
 */
const ANY_LIST = {
  "~standard": { version: 1, vendor: "mcp-orchestrator", validate: (value: unknown) => ({ value }) },
} as const

const DISCOVER_REMEDY = "The server's answer to server/discover breaks the 2026-07-28 schema: fix or update the server; if it still answers initialize, pin servers.<name>.protocol: legacy meanwhile."

/** Notifications passed on to the proxy, as on a legacy session. */
const RELAYED = ["notifications/tools/list_changed", "notifications/prompts/list_changed", "notifications/resources/list_changed", "notifications/resources/updated", "notifications/message"] as const

export interface ModernHttpOptions {
  server: string
  spec: RemoteServerSpec
  log: Logger
  connectTimeoutMs: number
  /** `pool.maxFrameBytes`: the most a response body (an SSE event) may hold. */
  maxFrameBytes: number
  /** The connect's deadline: when it aborts, the connect is given up and its client closed (its requests, streams). */
  signal?: AbortSignal
  onNotification(method: string, params: Record<string, unknown> | undefined): void
  onClosed(): void
  /** The DiscoverResult the era probe already got: adopted, no second `server/discover`. */
  prior?: DiscoverResult
  /** The server's OAuth login (auth/index `remoteAuthFor`), undefined when its headers set Authorization. */
  oauth?: ServeAuth
}

export async function openModernHttp(o: ModernHttpOptions): Promise<{ conn: ModernHttpConnection; info: InitializeInfo }> {
  const headers = registerHeaderSecrets(o.spec.headers ?? {})
  const url = new URL(o.spec.url)
  const endpoint = endpointLabel(url)
  const client = new Client({ name: NAME, version: VERSION }, { versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } })
  // failures worded as the legacy transport's (remote-errors.ts); a response stream that ends before its answer fails its request
  const seen: SeenAnswer = {}
  // reconnections of streams that end at once, empty, are paced (remote-reconnect.ts)
  const pacer = new ReconnectPacer()
  const streams = new RequestStreams(o.server, endpoint, { maxFrameBytes: o.maxFrameBytes, log: o.log, pacer })
  const oauth = o.oauth
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers },
    fetch: streams.fetch(watchAnswers(oauth?.fetch ?? ((u, init) => fetch(u, init)), seen)),
    reconnectionScheduler: pacer.pace(streams.scheduler),
    // as on a legacy session (pool/remote-transport): the stored token, one refresh on a 401, and a
    // scope challenge failing its request (a re-authorization needs the user's consent: auth login --scope)
    ...(oauth ? { authProvider: oauth.provider, onInsufficientScope: "throw" as const } : {}),
  })
  if (oauth) withOAuth(transport, oauth)
  // every message the server sends, of any kind: a health check that times out meanwhile passes (pool/health-check)
  const heard = { received: 0 }
  withStreams(transport, streams, () => {
    heard.received++
    pacer.noteMessage()
    return false
  })
  withPlainErrors(transport, endpoint, seen)
  // a bad answer fails its own request as BAD_RESPONSE, not as a failed HTTP request (pool/modern-result-check)
  checkAnswers(transport, o.log)
  const giveUp = (): void => void client.close().catch(() => {})
  // during the connect, a request whose stream ended without its answer (or whose answer was over
  // maxFrameBytes) ends the connect at once, with that cause (its stream is not read any more)
  let ended: DownstreamError | undefined
  const cut = new AbortController()
  streams.onEnded = (end) => {
    ended ??= end.error
    cut.abort(end.error)
    // the SDK's version negotiation runs on the transport before the client takes it: its close ends that
    void transport.close().catch(() => {})
  }
  const signal = o.signal ? AbortSignal.any([o.signal, cut.signal]) : cut.signal
  o.signal?.addEventListener("abort", giveUp, { once: true })
  try {
    await client.connect(transport, { timeout: o.connectTimeoutMs, signal, ...(o.prior ? { prior: { kind: "modern" as const, discover: o.prior as never } } : {}) })
    if (o.signal?.aborted) throw new DownstreamError("TIMEOUT", "the connect deadline passed")
    if (ended !== undefined) throw ended
  } catch (e) {
    void client.close().catch(() => {})
    // a login needed (or a scope): the session waits in needs-auth with the exact command, as a legacy one
    const auth = authFailure(e)
    if (auth) throw auth
    // a request that failed on the wire (also inside the SDK's "Version negotiation probe failed") names
    // the endpoint and the cause itself, with its remedy: worded as the legacy transport words it
    const wire = ended ?? wireFailure(e)
    // the SDK's "Unsupported protocol version: 2026-07-28" reads as if we had sent a wrong one: say what the server supports
    const versions = wire ? undefined : supportedIn(e)
    // a DiscoverResult the SDK's schema refused: what is wrong with it (the probe's answer), not the SDK's words
    const refused = !wire && !versions && isRefusedDiscover(errorMessage(e))
    const problem = refused ? (o.prior !== undefined ? discoverProblem(o.prior) : undefined) : undefined
    const why = refused ? `its server/discover answer is no valid 2026-07-28 DiscoverResult${problem ? `: ${problem}` : " (supportedVersions must list 2026-07-28, as strings; each capability the spec defines must be an object)"}` : undefined
    throw new DownstreamError("CONNECT_FAILED", `server ${o.server} ${wire ? "" : `(${endpoint}) `}failed the 2026-07-28 connect: ${versions ? `it ${notOurVersions(versions)}` : (why ?? errorMessage(wire ?? e))}`, {
      cause: ended ?? e,
      remedy: wire?.remedy ?? (versions ? VERSIONS_REMEDY : refused ? DISCOVER_REMEDY : "Check the url and headers; pin servers.<name>.protocol: legacy if the server still answers initialize."),
      // (it answered server/discover: it speaks Streamable HTTP, no SSE fallback is tried: pool/connect)
      details: { server: o.server, transport: "streamable-http", ...(refused ? { discoverRefused: true } : {}) },
    })
  } finally {
    o.signal?.removeEventListener("abort", giveUp)
  }
  const discover = client.getDiscoverResult()
  if (!isDiscoverResult(discover)) {
    void client.close().catch(() => {})
    throw new DownstreamError("PROTOCOL_VERSION", `server ${o.server} gave no DiscoverResult`)
  }
  const conn = new ModernHttpConnection(client, o, endpoint, seen, heard)
  streams.onEnded = (end) => conn.streamEnded(end.tag, end.error)
  const info = infoFromDiscover(discover)
  conn.listen(info.capabilities)
  return { conn, info }
}

/** `e` and the errors it was caused by, four deep at most (the SDK wraps the connect's failure). */
function* causes(e: unknown): Generator<unknown> {
  for (let x = e, depth = 0; x !== undefined && x !== null && depth < 4; x = (x as { cause?: unknown }).cause, depth++) yield x
}

/** The versions an SDK UnsupportedProtocolVersionError (or its cause) says the server supports, else undefined. */
function supportedIn(e: unknown): unknown[] | undefined {
  for (const x of causes(e)) {
    const s = (x as { data?: { supported?: unknown } }).data?.supported
    if (Array.isArray(s)) return s
  }
  return undefined
}

/** The NEEDS_AUTH or INSUFFICIENT_SCOPE error (auth/serve) `e` is, or was caused by (the SDK wraps the connect's). */
function authFailure(e: unknown): DownstreamError | undefined {
  for (const x of causes(e)) if (x instanceof DownstreamError && (x.code === "NEEDS_AUTH" || x.code === "INSUFFICIENT_SCOPE")) return x
  return undefined
}

/** The remote request error `e` is, or was caused by (the SDK wraps the connect's). */
function wireFailure(e: unknown): DownstreamError | undefined {
  for (const x of causes(e)) if (isRemoteRequestError(x) || (x instanceof DownstreamError && (x.code === "FRAME_TOO_LARGE" || x.code === "RESULTS_OVER_BUDGET"))) return x
  return undefined
}

export class ModernHttpConnection implements DownstreamConn {
  private closed = false
  private sub: { close(): Promise<void> } | undefined
  /** The list-change listen (none when the server announces no list changes). */
  private keeper: ListenKeeper | undefined
  private readonly onNotification: ModernHttpOptions["onNotification"]
  private readonly client: Client
  private readonly log: Logger
  /** Set by `logging/setLevel`: sent in the `_meta` of each request. */
  logLevel: string | undefined
  /** `resources/subscribe` as one `subscriptions/listen` per URI. */
  private readonly resources: ResourceListens
  /** Per tool name, the arguments it mirrors into `Mcp-Param-*` headers (from the last listing that ended). */
  private paramHeaders = new Map<string, readonly ParamHeader[]>()
  /**
   * The declarations of the listing under way, page by page: consulted before `paramHeaders`, so a
   * tool's headers take effect with its page. A listing the proxy cuts short (page cap, a cursor
   * given again, a bad cursor, the item or byte cap) never gets a last page: its declarations stay
   * in use here until the next listing starts, which makes them the ended listing's map.
   */
  private listing: Map<string, readonly ParamHeader[]> | undefined
  /** Requests in flight by their tag (`REQUEST_TAG_HEADER`): what fails one whose response stream ended. */
  private readonly inFlight = new Map<string, (e: DownstreamError) => void>()
  private tags = 0
  /**
   * Answers the server gave (results and error answers): a request that times out after others were
   * answered is one slow tool, not a silent server, as on a legacy connection (pool/rpc), and the
   * session counts no restart or breaker failure for it (pool/session noteError).
   */
  private answers = 0
  private readonly endpoint: string
  private readonly seen: SeenAnswer

  /** Messages of any kind the server sent (pool/health-check). */
  private readonly heard: { readonly received: number }

  constructor(client: Client, o: ModernHttpOptions, endpoint: string, seen: SeenAnswer, heard: { readonly received: number } = { received: 0 }) {
    this.heard = heard
    this.client = client
    this.log = o.log
    this.endpoint = endpoint
    this.seen = seen
    this.onNotification = o.onNotification
    this.resources = new ResourceListens((uri) => this.listenResource(uri), () => this.closed, o.log, RELISTEN_MS)
    for (const m of RELAYED) client.setNotificationHandler(m, (n) => o.onNotification(m, n.params as Record<string, unknown> | undefined))
    client.onclose = () => {
      if (this.closed) return
      this.closed = true
      o.onClosed()
    }
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Messages of any kind received from the server (answers, its requests, notifications). */
  get received(): number {
    return this.heard.received
  }

  async request(method: string, params: Record<string, unknown> | undefined, opts: RequestOptions): Promise<unknown> {
    if (this.closed) throw new DownstreamError("NOT_CONNECTED", "connection closed", { details: { unsent: true } })
    if (method === "logging/setLevel") return setLevel(this, params)
    if (method === "resources/subscribe") return this.resources.subscribe(params)
    if (method === "resources/unsubscribe") return this.resources.unsubscribe(params)
    if (REMOVED_METHODS.has(method)) throw removedMethod(method)
    // its own POST: the server may answer it before it registered a listen still unacknowledged
    if (LISTS.has(method)) this.keeper?.listing()
    // our keys win over the client's envelope (user `_meta` keys take precedence in the SDK)
    const m = opts.modern
    const level = m?.logLevel ?? this.logLevel
    if (level !== undefined || m?.clientCapabilities !== undefined) {
      params = {
        ...params,
        _meta: { ...(params?._meta as object | undefined), ...(level !== undefined ? { [LOG_LEVEL_META]: level } : {}), ...(m?.clientCapabilities !== undefined ? { [CLIENT_CAPABILITIES_META]: m.clientCapabilities } : {}) },
      }
    }
    // SEP-2243: arguments the tool marks with x-mcp-header go in Mcp-Param-* headers too (a modern server rejects a call without them)
    // from the proxy's copy of the definition (known before this connection has listed anything), else our last listing
    const declared = method === "tools/call" && typeof params?.name === "string" ? (opts.modern?.paramHeaders ?? this.declaredOf(params.name)) : undefined
    const abort = opts.cancel ?? opts.signal
    const ac = new AbortController()
    const onAbort = (): void => ac.abort()
    if (abort) listenAbort(abort, onAbort)
    // the server may close the request's stream before the answer: the request fails with that
    const tag = String(++this.tags)
    let ended: DownstreamError | undefined
    this.inFlight.set(tag, (e) => {
      ended = e
      ac.abort()
    })
    const startedAt = performance.now()
    const answersAtStart = this.answers
    try {
      let r = await (this.client.request as (req: { method: string; params?: Record<string, unknown> }, ...rest: object[]) => Promise<unknown>)(
        { method, ...(params ? { params } : {}) },
        ...(LIST_METHODS.has(method) ? [ANY_LIST] : []),
        {
          signal: ac.signal,
          timeout: opts.timeoutMs,
          // an input_required result comes back as it is (settleModernResult decides what to do with it)
          allowInputRequired: true,
          // a run_code script's call: an answer over what it can take in is refused unread (pool/answer-cap)
          headers: { ...(declared ? paramHeaders(declared, params!.arguments) : {}), [REQUEST_TAG_HEADER]: tag, ...(opts.maxAnswerBytes !== undefined ? { [ANSWER_CAP_HEADER]: String(opts.maxAnswerBytes) } : {}) },
          ...(opts.onProgress ? { onprogress: opts.onProgress, resetTimeoutOnProgress: true, ...(opts.maxTotalMs ? { maxTotalTimeout: opts.maxTotalMs } : {}) } : {}),
        },
      )
      this.answers++
      // a list's items as the server sent them (modern-result-check: the SDK never read them)
      if (LIST_METHODS.has(method)) r = listAnswer(r)
      if (method === "tools/list") this.noteParamHeaders(params, r)
      return settleModernResult(method, r, m?.inputRequired, toolOf(method, params))
    } catch (e) {
      if (ended !== undefined) throw ended
      if (abort?.aborted) throw new DownstreamError("CANCELLED", `${method} was cancelled by the client`)
      if (e instanceof ProtocolError) this.answers++
      throw this.ourError(method, e, opts, performance.now() - startedAt, this.answers - answersAtStart)
    } finally {
      this.inFlight.delete(tag)
      if (abort) unlistenAbort(abort, onAbort)
    }
  }

  /** The response stream of the request tagged `tag` ended without its answer. */
  streamEnded(tag: string | undefined, error: DownstreamError): void {
    const fail = tag !== undefined ? this.inFlight.get(tag) : undefined
    if (fail === undefined) return
    if (error.details?.answerCap === true) this.log.warn("answer dropped unread: over what its request takes", { method: error.details.method, bytes: error.details.bytes, limit: error.details.limit })
    else if (error.code === "FRAME_TOO_LARGE") this.log.error("oversize message from downstream dropped", { method: error.details?.method, bytes: error.details?.bytes, limit: error.details?.limit })
    else if (error.code === "RESULTS_OVER_BUDGET") this.log.warn("large result dropped: result budget exceeded", { method: error.details?.method, bytes: error.details?.bytes, inFlight: error.details?.inFlight, limit: error.details?.limit })
    else if (error.code === "BAD_RESPONSE") this.log.warn("downstream answered a request with something that is not its answer", { method: error.details?.method, error: error.message })
    else this.log.warn("downstream closed a response stream before answering", { method: error.details?.method })
    fail(error)
  }

  /** The x-mcp-header declarations of the listed tools (a first page starts the list afresh). */
  private noteParamHeaders(params: Record<string, unknown> | undefined, r: unknown): void {
    if (params?.cursor === undefined || this.listing === undefined) {
      // a listing cut short ended with the last page it read: its declarations are the listing's
      if (this.listing !== undefined) this.paramHeaders = this.listing
      this.listing = new Map()
    }
    const page = r as { tools?: unknown; nextCursor?: unknown } | undefined
    for (const t of Array.isArray(page?.tools) ? (page.tools as { name?: unknown; inputSchema?: unknown }[]) : []) {
      if (typeof t?.name !== "string") continue
      const scan = scanParamHeaders(t.inputSchema)
      if (!scan.ok) this.log.warn("a tool's x-mcp-header declaration is invalid; its calls carry no Mcp-Param headers", { tool: t.name, why: scan.why })
      // listed without (valid) declarations: none, not the previous listing's
      this.listing.set(t.name, scan.ok ? scan.headers : [])
    }
    if (page?.nextCursor === undefined || page.nextCursor === null || page.nextCursor === "") {
      this.paramHeaders = this.listing
      this.listing = undefined
    }
  }

  /** The `Mcp-Param-*` arguments of tool `name`: the listing under way's pages first, then the last ended listing's. */
  private declaredOf(name: string): readonly ParamHeader[] | undefined {
    const d = this.listing?.get(name) ?? this.paramHeaders.get(name)
    return d === undefined || d.length === 0 ? undefined : d
  }

  /** Client→server notifications (cancellation is closing the stream on HTTP): nothing to send. */
  notify(): Promise<void> {
    return Promise.resolve()
  }

  /** `server/discover` as the health check; its failures worded as a request's (a timeout is TIMEOUT, an error answer RpcError: pool/health-check). */
  check(timeoutMs: number): Promise<unknown> {
    const startedAt = performance.now()
    return this.client.discover({ timeout: timeoutMs }).then(
      (r) => {
        this.answers++
        return r
      },
      (e: unknown) => {
        if (e instanceof ProtocolError) this.answers++
        throw this.ourError("server/discover", e, { timeoutMs }, performance.now() - startedAt)
      },
    )
  }

  /** `subscriptions/listen` for the list changes the server announces, kept open as `ListenKeeper` says. */
  listen(caps: ServerCapabilities): void {
    const filter = listenFilter(caps)
    if (Object.keys(filter).length === 0 || this.closed || this.keeper !== undefined) return
    const keeper = new ListenKeeper(
      () => {
        this.client.listen(filter).then(
          (sub) => {
            this.sub = sub
            keeper.acknowledged()
            void sub.closed.then((how) => {
              if (how !== "local") keeper.ended(how, false)
            })
          },
          // an error answer: a refusal unless a listen was acknowledged before (ListenKeeper)
          (e: unknown) => keeper.ended(e, e instanceof ProtocolError),
        )
      },
      () => announceKinds(filter, this.onNotification),
      this.log,
      () => this.closed,
    )
    this.keeper = keeper
    keeper.start()
  }

  /** Whether list changes reach us now (an acknowledged listen is open); true when the server announces none. */
  get followsListChanges(): boolean {
    return this.keeper === undefined || this.keeper.following
  }

  /** One URI's `subscriptions/listen`; refused when the server's acknowledged filter leaves the URI out. */
  private async listenResource(uri: string): Promise<ListenHandle> {
    const sub = await this.client.listen({ resourceSubscriptions: [uri] }).catch((e: unknown) => {
      throw this.ourError("subscriptions/listen", e, { timeoutMs: 0 }, 0)
    })
    if (!sub.honoredFilter.resourceSubscriptions?.includes(uri)) {
      void sub.close().catch(() => {})
      throw new RpcError("resources/subscribe", -32601, `the server did not accept a subscription to ${uri}`, undefined)
    }
    return { ended: sub.closed.then((how) => String(how)), close: () => void sub.close().catch(() => {}) }
  }

  async close(): Promise<void> {
    this.closed = true
    this.keeper?.stop()
    this.resources.closeAll()
    await this.sub?.close().catch(() => {})
    await this.client.close().catch(() => {})
  }

  /** `meanwhile`: the answers the server gave other requests while this one was in flight. */
  private ourError(method: string, e: unknown, opts: RequestOptions, elapsed: number, meanwhile = 0): Error {
    if (e instanceof DownstreamError) return e
    const bad = badAnswerOf(method, e)
    if (bad !== undefined) return bad
    if (e instanceof ProtocolError) return new RpcError(method, e.code, e.message, e.data)
    // what the SDK's result schemas refuse that the check before them let through (a missing resultType…): this call's answer, not the wire
    if (e instanceof SdkError && (e.code === SdkErrorCode.InvalidResult || e.code === SdkErrorCode.UnsupportedResultType)) return badResponse(method, e.message.replace(/^Invalid result for [^:]+: /, ""))
    if (e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout) {
      const alive = meanwhile > 0 ? `; the server answered ${meanwhile} other request${meanwhile === 1 ? "" : "s"} meanwhile, so it is this ${method === "tools/call" ? "tool" : "request"} that is slow` : ""
      return new DownstreamError("TIMEOUT", `${timeoutMessage(method, elapsed, opts.timeoutMs)}; the request stream was closed${alive}`, {
        remedy: timeoutRemedy(opts.timeoutMs),
        details: { method, timeoutMs: Math.round(opts.timeoutMs), elapsedMs: Math.round(elapsed), ...(meanwhile > 0 ? { answeredMeanwhile: meanwhile } : {}) },
      })
    }
    if (e instanceof SdkError && e.code === SdkErrorCode.ConnectionClosed) return new DownstreamError("NOT_CONNECTED", errorMessage(e), { cause: e })
    return remoteRequestError(e, this.endpoint, this.seen) as Error
  }
}
