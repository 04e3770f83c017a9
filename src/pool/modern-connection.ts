/**
 * @module pool/modern-connection
 * A 2026-07-28 (modern era) downstream over our lean JSON-RPC client: the same framing, deadlines,
 * progress and `notifications/cancelled` as a legacy session, plus the `_meta` envelope on every
 * request (with the calling client's capabilities and log level), `server/discover` instead of
 * `initialize` and `ping`, and `input_required` results (MRTR) handed to the proxy when it asked for
 * them. Change notifications come through `subscriptions/listen`, re-opened when it ends while the
 * connection lives.
 */
import { DownstreamError, errorMessage, type Logger } from "../core/index.ts"
import { isDiscoverResult, MODERN_PROTOCOL_VERSION, serverInfoOf, withEnvelope, type DiscoverResult } from "./era.ts"
import type { InitializeInfo, ServerCapabilities } from "./handshake.ts"
import { MODERN_RESULT_KEYS } from "./modern-keys.ts"
import { ListenKeeper, RELISTEN_MS } from "./modern-listen.ts"
import { REFUSED, ResourceListens, type ListenHandle } from "./modern-subscriptions.ts"
import { badResponse, RpcError, shown, type RequestOptions, type RpcConnection } from "./rpc.ts"

/** What a session needs of a downstream connection, whatever its era. */
export interface DownstreamConn {
  readonly isClosed: boolean
  /** 2026-07-28: whether the server's list changes reach us now (its listen is acknowledged and open); absent: they do. */
  readonly followsListChanges?: boolean
  request(method: string, params: Record<string, unknown> | undefined, opts: RequestOptions): Promise<unknown>
  notify(method: string, params?: Record<string, unknown>): Promise<void>
  /** `why`: what requests still in flight are told when the orchestrator closes it on purpose. */
  close(why?: DownstreamError): Promise<void>
}

/** Methods whose results may be `input_required` (MRTR). */
export const MRTR_METHODS: ReadonlySet<string> = new Set(["tools/call", "prompts/get", "resources/read"])
/** List results keep their cache hints (`ttlMs`, `cacheScope`): the proxy reads them, clients never see list results as they are. */
export const LISTS: ReadonlySet<string> = new Set(["tools/list", "prompts/list", "resources/list", "resources/templates/list"])
/** Methods the 2026-07-28 revision removed: answered here as "method not found", never sent. */
export const REMOVED_METHODS: ReadonlySet<string> = new Set(["initialize", "ping", "resources/subscribe", "resources/unsubscribe"])

export function removedMethod(method: string): RpcError {
  return new RpcError(method, -32601, `${method} does not exist in MCP 2026-07-28 (the server speaks only that revision)`, undefined)
}

/** The first message of an acknowledged `subscriptions/listen`, its `_meta` naming the listen's request id. */
export const LISTEN_ACK = "notifications/subscriptions/acknowledged"
const SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId"

/** The list-changed notification of each kind a listen follows: told after a listen is open again (changes meanwhile went unannounced). */
export function announceKinds(filter: Record<string, true>, notify: (method: string, params: undefined) => void): void {
  if (filter.toolsListChanged) notify("notifications/tools/list_changed", undefined)
  if (filter.promptsListChanged) notify("notifications/prompts/list_changed", undefined)
  if (filter.resourcesListChanged) notify("notifications/resources/list_changed", undefined)
}

/** The `subscriptions/listen` filter for the list changes a server announces (empty: nothing to follow). */
export function listenFilter(caps: ServerCapabilities): Record<string, true> {
  return {
    ...(caps.tools?.listChanged ? { toolsListChanged: true } : {}),
    ...(caps.prompts?.listChanged ? { promptsListChanged: true } : {}),
    ...(caps.resources?.listChanged ? { resourcesListChanged: true } : {}),
  }
}

export async function discover(rpc: RpcConnection, timeoutMs: number): Promise<DiscoverResult> {
  const r = await rpc.request("server/discover", withEnvelope(undefined), { timeoutMs })
  if (!isDiscoverResult(r)) throw new DownstreamError("PROTOCOL_VERSION", "downstream answered server/discover with something that is not a DiscoverResult")
  if (!r.supportedVersions.includes(MODERN_PROTOCOL_VERSION)) throw new DownstreamError("PROTOCOL_VERSION", `downstream ${notOurVersions(r.supportedVersions)}`, { remedy: VERSIONS_REMEDY })
  return r
}

export const VERSIONS_REMEDY = `Pin servers.<name>.protocol: legacy if it still answers initialize, or use a server that speaks ${MODERN_PROTOCOL_VERSION}.`

/** "supports 2099-01-01, not 2026-07-28": the versions a server named when none is ours (its DiscoverResult, or a -32022's `data.supported`). */
export function notOurVersions(supported: readonly unknown[]): string {
  const named = supported.map((v) => JSON.stringify(v)?.replace(/^"|"$/g, "").slice(0, 40) ?? String(v)).slice(0, 8)
  return `supports ${named.length > 0 ? named.join(", ") : "no protocol version"}, not ${MODERN_PROTOCOL_VERSION}`
}

/**
 * The DiscoverResult in the shape the rest of the orchestrator knows from `initialize`. (A modern
 * server declaring `logging` takes the level per request: `logging/setLevel` toward it is kept on the
 * connection and sent in the `_meta` of each later request.)
 */
export function infoFromDiscover(d: DiscoverResult): InitializeInfo {
  return {
    protocolVersion: MODERN_PROTOCOL_VERSION,
    capabilities: d.capabilities as ServerCapabilities,
    serverInfo: serverInfoOf(d),
    ...(typeof d.instructions === "string" ? { instructions: d.instructions } : {}),
  }
}

export class ModernConnection implements DownstreamConn {
  private readonly rpc: RpcConnection
  private readonly log: Logger
  /** The list-change listen (none when the server announces no list changes). */
  private keeper: ListenKeeper | undefined
  /** Resource listens open now, by request id: whether the server acknowledged each. */
  private readonly resourceListens = new Map<number, boolean>()
  /** The request id of the list listen open now. */
  private listenId: number | undefined
  private readonly onNotification: (method: string, params: Record<string, unknown> | undefined) => void
  /** Set by `logging/setLevel` (the proxy's, when a client sets one): sent with each request. */
  logLevel: string | undefined
  /** `resources/subscribe` as one `subscriptions/listen` per URI. */
  private readonly resources: ResourceListens

  constructor(rpc: RpcConnection, log: Logger, onNotification: (method: string, params: Record<string, unknown> | undefined) => void) {
    this.rpc = rpc
    rpc.keepsModernKeys = true
    this.log = log
    this.onNotification = onNotification
    this.resources = new ResourceListens((uri) => this.listenResource(uri), () => this.rpc.isClosed, log, RELISTEN_MS)
  }

  get isClosed(): boolean {
    return this.rpc.isClosed
  }

  request(method: string, params: Record<string, unknown> | undefined, opts: RequestOptions): Promise<unknown> {
    if (method === "logging/setLevel") return setLevel(this, params)
    if (method === "resources/subscribe") return this.resources.subscribe(params)
    if (method === "resources/unsubscribe") return this.resources.unsubscribe(params)
    if (REMOVED_METHODS.has(method)) return Promise.reject(removedMethod(method))
    // results are inspected (input_required, modern-only keys), so never the raw pass-through
    const o = opts.raw ? { ...opts, raw: false } : opts
    const m = opts.modern
    return this.rpc.request(method, withEnvelope(params, m?.logLevel ?? this.logLevel, m?.clientCapabilities), o).then((r) => settleModernResult(method, r, m?.inputRequired, toolOf(method, params)))
  }

  /** Only request-scoped notifications exist toward a modern server (roots/list_changed etc. were removed). */
  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return method === "notifications/cancelled" || method === "notifications/progress" ? this.rpc.notify(method, params) : Promise.resolve()
  }

  /** Health: `server/discover` (the modern era has no `ping`). */
  check(timeoutMs: number): Promise<unknown> {
    return discover(this.rpc, timeoutMs)
  }

  /**
   * Ask for the list changes the server can announce. Its notifications arrive like legacy ones
   * (`notifications/tools/list_changed`…, tagged with the subscription id) and take the same path.
   * Kept open as `ListenKeeper` says (re-opened after an acknowledged one ends). Lists asked for
   * before its acknowledgement need no second read here: a stdio server reads its one pipe in order,
   * so the listen is registered before any later request is answered (over HTTP it is not: see
   * `ListenKeeper.listing`).
   */
  listen(caps: ServerCapabilities): void {
    const notifications = listenFilter(caps)
    if (Object.keys(notifications).length === 0 || this.rpc.isClosed || this.keeper !== undefined) return
    const keeper = new ListenKeeper(
      () => {
        const ended = this.rpc.request("subscriptions/listen", withEnvelope({ notifications }), { timeoutMs: 2 ** 31 - 1 })
        const id = this.rpc.lastRequestId
        this.listenId = id
        ended.then(
          () => this.listenEnded(id, "the server ended it", false),
          // an error answer: a refusal unless a listen was acknowledged before (ListenKeeper)
          (e: unknown) => this.listenEnded(id, e, e instanceof RpcError),
        )
      },
      () => announceKinds(notifications, this.onNotification),
      this.log,
      () => this.rpc.isClosed,
    )
    this.keeper = keeper
    keeper.start()
  }

  /** Whether list changes reach us now (an acknowledged listen is open); true when the server announces none. */
  get followsListChanges(): boolean {
    return this.keeper === undefined || this.keeper.following
  }

  /** `notifications/subscriptions/acknowledged` from the server: of the list listen or a resource listen, by the id it names. */
  acknowledged(params: Record<string, unknown> | undefined): void {
    const meta = params?._meta as Record<string, unknown> | undefined
    const id = meta?.[SUBSCRIPTION_ID]
    if (this.listenId !== undefined && id === this.listenId) this.keeper?.acknowledged()
    else if (typeof id === "number" && this.resourceListens.has(id)) this.resourceListens.set(id, true)
  }

  private listenEnded(id: number, why: unknown, refused: boolean): void {
    if (this.listenId !== id) return
    this.listenId = undefined
    this.keeper?.ended(why, refused)
  }

  /**
   * One URI's `subscriptions/listen` (its `resourceSubscriptions`). Open once written: the caller
   * checked the server declares `resources.subscribe`, which is what a server honours it by; a
   * cancelled listen sends `notifications/cancelled`, which ends it at the server.
   */
  private listenResource(uri: string): Promise<ListenHandle> {
    const ac = new AbortController()
    const request = this.rpc.request("subscriptions/listen", withEnvelope({ notifications: { resourceSubscriptions: [uri] } }), { timeoutMs: 2 ** 31 - 1, signal: ac.signal })
    const id = this.rpc.lastRequestId
    this.resourceListens.set(id, false)
    const ended = request
      .then(
        () => "ended",
        // an error answer before the acknowledgement is a refusal (asking again would be refused again); anything else, e.g. a restart, is not
        (e: unknown) => (ac.signal.aborted ? "local" : e instanceof RpcError && this.resourceListens.get(id) !== true ? `${REFUSED}${errorMessage(e)}` : errorMessage(e)),
      )
      .finally(() => this.resourceListens.delete(id))
    return Promise.resolve({ ended, close: () => ac.abort() })
  }

  close(why?: DownstreamError): Promise<void> {
    this.keeper?.stop()
    this.resources.closeAll()
    return this.rpc.close(why)
  }
}

/** `logging/setLevel` toward a modern server: remembered on the connection, answered with an empty result. */
export function setLevel(conn: { logLevel: string | undefined }, params: Record<string, unknown> | undefined): Promise<object> {
  const level = params?.level
  if (typeof level !== "string") return Promise.reject(new RpcError("logging/setLevel", -32602, "level must be a string", undefined))
  conn.logLevel = level
  return Promise.resolve({})
}

/** The tool a `tools/call` names (for an error about its answer). */
export function toolOf(method: string, params: Record<string, unknown> | undefined): string | undefined {
  return method === "tools/call" && typeof params?.name === "string" ? params.name : undefined
}

/**
 * A modern result as a legacy-shaped one. `input_required` (MRTR) is returned as it is when the
 * caller relays it (`inputRequired`), else it fails the call plainly; list results keep their cache
 * hints. A `resultType` other than `complete` and `input_required` is no answer anyone can act on
 * (BAD_RESPONSE naming it; `tool`: the tool a tools/call named); none at all is `complete` (SEP-2322).
 */
export function settleModernResult(method: string, r: unknown, inputRequired?: boolean, tool?: string): unknown {
  if (typeof r !== "object" || r === null) return r
  const o = r as Record<string, unknown>
  const type = o.resultType
  if (type !== undefined && type !== "complete" && type !== "input_required") {
    throw badResponse(method, `its resultType is ${shown(type)}, which is no 2026-07-28 result type ("complete" or "input_required")`, undefined, tool)
  }
  if (type === "input_required") {
    // a list (or any method but the three) can never be given input: that answer is no answer, the
    // server's failure to list (retried, shown in its status, named in the calls that miss its tools)
    if (!MRTR_METHODS.has(method)) throw badResponse(method, `its resultType is "input_required", which only tools/call, prompts/get and resources/read may answer`, undefined, tool)
    if (inputRequired === true) return r
    throw new DownstreamError("INPUT_REQUIRED_UNSUPPORTED", `the server asked for more input (elicitation, sampling or roots) to answer ${method}, and this request cannot relay it`, {
      remedy: "Call it with arguments that need no further input, or from a client that supports elicitation/sampling/roots.",
    })
  }
  const meta = o._meta
  const identity = typeof meta === "object" && meta !== null && SERVER_INFO in meta
  if (!identity && !("resultType" in o) && !("ttlMs" in o) && !("cacheScope" in o)) return r
  const out = { ...o }
  if (LISTS.has(method)) delete out.resultType
  else for (const k of MODERN_RESULT_KEYS) delete out[k]
  if (identity) {
    // the downstream's own name on each result: our clients would take it for ours
    const { [SERVER_INFO]: _, ...rest } = meta as Record<string, unknown>
    if (Object.keys(rest).length) out._meta = rest
    else delete out._meta
  }
  return out
}

const SERVER_INFO = "io.modelcontextprotocol/serverInfo"
