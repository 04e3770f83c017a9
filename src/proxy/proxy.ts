/**
 * @module proxy/proxy
 * `createProxy`: the `Upstream` over the pool. Aggregated, namespaced lists (answered from the
 * tool-list store while sessions come up), routed calls with progress and cancellation, coalesced
 * list_changed, dynamic sources (`addServer`/`removeServer`, e.g. the Docker MCP Toolkit gateway).
 */
import type { Config, InvalidServer } from "../config/index.ts"
import { CallCancel, cutText, HeldStream, maskStreamEdges, quotedStart, shownName, DownstreamError, REDACTED, errorMessage, isToolError, jitInteractive, noteServed, listDigest, listenAbort, PluginError, redactString, ProtocolError, declaredParamHeaders, systemClock, unlistenAbort, waitAtMost, type Clock, type Logger, type ParamHeader } from "../core/index.ts"
import { CLIENT_WAIT_CAP_MS, isAbandoned, MODERN_PROTOCOL_VERSION, Pool, RELAY_CAPABILITIES, RpcError, type CallOptions, type InitializeInfo, type SessionState } from "../pool/index.ts"
import { Coalescer, SingleFlight } from "./coalesce.ts"
import { EarlyChanges } from "./early-changes.ts"
import { ListChangeNotifier } from "./notifier.ts"
import { partialPartCuts, partialTaken, refreshLists, takePagesRead, takePartPagesRead, takeStoredCut, takeStoredPartCuts, type ListTiming, type ToolGateFn } from "./fetch-list.ts"
import { MAX_STORM_WINDOW_MS, RelistPace, STORM_CALM_MS } from "./relist-pace.ts"
import { StartListings } from "./start-listings.ts"
import { ToolChangeLog } from "./change-log.ts"
import { ClientRegistry } from "./clients.ts"
import { LogLevels, mcpLogLevel } from "./log-levels.ts"
import { clientLabel, overClientLimit, relayToClient } from "./relay.ts"
import { badClientAnswer } from "./client-answer.ts"
import { RelayGate } from "./relay-gate.ts"
import { CallAnswered, callEndedWords, clientGone, untilCallEnds } from "./relay-cancel.ts"
import { capLogData, MAX_LOGGER_CHARS } from "./log-cap.ts"
import { askedMethods, requiredOf, scriptInput } from "./script-input.ts"
import { InputRelay, isInputRequired, relayableCapabilities, STATE_TTL_MS, type MrtrTarget } from "./mrtr.ts"
import { ParkedCall, ParkedCalls, type Turn } from "./parked-calls.ts"
import { AFTER_PROGRESS_MS, LatestOnly, PROGRESS_PER_SECOND } from "./latest-only.ts"
import { progressParams } from "./progress-params.ts"
import { LogStreams } from "./log-streams.ts"
import { callAsTask, relatedTask, taskCallsDeclared, taskRequired } from "./task-call.ts"
import { RequestLogs } from "./request-logs.ts"
import { canElicitUrl, ElicitedLogins } from "./auth-elicit.ts"
import { ResourceSubscriptions } from "./subscriptions.ts"
import { FAILED, notInFirstList, partialCut, serverStates, serverStatuses, type FirstAnswer } from "./status.ts"
import { bothChecks, compileFilter, type NameCheck } from "./filters.ts"
import { IndexSync } from "./index-sync.ts"
import { answeredBadly, ListRetries } from "./list-retry.ts"
import { ListWaits, whenEnough, type Waited } from "./list-waits.ts"
import { listsFromPeers } from "./peer-lists.ts"
import { Silence } from "./silence.ts"
import { FIRST_WAIT_CAP_MS, FirstStarts, type FirstStartState } from "./first-start.ts"
import { ToolsCompleteness, type ToolsListing } from "./completeness.ts"
import { StaleListQueue, type RevalidateOptions } from "./revalidate.ts"
import { listedEntry, unmasked, unmaskedFromTemplate } from "./masked-uri.ts"
import { hookInput, routeHookName, unmaskedNames } from "./hook-input.ts"
import { unlistedResourceRoute, type ResourceRoute, type UnlistedRoute } from "./resource-route.ts"
import { serversThatMayHold } from "./uri-reach.ts"
import { checkRoutedTarget } from "./route-check.ts"
import { HookedTools } from "./hook-tools.ts"
import { guessToolNames } from "./name-guess.ts"
import { oldClientContent } from "./old-client-content.ts"
import { withEnvHint } from "./error-env.ts"
import { withContent } from "./result-content.ts"
import { forwardedMeta } from "./client-meta.ts"
import { ambiguousBareName, appHostCall, appOnlyWhy, isAppOnly, visibilityOf } from "./app-only.ts"
import { fromPerServerUri, perServerUri, sharedKey, sharedUiUris, withServerUis } from "./shared-ui.ts"
import { downstreamArgs, sanitizeItem, type SanitizeReport } from "../catalog/index.ts"
import { outputCheckOf } from "./output-check.ts"
import { buildResources, NamedSurface, resourceOwner, type Named, type ResourceSurface, type Route, type ServerLists } from "./surface.ts"
import { STORED_ONLY, StoredNames } from "./stored-names.ts"
import { RESTART_WHY, RestartRelists } from "./restart-relist.ts"
import { transportRemedy } from "./server-remedy.ts"
import { disabledServerError, leftOutToolError, pinHeldError, pinUncheckedError, unknownToolError, type RestartedOwner } from "./unknown-tool.ts"
import type { CallContext, CallScope, CallToolResult, ScriptCaller, ToolCatalog, DownstreamLogParams, RawCallContext, ToolCallOutput, ClientLink, CompleteParams, CompleteResult, DownstreamDef, GetPromptResult, ListCut, ListKind, ServerState, Prompt, ProxyHooks, ReadResourceResult, Resource, ResourceTemplate, StoredLists, Tool, ToolListStore, Upstream, UpstreamStatus } from "./types.ts"

export interface ProxyOptions {
  config: Config
  log: Logger
  /** Server entries of the running config left out as invalid (app/invalid-servers): a call of one of their tools says what is wrong with the entry. */
  leftOut?(): readonly InvalidServer[] | undefined
  /** Rug-pull defence: decides which freshly listed tools a client may see, and why a call is refused. */
  toolGate?: { gate<T extends { name: string }>(server: string, tools: T[], part?: boolean, served?: readonly unknown[]): T[]; blocked(server: string, tool: string): string | undefined }
  hooks?: ProxyHooks
  toolListStore?: ToolListStore
  clock?: Clock
  /** Grace after stdin EOF and after SIGTERM when closing a child (default 2000 ms; tests use less). */
  closeGraceMs?: number
  /** Every session state change (e.g. the Toolkit gateway failing to start: the CLI may have changed). Must not throw. */
  onServerState?: (server: string, state: SessionState) => void
  /** Window for coalescing list_changed (default LIST_CHANGE_WINDOW_MS). */
  coalesceMs?: number
  /**
   * Dynamic sources being changed right now (the Toolkit gateway after server_enable): a call of a
   * name not known yet, and the catalog, wait for it, so a server enabled a moment ago is reachable.
   */
  sourcesSettling?: () => Promise<unknown> | undefined
  /**
   * What the completeness of a tools/list answer waits on (default `sourcesSettling`): also pending
   * while a dynamic source has not made its first decision (the Toolkit still being probed), so an
   * answer without its tools is never stored as the next start's first answer. Calls do not wait on it.
   */
  listingSettled?: () => Promise<unknown> | undefined
  /**
   * The server that dynamic source adds (the Toolkit gateway): while nothing of it is stored under
   * any definition (a first start ever: the probe and the gateway's first start can both be slow),
   * lists wait for that first decision as for its first start (proxy.firstListWait, one bound for
   * both), not `listWait`.
   */
  listingSource?: string
  /** Stored tool lists past their TTL are checked again in the background (proxy/revalidate); `false`: never. */
  revalidateStale?: RevalidateOptions | false
  /** A server up with its tools/list unanswered this long is noted as silent before the run ends (default SILENCE_NOTE_MS; tests use less). */
  silenceNoteMs?: number
  /**
   * Names no downstream tool or prompt is exposed under (the orchestrator's own tools, the built-in
   * prompts): one that would be gets the hash suffix, as in a collision, with a warning (proxy/surface).
   */
  reservedNames?: { tools?: readonly string[]; prompts?: readonly string[] }
}

export interface Proxy extends Upstream, AsyncDisposable {
  /** Add a downstream (config entries are added at creation). Its tools are listed right away unless `lazy`. */
  addServer(def: DownstreamDef, opts?: { lazy?: boolean }): void
  /**
   * `why` (e.g. "was removed from the config"): later calls of its tools fail naming it, not as
   * unknown tools. `closing`: what calls still in flight on it are told (default: `why`, else "was
   * removed"); `{ restarted: reason }`: it is being restarted (added again right after) because of
   * `reason` ("its definition changed in the config"): calls in flight hear so, and a later call of
   * a tool its new definition lacks is told the server was restarted and what it lists now;
   * `{ renamedTo }`: the same definition is added under that name (a config reload renamed the
   * entry): calls in flight hear `why`, a later call of one of its tools is told the new name.
   */
  removeServer(name: string, why?: string, closing?: string | { restarted: string } | { renamedTo: string }): Promise<void>
  /** Compiles a server's tool filter again from its definition (a config reload changed `tools`); list_changed follows. */
  refilter(name: string): void
  /**
   * Lists a server's tools again, as its own tools/list_changed would (list_changed follows when
   * what is listed changed): the gate let another set through since (a `pins approve` of a withheld tool).
   */
  relistTools(name: string): void
  attachClient(client: ClientLink): () => void
  rootsChanged(client: ClientLink): void
  subscribeResource(uri: string, client: ClientLink, ctx: CallContext): Promise<void>
  unsubscribeResource(uri: string, client: ClientLink, ctx: CallContext): Promise<void>
  /** The server a client's tools/call, prompts/get or resources/read goes to, as far as the stored lists tell. */
  serverOf(method: string, params: Record<string, unknown> | undefined): string | undefined
  /** Start the `warm` servers in the background. Never blocks. */
  start(): void
  /**
   * Whether the last tools/list answer was built from a complete aggregate: every server's tool
   * list known (listed by this process, or stored by an earlier one; a server the last run found
   * silent that never listed counts as listed with no tools: proxy/silence) and no dynamic source
   * being changed. Live: an answer that was incomplete becomes complete when the servers missing from it
   * list and it still holds the same tools (`onToolsComplete` then). Undefined before any answer.
   */
  toolsListing(): ToolsListing | undefined
  /**
   * Each server's tool list as held now (before its filter), by server; a server without one (not
   * listed yet, or counted as listed with no tools by a silence note) is absent. The stored first
   * answer records a fingerprint of each (app/tool-snapshot), to tell a server missing from a newer
   * answer, or listed differently by another window.
   */
  heldToolLists(): ReadonlyMap<string, readonly unknown[]>
  /** A connection gives its first tools/list answer now: what it lacks (the run's first is kept for orchestrator_status). */
  answeredTools(): FirstAnswer
  /** Called when the last tools/list answer became complete after it was given (see `toolsListing`). */
  onToolsComplete(listener: () => void): () => void
  /**
   * The stored lists read (at most once; none stored: at once). orchestrator_status waits for it: a
   * warm start answers its first tools/list from the persisted answer without reading them, and its
   * rows said `tools: 0` (and no `toolsNotListed`) for servers whose tools that answer held.
   */
  storeReady(): Promise<void>
  readonly pool: Pool
  /** Close every session (children: stdin EOF → SIGTERM → SIGKILL, by process group). */
  [Symbol.asyncDispose](): Promise<void>
}

interface Entry extends ServerLists {
  def: DownstreamDef
  /** `tools` came from a live session (not from the store). */
  fresh: boolean
  /**
   * Prompts/resources lists that are known: listed live (or asked and failed) or read from the
   * store; a server that does not serve a kind knows it as empty. A list of a kind not known starts
   * the server and waits for it.
   */
  known: Set<OtherKind>
  /**
   * Prompts/resources lists listed by this run's session (or known not served by its start), not
   * only read from the store: a name or URI a stored list lacks may be one the server added since
   * (proxy: `awaitLiveListing`), a live list lacking it does not have it.
   */
  live: Set<OtherKind>
}

type OtherKind = Exclude<ListKind, "tools">
const KINDS: readonly ListKind[] = ["tools", "prompts", "resources"]
const OTHER_KINDS: readonly OtherKind[] = ["prompts", "resources"]

/**
 * The coalescing window of list changes, twice on the way of one: a downstream's list_changed is
 * followed by its relist at the end of one (a burst of them costs one listing), and the client's
 * list_changed by the end of another (changes of several servers make one).
 */
export const LIST_CHANGE_WINDOW_MS = 250

export function createProxy(opts: ProxyOptions): Proxy {
  return new ProxyImpl(opts)
}

/** Drawn per process: a server cannot craft a changed resource list whose signature passes for the old one. */
const SIGNATURE_KEY = crypto.getRandomValues(new BigUint64Array(1))[0]!

/** The end of a call's attempt with its answer, as the questions relayed for it see it (proxy/relay-cancel). */
const ANSWERED = new CallAnswered()

class ProxyImpl implements Proxy {
  readonly pool: Pool
  private readonly entries = new Map<string, Entry>()
  private readonly refresh = new SingleFlight<string>()
  private readonly relist: Coalescer<string>
  private readonly relistPace: RelistPace
  /** Listings under way that a server's start answers (its onReady joins them: proxy/start-listings). */
  private readonly startListings = new StartListings()
  private readonly notifier: ListChangeNotifier
  private readonly log: Logger
  private readonly o: ProxyOptions
  private tools: Named<Tool> | undefined
  private prompts: Named<Prompt> | undefined
  /** Per server and per name family: a list change of one server re-aggregates only its part. */
  private readonly toolNames: NamedSurface<Tool>
  private readonly promptNames: NamedSurface<Prompt>
  /** Per server list: its tools that pass the server's filter, the same array while both are the same. */
  private readonly visible = new WeakMap<readonly Tool[], { check: NameCheck | undefined; shared: string; out: Tool[] }>()
  /** MCP Apps `ui://` URIs several servers list, as the tool surface was last built with (proxy/shared-ui). */
  private uiShared: Map<string, string[]> = new Map()
  /** Per server, its MCP Apps tools only a view may call (left out of model surfaces: proxy/app-only), by name. */
  private readonly appOnly = new Map<string, Map<string, Tool>>()
  /** `appTools()`'s answer, until `appOnly` changes. */
  private appListed: readonly Tool[] | undefined
  private resources: ResourceSurface | undefined
  private storeLoaded: Promise<void> | undefined
  /** `storeLoaded` settled: a server without a tool list now has none stored either. */
  private storeRead = false
  private firstList: Promise<unknown> | undefined
  /**
   * This run's first tools/list answer (which a client such as Cursor keeps): the servers whose tools
   * it had, and why it lacked the others' (orchestrator_status).
   */
  private firstAnswer: FirstAnswer | undefined
  /** Settled at the next addServer: lists under way wait for servers added meanwhile too. */
  private added: PromiseWithResolvers<void> | undefined
  /** Servers added so far (addServer). */
  private addedCount = 0
  /** Servers that asked for the roots before any client had initialized (told none; told again later). */
  private readonly rootsUnknown = new Set<string>()
  /**
   * Servers that asked for the roots at all: each client that has roots and initializes later (over
   * HTTP, a new session while the orchestrator runs on) gets them asked again, so they hold the roots
   * of the most recent client, not those of one long gone (or none, from a client without roots).
   */
  private readonly rootsAsked = new Set<string>()
  /** Clients declaring no roots whose servers' roots/list was answered with none (logged once per client). */
  private readonly rootsNone = new WeakSet<ClientLink>()
  private disposed = false
  /** Client connections: where downstream requests go. */
  private readonly clients = new ClientRegistry()
  /** Tasks run for calls (proxy/task-call), by `server\0taskId`: the call a request naming its task belongs to. */
  private readonly taskCalls = new Map<string, { ctx: CallContext; hold: () => () => void }>()
  /** Per call of a client that ended without its answer, or whose server asked its client something: that end (proxy/relay-cancel). */
  private readonly callEnds = new WeakMap<CallContext, CallCancel>()
  /** Progress of tasks run for calls, by `server\0token` (our token, sent with the task's tools/call): where it goes. */
  private readonly taskProgress = new Map<string, (p: Record<string, unknown>) => void>()
  /** At most MAX_CLIENT_REQUESTS_PER_SERVER requests of one server waiting on the client. */
  private readonly relayGate = new RelayGate()
  private readonly logins: ElicitedLogins
  private readonly logLevels = new LogLevels()
  /** Servers that declare completions but answered completion/complete "method not found" (logged once each). */
  private readonly noCompletions = new Set<string>()
  /** MRTR: input_required of modern downstreams, relayed to the calling client. */
  private readonly inputs: InputRelay
  /** Modern clients' calls a legacy downstream asked something during (proxy/parked-calls). */
  private readonly parks = new ParkedCalls(() => STATE_TTL_MS)
  /** Modern clients' requests in flight that asked for logs. */
  private readonly requestLogs: RequestLogs
  private readonly logStreams: LogStreams
  private readonly subs: ResourceSubscriptions
  /** Per server: its tool filter (servers.<name>.tools, toolkit.tools), when it has one. */
  private readonly filters = new Map<string, NameCheck>()
  private readonly searchIndex = new IndexSync()
  /** The search index of a plugin tools hook's output (its names and descriptions, not the servers'). */
  private readonly hookedIndex = new IndexSync()
  /** Servers removed with a reason (config reload), until a server of that name is added again. */
  private readonly gone = new Map<string, string>()
  /** Of `gone`, the servers the Docker MCP Toolkit gave (its gateway): not the config's to add back. */
  private readonly goneToolkit = new Set<string>()
  /** Of `gone`, the servers a reload renamed (same definition under another name): their new name. */
  private readonly renamedTo = new Map<string, string>()
  /** Servers restarted under a new definition (removeServer's `{ restarted }`): why, and the tools they listed before, for calls of those they no longer list. */
  private readonly restarted = new Map<string, { why: string; before: ReadonlySet<string> }>()
  /** What each server's lists held when taken from the store: a name a live list dropped since is told so when called. */
  private readonly storedNames = new StoredNames()
  /** Servers the pool restarted in this run: the tools their previous process listed, and the new one's listing (proxy/restart-relist). */
  private readonly relists = new RestartRelists()
  /** Per surface object: the JSON signature of its list (see signature()). */
  private readonly signatures = new WeakMap<object, string>()
  private readonly toolChanges: ToolChangeLog
  private readonly staleLists: StaleListQueue | undefined
  /** Servers started only to check their stored list: true once a client used one meanwhile (it then stays up). */
  private readonly checking = new Map<string, boolean>()
  /** Lists wait for a listing under way at most proxy.listWait, once per listing. */
  private readonly waits: ListWaits
  /** Starts to learn a kind of list, per server and kind (one at a time, so their waits are bounded once). */
  private readonly learning = new Map<string, Promise<void>>()
  /**
   * "server\u0000kind" whose list was taken from another process's store (proxy/peer-lists) while
   * this one's listing of it is under way: lists do not wait for that listing (until it ends).
   */
  private readonly adopted = new Set<string>()
  /** Tools listings that failed: counted on the session and retried with its backoff. */
  private readonly listRetries: ListRetries
  /** Whether tools/list answers were built with every server's list known (app/serve persists only those). */
  private readonly completeness: ToolsCompleteness<Named<Tool>>
  /** Servers that did not list their tools in the last run: not waited for (proxy/silence). */
  private readonly silence: Silence
  /** Servers starting for the first time ever: lists wait for them up to proxy.firstListWait (proxy/first-start). */
  private readonly firstStarts: FirstStarts
  /** list_changed before the first answer of its kind: that answer waits for the relist (proxy/early-changes). */
  private readonly early: EarlyChanges
  /**
   * Servers whose start failed or whose connection was lost (restart backoff, breaker open), until
   * they list their tools again: lists do not wait for their restarts (see `notWaited`).
   */
  private readonly down = new Set<string>()
  /** Per tools listing under way: until when calls of names it may list wait for it (pool.now(); `listingWait`). */
  private readonly callListingUntil = new WeakMap<Promise<unknown>, number>()
  /** Server and tool pairs whose result without content was warned about (proxy/result-content: once each). */
  private readonly toldNoContent = new Set<string>()
  /** Servers whose tool error named a variable their process lacks, logged once each (proxy/error-env). */
  private readonly toldMissingEnv = new Set<string>()
  /** Own tool and prompt names: never given to a downstream's item. */
  private readonly reserved: { tools: ReadonlySet<string>; prompts: ReadonlySet<string> }
  /** What a plugin tools hook lists that cannot be called by that name is left out (proxy/hook-tools). */
  private readonly hooked: HookedTools
  /** Per tool surface: exposed name by `server\0tool` (a rerouted call's target, named as listed). */
  private readonly exposedNames = new WeakMap<Named<Tool>, Map<string, string>>()

  constructor(o: ProxyOptions) {
    this.o = o
    this.log = o.log
    this.reserved = { tools: new Set(o.reservedNames?.tools), prompts: new Set(o.reservedNames?.prompts) }
    this.hooked = new HookedTools(o.log)
    this.logins = new ElicitedLogins(o.log)
    // a sealed requestState comes back in the client's retry: half the body limit leaves room for its request and inputResponses
    this.inputs = new InputRelay(o.log, () => Math.floor(this.o.config.http.bodyLimit / 2))
    this.toolNames = new NamedSurface("tool", o.log)
    this.promptNames = new NamedSurface("prompt", o.log)
    const clock: Clock = o.clock ?? systemClock
    const window = o.coalesceMs ?? LIST_CHANGE_WINDOW_MS
    this.toolChanges = new ToolChangeLog(o.log)
    this.listRetries = new ListRetries((server) => void this.refreshKind(server, "tools").catch(() => {}), o.log)
    this.firstStarts = new FirstStarts(o.log)
    this.waits = new ListWaits(
      () => this.o.config.proxy.listWait,
      (server) => this.pool.get(server)?.startAttempt,
      (server) => this.firstStarts.waited(server, this.firstStartState(server)),
    )
    this.early = new EarlyChanges({
      waits: this.waits,
      log: o.log,
      relistNow: (key) => void this.relist.flush(key),
      current: (key) => this.refresh.current(key),
      waited: (server) => this.entries.has(server) && !this.notWaited(server),
    })
    this.silence = new Silence({
      store: o.toolListStore,
      log: o.log,
      listWait: () => this.o.config.proxy.listWait,
      startWait: (server) => {
        const first = this.firstStarts.bound(server, this.firstStartState(server))
        return first !== undefined ? { ms: first, key: "proxy.firstListWait" } : { ms: this.o.config.proxy.listWait, key: "proxy.listWait" }
      },
      unlisted: (server) => {
        const e = this.entries.get(server)
        return e !== undefined && e.tools === undefined && this.pool.get(server)?.state === "ready"
      },
      noList: (server) => this.unlistedServer(server),
      // the Toolkit gateway's own remedy (not in the user's config: no servers.docker to raise)
      remedy: (server, failure) => this.entries.get(server)?.def.remedy?.(failure),
      waitedOut: (server) => {
        const listing = this.refresh.current(`${server}\u0000tools`)
        return listing !== undefined && this.waits.ranOut(listing)
      },
      firstWaitUnder: (server) => this.waits.firstWaitUnder(server),
      ...(o.silenceNoteMs !== undefined ? { noteAfterMs: o.silenceNoteMs } : {}),
    })
    this.completeness = new ToolsCompleteness<Named<Tool>>({
      // a server that did not list in the last run (and never did) counts as listed with no tools (proxy/silence);
      // one serving the pages its first listing read while it awaits the next (takeAwaitedPages) is not listed yet
      listsKnown: () => [...this.entries.values()].every((e) => (e.tools !== undefined && e.toolPagesRead === undefined) || this.silence.countsAsListed(e.def.name)),
      ...(o.listingSettled ? { settling: o.listingSettled } : o.sourcesSettling ? { settling: o.sourcesSettling } : {}),
      current: () => this.tools,
      signatureOf: (surface) => this.signatureOf("tools", surface),
      currentSignature: () => this.signature("tools"),
      log: o.log,
    })
    if (o.revalidateStale !== false && o.config.proxy.checkStoredLists) this.staleLists = new StaleListQueue((server) => this.revalidateStored(server), o.log, o.revalidateStale)
    this.notifier = new ListChangeNotifier(window, (k) => this.signature(k), o.log, (k, ms) => {
      if (k === "tools") this.toolChanges.built(this.toolSurface().items.length, ms)
    })
    this.relistPace = new RelistPace(undefined, (key, n) => {
      const [server, kind] = key.split("\u0000") as [string, ListKind]
      if (n.windowMs === undefined) this.log.info("relists back to the normal window: the server's list calmed", { server, kind, changedRelists: n.changes })
      else
        this.log.warn(`relists paced: ${kind} list changed at each relist`, {
          server,
          kind,
          changedRelists: n.changes,
          windowMs: n.windowMs,
          why: `its ${kind} list was different at each of its last ${n.changes} relists, each asked for by its own list_changed: it is relisted less often (the wait doubling per change, up to ${MAX_STORM_WINDOW_MS / 1000} s) until a relist shows no change or it is quiet for ${STORM_CALM_MS / 1000} s`,
          remedy: "The server announces a change at every listing (or each step of a long change); its newest list still reaches clients, later. Report it to its maintainers if it is not meant to.",
        })
    })
    this.relist = new Coalescer<string>(
      window,
      (key) => {
        const [server, kind] = key.split("\u0000") as [string, ListKind]
        // refreshKind logs its own failure
        void this.refreshKind(server, kind).catch(() => {})
      },
      // a server whose relists cost the thread much is relisted less often (proxy/relist-pace)
      (key, ms) => this.relistPace.delay(key, ms),
    )
    this.pool = new Pool({
      config: o.config,
      log: o.log,
      clock,
      ...(o.closeGraceMs !== undefined ? { closeGraceMs: o.closeGraceMs } : {}),
      onNotification: (s, m, p) => this.onNotification(s, m, p),
      onRequest: (s, m, p, signal, owner) => this.relayRequest(s, m, p, signal, owner as CallContext | ParkedCall | undefined),
      relayCapabilities: () => this.relayCapabilities(),
      onReady: (s, info) => this.onReady(s, info),
      onState: (s, st) => {
        try {
          this.o.onServerState?.(s, st)
        } catch {
          // an observer never breaks the pool
        }
        // a configured server failing before it lists (at its start, a crash, a start that never ends) is noted across runs (proxy/silence)
        if (st === "starting") {
          if (this.unlistedServer(s)) this.silence.starting(s)
        } else if (st === "backoff" || st === "open-circuit" || st === "failed") {
          const storedOnly = this.storedOnly(s)
          if (!this.disposed && (storedOnly || this.unlistedServer(s))) {
            const runs = this.silence.failed(s, this.pool.get(s)?.lastError ?? `its start failed (${st})`)
            // served from its stored list, failing run after run: the next starts leave that list out
            if (storedOnly && this.silence.enoughFailures(s, runs)) this.o.toolListStore?.supersede?.(s)
          }
        } else this.silence.started(s)
        if (st === "backoff" || st === "open-circuit") {
          this.down.add(s)
          // a list waiting for it waits through one restart, not through every one (proxy/list-waits)
          this.waits.wentDown(s)
        }
        // a first start ever ended: lists waiting for it go on to its listing, or stop (proxy/list-waits)
        if (st !== "starting" && st !== "idle") this.waits.startEnded(s, st === "ready")
        // it did list: a later start without its (dropped) list never counts an answer without it as
        // complete (its note says so). A crash while the run ends, when no note is written any more,
        // leaves the list: dropped without the note, a later start counted the server as listed with
        // no tools and stored a first answer without its tools
        const store = this.o.toolListStore
        if ((st === "backoff" || st === "open-circuit") && this.entries.get(s)?.fresh && this.silence.dropped(s) && store) {
          // after a save still waiting for the stored lists to be read (toolsListed): never before it
          const drop = (): void => void store.invalidate(s).catch(() => {})
          if (this.storeRead) drop()
          else void this.loadStore().then(drop)
        }
      },
    })
    this.subs = new ResourceSubscriptions((server, method, uri, signal) => this.sendSubscription(server, method, uri, signal), o.log)
    this.requestLogs = new RequestLogs(o.log)
    this.logStreams = new LogStreams((server, log, forward) => {
      // our own record of the message, as the stream check lets it out (never the pieces as they came)
      this.log.child(`downstream:${server}`).debug("log message", { params: log })
      if (!forward) return
      this.clients.log(server, log)
      this.requestLogs.forward(server, log)
    })
    const servers = { ...(o.config.mcpServers ?? {}), ...o.config.servers }
    for (const name of Object.keys(servers).sort()) {
      const spec = servers[name]!
      if (!spec.disabled) this.addServer({ name, source: "config", spec }, { lazy: true })
    }
  }

  // --- Upstream: lists ---

  /**
   * Lists the tools of servers that have none yet (starting lazy ones), each waited for at most once
   * for proxy.listWait. A server whose listing failed and is to be tried again (list-retry) is left
   * to that schedule: a client's lists do not ask it again in between. A server that did not list
   * in the last run (proxy/silence) is started and listed, but not waited for.
   */
  private async listMissingTools(): Promise<void> {
    const asked = new Set<Entry>()
    const waits: Promise<void>[] = []
    const until = performance.now() + FIRST_WAIT_CAP_MS
    for (;;) {
      const missing = [...this.entries.values()].filter((e) => !asked.has(e) && e.tools === undefined && this.pool.get(e.def.name)?.breaker.state !== "open" && !this.listRetries.scheduled(e.def.name))
      const waited: { listing: Promise<unknown>; server: string }[] = []
      for (const e of missing) {
        asked.add(e)
        const listing = this.refreshKind(e.def.name, "tools")
        // its failure is reported where it happens (listKind)
        if (this.notWaited(e.def.name)) listing.catch(noop)
        else waited.push({ listing, server: e.def.name })
      }
      if (waited.length > 0) waits.push(this.waitWithPeers(waited, "tools"))
      if (waits.length === 0) return
      // a server added while this list waits (a config reload, the Toolkit) is waited for too, as
      // if it had been there: the answer being made may be the first one, which Cursor keeps.
      // Within a client's request timeout whatever the reloads (FIRST_WAIT_CAP_MS in all)
      const seen = this.addedCount
      const left = until - performance.now()
      if (left > 0) await waitAtMost(Promise.race([Promise.all(waits), this.nextAdded()]), left)
      if (this.addedCount === seen || performance.now() >= until) return
      // its stored entries (list, notes) are read first, as the servers' at start were
      await this.loadStore()
    }
  }

  /** Settles when the next server is added (addServer). */
  private nextAdded(): Promise<void> {
    return (this.added ??= Promise.withResolvers<void>()).promise
  }

  /**
   * Waits for these servers' listings of `kind` (proxy/list-waits); meanwhile another orchestrator
   * sharing the store (another editor window) may list them first: its stored lists are taken as
   * they come (proxy/peer-lists).
   */
  private async waitWithPeers(waited: { listing: Promise<unknown>; server: string }[], kind: ListKind, enough?: () => boolean): Promise<void> {
    const store = this.o.toolListStore
    let over = false
    const own = this.waits.wait(waited).finally(() => void (over = true))
    const servers = waited.map((w) => w.server)
    const missing = (server: string): boolean => {
      const e = this.entries.get(server)
      return e !== undefined && (kind === "tools" ? e.tools === undefined : !e.known.has(kind))
    }
    const done = (): boolean => over || this.disposed
    const loadLists = store?.loadLists?.bind(store)
    const peers =
      store === undefined
        ? own
        : kind === "tools"
          ? listsFromPeers(servers, { load: (server) => store.load(server), missing, adopt: (server, tools) => this.adoptStored(server, { tools }), over: done })
          : loadLists
            ? listsFromPeers(servers, { load: loadLists, missing, adopt: (server, lists) => this.adoptStored(server, { lists }), over: done })
            : own
    await Promise.race([own, peers, ...(enough ? [whenEnough(waited.map((w) => w.listing), enough)] : [])])
    over = true
  }

  /** Lists another process stored while a list waited for this server: taken as stored ones (as `loadStored` does at start). */
  private adoptStored(server: string, got: { tools?: Tool[]; lists?: StoredLists }): void {
    const e = this.entries.get(server)
    if (!e) return
    const { tools, lists } = got
    for (const kind of this.takeStored(e, tools, lists).kinds) this.adopted.add(`${server}\u0000${kind}`)
    this.log.info("lists taken from the store another orchestrator wrote while this one's start of the server is under way", { server, ...(tools ? { tools: tools.length } : { lists: "prompts, resources" }) })
  }

  listTools(): Promise<Tool[]> {
    return this.toolsList(true)
  }

  /** `answer`: for a client (its first answer of tools ends the waits for early changes: proxy/early-changes), not a call's look-up. */
  private async toolsList(answer: boolean): Promise<Tool[]> {
    this.completeness.watchSources()
    // a dynamic source still making its first decision (the Toolkit being probed, its gateway being
    // added): the first answer waits for it like for any server's first listing, once, at most listWait
    await this.sourcesDecided()
    await this.loadStore()
    await this.listMissingTools()
    await this.relistExpired("tools")
    // a server that announced a change before the first answer: its relist is in that answer
    await this.early.settle("tools")
    await this.takeAwaitedPages()
    if (answer) this.early.answer("tools")
    const surface = this.toolSurface()
    this.firstAnswer ??= this.toolsLacking()
    this.notifier.served("tools")
    const hook = this.o.hooks?.filterTools
    const input = hook ? hookInput(surface.items) : []
    const tools = hook ? this.hookedTools(await hook(input), surface.items, input) : surface.items
    this.completeness.answered(surface)
    return tools
  }

  /**
   * Waits for a dynamic source's first decision (the Toolkit being probed), once: at most `listWait`,
   * or, when nothing of its server is stored under any definition, as for that server's first start
   * (proxy.firstListWait: before, a slow cold probe left the gateway out of the first answer, which
   * Cursor keeps), the gateway's own first start then sharing that bound.
   */
  private async sourcesDecided(): Promise<void> {
    const sources = this.o.listingSettled?.()
    if (!sources) return
    const server = this.o.listingSource
    const stored = server === undefined || (await this.o.toolListStore?.anyStored?.(server).catch(() => true)) !== false
    const ms = stored ? undefined : this.firstStarts.decision(server!, this.firstStartState(server!))
    await (ms === undefined ? this.waits.wait([sources]) : this.waits.decision(server!, sources, ms))
  }

  heldToolLists(): ReadonlyMap<string, readonly unknown[]> {
    const out = new Map<string, readonly unknown[]>()
    for (const e of this.entries.values()) if (e.tools !== undefined) out.set(e.def.name, e.tools)
    return out
  }

  toolsListing(): ToolsListing | undefined {
    const listing = this.completeness.listing()
    if (!listing) return undefined
    // live, as the completeness (a held answer is stored when it turns complete, with the notes as they are then)
    const until = (): number | undefined => this.notesTrustedUntil()
    return {
      get complete() {
        return listing.complete
      },
      get until() {
        return until()
      },
    }
  }

  /** The first moment a note that lets a server without a list count as listed stops being trusted (proxy/silence), if any does. */
  private notesTrustedUntil(): number | undefined {
    let first: number | undefined
    for (const e of this.entries.values()) {
      if (e.tools !== undefined) continue
      const t = this.silence.trustedUntil(e.def.name)
      if (t !== undefined && (first === undefined || t < first)) first = t
    }
    return first
  }

  onToolsComplete(listener: () => void): () => void {
    return this.completeness.onComplete(listener)
  }

  async listPrompts(): Promise<Prompt[]> {
    await this.settle("prompts")
    await this.early.settle("prompts")
    this.takeAwaitedParts("prompts")
    this.early.answer("prompts")
    this.notifier.served("prompts")
    return this.promptSurface().items
  }

  async listResources(): Promise<Resource[]> {
    await this.settle("resources")
    await this.early.settle("resources")
    this.takeAwaitedParts("resources")
    this.early.answer("resources")
    this.notifier.served("resources")
    return this.resourceSurface().resources
  }

  async listResourceTemplates(): Promise<ResourceTemplate[]> {
    await this.settle("resources")
    await this.early.settle("resources")
    this.takeAwaitedParts("resources")
    return this.resourceSurface().templates
  }

  /**
   * Everything known about `kind` (each bounded by proxy.listWait): the stored lists, then the
   * servers whose list of it is unknown (started if needed: a server that was never started, e.g.
   * not under `warm:` on a start answered from the store, would otherwise be missing all session),
   * then the refreshes under way.
   */
  /** `enough`: what the wait is for is known now (checked as each listing settles: the wait ends then). */
  private async settle(kind: OtherKind, only?: readonly Entry[], enough?: () => boolean): Promise<void> {
    // every server's list (a client's list, a name or URI not known yet): a dynamic source still
    // making its first decision (the Toolkit being probed) is waited for as by tools/list. Before, a
    // warm start's first prompts/list and resources/templates/list lacked the gateway's (Cursor keeps them)
    if (only === undefined) await this.sourcesDecided()
    await this.loadStore()
    // a server waiting out its restart backoff or an open breaker is not started early by a list
    const missing = (only ?? [...this.entries.values()]).filter((e) => !e.known.has(kind) && startable(this.pool.get(e.def.name)?.state))
    // a server that did not list in the last run is started and asked, not waited for (proxy/silence)
    const waited = missing.map((e) => [e, this.learnOnce(e, kind)] as const).filter(([e]) => !this.notWaited(e.def.name))
    if (enough?.()) return
    if (waited.length > 0) await this.waitWithPeers(waited.map(([e, listing]) => ({ listing, server: e.def.name })), kind, enough)
    if (enough?.()) return
    await this.relistExpired(kind, only)
    await this.pending(kind, only, enough)
  }

  /**
   * Lists of 2026-07-28 servers that announce no changes of `kind` (no `listChanged`, or their
   * `subscriptions/listen` is not open now: refused, or ended and not yet re-opened) are kept as
   * long as their `ttlMs` says, never longer than cache.ttl.tools: older ones are listed again before
   * answering (bounded by proxy.listWait; `ttlMs: 0` means at every client list).
   */
  private async relistExpired(kind: ListKind, only?: readonly Entry[]): Promise<void> {
    const now = Date.now()
    const cap = this.o.config.cache.ttl.tools
    const due: Promise<void>[] = []
    for (const e of only ?? this.entries.values()) {
      const h = e.hints?.[kind]
      if (h === undefined || now - h.at < Math.min(h.ttlMs, cap)) continue
      const session = this.pool.get(e.def.name)
      const caps = session?.info?.capabilities[kind] as { listChanged?: boolean } | undefined
      // announced changes are followed only while the server's listen is open: else its ttlMs rules
      if (session?.state !== "ready" || (caps?.listChanged === true && session.followsListChanges)) continue
      due.push(this.refreshKind(e.def.name, kind))
    }
    if (due.length > 0) await this.waits.wait(due)
  }

  /** `learn`, one at a time per server and kind (never rejects). */
  private learnOnce(e: Entry, kind: OtherKind): Promise<void> {
    const key = `${e.def.name}\u0000${kind}`
    let p = this.learning.get(key)
    if (p === undefined) {
      const learning: Promise<void> = this.learn(e, kind, (listing) => this.waits.same(learning, listing))
        .then(noop, noop)
        .finally(() => this.learning.delete(key))
      this.learning.set(key, (p = learning))
      // the server is up and listing this kind (its start's listing): waited for as that one is
      const running = this.refresh.current(key)
      if (running !== undefined) this.waits.joins(learning, running)
    }
    return p
  }

  /**
   * Start the server if needed and list `kind` from it (onReady lists what it serves). `listing` is
   * told of the listing it waits on: it is the same listing for proxy/list-waits (a list that waited
   * for this start, then waits for that listing in `pending`, waits once, not twice).
   */
  private async learn(e: Entry, kind: OtherKind, listing: (p: Promise<void>) => void): Promise<void> {
    const session = this.pool.get(e.def.name)
    if (!session) return
    const { info } = await session.ensure()
    if (e.known.has(kind)) return
    const running = this.refresh.current(`${e.def.name}\u0000${kind}`) ?? (serves(info, kind) ? this.refreshKind(e.def.name, kind) : undefined)
    if (running === undefined) return this.servesNone(e, kind)
    listing(running)
    return running
  }

  // --- Upstream: calls ---

  /** Hot path: a known name and no route hook go straight to the session (no extra promise hops). */
  callTool(name: string, args: Record<string, unknown> | undefined, ctx: RawCallContext): Promise<ToolCallOutput>
  callTool(name: string, args: Record<string, unknown> | undefined, ctx: CallContext): Promise<CallToolResult>
  callTool(name: string, args: Record<string, unknown> | undefined, ctx: CallContext): Promise<ToolCallOutput> {
    jitInteractive()
    noteServed()
    // an argument of a tool a tools hook listed, exposed under another name (catalog/arg-keys), gets the name the hook gave back
    if (args !== undefined && this.o.hooks?.filterTools !== undefined) args = this.hooked.hookArgs(name, args)
    const route = this.toolSurface().routes.get(name)
    if (route && !this.o.hooks?.route) return this.send(route.server, route.name, args ?? {}, ctx, undefined, route.task)
    return this.callToolSlow(name, args, ctx)
  }

  private async callToolSlow(name: string, args: Record<string, unknown> | undefined, ctx: CallContext, elicited = false): Promise<ToolCallOutput> {
    // a name listed masked (a tool named after a configured value) is called by the name its server listed (proxy/masked-uri)
    const lookup = (): Route | undefined => {
      const routes = this.toolSurface().routes
      name = unmasked(name, routes.keys())
      return routes.get(name)
    }
    let route = lookup()
    /** Set when the call waits for a listing: its time budget counts from here (pool deadline). */
    let arrived: number | undefined
    /** The call waited for its server's start or tools listing (an unknown name then says what that server lists). */
    let waitedListing = false
    if (!route) {
      arrived = this.pool.now()
      const owners = this.ownersOf(name)
      // the waits for listings below are the call's: within its budget from its arrival, as the
      // pool's deadline counts it (before, a listing waiting on a start that hung held the call up to
      // proxy.listWait or the start's whole connectTimeout, past its budget and a client's timeout)
      const until = arrived + this.clientWait(owners)
      const within = (p: Promise<unknown> | undefined): Promise<void> => (p === undefined ? Promise.resolve() : waitAtMost(p, Math.max(0, until - this.pool.now())))
      if (owners.length === 0) {
        // Not known yet, under no configured server (passthrough names, a Toolkit server not added
        // yet): wait for the first listing (shared by concurrent first calls) and for listings under
        // way (a server coming up).
        await within((this.firstList ??= this.toolsList(false).catch(() => [])))
        await within(this.o.sourcesSettling?.())
        await within(this.pending("tools"))
      } else {
        // under a configured server: that server's stored list, its start and its listing only (below,
        // within the call's timeout), never the whole first list (a server beside it that never
        // answers held a call sent before any tools/list up to proxy.firstListWait)
        await this.loadStore()
        // the Toolkit gateway's change under way (a server enabled a moment ago) when it is the owner
        if (owners.some((e) => e.def.name === this.o.listingSource)) await within(this.o.sourcesSettling?.())
        for (const e of this.ownersOf(name)) this.askTools(e)
        // a relist under way of a server whose tools are known (list_changed: a tool added); the
        // others' first listing is waited for by startedListing
        await within(this.pending("tools", this.ownersOf(name).filter((e) => e.tools !== undefined)))
      }
      route = lookup()
      // a name under a server still starting (slower than proxy.listWait, which bounds lists, not
      // this call): wait for its tools within the call's own timeout, as a call to a listed tool
      // of a starting server waits for the start
      if (!route && (await this.startedListing(name, arrived, ctx))) {
        route = lookup()
        waitedListing = true
      }
    }
    // an MCP App host's call (proxy/app-only): a tool only a view may call, or a tool by its server's own name
    const appHost = appHostCall(ctx)
    if (!route && appHost) route = this.appRoute(name, ctx.scope)
    // a toolset's connection let an App host's unrouted name through (proxy/toolset): a name routed
    // since (its server listed meanwhile) is held to the toolset here
    if (route !== undefined && ctx.scope !== undefined && appHost) {
      const out = ctx.scope.outside(this.exposedName(route.server, route.name), route.server)
      if (out !== undefined) throw new ProtocolError(-32602, `tool ${shownName(name)} is not in toolset "${ctx.scope.name}": left out by ${out}`, { details: { tool: name } })
    }
    let server = route?.server ?? ""
    let tool = route?.name ?? name
    let callArgs = args ?? {}
    const hook = this.o.hooks?.route
    if (hook) {
      // the hook gets the tool's name as the client was shown it (a configured value in it masked:
      // plugin code never holds the value), and a masked name it routes to stands for that server's
      // tool it was masked from (proxy/hook-input)
      const shown = routeHookName(tool)
      const d = await hook({ server, tool: shown, args: callArgs })
      if (d && "deny" in d) throw new PluginError("ROUTE_DENIED", d.deny, { details: { tool: name } })
      if (d) {
        callArgs = d.args ?? callArgs
        // sent to another tool: that tool is checked as a direct call of it would be (toolset,
        // configured and enabled, filter, pins, listed; proxy/route-check). A decision naming the very
        // tool the client named (a name not listed, split at the separator, its arguments rewritten)
        // leaves the call as it was: not listed (the errors below say why).
        const toServer = d.server ?? server
        const toTool = d.tool === undefined || (d.tool === shown && toServer === server) ? tool : unmasked(d.tool, this.entries.get(toServer)?.tools?.map((t) => t.name) ?? [])
        const to = { server: toServer, tool: toTool }
        if (to.server !== server || to.tool !== tool) {
          const exposed = this.exposedName(to.server, to.tool)
          if (exposed !== name || route !== undefined) {
            checkRoutedTarget(name, d.by, { ...to, exposed }, this.targetSurface(ctx))
            server = to.server
            tool = to.tool
          }
        }
      }
    }
    const hiddenBy = server ? (this.filters.get(server)?.(tool) ?? (appHost ? undefined : this.appOnlyOf(server, tool))) : this.hiddenOwner(name)
    if (hiddenBy) throw new ProtocolError(-32602, hiddenText(name, hiddenBy), { details: { tool: name } })
    if (!server || !this.entries.has(server)) {
      if (await this.retryAfterLogin(name)) return this.callToolSlow(name, args, ctx)
      // A name under a server that is configured but has no tools listed (failed to start, circuit
      // open…) is not a client mistake: say what is wrong with that server.
      const down = this.unavailableOwner(name)
      // a server waiting for a login: offer the sign-in link through the client when it can show one, then go on (once)
      if (down?.code === "NEEDS_AUTH" && !elicited && canElicitUrl(ctx)) {
        const owner = String(down.details?.server ?? "")
        const spec = this.entries.get(owner)?.def.spec
        if (spec && (await this.logins.run(owner, spec, ctx))) return this.callToolSlow(name, args, ctx, true)
      }
      if (down) throw down
      const known = this.notServedError(name)
      if (known) throw known
      throw this.unknownTool(name, ctx, this.restartedOwner(name, ctx) ?? (waitedListing ? this.listedOwner(name, ctx) : undefined))
    }
    const task = route !== undefined && route.server === server && route.name === tool ? route.task : taskRequired(this.entries.get(server)?.tools?.find((t) => t?.name === tool)) || undefined
    return this.send(server, tool, callArgs, ctx, arrived, task)
  }

  /**
   * The server `name` is under when its list (known) lacks the tool that an earlier list of it had:
   * its list before a restart under a new definition (why, and its tools now), or the list stored
   * from an earlier run that the first lists were answered from (`stored`).
   */
  private restartedOwner(name: string, ctx: CallContext): RestartedOwner | undefined {
    const { separator: sep, passthrough } = this.o.config.proxy
    if (passthrough) return undefined
    for (const [server, e] of this.entries) {
      const restarted = this.restarted.get(server) ?? this.poolRestart(server)
      const tool = name.slice(server.length + sep.length)
      if (e.tools === undefined || !name.startsWith(server + sep)) continue
      // a name its old definition did not list either is a plain unknown tool
      if (restarted !== undefined && restarted.before.has(tool)) return { server, tool, restarted: restarted.why, tools: this.callableOf(server, ctx) }
      // the first lists were answered from its stored list, which had the tool: it listed since without it
      if (restarted === undefined && e.fresh && this.storedNames.had(server, "tools", tool)) return { server, tool, stored: true, tools: this.callableOf(server, ctx) }
    }
    return undefined
  }

  /** The pool's latest restart of `server` (it exited, or was stopped idle) as `restarted` holds a reload's: why, and the tools before it. */
  private poolRestart(server: string): { why: string; before: ReadonlySet<string> } | undefined {
    const before = this.relists.before(server)
    return before === undefined ? undefined : { why: RESTART_WHY, before }
  }

  async awaitToolLists(names: readonly string[], ms: number): Promise<void> {
    await this.loadStore()
    const listings: Promise<unknown>[] = []
    const servers: string[] = []
    for (const e of new Set(names.flatMap((n) => this.ownersOf(n)))) {
      if (e.tools !== undefined || this.down.has(e.def.name)) continue
      this.askTools(e)
      const listing = this.refresh.current(`${e.def.name}\u0000tools`)
      if (listing === undefined) continue
      listings.push(listing.catch(noop))
      servers.push(e.def.name)
    }
    if (listings.length === 0) return
    this.log.info("waiting for the tools/list of servers whose tools were asked for", { servers, waitMs: ms })
    await waitAtMost(Promise.all(listings), ms)
  }

  /** The configured servers `name` is under (`server` + separator; none with proxy.passthrough, whose names carry no server). */
  private ownersOf(name: string): Entry[] {
    const { separator: sep, passthrough } = this.o.config.proxy
    if (passthrough) return []
    return [...this.entries].filter(([server]) => name.startsWith(server + sep)).map(([, e]) => e)
  }

  /**
   * Lists the tools of a server that has not listed them in this run (none yet, or only its stored
   * list), unless its listing is under way, or left to its retry schedule or open breaker (as
   * listMissingTools does): a call of a name under it sent before any list, or a name (prompt,
   * resource) its stored lists lack, starts it this way; its start lists every kind (onReady).
   */
  private askTools(e: Entry): void {
    const server = e.def.name
    if (e.fresh || this.refresh.current(`${server}\u0000tools`) !== undefined) return
    if (this.pool.get(server)?.breaker.state === "open" || this.listRetries.scheduled(server)) return
    // its failure is reported where it happens (listKind)
    this.refreshKind(server, "tools").catch(noop)
  }

  /** The server `name` is under, once the listing the call waited for is in and lacks the tool: its tools now. */
  private listedOwner(name: string, ctx: CallContext): RestartedOwner | undefined {
    const sep = this.o.config.proxy.separator
    let owner: string | undefined
    for (const [server, e] of this.entries) if (e.tools !== undefined && name.startsWith(server + sep) && (owner === undefined || server.length > owner.length)) owner = server
    return owner === undefined ? undefined : { server: owner, tool: name.slice(owner.length + sep.length), tools: this.callableOf(owner, ctx) }
  }

  /** The server's tools the caller may call (its filter, the connection's toolset), exposed names. */
  private callableOf(server: string, ctx: CallContext): string[] {
    return [...this.toolSurface().routes].filter(([exposed, r]) => r.server === server && !this.filters.get(server)?.(r.name) && !ctx.scope?.outside(exposed, server)).map(([exposed]) => exposed)
  }

  /** A name under a server whose tool of that name was left out of its list (invalid or withheld definition): why it cannot be called. */
  private droppedTool(name: string): ProtocolError | undefined {
    const { separator: sep, passthrough } = this.o.config.proxy
    for (const [server, e] of this.entries) {
      // proxy.passthrough: the exposed name is the server's own
      if (!passthrough && !name.startsWith(server + sep)) continue
      const tool = passthrough ? name : name.slice(server.length + sep.length)
      const issue = [...(e.issues?.tools ?? []), ...(e.withheld?.tools ?? [])].find((i) => i.action === "dropped" && i.name === tool)
      if (issue) return new ProtocolError(-32602, `${shownName(name)} cannot be called: server ${server} lists it, but its definition was left out of the tool list (${issue.why}); the server must fix it (orchestrator_status lists what was dropped)`, { details: { server, tool: name } })
    }
    return undefined
  }

  /**
   * The exposed names an unknown `name` most likely stands for (at most 3, none when there are more):
   * the same name in other case (`EV__ECHO`), or a server's own tool name without its prefix (`echo`
   * for `ev__echo`), the mistakes a model makes most, other spellings and typos (proxy/name-guess);
   * only tools this connection may call, chosen among them (a hidden tool closer to the name than
   * a callable one neither shows nor stands in the callable one's way).
   */
  private guessTool(name: string, ctx: CallContext): string[] {
    const routes = this.toolSurface().routes
    const callable = [...routes].filter(([e, r]) => !this.filters.get(r.server)?.(r.name) && !ctx.scope?.outside(e, r.server)).map(([e]) => e)
    const guess = guessToolNames(name, callable, (e) => routes.get(e)?.name)
    return guess.length > 3 ? [] : guess
  }



  /** What a call a route hook sent to another tool is checked against (proxy/route-check). */
  private targetSurface(ctx: CallContext): Parameters<typeof checkRoutedTarget>[3] {
    return {
      scope: ctx.scope,
      configured: (server) => this.entries.has(server),
      disabled: (server) => this.disabledSpec(server),
      gone: (server) => this.gone.get(server),
      hidden: (server, tool) => this.filters.get(server)?.(tool),
      blocked: (server, tool) => this.o.toolGate?.blocked(server, tool),
      lists: (server, tool) => this.serverHasTool(server, tool),
      listedBy: (tool) => [...this.entries.keys()].filter((server) => this.entries.get(server)?.tools?.some((t) => t.name === tool) === true && ctx.scope?.outside(this.exposedName(server, tool), server) === undefined),
    }
  }

  /** The exposed name of `server`'s tool `tool`: as listed, else `server<separator>tool` (not listed: it has none). */
  private exposedName(server: string, tool: string): string {
    const surface = this.toolSurface()
    let byTarget = this.exposedNames.get(surface)
    if (byTarget === undefined) {
      byTarget = new Map()
      for (const [exposed, r] of surface.routes) byTarget.set(`${r.server}\u0000${r.name}`, exposed)
      this.exposedNames.set(surface, byTarget)
    }
    const p = this.o.config.proxy
    return byTarget.get(`${server}\u0000${tool}`) ?? (p.passthrough ? tool : `${server}${p.separator}${tool}`)
  }

  /** The server has a config entry with `disabled: true` (it is not added: entries know nothing of it). */
  private disabledSpec(server: string): boolean {
    return this.disabledKey(server) !== undefined
  }

  /** The key of the server's config entry when it has `disabled: true` (`servers.x`, else `mcpServers.x`: the one in force), else undefined. */
  private disabledKey(server: string): string | undefined {
    const c = this.o.config
    const [key, spec] = Object.hasOwn(c.servers, server) ? ["servers", c.servers[server]] : c.mcpServers && Object.hasOwn(c.mcpServers, server) ? ["mcpServers", c.mcpServers[server]] : []
    return spec?.disabled === true ? `${key}.${server}` : undefined
  }

  /** A name under a server whose config entry is `disabled: true` (the longest such server name that prefixes it): why it cannot be called. */
  private disabledOwner(name: string): DownstreamError | undefined {
    const c = this.o.config
    const sep = c.proxy.separator
    let owner: string | undefined
    for (const server of new Set([...Object.keys(c.mcpServers ?? {}), ...Object.keys(c.servers)])) {
      if (name.startsWith(server + sep) && !this.entries.has(server) && this.disabledSpec(server) && (owner === undefined || server.length > owner.length)) owner = server
    }
    if (owner === undefined) return undefined
    return disabledServerError(owner, name, this.o.leftOut?.() ?? [], this.disabledKey(owner))
  }

  /** False only when the server's tool list is known and lacks `tool` (not listed yet: it may have it). */
  private serverHasTool(server: string, tool: string): boolean {
    const tools = this.entries.get(server)?.tools
    return tools === undefined || tools.some((t) => t.name === tool)
  }

  /**
   * Why `name`, not routed, cannot be called, when its server says so without a call: disabled, its
   * config entry invalid (left out), removed or renamed by a reload, the tool left out for an
   * invalid definition. Undefined: nothing known of it (unknown, or its server is starting or down:
   * unavailableOwner says that).
   */
  /**
   * The names a renamed server went by since `s` (memory → mem → m3: [mem, m3]), up to one that is
   * configured or a dead end: a client holds the first list's names, however many renames came after.
   */
  private renameChain(s: string): string[] {
    const chain: string[] = []
    for (let to = this.renamedTo.get(s); to !== undefined && to !== s && !chain.includes(to); to = this.renamedTo.get(to)) {
      chain.push(to)
      if (this.entries.has(to)) break
    }
    return chain
  }

  private notServedError(name: string): Error | undefined {
    const off = this.disabledOwner(name)
    if (off) return off
    const sep = this.o.config.proxy.separator
    // its server's config entry is invalid (left out): the entry's problems, not "unknown"
    const invalid = leftOutToolError(name, sep, this.o.leftOut?.() ?? [], (s) => this.entries.has(s))
    if (invalid) return invalid
    for (const [s, why] of this.gone) {
      if (!name.startsWith(s + sep)) continue
      const chain = this.renameChain(s)
      const to = chain[chain.length - 1]
      if (to !== undefined && this.entries.has(to)) {
        const now = to + sep + name.slice(s.length + sep.length)
        const again = chain.length > 1 ? ` (renamed again since: ${chain.join(" → ")})` : ""
        return new DownstreamError("SERVER_REMOVED", `Server ${s} ${why}, so ${shownName(name)} cannot be called; its tools are ${to}${sep}… now${again}: call ${now}`, { remedy: `Call ${now} instead: the same server runs under its new name (a tool list fetched before the rename still shows the old one).`, details: { server: s, tool: name, renamedTo: to, now } })
      }
      return new DownstreamError("SERVER_REMOVED", `Server ${s} ${why}, so ${shownName(name)} cannot be called`, { remedy: this.goneToolkit.has(s) ? "List the tools again (the Docker MCP gateway's tools are gone); to call them again, enable a Toolkit server (server_enable, or Docker Desktop's MCP Toolkit; servers_list shows what is enabled, catalog_search finds more): the gateway starts again with it." : "List the tools again (the server's tools are gone), or add the server back to the config.", details: { server: s, tool: name } })
    }
    // listed by its server, but left out for an invalid definition: say that, not "unknown"
    return this.droppedTool(name)
  }

  /**
   * Why a tool that is not routed cannot be called, as a call of it would say, without calling or
   * starting anything (run_code's refusal of a name it cannot reach): hidden by a filter, its
   * server disabled, invalid, removed or renamed, the tool dropped. Undefined when none of these.
   */
  notCallable(name: string): string | undefined {
    if (this.toolSurface().routes.has(name)) return undefined
    const hiddenBy = this.hiddenOwner(name)
    if (hiddenBy) return hiddenText(name, hiddenBy)
    const e = this.notServedError(name) ?? this.pinHeld(name)
    return e ? errorMessage(e) : undefined
  }

  /** Why an exposed name that is not routed is hidden by its server's filter, if it is. */
  private hiddenOwner(name: string): string | undefined {
    const sep = this.o.config.proxy.separator
    for (const [server, check] of this.filters) {
      if (name.startsWith(server + sep)) {
        const why = check(name.slice(server.length + sep.length))
        if (why) return why
      }
    }
    for (const server of this.appOnly.keys()) if (name.startsWith(server + sep)) return this.appOnlyOf(server, name.slice(server.length + sep.length))
    return undefined
  }

  /**
   * The MCP Apps tools only a view may call, as an App host is shown them: namespaced as the
   * server's other tools would be (`server<separator>tool`; its own name under passthrough), their
   * `_meta.ui` kept, sanitized as the listed ones (proxy/app-only). The same array until one changes.
   */
  appTools(): readonly Tool[] {
    if (this.appListed !== undefined) return this.appListed
    const sep = this.o.config.proxy.separator
    const passthrough = this.o.config.proxy.passthrough
    const opts = this.sanitizeOptions()
    const out: Tool[] = []
    for (const [server, tools] of this.appOnly) {
      if (!this.entries.has(server)) continue
      for (const def of tools.values()) {
        const named = { ...def, name: passthrough ? def.name : `${server}${sep}${def.name}` }
        if (opts === undefined) {
          out.push(named)
          continue
        }
        // hidden characters in a value the server matches exactly: withheld, as from the model's list (proxy/surface)
        const report: SanitizeReport = { hidden: 0, truncated: 0 }
        const clean = sanitizeItem(named, opts, report)
        if (report.poisoned === undefined) out.push(clean)
      }
    }
    return (this.appListed = out)
  }

  appToolServer(name: string): string | undefined {
    const { separator: sep, passthrough } = this.o.config.proxy
    for (const [server, tools] of this.appOnly) if (this.entries.has(server) && (passthrough ? tools.has(name) : name.startsWith(server + sep) && tools.has(name.slice(server.length + sep.length)))) return server
    return undefined
  }

  /**
   * Where an App host's call of a name no list routes goes (proxy/app-only): a tool only a view may
   * call by its namespaced name, or a tool by its server's own (bare) name, as a view calls its
   * server's tools: only when exactly one server has a tool so named (visible to the model or to
   * views, past its filter); several: refused naming each (never guessed); none: undefined.
   */
  private appRoute(name: string, scope?: CallScope): Route | undefined {
    const sep = this.o.config.proxy.separator
    // a toolset's connection (proxy/toolset): only tools inside it are candidates; an exact name outside it is refused saying so
    const outside = (exposed: string, server: string): string | undefined => scope?.outside(exposed, server)
    for (const [server, tools] of this.appOnly) {
      const def = name.startsWith(server + sep) ? tools.get(name.slice(server.length + sep.length)) : undefined
      if (def === undefined) continue
      const out = outside(name, server)
      if (out !== undefined) throw new ProtocolError(-32602, `tool ${shownName(name)} is not in toolset "${scope!.name}": left out by ${out}`, { details: { tool: name } })
      return { server, name: def.name, ...(taskRequired(def) ? { task: true as const } : {}) }
    }
    const found: { server: string; exposed: string; def?: Tool }[] = []
    for (const [exposed, r] of this.toolSurface().routes) if (r.name === name && outside(exposed, r.server) === undefined) found.push({ server: r.server, exposed })
    for (const [server, tools] of this.appOnly) {
      const def = tools.get(name)
      const exposed = this.o.config.proxy.passthrough ? name : `${server}${sep}${name}`
      if (def !== undefined && this.entries.has(server) && outside(exposed, server) === undefined) found.push({ server, exposed, def })
    }
    if (found.length === 0) return undefined
    if (found.length > 1) throw new ProtocolError(-32602, ambiguousBareName(name, found.map((f) => f.exposed).sort()), { details: { tool: name, candidates: found.map((f) => f.exposed).sort() } })
    const only = found[0]!
    const route = this.toolSurface().routes.get(only.exposed)
    if (route !== undefined) return route
    return { server: only.server, name, ...(taskRequired(only.def) ? { task: true as const } : {}) }
  }

  /** Why `tool` of `server` is not offered when it is an MCP Apps tool only a view may call (proxy/app-only). */
  private appOnlyOf(server: string, tool: string): string | undefined {
    const def = this.appOnly.get(server)?.get(tool)
    return def !== undefined ? appOnlyWhy(visibilityOf(def)) : undefined
  }

  /**
   * A name under a server waiting for `auth login` (state needs-auth): list it again, since the
   * login may have happened meanwhile in another process. True when the name is routed now.
   */
  private async retryAfterLogin(name: string): Promise<boolean> {
    const sep = this.o.config.proxy.separator
    for (const [server, e] of this.entries) {
      if (!name.startsWith(server + sep) || e.tools !== undefined || this.pool.get(server)?.state !== "needs-auth") continue
      await this.refreshKind(server, "tools").catch(() => {})
      return this.toolSurface().routes.has(name)
    }
    return false
  }

  /**
   * A name whose tool the pins hold (proxy.pinTools: block: its definition changed since it was
   * approved): TOOL_DEFINITION_CHANGED with the approval command. Checked before any "unknown tool"
   * answer: the server still lists the tool, so "no longer lists" (a restart, a stored list) was untrue.
   */
  private pinHeld(name: string): DownstreamError | undefined {
    const gate = this.o.toolGate
    if (!gate) return undefined
    const sep = this.o.config.proxy.separator
    for (const server of this.entries.keys()) {
      if (!name.startsWith(server + sep)) continue
      const tool = name.slice(server.length + sep.length)
      const why = gate.blocked(server, tool)
      if (why) return pinHeldError(name, server, tool, why)
    }
    return undefined
  }

  /** The unknown-tool answer for `name`, unless the pins hold it (`pinHeld`). */
  private unknownTool(name: string, ctx: CallContext, owner?: RestartedOwner): Error {
    return this.pinHeld(name) ?? unknownToolError(name, this.guessTool(name, ctx), owner ?? this.restartedOwner(name, ctx))
  }

  private unavailableOwner(name: string): DownstreamError | undefined {
    const sep = this.o.config.proxy.separator
    const held = this.pinHeld(name)
    if (held) return held
    for (const [server, e] of this.entries) {
      if (!name.startsWith(server + sep) || e.tools !== undefined) continue
      const session = this.pool.get(server)
      if (session?.needsAuth) return session.needsAuth // its remedy is the exact `auth login` command
      const retryInMs = session?.nextAttemptInMs()
      // starting for the first time (nothing failed yet): not a fault to look for in the config —
      // unless it did not list in the last run either (proxy/silence): then that is what to say
      const noted = this.silence.notWaited(server)
      if (session?.lastError === undefined && session?.startAttempt !== undefined && !noted) {
        return new DownstreamError("SERVER_UNAVAILABLE", `Server ${server} is still starting, so ${shownName(name)} cannot be called yet: it has not listed its tools`, {
          remedy: `Call it again in a little while (orchestrator_status shows when the server is ready); a server that needs longer to start every time can be started at boot (\`warm: [${server}]\`) or given a longer \`servers.${server}.timeout\`.`,
          details: { server, tool: name },
        })
      }
      // up, its tools/list asked and not answered yet (a slow remote, a slow page): nothing to fix in
      // its config, no backoff to wait out — what describe_tools and search_tools say of it too
      // (a call waits for that listing within its timeout, once per listing; for a server that did
      // not list in the last run either, briefly: said, with what to do about it)
      const briefly = `calls wait for it at most proxy.listWait, ${this.silentCallWait()} ms, once per start and per listing`
      if (session?.lastError === undefined && session?.state === "ready" && this.refresh.current(`${server}\u0000tools`) !== undefined) {
        const silent = noted ? `, nor in the last run (${briefly})` : ""
        return new DownstreamError("SERVER_UNAVAILABLE", `Server ${server} is up but has not answered its tools/list yet${silent}, so ${shownName(name)} cannot be called yet`, {
          remedy: `Call it again once the server has listed its tools (orchestrator_status: its row's toolsNotListed goes; search_tools finds its tools then).${noted ? " If it never does, fix or remove it." : ""}`,
          details: { server, tool: name },
        })
      }
      const retry = session?.retryText()
      // the start failure said what to do (the env entry to write, the interpreter to install): that, not the generic advice
      // (its message may spell it out too: said once, as the remedy)
      const own = session?.lastRemedy ?? e.def.remedy?.(session?.lastError ?? "")
      const last = own !== undefined ? session?.lastError?.split(own).join("").replace(/[ \t]+$/gm, "") : session?.lastError
      const starting = session?.startAttempt !== undefined ? "it is still starting and " : ""
      const why = last ?? (noted ? `${starting}it has not listed its tools yet, nor in the last run (${briefly})` : "it has not listed its tools yet")
      return new DownstreamError("SERVER_UNAVAILABLE", `Server ${server} is unavailable, so ${shownName(name)} cannot be called: ${why}`, {
        remedy: own !== undefined ? `${own.replace(/\.?\s*$/, ".")} mcp-orchestrator keeps retrying it with backoff${retry ? `: ${retry}` : ""}; orchestrator_status shows its state.` : `${transportRemedy(e.def)}, then see orchestrator_status; mcp-orchestrator keeps retrying it with backoff${retry ? `: ${retry}` : ""}.`,
        details: { server, tool: name, ...(retryInMs !== undefined ? { retryInMs: Math.round(retryInMs) } : {}) },
      })
    }
    return undefined
  }

  /**
   * When `name` is under a server whose tools are not known yet because its start is under way (a
   * first start slower than proxy.listWait, e.g. `npx` fetching a package) or because it is up and
   * its tools/list is not answered yet (a slow remote, a slow page): waits for that start and for
   * the tool listing within the call's timeout (the server's `timeout`, else pool.callTimeout, from
   * `arrived`), as a call to a listed tool of a starting server waits for it; the client's cancel
   * ends the wait. One wait per listing (`listingWait`): calls after one waited a listing out fail at
   * once. A server that did not list in the last run (proxy/silence) is waited for briefly
   * (`silentCallWait`, once per start and per listing); one that went down is not waited for: the
   * call fails at once saying why. A start replaced while the call waits (a config reload restarted the
   * server under a changed definition, the Toolkit gateway restarted) is followed: the call waits
   * for the new start, within the same budget (it was never sent, so nothing is sent twice). True
   * when it waited. A server whose tools only its stored list held (an earlier run's, which the
   * first lists were answered from) is started for its live list the same way: a tool it added
   * since is reachable (`awaitLiveListing`).
   */
  private async startedListing(name: string, arrived: number, ctx: CallContext): Promise<boolean> {
    const sep = this.o.config.proxy.separator
    for (const [server, first] of this.entries) {
      if (name.startsWith(server + sep) && (await this.awaitLiveListing(server, first, "tools", arrived, ctx, name))) return true
    }
    return false
  }

  /**
   * `kind`'s list of `server` as this run lists it (`listedLive`), for a request (a call, a prompt
   * got, a URI read or completed, `what`) of a name that list does not hold: the start of a server
   * not started (kicked by its tools listing: askTools; onReady lists every kind) and its listing of
   * `kind` are waited for within the request's timeout from `arrived` (see startedListing), the
   * client's cancel ending the wait. True when it waited.
   */
  private async awaitLiveListing(server: string, first: Entry, kind: ListKind, arrived: number, ctx: CallContext, what: string): Promise<boolean> {
    const source = ctx.cancel ?? ctx.signal
    const left = (e: Entry): number => this.clientWait([e]) - (this.pool.now() - arrived)
    const key = `${server}\u0000${kind}`
    let waited = false
    for (let e: Entry | undefined = first; e !== undefined && !this.listedLive(e, kind) && !this.down.has(server); ) {
      // did not list in the last run (proxy/silence): a short wait, once per start and per listing
      const silent = this.silence.notWaited(server)
      const budget = (p: Promise<unknown>): number => (silent ? this.listingWait(p, Math.min(left(e!), this.silentCallWait())) : left(e!))
      const session = this.pool.get(server)
      const listing = this.refresh.current(key)
      // a tools listing of a server not started, nor waiting out a backoff, is what starts it (a
      // server just added, or restarted by a config reload, is started by its first listing a tick later)
      const kick = this.refresh.current(`${server}\u0000tools`)
      const start = (session?.startAttempt as Promise<unknown> | undefined) ?? (session !== undefined && !session.isLive && session.nextAttemptInMs() === undefined ? kick : undefined)
      // up, its list of `kind` asked and not answered yet: that listing is waited for
      const up = session !== undefined && session.isLive && session.startAttempt === undefined
      if (start === undefined && (listing === undefined || !up)) break
      if (source.aborted) return false
      let onAbort = noop
      const aborted = new Promise<void>((r) => listenAbort(source, (onAbort = r)))
      try {
        const startMs = start === undefined ? 0 : budget(start)
        if (start !== undefined && startMs > 0) await waitAtMost(Promise.race([start, aborted]), startMs)
        const now = this.refresh.current(key)
        if (!source.aborted && now !== undefined && !this.listedLive(e, kind) && this.entries.get(server) === e) {
          const ms = silent ? budget(now) : this.listingWait(now, left(e))
          if (ms > 0) {
            const line = kind === "tools" ? "call waits for its server's tools/list" : `request waits for its server's ${kind}/list`
            this.log.info(line, { server, ...(kind === "tools" ? { tool: what } : { name: what }), waitMs: Math.round(ms) })
            await waitAtMost(Promise.race([now, aborted]), ms)
          }
        }
      } finally {
        unlistenAbort(source, onAbort)
      }
      waited = true
      // the same entry: its start and listing are over (listed or not); another: the server was
      // restarted meanwhile, and the request waits for that start while its budget lasts
      const now = this.entries.get(server)
      e = now !== e && !source.aborted && now !== undefined && left(now) > 0 ? now : undefined
    }
    return waited
  }

  /** Whether `e`'s list of `kind` was listed by this run's session, not only read from the store. */
  private listedLive(e: Entry, kind: ListKind): boolean {
    return kind === "tools" ? e.fresh : e.live.has(kind)
  }

  /**
   * How long a call waits for the start or the tools listing of a server that did not list in the
   * last run (proxy/silence), once per start and per listing: proxy.listWait (as a list waits for a
   * server it does wait for), within the call's timeout. Long enough for a server that starts and
   * lists quickly this run (its names, learnt from search_tools or an earlier session, are
   * reachable); one that stays silent costs one call that wait per start and listing, not every
   * call its timeout.
   */
  private silentCallWait(): number {
    return this.o.config.proxy.listWait
  }

  /**
   * How long a call may wait for this tools listing under way: its own budget `ms`, but never past
   * the deadline the first call that waited for the same listing set (its arrival plus its budget).
   * A server whose tools/list never answers thus costs one call its timeout per listing, not every
   * call: later calls fail at once (they are told it has not answered).
   */
  private listingWait(listing: Promise<unknown>, ms: number): number {
    const now = this.pool.now()
    let until = this.callListingUntil.get(listing)
    if (until === undefined) this.callListingUntil.set(listing, (until = now + ms))
    return Math.min(ms, until - now)
  }

  /** `task`: the tool must be called as a task (its route says so: proxy/task-call); every other call takes `sendCall`. */
  private send(server: string, tool: string, args: Record<string, unknown>, ctx: CallContext, arrived?: number, task?: true): Promise<ToolCallOutput> {
    // pins in block mode, the tool known only from an earlier run's stored list: checked against the live list first
    const e = this.entries.get(server)
    if (e !== undefined && !e.fresh && e.tools !== undefined && this.o.toolGate !== undefined && this.o.config.proxy.pinTools === "block") {
      const at = arrived ?? this.pool.now()
      return this.livePinned(server, tool, e, ctx, at).then(() => this.sendChecked(server, tool, args, ctx, at, task))
    }
    return this.sendChecked(server, tool, args, ctx, arrived, task)
  }

  /**
   * proxy.pinTools: block, a call of a tool of a server whose tools come from the list an earlier run
   * stored (a warm start answered from it): the server's start and its live tools/list are waited
   * for within the call's budget from `arrived` (as a call of a name its stored list lacks waits),
   * and the pins checked before anything is sent: a tool whose definition changed since it was
   * approved (a rug pull between runs) fails with TOOL_DEFINITION_CHANGED, one the live list lacks
   * with the unknown-tool answer, and one whose server did not list in time is not sent (fail
   * closed). Before, the call went to the server at once and ran the changed tool; the pins saw the
   * new definition only when the live list came in, after it. (warn: nothing waits; the live
   * list's gate warns.)
   */
  private async livePinned(server: string, tool: string, first: Entry, ctx: CallContext, arrived: number): Promise<void> {
    const name = this.exposedName(server, tool)
    this.askTools(first)
    await this.awaitLiveListing(server, first, "tools", arrived, ctx, name)
    // by the server's own name (a passthrough or masked exposed name is no prefix match)
    const why = this.o.toolGate?.blocked(server, tool)
    if (why) throw pinHeldError(name, server, tool, why)
    const e = this.entries.get(server)
    if (e === undefined || !e.fresh || e.tools === undefined) throw pinUncheckedError(name, server, this.pool.get(server)?.lastError)
    if (!e.tools.some((t) => t?.name === tool)) throw this.unknownTool(name, ctx, this.listedOwner(name, ctx))
  }

  /** `send`, past the pins' check of a stored list. */
  private sendChecked(server: string, tool: string, args: Record<string, unknown>, ctx: CallContext, arrived?: number, task?: true): Promise<ToolCallOutput> {
    // restarting after a failure, or its new process still listing: the tool is checked against that list first
    const session = this.relists.listing(server) !== undefined || this.pool.get(server)?.state !== "ready" ? this.pool.get(server) : undefined
    if (session !== undefined && (this.relists.listing(server) !== undefined || session.failures > 0) && this.entries.get(server)?.fresh === true) {
      const at = arrived ?? this.pool.now()
      return this.stillListed(server, tool, ctx, at).then(() => this.sendListed(server, tool, args, ctx, at, task))
    }
    return this.sendListed(server, tool, args, ctx, arrived, task)
  }

  /**
   * A call of a tool of a server restarting after a failure (or whose new process is listing): once
   * it is up and its tools/list is in (within the call's budget from `arrived` and proxy.listWait), a
   * tool its new list lacks, which its previous process listed, fails with the unknown-tool answer
   * naming the restart and its tools now, nothing sent (proxy/restart-relist). Otherwise it resolves
   * and the call goes on (a start that fails is the call's own failure, said by the pool).
   */
  private async stillListed(server: string, tool: string, ctx: CallContext, arrived: number): Promise<void> {
    const session = this.pool.get(server)
    const e = this.entries.get(server)
    if (session === undefined || e === undefined) return
    const until = arrived + Math.min(this.callBudget(e, tool), CLIENT_WAIT_CAP_MS)
    if (session.state !== "ready") {
      const opts: CallOptions = ctx.cancel !== undefined ? { cancel: ctx.cancel, startedAt: arrived } : { signal: ctx.signal, startedAt: arrived }
      const up = await session.whenReady("tools/call", { name: tool }, opts).then(
        () => true,
        () => false,
      )
      if (!up) return
    }
    const listing = this.relists.listing(server)
    const ms = Math.min(this.o.config.proxy.listWait, until - this.pool.now())
    if (listing !== undefined && ms > 0) await waitAtMost(listing, ms)
    const now = this.entries.get(server)
    if (now?.fresh !== true || now.tools === undefined || now.tools.some((t) => t?.name === tool) || this.relists.listing(server) !== undefined) return
    if (this.relists.before(server)?.has(tool) !== true) return
    const name = this.exposedName(server, tool)
    this.log.info("call of a tool the restarted server no longer lists: not sent", { server, tool })
    throw this.unknownTool(name, ctx)
  }

  /** Send a call of a listed tool (see `send`): its checks on the way back. */
  private sendListed(server: string, tool: string, args: Record<string, unknown>, ctx: CallContext, arrived?: number, task?: true): Promise<ToolCallOutput> {
    // this attempt's end without its answer, as the questions relayed for it listen for it (a retry on the same context gets its own)
    const attempt = this.attemptOf(ctx)
    let call = task === true ? this.sendTask(server, tool, args, ctx, arrived) : this.sendCall(server, tool, args, ctx, arrived)
    // a script's call in flight is counted where its server's questions are routed (proxy/clients `callerOf`), and so is a client's
    if (ctx.script !== undefined) call = call.finally(() => this.clients.scriptSettled(server, ctx))
    else if (ctx.client !== undefined) call = call.finally(() => this.clients.settled(server, ctx))
    // a tool known only from the list an earlier run stored (the first answers came from it), its
    // server not listed live yet: a failure is checked against the live list (the server's start lists it)
    const e = this.entries.get(server)
    if (e !== undefined && !e.fresh && this.storedNames.had(server, "tools", tool)) {
      // the check waits within the call's own budget from its arrival, and never past a client's
      // wait (before, a call that timed out waiting for a hung start was answered listWait later,
      // past a client's own 60 s timeout)
      const until = (arrived ?? this.pool.now()) + Math.min(this.callBudget(e, tool), CLIENT_WAIT_CAP_MS)
      call = call.then(
        (r) => (isToolError(r) ? this.goneSinceStored(server, tool, ctx, until).then(() => r) : r),
        (err: unknown) => this.goneSinceStored(server, tool, ctx, until).then(() => Promise.reject(err)),
      )
    }
    // a tool with an outputSchema: its structured output is checked (proxy/output-check); none: nothing is done
    const output = outputCheckOf(this.entries.get(server)?.tools, tool)
    if (output !== undefined) call = call.then((r) => output.apply(server, tool, r, this.log))
    // a result without content gets one (proxy/result-content): strict clients refuse it otherwise
    // and a tool error naming a variable the server's process did not get gets the env entry to write (proxy/error-env)
    // a call ending without its answer (timed out, failed) ends the questions relayed for it (proxy/relay-cancel)
    // and so does its end with its answer (qa354: before, a question still open then stayed so for the server's whole timeout)
    call = call.then(
      (r) => {
        this.callEnded(attempt, ANSWERED)
        const given = withContent(server, tool, r, this.log, this.toldNoContent)
        return isToolError(given) ? withEnvHint(server, tool, given, this.missingEnvOf(server), this.log, this.toldMissingEnv) : given
      },
      (e: unknown) => {
        this.callEnded(attempt, e)
        throw e
      },
    )
    // a client older than some content types gets them as text (old-client-content.ts)
    const older = ctx.client !== undefined ? oldClientContent(ctx.client.protocolVersion()) : undefined
    return older === undefined ? call : call.then(older)
  }

  /**
   * A call of a tool the stored list had failed: once the server's live listing (under way since
   * its start) is in, a list without the tool makes the failure the unknown-tool error saying so
   * (its tools now), not the server's own answer to a name it never had (e.g. -32601, "no such
   * tool"); the next call of it says the same. Otherwise it resolves and the failure stands.
   */
  private async goneSinceStored(server: string, tool: string, ctx: CallContext, until: number): Promise<void> {
    // a call the client cancelled or left is answered as such, at once
    if (ctx.cancel?.aborted ?? ctx.signal.aborted) return
    const listing = this.refresh.current(`${server}\u0000tools`)
    const ms = Math.min(this.o.config.proxy.listWait, until - this.pool.now())
    if (listing !== undefined && ms > 0) await waitAtMost(listing.catch(noop), ms)
    const e = this.entries.get(server)
    if (e?.fresh !== true || e.tools === undefined || e.tools.some((t) => t?.name === tool)) return
    const name = this.exposedName(server, tool)
    throw this.unknownTool(name, ctx)
  }

  /**
   * How long a call of a name under `owners` may wait before it is routed: its budget (the server's
   * `timeout`, else pool.callTimeout; the shortest of several owners), never past CLIENT_WAIT_CAP_MS
   * (a client's request times out at 60 s: the answer must come first).
   */
  private clientWait(owners: readonly Entry[]): number {
    let ms = owners.length === 0 ? this.o.config.pool.callTimeout : Infinity
    for (const e of owners) ms = Math.min(ms, e.def.spec.timeout ?? this.o.config.pool.callTimeout)
    return Math.min(ms, CLIENT_WAIT_CAP_MS)
  }

  /** A tool call's budget: `toolTimeouts.<tool>`, else the server's `timeout`, else `pool.callTimeout` (as the pool counts it). */
  private callBudget(e: Entry, tool: string): number {
    const spec = e.def.spec
    const perTool = spec.toolTimeouts
    return perTool !== undefined && Object.hasOwn(perTool, tool) ? perTool[tool]! : (spec.timeout ?? this.o.config.pool.callTimeout)
  }

  /**
   * The live session's reading of a tool error's text for variables its child lacks (stdio servers
   * only; not the Toolkit gateway, whose servers take their keys from `docker mcp secret set`, not
   * from an env entry of ours).
   */
  private missingEnvOf(server: string): ((text: string) => ReturnType<NonNullable<ReturnType<Pool["get"]>>["missingEnv"]>) | undefined {
    const session = this.pool.get(server)
    return session === undefined || this.entries.get(server)?.def.source === "toolkit" ? undefined : (text) => session.missingEnv(text)
  }

  private sendCall(server: string, tool: string, shownArgs: Record<string, unknown>, ctx: CallContext, arrived?: number): Promise<ToolCallOutput> {
    // arguments exposed under another name (a name a model API refuses: catalog/arg-keys) get their server's back
    const args = downstreamArgs(this.entries.get(server)?.tools, tool, shownArgs)
    if (this.checking.size !== 0) this.markUsed(server)
    ctx.routedTo = server
    ctx.routedTool = tool
    if (ctx.client !== undefined) this.clients.called(server, ctx, ctx.client)
    else if (ctx.script !== undefined) this.clients.calledFromScript(server, ctx)
    const token = ctx.progressToken
    // `owner`: a question the server asks for this call comes back with it (relayRequest's `during`)
    const opts: CallOptions = ctx.cancel !== undefined ? { cancel: ctx.cancel, owner: ctx } : { signal: ctx.signal, owner: ctx }
    if (ctx.raw === true) opts.raw = true
    if (ctx.script?.maxAnswerBytes !== undefined) opts.maxAnswerBytes = ctx.script.maxAnswerBytes
    if (arrived !== undefined) opts.startedAt = arrived
    // the client's own _meta (trace context…) goes along; a call that sent none pays one property read
    const meta = ctx.meta === undefined ? undefined : this.clientMeta(ctx, server, "tools/call")
    const params = meta === undefined ? { name: tool, arguments: args } : { name: tool, arguments: args, _meta: meta }
    if (token === undefined) {
      // hot path: a legacy client and a server known to speak the legacy era (no input_required there)
      if (ctx.modern === undefined && this.pool.get(server)?.era?.era === "legacy") return this.pool.call(server, "tools/call", params, opts) as Promise<ToolCallOutput>
      return this.relayed({ server, method: "tools/call", target: tool, args }, params, opts, ctx) as Promise<ToolCallOutput>
    }
    // progress: a burst, then at most PROGRESS_PER_SECOND (the latest), and the last one before the result
    let lastSent = -Infinity
    const progress = new LatestOnly<Record<string, unknown>>(PROGRESS_PER_SECOND, (p) => {
      lastSent = performance.now()
      ctx.notify({ method: "notifications/progress", params: { ...p, progressToken: token } }).catch(() => {})
    })
    // a progress notification read in the same chunk as the result is dropped by SDK clients (their
    // notification handler runs a microtask after the result removed the progress listener): a result
    // right after a progress goes out AFTER_PROGRESS_MS later, in a write of its own, so a client
    // the machine's load keeps from running for a few ms still reads the progress first (5 ms was
    // too little on a loaded 2-core machine; a call that reports progress is no sub-ms call)
    const afterProgress = <T>(v: T): T | Promise<T> => (performance.now() - lastSent < 50 ? new Promise<T>((resolve) => setTimeout(() => resolve(v), AFTER_PROGRESS_MS)) : v)
    // a key streamed in messages under 6 characters (a token per progress): read across the
    // call's messages, a message that may start one held until the next tells (core/stream-tail)
    const stream = new HeldStream<Record<string, unknown>>((params, text) => progress.push(typeof params.message === "string" && params.message !== text ? { ...params, message: text } : params))
    opts.onProgress = (p: Record<string, unknown>): void => {
      // bounded, and only the fields of a progress notification (proxy/progress-params)
      const params = progressParams(p)
      if (params !== undefined) stream.push(params, typeof params.message === "string" ? params.message : "")
    }
    const call = ctx.modern === undefined && this.pool.get(server)?.era?.era === "legacy" ? this.pool.call(server, "tools/call", params, opts) : this.relayed({ server, method: "tools/call", target: tool, args }, params, opts, ctx)
    return (call as Promise<ToolCallOutput>).then(
      (r) => {
        stream.flush()
        progress.flush()
        return afterProgress(r)
      },
      (e: unknown) => {
        // a cancelled call's client is told nothing more
        if (ctx.cancel?.aborted ?? ctx.signal.aborted) (stream.drop(), progress.cancel())
        else (stream.flush(), progress.flush())
        throw e
      },
    )
  }

  /**
   * A tool whose definition says `execution.taskSupport: "required"`, of a legacy-era server that
   * declared task-augmented tools/call: run as a task and answered as a plain call (proxy/task-call).
   * Otherwise (no such capability: tasks must not be used; a 2026-07-28 server) the plain call, and
   * the server's own answer.
   */
  private async sendTask(server: string, tool: string, args: Record<string, unknown>, ctx: CallContext, arrived?: number): Promise<ToolCallOutput> {
    const session = this.pool.get(server)
    // the capabilities come with the start (a tool known from the stored list, its server not up yet):
    // the call's budget counts from here, through that wait
    if (session?.info === undefined) arrived ??= this.pool.now()
    // waited for as the call itself would wait for the start: within its budget from its arrival,
    // answered before a client gives up, at once after a start that hung (pool/start-waits)
    const waitOpts: CallOptions = ctx.cancel !== undefined ? { cancel: ctx.cancel } : { signal: ctx.signal }
    if (arrived !== undefined) waitOpts.startedAt = arrived
    const info = session?.info ?? (await session?.whenReady("tools/call", { name: tool }, waitOpts))
    if (session === undefined || session.era?.era === "modern" || !taskCallsDeclared(info?.capabilities)) return this.sendCall(server, tool, args, ctx, arrived)
    if (this.checking.size !== 0) this.markUsed(server)
    ctx.routedTo = server
    ctx.routedTool = tool
    if (ctx.client !== undefined) this.clients.called(server, ctx, ctx.client)
    else if (ctx.script !== undefined) this.clients.calledFromScript(server, ctx)
    const spec = this.entries.get(server)?.def.spec
    const perTool = spec?.toolTimeouts
    const timeoutMs = perTool !== undefined && Object.hasOwn(perTool, tool) ? perTool[tool]! : (spec?.timeout ?? this.o.config.pool.callTimeout)
    const meta = ctx.meta === undefined ? undefined : this.clientMeta(ctx, server, "tools/call")
    return callAsTask({
      server,
      tool,
      args,
      ...(meta !== undefined ? { meta } : {}),
      ctx,
      capabilities: info?.capabilities,
      timeoutMs,
      maxTotalMs: this.o.config.pool.maxTotalTimeout,
      ...(arrived !== undefined ? { startedAt: arrived } : {}),
      now: () => this.pool.now(),
      call: (method, params, opts) => this.pool.call(server, method, params, opts),
      onTask: (id, hold) => {
        const key = `${server}\u0000${id}`
        this.taskCalls.set(key, { ctx, hold })
        return () => void this.taskCalls.delete(key)
      },
      onProgressToken: (token, listener) => {
        const key = `${server}\u0000${token}`
        this.taskProgress.set(key, listener)
        return () => void this.taskProgress.delete(key)
      },
      log: this.log,
    })
  }

  /**
   * A request made for a client (tools/call, prompts/get, resources/read) that a modern downstream
   * may answer with `input_required`: the client's capabilities and log level go in the envelope, a
   * modern client's retry is unwrapped, and `input_required` is relayed (mrtr.ts).
   */
  private async relayed(t: MrtrTarget, params: Record<string, unknown>, opts: CallOptions, ctx: CallContext): Promise<unknown> {
    if (this.checking.size !== 0) this.markUsed(t.server)
    const m = ctx.modern
    const level = m ? m.logLevel : ctx.client ? this.logLevels.of(ctx.client) : undefined
    opts.modern = { inputRequired: true, clientCapabilities: relayableCapabilities(m ? m.clientCapabilities : ctx.client?.capabilities()), ...(level !== undefined ? { logLevel: level } : {}) }
    if (t.method === "tools/call") {
      const declared = this.paramHeadersOf(t.server, t.target)
      if (declared) opts.modern.paramHeaders = declared
    }
    // a retry answering a parked legacy call's questions (proxy/parked-calls): that call goes on
    const parkId = m?.requestState !== undefined ? this.inputs.parkOf(t, m) : undefined
    if (parkId !== undefined) {
      const parked = this.parks.take(parkId, t.server)
      // the call's progress from now on is this request's (its own token), none if it asked for none
      parked.progress = opts.onProgress
      const again = await this.turn(t, parked, ctx, m!.inputResponses)
      if (again.parked || !isInputRequired(again.out)) return again.out
      // the server's own input_required (a dual-era one): as any modern downstream's
      return this.inputs.toModernClient(t, again.out, m!, MODERN_PROTOCOL_VERSION)
    }
    const first = m && (m.requestState !== undefined || m.inputResponses !== undefined) ? this.inputs.resume(t, params, m) : params
    const untrack = m?.logLevel !== undefined ? this.requestLogs.track(t.server, ctx) : undefined
    try {
      // a modern client's call can be parked: a legacy downstream's questions meanwhile go back as input_required
      const park = m !== undefined ? this.parks.open(t.server, m) : undefined
      if (park !== undefined) {
        // a question the server asks for this call goes to this park (relayRequest), not the server's latest
        opts = { ...opts, cancel: park.cancel, owner: park }
        delete opts.signal
        // progress goes to the request waiting on the call now: never to one answered input_required (its stream is over)
        if (opts.onProgress !== undefined) {
          park.progress = opts.onProgress
          opts.onProgress = (p) => park.progress?.(p)
        }
      }
      const call = this.pool.call(t.server, t.method, first, opts).catch((e: unknown) => {
        // a server's own error answer names the tool it is about (a modern connection's does not know it)
        if (t.method === "tools/call" && e instanceof DownstreamError && e.code === "DOWNSTREAM_RPC_ERROR" && e.details !== undefined && e.details.tool === undefined) e.details.tool = t.target
        // -32021 names what our envelope lacked, i.e. what this legacy client did not declare: said in its terms
        if (ctx.script !== undefined && e instanceof RpcError && e.rpcCode === -32021) throw scriptInput(t, requiredOf(e.data), ctx.script)
        throw m === undefined ? missingCapability(t, e) : e
      })
      if (park !== undefined) park.start(call)
      let r: unknown
      if (park !== undefined) {
        const turn = await this.turn(t, park, ctx)
        // our own input_required, for the legacy server's questions: its requestState names the parked call
        if (turn.parked) return turn.out
        r = turn.out
      } else r = await call
      if (!isInputRequired(r)) return r
      if (m) return this.inputs.toModernClient(t, r, m, MODERN_PROTOCOL_VERSION)
      if (ctx.script !== undefined) throw scriptInput(t, askedMethods(r), ctx.script)
      // each retry is a new request with its own budget
      const again: CallOptions = { ...opts }
      delete again.startedAt
      const timeoutMs = this.entries.get(t.server)?.def.spec.timeout ?? this.o.config.pool.callTimeout
      return await this.inputs.fulfil(r, { target: t, ctx, timeoutMs, retry: (extra) => this.pool.call(t.server, t.method, { ...params, ...extra }, again) })
    } finally {
      untrack?.()
    }
  }

  /**
   * One turn of a modern client's call that may be parked: the downstream's outcome, or (a legacy
   * downstream asked something meanwhile) `input_required` with its questions, the call parked
   * until the client's retry. `answers`: that retry's inputResponses, handed to the waiting server first.
   */
  private async turn(t: MrtrTarget, park: ParkedCall, ctx: CallContext, answers?: Record<string, unknown>): Promise<{ out: unknown; parked: boolean }> {
    // the capabilities its latest request declared decide what the server's next questions may be
    if (ctx.modern !== undefined) park.modern = ctx.modern
    for (const b of park.answer(answers)) this.log.warn("the client's answer to a server request is invalid: not passed on, the server was answered with an error", { server: t.server, method: b.method, client: "2026-07-28 client", fields: b.fields })
    let turn: Turn
    try {
      turn = await park.next(ctx.cancel ?? ctx.signal)
    } catch (e) {
      this.parks.close(park)
      throw e
    }
    if ("result" in turn) {
      this.parks.close(park)
      return { out: turn.result, parked: false }
    }
    this.log.info("server input request relayed to the client as input_required (its call parked until the client's retry)", { server: t.server, for: t.method, asks: Object.values(turn.asks).map((a) => a.method) })
    park.progress = undefined
    this.parks.park(park)
    return { out: this.inputs.parked(t, turn.asks, park.id), parked: true }
  }

  /** What of the client's request `_meta` goes to `server` (proxy/client-meta); one that is too large is dropped, with a debug line. */
  private clientMeta(ctx: CallContext, server: string, method: string): Record<string, unknown> | undefined {
    const f = forwardedMeta(ctx.meta)
    if (f === undefined) return undefined
    if ("meta" in f) return f.meta
    this.log.debug("the client's request _meta was not forwarded: too large", { server, method, chars: f.dropped.chars, limit: f.dropped.limit, remedy: "Send less in _meta (trace context and a few keys fit)." })
    return undefined
  }

  async getPrompt(name: string, args: Record<string, string> | undefined, ctx: CallContext): Promise<GetPromptResult> {
    jitInteractive()
    noteServed()
    const { route, waited } = await this.promptRoute(name, ctx)
    if (!route) throw new ProtocolError(-32602, `Unknown prompt: ${shownName(name)}${this.unlistedPrompts(name, waited) || this.promptGuess(name)}`, { details: { prompt: name } })
    const meta = ctx.meta === undefined ? undefined : this.clientMeta(ctx, route.server, "prompts/get")
    const params = { name: route.name, ...(args ? { arguments: args } : {}), ...(meta !== undefined ? { _meta: meta } : {}) }
    // a question the server asks while serving it goes to this client, as for a tool call
    return this.clientRequest(route.server, ctx, () => this.relayed({ server: route.server, method: "prompts/get", target: route.name, args }, params, { signal: ctx.signal, idempotent: true, owner: ctx }, ctx) as Promise<GetPromptResult>)
  }

  async readResource(masked: string, ctx: CallContext): Promise<ReadResourceResult> {
    jitInteractive()
    noteServed()
    const per = this.perServerUi(masked)
    const uri = per?.uri ?? (await this.listedUri(masked))
    const server = per?.server ?? (await this.resourceServer(uri, ctx))
    if (!server) throw noResourceServer(uri, this.unlistedRoute().unknown)
    const meta = ctx.meta === undefined ? undefined : this.clientMeta(ctx, server, "resources/read")
    const read = await this.clientRequest(server, ctx, () => this.relayed({ server, method: "resources/read", target: uri }, meta !== undefined ? { uri, _meta: meta } : { uri }, { signal: ctx.signal, idempotent: true, owner: ctx }, ctx) as Promise<ReadResourceResult>)
    return per === undefined ? read : asPerServerRead(read, per.uri, masked)
  }

  /**
   * The server and its own URI a per-server view URI (`ui://<server>@…`, proxy/shared-ui) stands
   * for; undefined for any other URI, and for one another server lists as it is.
   */
  private perServerUi(uri: string): { server: string; uri: string } | undefined {
    const per = fromPerServerUri(uri, (name) => this.entries.has(name))
    if (per === undefined) return undefined
    const listers = this.resourceSurface().listed.get(uri)
    return listers === undefined || (listers.length === 1 && listers[0] === per.server) ? per : undefined
  }

  async complete(params: CompleteParams, ctx: CallContext): Promise<CompleteResult> {
    const none: CompleteResult = { completion: { values: [], hasMore: false } }
    let server: string | undefined
    let ref: CompleteParams["ref"] = params.ref
    if (params.ref.type === "ref/prompt") {
      const { route } = await this.promptRoute(params.ref.name, ctx)
      if (!route) return none
      server = route.server
      ref = { type: "ref/prompt", name: route.name }
    } else {
      // a reference the client got masked names the resource or template its server listed (proxy/masked-uri)
      const uri = await this.listedUri(params.ref.uri)
      server = await this.resourceServer(uri, ctx)
      ref = { ...params.ref, uri }
    }
    const session = server === undefined ? undefined : this.pool.get(server)
    // the owner may be known from the store and not started yet: its capabilities come with its start
    const info = session?.info ?? (await session?.ensure().catch(() => undefined))?.info
    if (!server || !info || !mayComplete(info)) return none
    try {
      // the client's _meta as for any request: never its own progressToken or envelope (they are this hop's)
      const { _meta: _sent, ...rest } = params as CompleteParams & { _meta?: unknown }
      const meta = ctx.meta === undefined ? undefined : this.clientMeta(ctx, server, "completion/complete")
      return (await this.pool.call(server, "completion/complete", { ...rest, ref, ...(meta !== undefined ? { _meta: meta } : {}) }, { signal: ctx.signal, idempotent: true })) as CompleteResult
    } catch (err) {
      // "method not found": it has no completions, whether asked without the capability (an older
      // revision's server) or despite declaring it (a server that declares more than it serves):
      // no completion, as for a server without them, rather than an error the client shows
      if (!(err instanceof RpcError) || err.rpcCode !== -32601) throw err
      const declared = info.capabilities.completions !== undefined && info.capabilities.completions !== null
      if (declared && !this.noCompletions.has(server)) {
        this.noCompletions.add(server)
        this.log.debug("completion/complete answered \"method not found\" though the server declares completions: read as no completions", { server, error: errorMessage(err) })
      }
      return none
    }
  }

  /**
   * The hint of an unknown prompt name nothing else explains: the prompt it most likely stands for
   * (the same rules as a tool's: a server's own name without its prefix, another case or spelling, a
   * typo), else where the names are (a bare "Unknown prompt: greet" left the user guessing).
   */
  private promptGuess(name: string): string {
    const routes = this.promptSurface().routes
    const guess = guessToolNames(name, routes.keys(), (e) => routes.get(e)?.name)
    if (guess.length > 0 && guess.length <= 3) return ` (did you mean ${guess.join(" or ")}?)`
    return " (prompts/list names the prompts; a server's prompt is named <server>" + this.o.config.proxy.separator + "<prompt>)"
  }

  /**
   * Why a prompt name under a server's prefix is not known, when that server has listed no prompts
   * (its prompts/list unanswered after listWait, or failed): " (server x has not listed its prompts:
   * …)"; when its stored list (the first answer) had it and its live one does not, that; else "".
   * Plain "Unknown prompt" read as a typo of the client's. `waited`: the request waited for the
   * server's live listing (its stored list lacked the name), which lacks it too: what it lists.
   */
  private unlistedPrompts(name: string, waited: boolean): string {
    const sep = this.o.config.proxy.separator
    for (const [server, e] of this.entries) {
      if (!name.startsWith(server + sep)) continue
      const prompt = name.slice(server.length + sep.length)
      const now = (): string => [...this.promptSurface().routes].filter(([, r]) => r.server === server).map(([exposed]) => exposed).join(", ") || "none"
      // its stored list (the first answer) had it; its live list, taken since, does not
      if (e.prompts !== undefined && this.storedNames.had(server, "prompts", prompt) && !e.prompts.some((p) => p?.name === prompt)) {
        return ` (server ${server} no longer lists ${shownName(prompt)} (${STORED_ONLY}); its prompts now: ${now()})`
      }
      // listed by this run and without it: what it has (a stored list lacking it was listed anew first: promptRoute)
      if (waited && e.prompts !== undefined && e.live.has("prompts")) return ` (server ${server} has listed its prompts and has no ${shownName(prompt)}; its prompts: ${now()})`
      if (e.prompts !== undefined) continue
      const why = this.pool.get(server)?.lastError ?? "its prompts/list has not been answered yet"
      return ` (server ${server} has not listed its prompts: ${why})`
    }
    return ""
  }


  /**
   * The route of an exposed prompt name; a name not known yet waits for its server's prompt listing
   * (first contact; every server's, for a name under none). A name under a server whose prompts only
   * the store gave waits for its live listing within the request's timeout (`listLive`).
   */
  private async promptRoute(name: string, ctx: CallContext): Promise<{ route?: Route | undefined; waited: boolean }> {
    // a prompt listed masked (named after a configured value) is got by the name its server listed (proxy/masked-uri)
    const route = listedEntry(this.promptSurface().routes, name)
    if (route) return { route, waited: false }
    const arrived = this.pool.now()
    // a name under a configured server waits for that server's prompts only (a server beside it that
    // never answers held a prompts/get sent before any list up to proxy.firstListWait)
    const owners = this.ownersOf(name)
    await this.settle("prompts", owners.length > 0 ? owners : undefined)
    const settled = listedEntry(this.promptSurface().routes, name)
    if (settled !== undefined || !(await this.listLive(owners, "prompts", arrived, ctx, name))) return { route: settled, waited: false }
    return { route: listedEntry(this.promptSurface().routes, name), waited: true }
  }

  /**
   * A name or URI that the lists of `kind` of `among` do not hold, where some of those lists came
   * only from the store (an earlier run's, which the first lists were answered from: a server not
   * started since, its stored lists within their TTL): the server may have added it since. Those
   * servers are started and their live listing waited for, together, within the request's timeout
   * from `arrived` (awaitLiveListing, as a call of a tool its stored list lacks); ends once `enough`.
   * Their start lists every kind and announces what changed (list_changed). True when it waited.
   */
  private async listLive(among: readonly Entry[], kind: OtherKind, arrived: number, ctx: CallContext, what: string, enough?: () => boolean): Promise<boolean> {
    // known and not listed live: taken from the store (a listing under way or unanswered was waited for by settle, up to listWait)
    const stale = among.filter((e) => e.known.has(kind) && !this.listedLive(e, kind) && !this.down.has(e.def.name) && startable(this.pool.get(e.def.name)?.state))
    if (stale.length === 0) return false
    for (const e of stale) this.askTools(e)
    const waits = stale.map((e) => this.awaitLiveListing(e.def.name, e, kind, arrived, ctx, what))
    const all = Promise.all(waits).then((w) => w.some(Boolean))
    return enough === undefined ? all : Promise.race([all, whenEnough(waits, enough).then(() => true)])
  }

  /**
   * The server that serves `uri`: the one listing it, else the one whose template matches it most
   * specifically; servers contending for it are refused by name (proxy/resource-route). A URI not
   * known yet, or one only a template claims while some server's lists are not in, waits for the
   * first listing. An unlisted URI goes to a server only when exactly one can be meant.
   */
  /**
   * The URI (or template, a completion's reference) a server listed that `uri` stands for, masked
   * as the client got it, or expanded by the client from a masked template (proxy/masked-uri); waits
   * for the lists as an unknown URI does.
   */
  private async listedUri(uri: string): Promise<string> {
    if (!uri.includes(REDACTED)) return uri
    if (!this.resourceSurface().listed.has(uri)) await this.settle("resources")
    const s = this.resourceSurface()
    const templates = s.templates.map((t) => t.uriTemplate)
    const listed = unmasked(uri, [...s.listed.keys(), ...templates])
    return listed !== uri ? listed : unmaskedFromTemplate(uri, templates)
  }

  private async resourceServer(uri: string, ctx: CallContext): Promise<string | undefined> {
    // a URI (or, a completion's reference, a template) a server lists goes to it at once, as with
    // every list in: a server whose lists are not in yet is not waited for (one that never answers
    // held a read sent before any list up to proxy.firstListWait); two listing it are contended
    const listed = (): boolean => {
      const s = this.resourceSurface()
      return s.listed.has(uri) || s.templates.some((t) => t.uriTemplate === uri)
    }
    const first = resourceOwner(this.resourceSurface(), uri)
    if (first !== undefined && listed()) return ownerOf(uri, first)
    // a URI only a template claims may be listed by a server whose lists are not in yet: wait for them
    // as for an unknown URI (a catch-all template must not take it while the lister is starting)
    const arrived = this.pool.now()
    if (first === undefined || this.unlistedRoute().unknown.length > 0) await this.settle("resources", undefined, listed)
    const route = (): string | undefined => {
      const unlisted = this.unlistedRoute()
      const owner = resourceOwner(this.resourceSurface(), uri, unlisted.unknown)
      return owner === undefined ? unlisted.server : ownerOf(uri, owner)
    }
    const found = route()
    // none serves it by the lists held: one whose resource lists only the store gave may have added it
    // since, if those lists could hold it at all (proxy/uri-reach: a resource of its origin, a template
    // reaching it, else the one server whose lists hold nothing); the others are not started for it
    const reach = serversThatMayHold(uri, [...this.entries.values()].filter((e) => !this.listedLive(e, "resources")))
    if (found !== undefined || !(await this.listLive(reach, "resources", arrived, ctx, uri, listed))) return found
    return route()
  }

  // --- Upstream: clients, server→client requests, subscriptions ---

  attachClient(client: ClientLink): () => void {
    return this.clients.attach(client, (c) => {
      this.subs.detach(c)
      this.logLevels.drop(c)
    })
  }

  setLogLevel(client: ClientLink, level: string): void {
    const changed = this.logLevels.set(client, level)
    if (changed === undefined) return
    for (const s of this.pool.all()) if (s.state === "ready" && s.info?.capabilities.logging) this.sendLogLevel(s.name, changed)
  }

  private sendLogLevel(server: string, level: string): void {
    void this.pool.call(server, "logging/setLevel", { level }, { idempotent: true }).catch((err: unknown) => this.log.debug("logging/setLevel not taken by a downstream", { server, error: errorMessage(err) }))
  }

  rootsChanged(client: ClientLink): void {
    // the downstreams' roots/list that follows goes to the most recently active client: this one
    this.clients.active(client)
    for (const s of this.pool.all()) void s.notify("notifications/roots/list_changed")
  }

  clientInitialized(client: ClientLink): void {
    if (this.rootsAsked.size === 0 || !client.capabilities()?.roots || client.modern === true) return
    const servers = [...this.rootsAsked]
    this.rootsUnknown.clear()
    this.clients.active(client)
    this.log.info("roots told again: a client that has roots is here now", { servers })
    for (const server of servers) void this.pool.get(server)?.notify("notifications/roots/list_changed")
  }

  /**
   * A masked URI (proxy/masked-uri) is subscribed at its server as the server listed it: the
   * subscription is held under that URI, the server's updates carry it, and they reach the client
   * masked (every notification is redacted at the face), i.e. as the URI it subscribed to.
   */
  async subscribeResource(masked: string, client: ClientLink, ctx: CallContext): Promise<void> {
    const per = this.perServerUi(masked)
    const uri = per?.uri ?? (await this.listedUri(masked))
    const server = per?.server ?? (await this.resourceServer(uri, ctx))
    if (!server) throw noResourceServer(uri, this.unlistedRoute().unknown)
    this.clients.active(client)
    await this.subs.subscribe(server, uri, client, ctx.signal)
  }

  async unsubscribeResource(masked: string, client: ClientLink, ctx: CallContext): Promise<void> {
    // the URI it was subscribed under, also when its resource is no longer listed
    const held = this.perServerUi(masked)?.uri ?? unmasked(masked, this.subs.uris())
    await this.subs.unsubscribe(held !== masked ? held : await this.listedUri(masked), client, ctx.signal)
  }

  private async sendSubscription(server: string, method: "resources/subscribe" | "resources/unsubscribe", uri: string, signal?: AbortSignal): Promise<void> {
    const session = this.pool.get(server)
    if (!session) return
    if (method === "resources/unsubscribe" && session.state !== "ready") return // gone or restarting: nothing to undo
    if (method === "resources/subscribe") {
      await session.ensure()
      if (!session.info?.capabilities.resources?.subscribe) {
        throw new ProtocolError(-32601, `Server ${server} (owner of ${shownName(uri)}) does not support resource subscriptions`, { details: { server, uri } })
      }
    }
    await this.pool.call(server, method, { uri }, { ...(signal ? { signal } : {}), idempotent: true })
  }

  /**
   * A downstream's request to its client: sent to the client of the call it serves (`during`: that
   * call, when the pool knows it: the POST stream that carried it, or the call it names in `_meta`;
   * a modern client's call that can be parked is known by its park), else to the client of the
   * server's latest call in flight, else to the most recent client.
   */
  private relayRequest(server: string, method: string, params: Record<string, unknown> | undefined, signal: AbortSignal, asked?: CallContext | ParkedCall): Promise<unknown> {
    const parked = asked instanceof ParkedCall ? asked : undefined
    const during = asked instanceof ParkedCall ? undefined : asked
    // known to be asked for a call that is over (its client cancelled it or disconnected, or it ended,
    // with its answer or without): nobody waits for the answer, and it is never another client's question
    const over = during !== undefined ? this.callOver(during) : undefined
    if (over !== undefined) {
      this.log.info("server request declined: the call it was asked for is over", { server, method, why: over })
      return Promise.reject(new ProtocolError(-32000, `${method} withdrawn: ${over}`))
    }
    if (method === "roots/list") this.rootsAsked.add(server)
    // a request of a task run for a call (proxy/task-call) names that task: it goes to that call's client
    const task = this.taskCalls.size !== 0 ? relatedTask(params) : undefined
    const owner = task !== undefined ? this.taskCalls.get(`${server}\u0000${task}`) : undefined
    const inFlight = this.pool.get(server)?.limiter.inFlight ?? 0
    const busy = inFlight > 0
    // a question during a run_code script's call: nobody there can answer it (not another client);
    // a client's call in flight beside it takes the question (proxy/clients `callerOf`). A question
    // known to be made for one call goes to that call's client (before, to the client of the server's
    // latest call: with two clients calling one remote server, one's question reached the other)
    const caller = owner !== undefined ? owner.ctx : parked !== undefined ? undefined : (during ?? this.clients.callerOf(server, busy, inFlight))
    const script = method !== "roots/list" ? caller?.script : undefined
    if (script !== undefined) return Promise.reject(this.scriptQuestion(server, method, script))
    const { client, send, via } = this.clients.targetOf(caller)
    if ((owner === undefined && parked !== undefined) || client?.modern === true) {
      // a task's question names its caller: never another call's park (that call would be answered
      // input_required with a question not its own, its retry's answer going to this task). A task
      // run here is one plain request of the client, not parked: nobody can answer, so declined.
      if (owner !== undefined) {
        this.log.info("server request declined: a task's question cannot reach a 2026-07-28 client (the task runs inside one plain request of it, which cannot be answered input_required and resumed)", { server, method, task })
        if (method === "roots/list") return Promise.resolve({ roots: [] })
        return Promise.reject(
          new ProtocolError(-32601, `Server ${server} asked for ${method} during task ${task}, run by mcp-orchestrator for an MCP 2026-07-28 client's tools/call${owner.ctx.routedTool !== undefined ? ` of ${owner.ctx.routedTool}` : ""}; a task's question cannot be relayed to such a client (it takes questions only as input_required of the request itself)`, {
            remedy: "Go on without the answer (e.g. a default), or let the user call the tool from an MCP 2025-11-25 client, which gets the question.",
          }),
        )
      }
      // the 2026-07-28 era has no server→client requests: a question made while serving a modern
      // client's call goes back to it as input_required, the call parked (proxy/parked-calls)
      // the call it was asked for, when known (a settled one takes no question: nobody waits for it)
      const park = parked !== undefined ? (parked.settled ? undefined : parked) : this.parks.current(server)
      const m = park?.modern
      if (park === undefined || m === undefined) {
        this.log.info("server request declined: the client speaks MCP 2026-07-28, which has no server→client requests, and no call of it is in flight to this server", { server, method })
        if (method === "roots/list") return Promise.resolve({ roots: [] })
        return Promise.reject(new ProtocolError(-32601, `Server ${server} asked for ${method} outside of any call a client made to it; the client connected to mcp-orchestrator speaks MCP 2026-07-28, where a server asks only while answering a request`))
      }
      let q: ReturnType<InputRelay["question"]>
      try {
        q = this.inputs.question(server, { method, ...(params !== undefined ? { params } : {}) }, m, MODERN_PROTOCOL_VERSION)
      } catch (e) {
        this.log.info("server request declined: the 2026-07-28 client cannot take it", { server, method, error: errorMessage(e) })
        // the capability is per request in 2026-07-28: "no client supports it" would be wrong, this request did not declare it
        const what = method === "sampling/createMessage" ? "sampling" : method === "elicitation/create" ? "elicitation" : undefined
        if (e instanceof ProtocolError && e.rpcCode === -32601 && what !== undefined) {
          return Promise.reject(
            new ProtocolError(-32601, `Server ${server} asked for ${what} (${method}), but the request it is serving came from an MCP 2026-07-28 client that did not declare ${what} in its _meta["io.modelcontextprotocol/clientCapabilities"]`, {
              remedy: `Use an MCP client that declares ${what} support, or a tool that does not need it.`,
            }),
          )
        }
        return Promise.reject(e)
      }
      if ("answer" in q) return Promise.resolve(q.answer)
      // the same bounds as a relay to a legacy client: a flood would be one input_required of thousands of questions
      const room = this.relayGate.enter(server)
      if (!room.ok) {
        if (room.first) this.log.warn("server requests to the client refused: too many", { server, method, why: room.why })
        return Promise.reject(new ProtocolError(-32000, `Server ${server} ${room.why} (sampling, elicitation, roots); this ${method} is refused, not queued`))
      }
      return park.ask(q.ask, signal).finally(() => this.relayGate.leave(server))
    }
    if (method === "roots/list" && client?.capabilities() === undefined) {
      // nobody to ask yet (no client, or one that has not sent initialize): no roots for now, and the
      // server is told they changed once a client with roots has initialized (clientInitialized)
      if (!this.rootsUnknown.has(server)) this.log.info("roots/list answered with no roots: no client has initialized yet; the server is told again once one has", { server })
      this.rootsUnknown.add(server)
      return Promise.resolve({ roots: [] })
    }
    if (method === "roots/list" && (send === undefined || !client?.capabilities()?.roots)) {
      // the client declares no roots: nothing is asked of it (before, this was logged "server request
      // relayed to the client", which it never was), said once per client
      if (client !== undefined && !this.rootsNone.has(client)) {
        this.rootsNone.add(client)
        this.log.info("roots/list answered with no roots: the client connected declares no roots capability (a server that works on files may then refuse or use its own default directory)", { server, client: clientLabel(client) })
      }
      return Promise.resolve({ roots: [] })
    }
    const timeoutMs = this.entries.get(server)?.def.spec.timeout ?? this.o.config.pool.callTimeout
    const room = this.relayGate.enter(server)
    if (!room.ok) {
      // one warning per flood and second; the refusals themselves are the downstream's to see
      if (room.first) this.log.warn("server requests to the client refused: too many", { server, method, why: room.why })
      return Promise.reject(new ProtocolError(-32000, `Server ${server} ${room.why} (sampling, elicitation, roots); this ${method} is refused, not queued`))
    }
    // logged once the client's connection took it (a request too large for it is refused at once, synchronously on stdio)
    let unsent = false
    if (room.log) setImmediate(() => unsent || this.log.info("server request relayed to the client", { server, method, client: via, ...(room.unlogged ? { moreSinceLastLine: room.unlogged } : {}) }))
    // the task's timeout waits for the client's answer (a user answering an elicitation)
    const release = owner?.hold()
    // asked of the client of a call in flight: withdrawn when that client cancels the call, or it ends without its answer (proxy/relay-cancel)
    const limiter = this.pool.get(server)?.limiter
    const tied =
      via === "caller" && caller !== undefined
        ? untilCallEnds(signal, method, caller.routedTool, {
            call: caller.cancel ?? caller.signal,
            gone: () => caller.client !== undefined && !this.clients.has(caller.client),
            ended: this.endsOf(caller),
            // known to be that call's: withdrawn at its own end (a guessed one waits for the server's last call)
            ...(during !== undefined && caller === during
              ? { alone: () => true }
              : { alone: () => (this.pool.get(server)?.limiter.inFlight ?? 0) === 0, ...(limiter !== undefined ? { onIdle: (fn: () => void) => limiter.onIdle(fn) } : {}) }),
          })
        : undefined
    try {
      return relayToClient(server, method, params, client, send, { signal: tied?.signal ?? signal, timeoutMs })
        .catch((e: unknown) => {
          const over = overClientLimit(e)
          if (over) this.log.warn("server request not relayed: too large for the client; the server was answered with an error", { server, method, client: via, ...over })
          const bad = badClientAnswer(e)
          if (bad) this.log.warn("the client's answer to a server request is invalid: not passed on, the server was answered with an error", { server, method, client: bad.client, fields: bad.fields, remedy: "report it to the client's authors; the server's tool may work without that feature or from another client" })
          unsent ||= over !== undefined
          throw e
        })
        .finally(() => {
          tied?.done()
          release?.()
          this.relayGate.leave(server)
        })
    } catch (e) {
      tied?.done()
      release?.()
      this.relayGate.leave(server)
      return Promise.reject(e)
    }
  }

  /**
   * A client's prompts/get or resources/read (`run`) to `server`: counted among the server's calls in
   * flight (a question asked meanwhile goes to its client: proxy/clients), and its end, with its
   * answer or without, withdraws the questions relayed for it, as a tool call's does (qa354: before,
   * such a question stayed open after the request had ended, and one naming it late was asked).
   */
  private async clientRequest<T>(server: string, ctx: CallContext, run: () => Promise<T>): Promise<T> {
    if (ctx.client === undefined) return run()
    this.clients.called(server, ctx, ctx.client)
    const attempt = this.attemptOf(ctx)
    try {
      const r = await run()
      this.callEnded(attempt, ANSWERED)
      return r
    } catch (e) {
      this.callEnded(attempt, e)
      throw e
    } finally {
      this.clients.settled(server, ctx)
    }
  }

  /**
   * Why the call `ctx` takes no question any more (a question known to be its own: relayRequest),
   * or undefined while it is in flight: its client disconnected (before, worded as a cancel, and a
   * question of a call whose client had gone was sent to another client), cancelled it, or the
   * attempt ended, with its answer or without (before, such a question was sent to the client of a
   * call already answered and stayed open there for the server's whole timeout: qa354).
   */
  private callOver(ctx: CallContext): string | undefined {
    // a 2026-07-28 client's call takes its questions through its park (proxy/parked-calls), not here
    if (ctx.client?.modern === true) return undefined
    const of = ctx.routedTool !== undefined ? ` (tools/call of ${ctx.routedTool})` : ""
    if (ctx.client !== undefined && !this.clients.has(ctx.client)) return clientGone(ctx.routedTool)
    if (ctx.cancel?.aborted ?? ctx.signal.aborted) return `the client cancelled the call it was asked for${of}`
    const ended = this.callEnds.get(ctx)
    return ended?.aborted === true ? `the call it was asked for${of} ${callEndedWords(ended.reason)}` : undefined
  }

  /**
   * A new attempt of the call `ctx` (undefined for a call no client made: nobody to withdraw a
   * question from): the mark its questions listen on for its end without its answer (`callEnded`).
   * Per attempt: a retry on the same context before had the first attempt's mark, already set, and
   * its own question was withdrawn as soon as no other call was in flight (qa341).
   */
  private attemptOf(ctx: CallContext): CallCancel | undefined {
    if (ctx.client === undefined) return undefined
    const mark = new CallCancel()
    this.callEnds.set(ctx, mark)
    return mark
  }

  /**
   * The attempt `mark` (`attemptOf`) ended without its answer (`err`): the questions relayed for it
   * are withdrawn (`untilCallEnds`). A question on its way from the server finds the mark set.
   */
  private callEnded(mark: CallCancel | undefined, err: unknown): void {
    if (mark?.aborted === true) return
    mark?.abort(err instanceof Error ? err : new Error(String(err)))
  }

  /** The call `ctx`'s end without its answer, as a question relayed for it listens for it (`callEnded`). */
  private endsOf(ctx: CallContext): CallCancel {
    let ended = this.callEnds.get(ctx)
    if (ended === undefined) this.callEnds.set(ctx, (ended = new CallCancel()))
    return ended
  }

  /** A server's question (elicitation, sampling) during a run_code script's call: refused to the server, the script told. */
  private scriptQuestion(server: string, method: string, script: ScriptCaller): ProtocolError {
    this.log.info("server request declined: it was made during a call of a run_code script, which cannot answer it", { server, method })
    script.declined(server, method)
    return new ProtocolError(-32601, `Server ${server} asked for ${method} while serving a call made by a run_code script, which cannot answer questions; no client was asked`, {
      remedy: "Call the tool outside run_code (its own name or call_tool) so the client can answer, or with arguments that need no further input.",
    })
  }

  /**
   * What a legacy downstream is told we can relay at its `initialize`: sampling, elicitation and
   * roots, whoever is connected. A server decides what to list by them (server-everything leaves
   * out its sampling and elicitation tools without them), and that list is stored and answered to
   * every client of later runs: it must not depend on which kind of client happened to start the
   * server first. A request a connected client cannot take is declined then (a 2026-07-28 client
   * takes none; roots: an empty list).
   */
  private relayCapabilities(): Readonly<Record<string, object>> {
    return RELAY_CAPABILITIES
  }

  onListChanged(listener: (kind: ListKind) => void): () => void {
    return this.notifier.subscribe(listener)
  }

  routeOf(name: string): { server: string; tool: string } | undefined {
    const r = listedEntry(this.toolSurface().routes, name)
    return r ? { server: r.server, tool: r.name } : undefined
  }

  /**
   * The server a client's request goes to as far as the stored lists tell (a tool's, a prompt's, a
   * resource's), else undefined: for messages about its answer (mcp/stdio-transport `serverOf`).
   */
  serverOf(method: string, params: Record<string, unknown> | undefined): string | undefined {
    if (method === "tools/call" && typeof params?.name === "string") return this.routeOf(params.name)?.server
    if (method === "prompts/get" && typeof params?.name === "string") return listedEntry(this.promptSurface().routes, params.name)?.server
    if (method === "resources/read" && typeof params?.uri === "string") {
      const per = this.perServerUi(params.uri)
      if (per !== undefined) return per.server
      const owner = resourceOwner(this.resourceSurface(), params.uri)
      return owner !== undefined && "server" in owner ? owner.server : undefined
    }
    return undefined
  }

  async catalog(): Promise<ToolCatalog> {
    // a dynamic source still making its first decision (the Toolkit being probed): search_tools,
    // describe_tools and run_code wait for it as tools/list does (once, at most listWait); a start
    // whose first tools/list came from the stored answer (the Toolkit's tools in it) otherwise
    // searched a catalog without them
    await this.sourcesDecided()
    await this.loadStore()
    await this.o.sourcesSettling?.()
    await this.listMissingTools()
    await this.pending("tools")
    await this.early.settle("tools")
    return this.hookedCatalogNow()
  }

  async hookedCatalogNow(): Promise<ToolCatalog> {
    const cat = this.catalogNow()
    // a plugin's tools hook shapes tools/list (hides, renames, re-describes): search, describe_tools
    // and run_code see what tools/list shows, checked the same way (hookedTools)
    const hook = this.o.hooks?.filterTools
    if (!hook) return cat
    const input = hookInput(cat.tools)
    return this.hookedCatalog(cat, this.hookedTools(await hook(input), cat.tools, input))
  }

  /**
   * The catalog of a tools hook's output: its tools, by their listed names and descriptions. A name
   * the hook made up (a rename its route hook maps back) has no route of its own: it is shown under
   * the server its prefix names when that is a configured server (`fs__cat` → fs), else under none;
   * a call of it goes through the route hook as any call does.
   */
  private hookedCatalog(cat: ToolCatalog, tools: readonly Tool[]): ToolCatalog {
    const sep = this.o.config.proxy.separator
    const routes = new Map<string, Route>()
    for (const t of tools) {
      const r = cat.route(t.name)
      if (r) routes.set(t.name, { server: r.server, name: r.tool })
      else {
        const at = t.name.indexOf(sep)
        const server = at > 0 ? t.name.slice(0, at) : ""
        routes.set(t.name, { server: this.entries.has(server) ? server : "", name: at > 0 ? t.name.slice(at + sep.length) : t.name })
      }
    }
    const items = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const byName = new Map(items.map((t) => [t.name, t]))
    const surface: Named<Tool> = { items, routes }
    // a name listed masked (a tool named after a configured value) stands for the one its server listed (proxy/masked-uri)
    const listedName = (name: string): string => (byName.has(name) ? name : unmasked(name, byName.keys()))
    return {
      tools: items,
      get: (name) => byName.get(listedName(name)),
      route: (name) => {
        const r = routes.get(listedName(name))
        return r && r.server !== "" ? { server: r.server, tool: r.name } : undefined
      },
      search: (query, opts = {}) => this.hookedIndex.sync(surface).search(query, opts),
      searchReady: () => this.hookedIndex.ready(surface),
    }
  }

  /**
   * A plugin tools hook's list without the names it may not list (proxy/hook-tools), a masked name
   * it lists (its input is masked: `hookInput`) taken as the listed tool it stands for.
   */
  private hookedTools(tools: Tool[], listed: readonly Tool[], input: readonly Tool[]): Tool[] {
    const routes = this.toolSurface().routes
    const sanitize = this.sanitizeOptions()
    // the outputSchemas of the list the hook was given (`input`: as it got them, masked), by the
    // listed names (a masked name in the hook's answer is taken as its listed one), built only when
    // an entry has one
    let outputs: Map<string, unknown> | undefined
    const outputsOf = (): Map<string, unknown> => {
      if (outputs) return outputs
      outputs = new Map()
      for (let i = 0; i < listed.length; i++) if (input[i]?.outputSchema !== undefined) outputs.set(listed[i]!.name, input[i]!.outputSchema)
      return outputs
    }
    return this.hooked.check(unmaskedNames(tools, routes.keys()), {
      reserved: this.reserved.tools,
      routed: (name) => routes.has(name),
      outputSchemaOf: (name) => outputsOf().get(name),
      outputSchemas: () => outputsOf().values(),
      rerouted: this.o.hooks?.route !== undefined,
      portable: this.o.config.proxy.portableSchemas,
      ...(sanitize ? { sanitize } : {}),
    })
  }

  catalogNow(): ToolCatalog {
    const surface = this.toolSurface()
    // the search index and the name map are built at their first use: tools/list reads `tools`
    // (run_code's description) and must not wait for indexing 5 000 tools
    let byName: Map<string, Tool> | undefined
    return {
      tools: surface.items,
      get: (name) => {
        byName ??= new Map(surface.items.map((t) => [t.name, t]))
        // a name listed masked (a tool named after a configured value) stands for the one its server listed (proxy/masked-uri)
        return listedEntry(byName, name)
      },
      route: (name) => this.routeOf(name),
      search: (query, opts = {}) => this.searchIndex.sync(surface).search(query, opts),
      searchReady: () => this.searchIndex.ready(surface),
    }
  }

  storeReady(): Promise<void> {
    return this.loadStore()
  }

  serverStates(): ServerState[] {
    return serverStates(this.entries.values(), this.pool, this.storeRead)
  }

  status(): UpstreamStatus {
    // the surfaces first: what they withhold (proxy/surface) is part of each server's row
    const tools = this.toolSurface().items.length
    this.promptSurface()
    this.resourceSurface()
    return { servers: serverStatuses([...this.entries.values()], this.pool, (s) => this.silence.why(s), this.storeRead, (s, err) => this.notInFirstAnswer(s, err)), tools }
  }

  // --- Sources ---

  addServer(def: DownstreamDef, opts: { lazy?: boolean } = {}): void {
    if (this.entries.has(def.name)) throw new DownstreamError("DUPLICATE_SERVER", `server ${def.name} already exists`)
    this.pool.add(def)
    this.gone.delete(def.name)
    this.goneToolkit.delete(def.name)
    this.renamedTo.delete(def.name)
    this.setFilter(def)
    const e: Entry = { server: def.name, def, fresh: false, known: new Set(), live: new Set() }
    this.entries.set(def.name, e)
    // once the stored entries were read, an added server's are read too (its definition's list, a
    // note, whether this is its first start ever: proxy/first-start), as the servers' at start were;
    // lists and the status wait for that read (loadStore). Before, a server added by a reload after the
    // first list was waited for only proxy.listWait and never answered from its stored list
    const store = this.o.toolListStore
    if (store && this.storeLoaded !== undefined) {
      const read = this.loadStored(store, e).then(() => {
        // what it took is a change for the clients given lists before (announced where it differs)
        if (this.entries.get(def.name) === e) for (const k of KINDS) this.changed(k)
      })
      this.storeLoaded = Promise.all([this.storeLoaded, read]).then(noop)
    }
    if (!opts.lazy) void this.refreshKind(def.name, "tools").catch(() => {})
    this.addedCount++
    const added = this.added
    this.added = undefined
    added?.resolve()
  }

  relistTools(name: string): void {
    if (this.disposed || !this.entries.has(name)) return
    this.early.announced(name, "tools")
    this.relist.touch(`${name}\u0000tools`)
  }

  refilter(name: string): void {
    const e = this.entries.get(name)
    if (!e) return
    this.setFilter(e.def)
    this.changed("tools")
  }

  /** (Re)compiles the server's tool filter; the Toolkit gateway's is toolkit.tools, read from the (running) config. */
  private setFilter(def: DownstreamDef): void {
    // the Toolkit gateway: toolkit.tools, and the gateway's own tools it hides (app/toolkit-gateway)
    const filter =
      def.source === "toolkit"
        ? bothChecks(compileFilter(def.spec.tools, "the Toolkit gateway's built-in filter"), compileFilter(this.o.config.toolkit.tools, "toolkit.tools"))
        : compileFilter(def.spec.tools, `servers.${def.name}.tools`)
    if (filter) this.filters.set(def.name, filter)
    else this.filters.delete(def.name)
  }

  async removeServer(name: string, why?: string, closeAs?: string | { restarted: string } | { renamedTo: string }): Promise<void> {
    const removed = this.entries.get(name)
    if (!removed || !this.entries.delete(name)) return
    const restarted = typeof closeAs === "object" && "restarted" in closeAs ? closeAs.restarted : undefined
    const renamed = typeof closeAs === "object" && "renamedTo" in closeAs ? closeAs.renamedTo : undefined
    // a call in flight on a renamed server is told the name to retry it under (the model holds the old one)
    const closingWhy =
      restarted !== undefined
        ? `was restarted: ${restarted} (a call in flight is not sent again; retry it)`
        : renamed !== undefined
          ? `${why} (a call in flight is not sent again; retry it as ${renamed}${this.o.config.proxy.separator}<the same tool>)`
          : typeof closeAs === "object"
            ? why
            : closeAs
    if (typeof closeAs === "object" && "renamedTo" in closeAs) this.renamedTo.set(name, closeAs.renamedTo)
    else this.renamedTo.delete(name)
    if (restarted !== undefined) this.restarted.set(name, { why: restarted, before: new Set((removed.tools ?? []).map((t) => t?.name)) })
    else this.restarted.delete(name)
    if (why !== undefined) this.gone.set(name, why)
    if (why !== undefined && removed.def.source === "toolkit") this.goneToolkit.add(name)
    else this.goneToolkit.delete(name)
    this.filters.delete(name)
    if (this.appOnly.delete(name)) this.appListed = undefined
    this.storedNames.forget(name)
    this.relists.forget(name)
    this.noCompletions.delete(name)
    this.clients.forget(name)
    // a client's subscriptions outlive a reload that restarts or renames the server: the new
    // process is asked for them once it is up (onReady); dropped, the client (subscribed as far as
    // it knows) never heard of the resource again
    if (renamed !== undefined) this.subs.moveServer(name, renamed)
    else if (restarted === undefined) this.subs.dropServer(name)
    this.toolChanges.forget(name)
    this.relayGate.forget(name)
    this.listRetries.cancel(name)
    this.silence.forget(name)
    this.firstStarts.forget(name)
    this.startListings.forget(name)
    this.down.delete(name)
    this.waits.released(name)
    this.early.forget(name)
    for (const k of KINDS) this.relist.cancel(`${name}\u0000${k}`)
    this.relistPace.forget(`${name}\u0000`)
    // Its tools leave the surface now, not once its process has exited (that can take seconds).
    const closing = this.pool.remove(name, closingWhy ?? why)
    this.changed("tools")
    this.changed("prompts")
    this.changed("resources")
    // the server that kept the aggregate incomplete may be the one removed
    this.completeness.check()
    await closing
  }

  start(): void {
    this.pool.warm(this.o.config.warm)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    // before the sessions close: a server up and still silent on tools/list is noted for the next start
    await this.silence.end()
    this.disposed = true
    this.notifier.clear()
    this.relist.clear()
    this.staleLists?.stop()
    this.listRetries.stop()
    this.completeness.stop()
    this.parks.clear()
    await this.pool[Symbol.asyncDispose]()
  }

  // --- Internal ---

  private loadStore(): Promise<void> {
    const store = this.o.toolListStore
    if (!store) {
      this.storeRead = true
      return (this.storeLoaded ??= Promise.resolve())
    }
    return (this.storeLoaded ??= Promise.all([...this.entries.values()].map((e) => this.loadStored(store, e))).then(() => void (this.storeRead = true)))
  }

  /** One server's stored lists, where nothing fresher is known (a stored list is never announced: it is what the client sees first). */
  /**
   * Stored lists taken as `e`'s where nothing fresher is known (at start: `loadStored`; from another
   * process's store while this one's listing waits: `adoptStored`); the answers of what changed are
   * rebuilt at their next use. Says what was taken.
   */
  private takeStored(e: Entry, tools: Tool[] | undefined, lists: StoredLists | undefined): { tools: boolean; kinds: Array<"prompts" | "resources"> } {
    const took = { tools: false, kinds: [] as Array<"prompts" | "resources"> }
    if (tools && e.tools === undefined) {
      e.tools = tools
      this.storedNames.took(e.def.name, "tools", tools.map((t) => t?.name))
      this.tools = undefined
      this.prepareSearch()
      took.tools = true
    }
    if (lists && !e.known.has("prompts")) {
      e.prompts = lists.prompts
      this.storedNames.took(e.def.name, "prompts", lists.prompts.map((p) => p?.name))
      e.known.add("prompts")
      this.prompts = undefined
      took.kinds.push("prompts")
    }
    if (lists && !e.known.has("resources")) {
      e.resources = lists.resources
      e.templates = lists.templates
      e.known.add("resources")
      this.resources = undefined
      this.uiSharesMoved()
      took.kinds.push("resources")
    }
    return took
  }

  private async loadStored(store: ToolListStore, e: Entry): Promise<void> {
    try {
      const [tools, lists, note] = await Promise.all([store.load(e.def.name), store.loadLists?.(e.def.name), store.loadSilence?.(e.def.name)])
      // a server failing run after run: its stored lists are left out (proxy/silence)
      const withheld = this.silence.loaded(e.def.name, note, tools !== undefined || e.tools !== undefined)
      this.firstStarts.read(e.def.name, tools === undefined && e.tools === undefined && note === undefined)
      const { tools: took, kinds } = withheld ? { tools: false, kinds: [] } : this.takeStored(e, tools, lists)
      const partial = took ? store.partial?.(e.def.name) : undefined
      if (partial !== undefined) this.listStoredPartial(e, partial)
      else if (took && store.stale?.(e.def.name) && !this.o.config.warm.includes(e.def.name)) this.staleLists?.add(e.def.name)
      for (const kind of kinds) if (lists?.partial !== undefined && takeStoredPartCuts(e, kind, lists.partial, this.log)) this.listStoredPartialKind(e, kind)
    } catch (err) {
      this.log.warn("tool-list store load failed", { server: e.def.name, error: errorMessage(err) })
    }
  }

  /**
   * A stored list that is the pages an earlier run's first listing read (a later page failed or
   * never came): served at once like any stored list (before, nothing was stored and every start
   * waited `proxy.listWait` for that page again), said so in the status (`truncated`, `why:
   * "stored"`), and the server is started and listed now, so the whole list replaces it (a
   * `list_changed`, stored) as soon as a listing ends whole.
   */
  private listStoredPartial(e: Entry, cut: Pick<ListCut, "list" | "pages" | "items">): void {
    takeStoredCut(e, cut, this.log)
    if (!this.disposed) void this.refreshKind(e.def.name, "tools").catch(() => {})
  }

  /**
   * As listStoredPartial, for prompts or resources and templates stored partial: served at once
   * (lists answered meanwhile do not wait for this listing: the stored list stands in for it until
   * it ends, as one another process stored), and the server listed now; the whole list replaces it.
   */
  private listStoredPartialKind(e: Entry, kind: OtherKind): void {
    if (this.disposed) return
    const key = `${e.def.name}\u0000${kind}`
    this.adopted.add(key)
    void this.refreshKind(e.def.name, kind).catch(() => {})
  }

  /** A first listing's pages read were taken as `e`'s tools (a later page failed or is awaited): stored, marked partial. */
  private savePartial(e: Entry): void {
    const cut = e.cuts?.tools?.[0]
    const store = this.o.toolListStore
    if (!store || cut === undefined || e.tools === undefined || this.entries.get(e.def.name) !== e) return
    void store.save(e.def.name, e.tools, cut).catch((err: unknown) => this.log.warn("tool-list store save failed", { server: e.def.name, error: errorMessage(err) }))
  }

  /**
   * A stored list past its TTL, of a server not started yet: start it, list it (a change is
   * announced and stored like any), and close it again unless a client used it meanwhile. A
   * server already started (a call, a list) is left alone: its start lists it anyway. Never
   * closes another session to make room (pool.maxSessions).
   */
  private async revalidateStored(server: string): Promise<void> {
    const e = this.entries.get(server)
    const session = this.pool.get(server)
    // only a server at rest: not one in backoff, an open circuit, waiting for a login, or with failures counted
    if (this.disposed || !e || e.fresh || !session || session.state !== "idle" || session.warm || session.breaker.consecutiveFailures > 0) return
    if (this.pool.all().filter((s) => s.isLive).length >= this.o.config.pool.maxSessions) return
    this.log.debug("checking a stored tool list past its TTL", { server })
    this.checking.set(server, false)
    let used = false
    try {
      await session.ensure().catch(async (err: unknown) => {
        // a failed check leaves the server as it was: idle, no restart scheduled, no failure counted
        // (a call starts it as before); a login it turned out to need is shown as such
        if (this.checking.get(server) !== true && (session.state === "backoff" || session.state === "open-circuit")) {
          await session.stop("idle")
          session.breaker.success()
          this.down.delete(server)
        }
        throw err
      })
      // the session's start lists every kind (onReady): join those flights (tools: one runs, whatever the order)
      await this.refreshKind(server, "tools").catch(() => {})
      await Promise.all(OTHER_KINDS.map((k) => this.refresh.current(`${server}\u0000${k}`)?.catch(() => {})))
    } finally {
      used = this.checking.get(server) === true
      this.checking.delete(server)
    }
    if (used || this.disposed || this.entries.get(server) !== e || session.warm || session.limiter.inFlight > 0 || this.subs.urisOf(server).length > 0) return
    await session.stop("idle")
  }

  /** The `x-mcp-header` arguments of `server`'s tool `tool` (its own name), from its listed definition. */
  private paramHeadersOf(server: string, tool: string): readonly ParamHeader[] | undefined {
    const tools = this.entries.get(server)?.tools
    return tools && declaredParamHeaders(tools).get(tool)
  }

  private markUsed(server: string): void {
    if (this.checking.has(server)) this.checking.set(server, true)
  }

  /**
   * Stores the server's prompts/resources/templates once both are held (listed, stored, or known
   * not to be served): a kind whose listing failed is known (lists do not wait for it again) but
   * not held, and is never stored as empty over what an earlier run stored.
   */
  private saveLists(e: Entry): void {
    const store = this.o.toolListStore
    if (!store?.saveLists || e.prompts === undefined || e.resources === undefined || e.templates === undefined) return
    // a list that is the pages a first listing read (a later page failed or is awaited) is stored marked partial
    const partial = partialPartCuts(e)
    const lists: StoredLists = { prompts: e.prompts, resources: e.resources, templates: e.templates, ...(partial.length ? { partial } : {}) }
    void store.saveLists(e.def.name, lists).catch((err: unknown) => this.log.warn("tool-list store save failed", { server: e.def.name, error: errorMessage(err) }))
  }

  /** The server does not serve `kind` (no capability): its list of it is known to be empty. */
  private servesNone(e: Entry, kind: OtherKind): void {
    const had = kind === "prompts" ? e.prompts?.length : (e.resources?.length ?? 0) + (e.templates?.length ?? 0)
    if (kind === "prompts") e.prompts = []
    else {
      e.resources = []
      e.templates = []
    }
    e.known.add(kind)
    e.live.add(kind)
    if (had) this.changed(kind)
    this.saveLists(e)
  }

  /** Re-list one kind of one server (single-flight); emits list_changed when the list differs. */
  private refreshKind(server: string, kind: ListKind): Promise<void> {
    return this.refresh.run(`${server}\u0000${kind}`, async () => {
      for (;;) {
        const e = this.entries.get(server)
        if (!e || this.disposed) return
        try {
          await this.listKind(server, kind, e)
        } catch (err) {
          if (this.entries.get(server) === e) throw err
        }
        // removed and added again while it listed (the Toolkit gateway restarting after
        // server_enable): list the new one within the same flight, so waiters see its tools
        if (this.entries.get(server) === e) return
      }
    })
  }

  private async listKind(server: string, kind: ListKind, e: Entry): Promise<void> {
    const key = `${server}\u0000${kind}`
    // a listing that waits for the server's start: that start's onReady joins it (proxy/start-listings)
    this.startListings.began(key, server, this.pool.get(server)?.state === "ready")
    try {
      await this.listKindOnce(server, kind, e)
    } finally {
      this.startListings.ended(key)
      // its own listing ended: a list taken from the store meanwhile no longer stands in for it
      this.adopted.delete(key)
    }
  }

  /** The pins' gate for listed tools, when pins are kept. */
  private toolGate(): ToolGateFn | undefined {
    const gate = this.o.toolGate
    return gate ? (srv, t, part, served) => gate.gate(srv, t, part, served) : undefined
  }

  /**
   * Servers whose first tools listing still awaits a later page as a list is answered: the pages
   * it read are served now (proxy/fetch-list takePagesRead), not none of its tools.
   */
  private async takeAwaitedPages(): Promise<void> {
    let took = false
    for (const e of this.entries.values())
      if (e.toolPagesRead !== undefined && (await takePagesRead(e, this.toolGate(), this.log))) {
        took = true
        this.savePartial(e)
      }
    if (took) this.changed("tools")
  }

  /** As takeAwaitedPages, for prompts or resources and templates (proxy/fetch-list takePartPagesRead). */
  private takeAwaitedParts(kind: "prompts" | "resources"): void {
    let took = false
    for (const e of this.entries.values())
      if (e.partPagesRead !== undefined && takePartPagesRead(e, kind, this.log)) {
        took = true
        // stored, marked partial (as a first tools listing's pages read: savePartial): the next start does not wait for them again
        this.saveLists(e)
      }
    if (took) this.changed(kind)
  }

  private async listKindOnce(server: string, kind: ListKind, e: Entry): Promise<void> {
    let changed: boolean
    const before = e.tools
    // a list of a server's resources that arrives before its templates (or never) is served at once
    const timing: ListTiming = kind === "resources" ? { onPart: () => this.partListed(server, e) } : kind === "tools" ? { onPage: () => this.waits.pageRead(server) } : {}
    // a list of its prompts, resources or templates that failed on its answer: counted and shown (proxy/list-retry)
    timing.onFailed = (method, err) => {
      const session = this.pool.get(server)
      if (session && !this.disposed && this.entries.get(server) === e) this.listRetries.partFailed(session, method, err)
    }
    try {
      changed = await refreshLists(this.pool, e, kind, this.toolGate(), this.log, timing)
    } catch (err) {
      // a first listing that failed after some pages: their tools are served now (and retried below)
      if (kind === "tools" && partialTaken(err)) {
        this.changed("tools")
        this.savePartial(e)
      }
      if (kind === "tools" && this.servesNoTools(server, e, err)) return
      // cut short by the shutdown or the server's removal (its session said so once): no failure of the server
      if (this.disposed || isAbandoned(err)) this.log.debug(`listing ${kind} ended unanswered`, { server, error: errorMessage(err) })
      else this.log.warn(`listing ${kind} failed`, { server, error: errorMessage(err) })
      // an answer, if an error: not silent (a timeout or a lost connection is no answer)
      if (kind === "tools" && answeredBadly(err)) {
        this.silence.answered(server, false)
        // its own failure to list, with no list known: noted as failing (proxy/silence), unless a background check of a stored list
        if (!this.disposed && !this.checking.has(server) && this.unlistedServer(server)) this.silence.failed(server, `tools/list failed: ${errorMessage(err)}`)
      }
      // asked and failed: later lists do not wait for it again (a restart or its list_changed re-lists)
      if (kind !== "tools") e.known.add(kind)
      // the tools it had (listed before, or stored) stay; its own failure to list is counted and retried
      const session = this.pool.get(server)
      if (kind === "tools" && session && !this.disposed && this.entries.get(server) === e) this.listRetries.failed(session, err, { count: !this.checking.has(server) })
      throw err
    }
    // the coalescing window starts before the list is stored (its serialising is not on the way to the client)
    if (changed) this.changed(kind)
    // a list that changes at every relist its list_changed asks for is relisted less often (proxy/relist-pace)
    this.relistPace.relisted(`${server}\u0000${kind}`, changed)
    // a first listing is no change (servers coming up would log one line each)
    if (changed && kind === "tools" && before !== undefined && timing.arrived !== undefined) this.toolChanges.note(server, before, e.tools ?? [], timing.arrived)
    if (kind === "tools") {
      this.toolsListed(server, e, true)
      // what its answer cost the thread (checked, pinned, stored) paces its next relist
      if (timing.arrived !== undefined) this.relistPace.noted(`${server}\u0000${kind}`, performance.now() - timing.arrived)
    } else {
      e.known.add(kind)
      e.live.add(kind)
      this.saveLists(e)
    }
  }

  /**
   * One of a server's resource lists arrived while the other is still being listed: served now
   * (answers rebuilt, `list_changed`), and the kind is known for the lists waiting on it.
   */
  private partListed(server: string, e: Entry): void {
    if (this.entries.get(server) !== e) return
    e.known.add("resources")
    this.changed("resources")
  }

  private onReady(server: string, info: InitializeInfo): void {
    const e = this.entries.get(server)
    if (!e) return
    // its start lists it (below): a retry scheduled for the previous connection is moot
    this.listRetries.cancel(server)
    // its tools/list goes out now: a server that leaves it unanswered is noted (proxy/silence)
    if (e.tools === undefined) this.silence.asking(server)
    const caps = info.capabilities
    // a listing that waits for this very start (it started the server) is joined, not asked again
    // (proxy/start-listings): one listing per start
    const list = (kind: ListKind): Promise<void> => {
      const key = `${server}\u0000${kind}`
      const running = this.refresh.current(key)
      return running !== undefined && this.startListings.goesToThisStart(key, server) ? running : this.refreshKind(server, kind)
    }
    // tools its previous process listed, live in this run: a restart (proxy/restart-relist)
    const before = e.fresh && e.tools !== undefined ? e.tools.map((t) => t?.name) : undefined
    const listings = [list("tools")]
    if (before !== undefined) this.relists.restarted(server, before, listings[0]!.catch(noop))
    for (const kind of OTHER_KINDS) {
      if (serves(info, kind)) listings.push(list(kind))
      else this.servesNone(e, kind)
    }
    this.startListings.ready(server)
    for (const l of listings) l.catch(() => {})
    // one start: a list waits for its listings of every kind at most listWait in all (proxy/list-waits)
    this.waits.together(listings)
    // a new or restarted downstream gets the log level clients asked for
    const level = this.logLevels.level
    if (level !== undefined && caps.logging) this.sendLogLevel(server, level)
    // after a restart, the downstream has forgotten our subscriptions
    for (const uri of this.subs.urisOf(server)) {
      void this.pool.call(server, "resources/subscribe", { uri }, { idempotent: true }).catch((err: unknown) => this.log.warn("re-subscribing a resource failed", { server, uri, error: errorMessage(err) }))
    }
  }

  private onNotification(server: string, method: string, params: Record<string, unknown> | undefined): void {
    const kind: ListKind | undefined =
      method === "notifications/tools/list_changed" ? "tools" : method === "notifications/prompts/list_changed" ? "prompts" : method === "notifications/resources/list_changed" ? "resources" : undefined
    if (kind) {
      // the stored list stays until the relist has finished (it then saves the new one): a relist
      // that fails, hangs or is cut short by the end of the session never leaves the server with none
      // before the first answer of its kind: that answer waits for the relist (proxy/early-changes)
      if (this.entries.has(server)) this.early.announced(server, kind)
      this.relist.touch(`${server}\u0000${kind}`)
    } else if (method === "notifications/resources/updated") {
      if (!this.subs.updated(server, params)) this.log.debug("resource update nobody subscribed to", { server, uri: params?.uri })
    } else if (method === "notifications/progress") {
      // a token of no request in flight (pool/rpc hands those on): a task's, after its CreateTaskResult (proxy/task-call)
      const token = params?.progressToken
      if (this.taskProgress.size !== 0 && typeof token === "string") this.taskProgress.get(`${server}\u0000${token}`)?.(params!)
    } else if (method === "notifications/message") {
      // a text message is one piece of a stream: a value cut across two of them is masked at the
      // edges here, for our own log as for the client (core/stream-edges)
      const capped = capLogData(params?.data)
      const data = typeof capped === "string" ? maskStreamEdges(capped) : capped
      // a logger names a component: a hostile server's 1 MB name would go to every client with each message
      const logger = typeof params?.logger === "string" && params.logger.length > MAX_LOGGER_CHARS ? `${cutText(params.logger, MAX_LOGGER_CHARS)}…` : params?.logger
      // a level of no MCP log level (the client's SDK would refuse the message; a 1 MB one would go
      // along) is not forwarded; the common other spellings (warn, fatal, trace…) are read as theirs
      const level = mcpLogLevel(params?.level)
      const log: DownstreamLogParams = { level: level ?? (typeof params?.level === "string" ? cutText(params.level, MAX_LOGGER_CHARS) : String(typeof params?.level)), data }
      if (typeof logger === "string") log.logger = logger
      // a text is one piece of the logger's stream: read after the pieces before it, one that may
      // start a key held until the next tells (core/stream-tail: pieces under 6 characters); our
      // debug record is written from what the stream lets out (LogStreams), as the client's message
      this.logStreams.push(server, log, typeof capped === "string" ? capped : undefined, level !== undefined)
    }
  }

  /** Wait (bounded, see proxy/list-waits) for list refreshes of `kind` already under way (of `only` these servers, when given). */
  private async pending(kind: ListKind, only?: readonly Entry[], enough?: () => boolean): Promise<void> {
    // not a server that did not list in the last run (proxy/silence)
    const running: Waited[] = []
    for (const server of only?.map((e) => e.def.name) ?? this.entries.keys()) {
      // nor a server whose list of this kind another process stored meanwhile (proxy/peer-lists):
      // the list answers with that; its own listing goes on and announces a difference
      const key = `${server}\u0000${kind}`
      const listing = this.notWaited(server) || this.adopted.has(key) ? undefined : this.refresh.current(key)
      if (listing !== undefined) running.push({ listing, server })
    }
    if (running.length === 0) return
    await (enough ? Promise.race([this.waits.wait(running), whenEnough(running.map((w) => (w instanceof Promise ? w : w.listing)), enough)]) : this.waits.wait(running))
  }

  /**
   * Lists do not wait for this server: it did not list in the last run (proxy/silence), or its last
   * start failed or its connection was lost and it has not listed its tools since (restart backoff,
   * breaker open, or a restart under way). Each restart is a new start: waited for, a server that
   * keeps failing would cost every list up to proxy.listWait for as long as it fails. It is still
   * restarted on its schedule (and a list may still kick a start, as before); its tools are
   * announced with list_changed once a restart lists them.
   */
  private notWaited(server: string): boolean {
    return this.down.has(server) || this.silence.notWaited(server)
  }

  /**
   * A connection gives its first tools/list answer now (whatever its expose mode: `search`/`code`
   * answers list no proxied tool, their descriptions name what is missing): what it lacks. The run's
   * first is kept for orchestrator_status (`notInFirstList`).
   */
  answeredTools(): FirstAnswer {
    this.early.answer("tools")
    const now = this.toolsLacking()
    this.firstAnswer ??= now
    return now
  }

  /** The servers with a tool list known now (a noted silent one counts as listed with none), and the others with their state: what an answer given now lacks. */
  private toolsLacking(): FirstAnswer {
    const had = new Set<string>()
    const lacked = new Map<string, string>()
    const partial = new Map<string, string>()
    for (const e of this.entries.values()) {
      if (e.tools !== undefined || this.silence.countsAsListed(e.def.name)) {
        had.add(e.def.name)
        const cut = partialCut(e.cuts?.tools)
        if (cut !== undefined) partial.set(e.def.name, cut)
        continue
      }
      const session = this.pool.get(e.def.name)
      lacked.set(e.def.name, session?.lastError !== undefined ? `${FAILED}${cutText(redactString(session.lastError), 200)}` : `it was ${session?.state ?? "not started"}`)
    }
    return { had, lacked, ...(partial.size > 0 ? { partial } : {}) }
  }

  /** Why `server`'s tools were not in this run's first tools/list answer, if they were not (a server added since: not set up yet then). */
  private notInFirstAnswer(server: string, lastError?: string): string | undefined {
    return notInFirstList(this.firstAnswer, server, "this run's", lastError)
  }

  /**
   * What proxy/first-start needs to know of a server to bound the wait for its start: a configured
   * server or the Toolkit gateway (its first start pulls the enabled servers' images: seconds to
   * minutes, and Cursor keeps the first answer), whose tool list is not known in this run.
   */
  private firstStartState(server: string): FirstStartState {
    const e = this.entries.get(server)
    const session = this.pool.get(server)
    const own = e === undefined ? undefined : (e.def.spec as { connectTimeout?: number }).connectTimeout
    return {
      unlisted: e !== undefined && e.tools === undefined,
      state: session?.state,
      failed: this.down.has(server) || session?.lastError !== undefined,
      connectTimeout: own ?? this.o.config.pool.connectTimeout,
      listWait: this.o.config.proxy.listWait,
      firstListWait: this.o.config.proxy.firstListWait,
    }
  }

  /**
   * A server whose tool list is not known in this run (none stored, none listed): a configured one
   * or the Toolkit gateway (its lists and notes are keyed by its enabled servers too: app/spec-key).
   */
  private unlistedServer(server: string): boolean {
    const e = this.entries.get(server)
    return e !== undefined && e.tools === undefined
  }

  /** A configured server whose tools come from its stored list, not listed in this run. */
  private storedOnly(server: string): boolean {
    const e = this.entries.get(server)
    return e !== undefined && e.tools !== undefined && !e.fresh
  }

  /**
   * A server that does not declare tools and answers tools/list with "method not found" serves no
   * tools: its list is known to be empty (stored as such), not a failure. True when that was it.
   */
  private servesNoTools(server: string, e: Entry, err: unknown): boolean {
    const caps = this.pool.get(server)?.info?.capabilities
    if (!(err instanceof RpcError) || err.rpcCode !== -32601 || !caps || (caps.tools !== undefined && caps.tools !== null)) return false
    const had = e.tools
    e.tools = []
    // a change of the aggregate (from unknown or from a stored list), even when nothing visible changed
    this.changed("tools")
    this.toolsListed(server, e, had?.length !== 0)
    return true
  }

  /** `server`'s tool list is known now (`e.tools`): fresh, stored (when `save`), its retries over, completeness checked. */
  private toolsListed(server: string, e: Entry, save: boolean): void {
    e.fresh = true
    // up and listing again: its next failure and restart are waited for no more than a first start
    this.down.delete(server)
    const store = this.o.toolListStore
    if (save && store) {
      const tools = e.tools ?? []
      const saving = (): Promise<void> => store.save(server, tools).catch((err: unknown) => this.log.warn("tool-list store save failed", { server, error: errorMessage(err) }))
      // compared with the stored list, so read first: a warm start answered from the stored first
      // answer reads none until something asks, and a list as stored counted as changed (the stored
      // first answer was marked superseded for nothing, and not served by the next start)
      if (this.storeRead) void saving()
      else void this.loadStore().then(saving)
    }
    this.listRetries.succeeded(this.pool.get(server), server)
    this.silence.answered(server, true)
    this.completeness.check()
  }

  /**
   * Where searching is how tools are reached (`proxy.expose` or a toolset's: search or code), the
   * search index is built ahead once the lists settle (proxy/index-sync `prepare`), not by the
   * first search. With every tool listed (`all`) it stays built at the first search: a client
   * that never searches does not carry it. Nor with a plugin's tools hook: searches go to the index
   * of its output then (`hookedIndex`, built from the hook's answer at a search).
   */
  private prepareSearch(): void {
    if (this.o.hooks?.filterTools) return
    const c = this.o.config
    if (c.proxy.expose === "all" && !Object.values(c.toolsets ?? {}).some((t) => t.expose !== undefined && t.expose !== "all")) return
    this.searchIndex.prepare(() => this.toolSurface())
  }

  private changed(kind: ListKind): void {
    if (kind === "tools") {
      this.tools = undefined
      this.prepareSearch()
    } else if (kind === "prompts") this.prompts = undefined
    else {
      this.resources = undefined
      this.uiSharesMoved()
    }
    this.notifier.changed(kind)
  }

  /**
   * A resource list changed: a view URI (`ui://`) may be listed by several servers now, or by one
   * again, and tools name it in `_meta.ui.resourceUri` per server then (proxy/shared-ui): their list
   * is built again and announced when that is so.
   */
  private uiSharesMoved(): void {
    if (this.tools === undefined) return
    const now = sharedUiUris(this.entries.values())
    if (JSON.stringify([...now]) === JSON.stringify([...this.uiShared])) return
    this.tools = undefined
    this.prepareSearch()
    this.notifier.changed("tools")
  }

  private signature(kind: ListKind): string {
    // every list answer asks (notifier.served): computed once per surface build, not per list
    // (a 5 000-tool surface is ~5 MB of JSON); surfaces are rebuilt, never changed in place
    if (kind !== "tools") return this.signatureOf(kind, kind === "prompts" ? this.promptSurface() : this.resourceSurface())
    const sig = this.signatureOf(kind, this.toolSurface())
    // the app-only tools (read after the surface's build, which sorts them out) are an App host's list too (proxy/app-only)
    const apps = this.appTools()
    return apps.length === 0 ? sig : `${sig}+${listDigest(apps)}`
  }

  /** The signature of a surface of `kind` (memoised per surface object). */
  private signatureOf(kind: ListKind, surface: object): string {
    let sig = this.signatures.get(surface)
    if (sig === undefined) {
      if (kind === "resources") {
        const r = surface as ResourceSurface
        // a keyed hash and the length, not the JSON: it is kept with the surface for the run (a
        // server listing 10 000 resources made it megabytes)
        const text = JSON.stringify([r.resources, r.templates])
        sig = `${text.length}:${Bun.hash.wyhash(text, SIGNATURE_KEY).toString(16)}`
      } else {
        // per family (memoised per array): a one-server change digests its family only, not all items
        const named = surface as Named<Tool | Prompt>
        sig = named.parts ? listDigest(named.parts.map((p) => listDigest(p))) : listDigest(named.items)
      }
      this.signatures.set(surface, sig)
    }
    return sig
  }

  private ns(reserved: ReadonlySet<string>) {
    const p = this.o.config.proxy
    return { separator: p.separator, budget: p.nameBudget, passthrough: p.passthrough, reserved }
  }

  private sanitizeOptions(): { maxDescription: number } | undefined {
    const p = this.o.config.proxy
    return p.sanitize ? { maxDescription: p.maxDescription } : undefined
  }

  private toolSurface(): Named<Tool> {
    if (this.tools === undefined) this.uiShared = sharedUiUris(this.entries.values())
    return (this.tools ??= this.toolNames.build([...this.entries.values()], (l) => this.visibleTools(l), this.ns(this.reserved.tools), this.sanitizeOptions(), this.o.config.proxy.portableSchemas))
  }

  /**
   * The server's tools that pass its filter and are not MCP Apps tools only a view may call
   * (proxy/app-only): hidden ones are neither listed, indexed nor routed.
   */
  private visibleTools(l: ServerLists): Tool[] | undefined {
    const check = this.filters.get(l.server)
    if (!l.tools) return l.tools
    const shared = sharedKey(this.uiShared, l.server)
    const hit = this.visible.get(l.tools)
    if (hit !== undefined && hit.check === check && hit.shared === shared) return hit.out
    let out = check ? l.tools.filter((t) => typeof t?.name !== "string" || check(t.name) === undefined) : l.tools
    // a view URI another server lists too is shown per server, in the model's list and the App host's (proxy/shared-ui)
    out = withServerUis(out, l.server, this.uiShared)
    if (out.some(isAppOnly)) {
      const app = new Map(out.filter(isAppOnly).map((t) => [t.name, t]))
      out = out.filter((t) => !isAppOnly(t))
      const before = this.appOnly.get(l.server)
      if (before === undefined || before.size !== app.size || [...app.keys()].some((n) => !before.has(n))) {
        this.log.info("MCP Apps tools only a view may call are left out (never shown to a model)", { server: l.server, tools: [...app.keys()].slice(0, 20), count: app.size })
      }
      this.appOnly.set(l.server, app)
      this.appListed = undefined
    } else if (this.appOnly.delete(l.server)) this.appListed = undefined
    this.visible.set(l.tools, { check, shared, out })
    return out
  }

  private promptSurface(): Named<Prompt> {
    return (this.prompts ??= this.promptNames.build([...this.entries.values()], (l) => l.prompts, this.ns(this.reserved.prompts), this.sanitizeOptions()))
  }

  private resourceSurface(): ResourceSurface {
    return (this.resources ??= buildResources([...this.entries.values()], this.log, this.sanitizeOptions()))
  }

  /** Where a URI no server lists goes, if one server is meant (proxy/resource-route: never a guess between several). */
  private unlistedRoute(): UnlistedRoute {
    return unlistedResourceRoute(
      [...this.entries.values()].map((e) => {
        const info = this.pool.get(e.def.name)?.info
        return { server: e.def.name, resources: e.resources, templates: e.templates, declares: info === undefined ? undefined : serves(info, "resources") }
      }),
    )
  }
}

/** What a call of `name` hidden by its server's filter (`by`: the filter and its pattern) is told; run_code says the same. */
function hiddenText(name: string, by: string): string {
  return `tool ${name} is hidden by ${by}`
}

/** A read of a per-server view URI (proxy/shared-ui): its contents carry the URI the client read, as its list named it. */
function asPerServerRead(read: ReadResourceResult, own: string, asRead: string): ReadResourceResult {
  if (!Array.isArray(read?.contents) || !read.contents.some((c) => c?.uri === own)) return read
  return { ...read, contents: read.contents.map((c) => (c?.uri === own ? { ...c, uri: asRead } : c)) }
}

/** The server of a resource route, or the refusal of servers contending for the URI. */
function ownerOf(uri: string, route: ResourceRoute): string {
  if ("ambiguous" in route) throw contendedResource(uri, route.ambiguous, route.why)
  return route.server
}

function startable(state: SessionState | undefined): boolean {
  return state !== undefined && state !== "backoff" && state !== "open-circuit" && state !== "closed"
}

function serves(info: InitializeInfo, kind: OtherKind): boolean {
  return info.capabilities[kind] !== undefined && info.capabilities[kind] !== null
}

/** The revision that made completions a capability; a server of an earlier one may serve `completion/complete` without declaring it. */
const COMPLETIONS_CAPABILITY_SINCE = "2025-03-26"

/**
 * Whether `completion/complete` may be sent: the server declares `completions`, or it speaks a
 * revision from before that capability existed (2024-11-05: server-everything 2025.1–2025.4 on SDK
 * 1.0.1 completes prompt and template arguments and declares nothing for it).
 */
function mayComplete(info: InitializeInfo): boolean {
  const declared = info.capabilities.completions
  if (declared !== undefined && declared !== null) return true
  return typeof info.protocolVersion === "string" && info.protocolVersion < COMPLETIONS_CAPABILITY_SINCE
}

/** A downstream's MissingRequiredClientCapability (-32021) for a legacy client's request, as INPUT_UNAVAILABLE. */
function missingCapability(t: MrtrTarget, e: unknown): unknown {
  if (!(e instanceof RpcError) || e.rpcCode !== -32021) return e
  const wanted = (e.data as { requiredCapabilities?: unknown } | undefined)?.requiredCapabilities
  const names = Array.isArray(wanted) ? wanted.map(String).join(", ") : wanted && typeof wanted === "object" ? Object.keys(wanted).join(", ") : "a client capability"
  return new DownstreamError("INPUT_UNAVAILABLE", `server ${t.server} needs input (${names}) to answer ${t.method} of ${t.target}, which the client connected to mcp-orchestrator did not declare`, {
    cause: e,
    remedy: `Use a client that supports ${names}, or call it with arguments that need no further input.`,
    details: { server: t.server, requiredCapabilities: wanted },
  })
}

/**
 * A URI more than one server claims (two list it, two templates match it equally, or only a
 * catch-all template matches it in a namespace another server serves): sent to none, as a read that
 * reaches the wrong server may mean something else there (proxy/resource-route).
 */
function contendedResource(uri: string, servers: readonly string[], why: string): ProtocolError {
  // an MCP Apps view several servers list is read by its per-server URI (proxy/shared-ui): said in the message, which a host shows
  const view = uri.startsWith("ui://") ? `. Read the view by its per-server URI (${servers.map((s) => perServerUri(s, uri)).join(", ")}), as tools/list's _meta.ui.resourceUri and resources/list name it` : ""
  return new ProtocolError(-32602, `Resource ${shownName(uri, SHOWN_URI)} is claimed by more than one server behind mcp-orchestrator (${servers.join(", ")}: ${why}); it was sent to none${view}`, {
    remedy: view !== "" ? view.slice(2) + "." : `Disable all but one of ${servers.join(", ")} (servers.<name>.disabled), or read a URI only one of them lists.`,
    details: { uri, servers: [...servers] },
  })
}

/** Characters of a URI a refusal quotes (the client sent it: a URI of a megabyte is not answered whole). */
const SHOWN_URI = 500

/** `unknown`: the servers whose resource lists are not known, any of which may serve it. */
function noResourceServer(uri: string, unknown: readonly string[] = []): ProtocolError {
  const why = unknown.length === 0 ? "" : ` (none lists it; the resource lists of ${unknown.join(", ")} are not known — their listing failed or has not finished — so which serves it is not known)`
  return new ProtocolError(-32002, `Resource not found: no server behind mcp-orchestrator serves ${shownName(uri, SHOWN_URI)}${why}`, {
    remedy: "Use a URI from resources/list or one matching a template of resources/templates/list.",
    details: unknown.length === 0 ? { uri } : { uri, unknownServers: [...unknown] },
  })
}

const noop = (): void => {}
