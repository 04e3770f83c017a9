/**
 * @module proxy/types
 * The contract between our MCP server face (mcp/, http/) and the proxy (proxy/ over pool/).
 * The mcp layer only ever talks to an `Upstream`; app/ builds one and hands it over.
 *
 * Results and lists are passed through as the downstream sent them (no re-validation, no copies):
 * the types below are the SDK's wire types used as documentation, not as a promise of parsing.
 */
import type {
  CallToolResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from "@modelcontextprotocol/client"
import type { SearchHit, SearchOptions } from "../catalog/index.ts"
import type { ServerSpec } from "../config/index.ts"
import type { CallCancel, RawJson } from "../core/index.ts"

/** A call context whose caller forwards `RawJson` results. */
export type RawCallContext = CallContext & { raw: true }

/** A tool result, possibly with its exact downstream bytes (only when the call context says `raw`). */
export type ToolCallOutput = CallToolResult | RawJson<CallToolResult>

export type { CallToolResult, GetPromptResult, Prompt, ReadResourceResult, Resource, ResourceTemplate, Tool }

export interface CompleteParams {
  ref: { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string }
  argument: { name: string; value: string }
  context?: { arguments?: Record<string, string> }
}
export interface CompleteResult {
  completion: { values: string[]; total?: number; hasMore?: boolean }
}

/** Options of a server→client request relayed to a client. */
export interface ClientRequestOptions {
  signal?: AbortSignal
  timeoutMs: number
}

/**
 * One upstream client connection as the proxy sees it, created once per connection by the MCP face:
 * what the client declared, and how to reach it. Server→client requests and resource notifications
 * of downstreams go through it.
 */
export interface ClientLink {
  /** Capabilities the client declared at initialize (undefined before initialize). */
  capabilities(): { sampling?: { tools?: object }; elicitation?: { form?: object; url?: object }; roots?: object; [k: string]: unknown } | undefined
  /** The protocol version agreed with this client. */
  protocolVersion(): string | undefined
  /** The client's `clientInfo` from initialize (its name in messages about its answers). */
  clientInfo?(): { name: string; version?: string } | undefined
  /** Send a request to the client; rejects with the client's JSON-RPC error (`code`, `data`). */
  request(method: string, params: Record<string, unknown> | undefined, opts: ClientRequestOptions): Promise<unknown>
  /** Send a notification to the client (e.g. `notifications/resources/updated`). */
  notify(method: string, params?: Record<string, unknown>): Promise<void>
  /**
   * A downstream's `notifications/message` (its log): the link forwards it if the client's log level
   * lets it through, with the logger named after the server.
   */
  log?(server: string, params: DownstreamLogParams): void
  /**
   * The client speaks 2026-07-28 on this link: it takes no server→client requests (a downstream's is
   * declined) and its calls carry their own envelope (`CallContext.modern`). Set by the face; a link
   * whose client later sent `initialize` counts as legacy.
   */
  modern?: boolean
}

/** What a 2026-07-28 client's request carried besides its arguments (the face reads it from `params`). */
export interface ModernRequest {
  /** `_meta["io.modelcontextprotocol/clientCapabilities"]`: what the client can answer in an `input_required`. */
  clientCapabilities: Record<string, unknown>
  /** `_meta["io.modelcontextprotocol/logLevel"]`: the logs it wants on this request's stream (none without it). */
  logLevel?: string
  /** A retry after `input_required`: the client's answers… */
  inputResponses?: Record<string, unknown>
  /** …and the `requestState` we minted, echoed back byte-exact. */
  requestState?: string
}

/** The params of a downstream's `notifications/message`. */
export interface DownstreamLogParams {
  level: string
  logger?: string
  data: unknown
}

/** Per-request context handed from the upstream request to the downstream call. */
export interface CallContext {
  /** Aborted when the client cancels (notifications/cancelled) or disconnects. */
  signal: AbortSignal
  /**
   * The same cancellation without an EventTarget (the stdio fast lane sets it; `signal` is then made
   * only when read). Downstream requests listen here when it is present.
   */
  cancel?: CallCancel
  /** The caller forwards `RawJson` results as they are (the stdio fast lane): tool results may come as one. */
  raw?: boolean
  /** The client's `_meta.progressToken`, if it asked for progress. */
  progressToken?: string | number
  /**
   * The request's `_meta` as the client sent it (any JSON value; unset when it sent none): what of it
   * is not this hop's goes on to the downstream (proxy/client-meta).
   */
  readonly meta?: unknown
  /** Send a notification to the upstream client (progress, logging message). */
  notify(notification: { method: string; params?: Record<string, unknown> }): Promise<void>
  /**
   * Set by a toolset's view of the upstream (proxy/toolset) on the calls it lets through: a call
   * that a route hook sends to another tool is checked again with it, on the tool it now reaches.
   */
  scope?: CallScope
  /** Set by the proxy once a tool call is routed: the downstream server (usage log, metrics)… */
  routedTo?: string
  /** …and that server's own name of the tool. */
  routedTool?: string
  /** The client connection making this request (per connection, never per call). */
  client?: ClientLink
  /** Set when a 2026-07-28 client made the request: its envelope and MRTR fields (undefined: a legacy client). */
  modern?: ModernRequest
  /**
   * Send a request to the client as part of this request (e.g. on the call's own HTTP stream).
   * Absent: `client.request` is used.
   */
  request?(method: string, params: Record<string, unknown> | undefined, opts: ClientRequestOptions): Promise<unknown>
  /**
   * Set on the calls a run_code script makes: nobody can answer a question of the server there (the
   * script cannot, and the client's own request is run_code), so a downstream's elicitation or
   * sampling during it is declined toward the server and a 2026-07-28 server's `input_required`
   * fails the call, both saying why; `declined` is told each one (the script's failure names it).
   */
  script?: ScriptCaller
  /**
   * Set on a call a model makes through one of our meta-tools (call_tool): never an MCP App view's,
   * so a tool only a view may call is refused whatever the client declared (proxy/app-only).
   */
  modelSurface?: true
}

/** A run_code script as the maker of a tool call (`CallContext.script`). */
export interface ScriptCaller {
  /** The server `server` asked `method` during this call, and was refused. */
  declined(server: string, method: string): void
  /**
   * Bytes of answer the script can take in at most (codeMode.memory): a stdio server's larger answer
   * is dropped unread as it comes (FRAME_TOO_LARGE, `details.answerCap`), never parsed on the host.
   */
  maxAnswerBytes?: number
}

/** A connection's toolset, as a call carries it (`CallContext.scope`). */
export interface CallScope {
  /** The toolset's name (messages). */
  readonly name: string
  /** Why the exposed tool `name` (of `server`, when known) is outside the toolset; undefined when it is in. */
  outside(name: string, server: string | undefined): string | undefined
}

export type ListKind = "tools" | "prompts" | "resources"

/** What our MCP server needs from the proxy. */
export interface Upstream {
  /** Aggregated, namespaced tools (`server__tool`), deterministic order. */
  listTools(): Promise<Tool[]>
  /** The MCP Apps tools only a view may call, namespaced, `_meta.ui` kept: listed to App hosts only (proxy/app-only). */
  appTools?(): readonly Tool[]
  /** The server of one of `appTools()`'s tools, by its exposed name (a toolset checks it: proxy/toolset). */
  appToolServer?(name: string): string | undefined
  /** Route a call by its exposed name. Throws an OrchestratorError (mapped to an isError result) on failure. */
  callTool(name: string, args: Record<string, unknown> | undefined, ctx: RawCallContext): Promise<ToolCallOutput>
  callTool(name: string, args: Record<string, unknown> | undefined, ctx: CallContext): Promise<CallToolResult>
  listPrompts(): Promise<Prompt[]>
  getPrompt(name: string, args: Record<string, string> | undefined, ctx: CallContext): Promise<GetPromptResult>
  listResources(): Promise<Resource[]>
  listResourceTemplates(): Promise<ResourceTemplate[]>
  readResource(uri: string, ctx: CallContext): Promise<ReadResourceResult>
  /**
   * Argument completion for a proxied prompt or resource template (`completion/complete`),
   * routed to the server that owns it; no suggestions when that server does not complete.
   */
  complete(params: CompleteParams, ctx: CallContext): Promise<CompleteResult>
  /**
   * Register a client connection: downstream requests not tied to a call go to the most recently
   * active one, and its resource subscriptions end with it. Returns the detach function.
   */
  attachClient?(client: ClientLink): () => void
  /** The client's roots changed: connected downstreams are told (they ask for the roots again). */
  rootsChanged?(client: ClientLink): void
  /**
   * The client finished initializing (`notifications/initialized`): downstreams that asked for the
   * roots before any client could answer (and were told none) are told the roots changed.
   */
  clientInitialized?(client: ClientLink): void
  /** The client sent `logging/setLevel`: downstreams that log are asked for the most verbose level any client wants. */
  setLogLevel?(client: ClientLink, level: string): void
  /** `resources/subscribe`, routed to the server owning the URI (once per URI, whatever the number of clients). */
  subscribeResource?(uri: string, client: ClientLink, ctx: CallContext): Promise<void>
  /** `resources/unsubscribe`; the downstream is unsubscribed when the last client unsubscribes or detaches. */
  unsubscribeResource?(uri: string, client: ClientLink, ctx: CallContext): Promise<void>
  /** Called (coalesced) when the aggregated list of a kind changed. Returns an unsubscribe function. */
  onListChanged(listener: (kind: ListKind) => void): () => void
  /** Snapshot for orchestrator_status, /readyz and /metrics. */
  status(): UpstreamStatus
  /** Each server's state and tool count only (proxy/status `ServerState`): cheap enough for every list answer. Absent: read `status()`. */
  serverStates?(): readonly ServerState[]
  /**
   * The exposed tools with their routes and a ranked search over them (search_tools,
   * describe_tools, run_code), after the same waits as listTools. Absent: no meta-tools.
   */
  catalog?(): Promise<ToolCatalog>
  /** The same, as it is right now (no waiting: servers still listing are missing). */
  catalogNow?(): ToolCatalog
  /**
   * As it is right now, with the plugins' tools hooks applied (what a tools/list built now holds):
   * orchestrator_status `notInYourList` reads it, not the client's list rebuilt after the change window.
   */
  hookedCatalogNow?(): Promise<ToolCatalog>
  /** The server and own name behind an exposed tool name, when it is listed (cheap; no waiting). */
  routeOf?(name: string): { server: string; tool: string } | undefined
  /** Why `name` is out of this connection's reach by its toolset (`not in toolset "x": left out by …`); undefined when it is not (a scoped upstream's). */
  outsideScope?(name: string): string | undefined
  /**
   * Why a tool name that is not routed cannot be called, as a call of it would answer (`tool x__y is hidden
   * by servers.x.tools.deny ("y*")`, `Server x was removed from the config, so …`), without calling or
   * starting anything; undefined when nothing is known of it (unknown, starting, down).
   */
  notCallable?(name: string): string | undefined
  /**
   * Waits, at most `ms`, for the tool listing (and start) of each configured server one of `names`
   * is under that has no tools yet, asking it to list if nothing has (describe_tools of a name whose
   * server is up and still listing). Servers that went down are not waited for.
   */
  awaitToolLists?(names: readonly string[], ms: number): Promise<void>
}

/** What the meta-tools see of the tool surface (a toolset sees only its part). */
export interface ToolCatalog {
  /** Exposed tools, sorted by name. */
  readonly tools: readonly Tool[]
  get(name: string): Tool | undefined
  route(name: string): { server: string; tool: string } | undefined
  /** Ranked best first, deterministic (catalog/search). */
  search(query: string, opts?: SearchOptions): SearchHit[]
  /**
   * Builds the search index ahead of `search`, a slice per turn of the event loop (proxy/index-sync
   * `ready`): awaited first, a search of a fleet or of a server of 10 000 tools does not hold every
   * other server's calls and pings for seconds. Optional: `search` alone builds it in one piece.
   */
  searchReady?(): Promise<void>
}

export type SessionState = "idle" | "starting" | "ready" | "failed" | "backoff" | "open-circuit" | "needs-auth" | "closed"

export interface ServerStatus {
  name: string
  /** Where the server came from: config file, or the Docker MCP Toolkit gateway. */
  source: "config" | "toolkit"
  transport: "stdio" | "streamable-http" | "sse"
  /** MCP protocol era spoken with it (legacy: `initialize`; modern: 2026-07-28) and how that was decided; absent before its first start. */
  era?: { era: "legacy" | "modern"; via: "pinned" | "cached" | "probed" }
  state: SessionState
  /** `starting` again after failures that no stable connection has cleared yet (a crash loop's restart): said as "restarting after a failure". */
  restarting?: true
  tools: number
  inFlight: number
  queued: number
  /** Tool calls sent to it (`tools/call`). */
  calls: number
  /** Other requests sent to it: lists, resource reads, prompts, completions… */
  requests?: number
  failures: number
  /** The last failure, while nothing has come up since it (a failing, restarting or backing-off server; a ready one whose calls time out). */
  lastError?: string
  /** The last failure when the server has started fine since (its connection came up after it, nothing failed since): history, not its state now. */
  pastError?: string
  /** What to do about the last error, when its failure said (a start failure's own remedy; the Toolkit gateway's, from the docker error). */
  remedy?: string
  /** Epoch ms when an open breaker allows its next probe. */
  retryAt?: number
  /** Listed items left out because their definition is invalid (and would make clients reject the whole list). */
  dropped?: ListedItemIssue[]
  /** How many more items were dropped than `dropped` lists (it lists the first MAX_SHOWN_ISSUES). */
  droppedMore?: number
  /** Listed items passed on after a repair (e.g. a missing inputSchema set to {type:"object"}). */
  repaired?: ListedItemIssue[]
  /** How many more items were repaired than `repaired` lists. */
  repairedMore?: number
  /** Lists that stopped at the page cap while the server offered more pages: their items past it are missing. */
  truncated?: ListCut[]
  /** Lists do not wait for this server (proxy/silence): it did not list its tools in the last run. */
  notWaitedFor?: string
  /**
   * Its tool list is not known yet (none stored, none listed in this run: its start or its first
   * tools/list is under way, slow, or failed): lists answered so far lack its tools, whatever
   * `state` says (a server `ready` whose tools/list has not been answered has 0 `tools` too).
   */
  toolsNotListed?: string
  /** Its tools were missing from this run's first tools/list answer (what a client such as Cursor keeps), with its state then. */
  notInFirstList?: string
}

/** What a row needs to say a server's state (`shownState`) and why it lacks tools: no issue, count or reason built (proxy/status `serverStates`). */
export type ServerState = Pick<ServerStatus, "name" | "state" | "restarting" | "tools" | "lastError" | "toolsNotListed">

/**
 * A list cut short while the server still offered more: at the page cap (proxy/fetch-list
 * MAX_PAGES), at a cursor it had given before, at the item cap (MAX_ITEMS) or at the size cap
 * (MAX_LIST_BYTES).
 */
export interface ListCut {
  /** The list method, e.g. `tools/list`. */
  list: string
  /** Pages read. */
  pages: number
  /** Items read in them (kept: at most proxy/fetch-list MAX_ITEMS). */
  items: number
  /**
   * Why it stopped: `pages` the page cap (the default when absent), `cursor` a nextCursor the server
   * had given before in the same listing, `cursor-value` a nextCursor that is no string (nor page
   * number) or over MAX_CURSOR_CHARS (proxy/fetch-list), `items` the item cap, `bytes` the size cap, `failed` a
   * later page failed in a first listing (the pages before it are served until a listing succeeds),
   * `awaited` a later page of a first listing not answered yet when a list was answered (the pages
   * before it served meanwhile), `stored` the list taken from the store was such a first listing's
   * pages read in an earlier run (served at once; this run lists the server again).
   */
  why?: "pages" | "cursor" | "cursor-value" | "items" | "bytes" | "failed" | "awaited" | "stored"
}

export interface ListedItemIssue {
  kind: "tool" | "prompt" | "resource" | "template"
  /** The downstream's own name (or URI), or `#<index>` when it has none. */
  name: string
  why: string
}

export interface UpstreamStatus {
  servers: ServerStatus[]
  tools: number
}

// --- Seams filled by other layers (app/ wires them) ---

/** Decision of a routing hook (plugins): redirect/rename/fill args, or deny. */
export type RouteDecision =
  | undefined
  | { deny: string }
  | { server?: string; tool?: string; args?: Record<string, unknown>; /** the plugin(s) that changed the call, for errors */ by?: string }

export interface ProxyHooks {
  /** Runs on every tool call before it is routed. Absent = zero cost. */
  route?(call: { server: string; tool: string; args: Record<string, unknown> }): Promise<RouteDecision> | RouteDecision
  /** Rewrites the aggregated tool list (hide, rename, re-describe). */
  filterTools?(tools: Tool[]): Promise<Tool[]> | Tool[]
}

/** Persisted tool lists per server, so tools/list is answered at start before sessions are up. */
export interface ToolListStore {
  load(server: string): Promise<Tool[] | undefined>
  /** The list `load` returned was past its TTL: the proxy checks it again in the background (optional). */
  stale?(server: string): boolean
  /**
   * `partial`: the list is the pages a first listing read before a page failed or was not answered
   * (proxy/fetch-list takePagesRead): a later start serves it at once and lists the server again.
   */
  save(server: string, tools: Tool[], partial?: ListCut): Promise<void>
  /** The cut of the list `load` last returned, when it was stored partial (optional). */
  partial?(server: string): Pick<ListCut, "list" | "pages" | "items"> | undefined
  /** Drops everything stored for the server (tools and other lists). */
  invalidate(server: string): Promise<void>
  /**
   * The server's stored lists are left out from the next start on (its start failed in enough runs
   * in a row: proxy/silence): an answer stored with its tools is superseded (optional).
   */
  supersede?(server: string): void
  /** The server's prompts, resources and templates from its last session (optional: without it they are listed live). */
  loadLists?(server: string): Promise<StoredLists | undefined>
  saveLists?(server: string, lists: StoredLists): Promise<void>
  /**
   * The server's silence note (proxy/silence), kept next to its lists under the same key (optional:
   * without these, every start waits `proxy.listWait` for a server that never lists its tools).
   */
  loadSilence?(server: string): Promise<SilenceNote | undefined>
  saveSilence?(server: string, note: SilenceNote): Promise<void>
  clearSilence?(server: string): Promise<void>
  /** Whether anything is stored for the server name under any definition (the Toolkit gateway before its enabled servers are known). */
  anyStored?(server: string): Promise<boolean>
}

/**
 * What earlier runs noted about a server that has no stored tool list (proxy/silence). Keyed like
 * its stored lists (by its definition): a changed command, args, env or url has none.
 */
export interface SilenceNote {
  /**
   * When a run first ended (or went on for 30 s) with the server up and its tools/list unanswered
   * for at least `proxy.listWait` (ISO 8601): lists of the next starts do not wait for it.
   */
  silentSince?: string
  /**
   * When a run last found it silent after being waited for again (ISO 8601; absent: `silentSince`).
   * The note is trusted for 3 days from then (proxy/silence SILENCE_RECHECK_MS); a later start waits
   * for the server once more.
   */
  checkedAt?: string
  /**
   * It did list its tools with this definition, and its stored list was dropped since (a crash):
   * a tools/list answer without it is never complete (never the persisted first answer).
   */
  listed?: boolean
  /**
   * When a run first found it failing before it listed its tools (its start failed, it crashed
   * before listing, its tools/list answered an error, or its start did not finish within
   * `proxy.listWait`; ISO 8601). Kept over the consecutive runs that found it so.
   */
  failedSince?: string
  /** When a run last found it failing so (ISO 8601): the note is trusted for 3 days from then. */
  failedAt?: string
  /** Consecutive runs that found it failing before it listed: from 2 (FAILED_RUNS_SKIP; a start that did not finish: from 1, `failedRunsToSkip`), lists do not wait for it. */
  failedRuns?: number
  /** What failed last (its last error, cut to 300 characters). */
  failure?: string
}

/** A server's other lists as last seen; a kind the server does not serve is stored as []. */
export interface StoredLists {
  prompts: Prompt[]
  resources: Resource[]
  templates: ResourceTemplate[]
  /**
   * The lists stored partial: what a first listing read before a later page failed or went
   * unanswered (their cuts, `list` naming the method). A later start serves them at once and lists
   * the server again (proxy `loadStored`), as a partial tool list.
   */
  partial?: Pick<ListCut, "list" | "pages" | "items">[]
}

/** A downstream server definition as the pool sees it. */
export interface DownstreamDef {
  name: string
  source: "config" | "toolkit"
  spec: ServerSpec
  /**
   * What to do about a failure of this server (`error`: its message with the output quoted), worded
   * by its owner when the config is not where to look (the Toolkit gateway: from the docker error's
   * class); replaces the pool's and proxy's generic remedies. Undefined: those apply.
   */
  remedy?: (error: string) => string
  /**
   * What else decides which tools it serves, beyond `spec` (the Toolkit gateway: its enabled
   * servers, which a profiles-era launch spec does not name): part of the key its lists and notes
   * are stored under (app/spec-key), so a stored list of another set is not taken for its own.
   */
  listKey?: unknown
}
