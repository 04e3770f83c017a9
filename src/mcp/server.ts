/**
 * @module mcp/server
 * Our MCP server face: one SDK `Protocol` server (FaceServer) per client connection, exposing our own tools, the proxied
 * tools/prompts/resources of the `Upstream`, prompts from the prompt source (plugins), and logging.
 * `tools/call` bypasses the SDK's triple zod validation (it is served by `fallbackRequestHandler`),
 * since results from downstream servers are passed through unchanged.
 */
import type {
  CallToolResult,
  CompleteResult,
  GetPromptResult,
  LoggingLevel,
  ReadResourceResult,
  Prompt,
  ListToolsResult,
  Tool,
} from "@modelcontextprotocol/client"
import { createClientLink, ExtraContext } from "./client-link.ts"
import { COMPLETE, EMPTY, GET_PROMPT, LIST, RESOURCE, SET_LEVEL } from "./face-params.ts"
import { FaceServer } from "./face-server.ts"
import type { FaceContext } from "./face-protocol.ts"
import { MAX_CALLED_NAME, overlongName, shownCalledName } from "./called-name.ts"
import { argumentsProblem, chunksLength, errorMessage, isToolError, JsonBytes, listChunks, NAME, OnceKeys, RawJson, redact, declaredParamHeaders, redactListResult, redactString, redactValuesChecked, sameBytes, SecondWindow, secrets, quoteName, shownName, unwrapRaw, VERSION, type LogHub, type Logger, type LogRecord, type ParamHeader } from "../core/index.ts"
import type { CallContext, ClientLink, ListKind, RawCallContext, ToolCallOutput, Upstream } from "../proxy/index.ts"
import { declaresApps } from "../proxy/index.ts"
import { isRpcAnswer, redactResultSecrets, redactToolError, toolErrorResult, toRpcError } from "./error-map.ts"
import { CAPABILITIES_KEY, FACE_CAPABILITIES, PROTOCOL_VERSION_KEY } from "./modern-lane.ts"
import { OwnTools } from "./own-tools.ts"
import { snapshotNames } from "./listed-names.ts"
import { ENVELOPE_BYTES, fitList } from "./list-fit.ts"
import { CALL_TOOL_NAME, CallToolInput, decodedArguments } from "./tools/call-tool.ts"
import { toolErrorWithHint, withArgumentHint, withRpcArgumentHint } from "./tools/argument-hint.ts"
import type { ToolContext, ToolDef } from "./tool-def.ts"
import { exampleTool } from "./tools/example-tool.ts"
import { RpcAnswerError as ProtocolError, RpcCode as ProtocolErrorCode } from "./rpc-answer.ts"
import { UsageLog, type CallOutcome } from "./usage.ts"

/** Prompts that are not proxied: built-ins and plugin prompts. */
export interface PromptSource {
  listPrompts(): Promise<Prompt[]> | Prompt[]
  /** undefined = not mine. Throws with a clear message on bad arguments. */
  getPrompt(name: string, args: Record<string, string>): Promise<GetPromptResult | undefined> | GetPromptResult | undefined
  onChange?(listener: () => void): () => void
  /** Who serves own prompt `name` (`plugin "x" (/path/x.js)`), for the warning when it hides a downstream's. */
  originOf?(name: string): string | undefined
}

/** A connection's first tools/list answer, as the face gives it (orchestrator_status `notInYourList`). */
export interface FirstList {
  /** The tool names it listed (read when asked: a snapshot's are parsed only then); absent when it lists only own tools (expose search/code). */
  names?: () => ReadonlySet<string>
  /** It came from the last run's snapshot: its names count, what it lacked by server is the run's. */
  snapshot?: boolean
  /** The tools this connection's tools/list answers now (plugin hooks applied; rebuilt on each change), undefined before any. */
  current: () => readonly Tool[] | undefined
}

/** What the face serves besides the protocol itself. */
export interface FaceServices {
  tools: readonly ToolDef[]
  upstream?: Upstream
  prompts?: PromptSource
  /**
   * Settles once what shapes the answers is loaded (plugins: prompts, route and tools hooks). List
   * and call requests wait for it, so the first answers are complete: clients such as Cursor keep
   * the first lists they get and ignore list_changed.
   */
  ready?: Promise<unknown>
  /** Other sources of list changes (e.g. a plugin that filters tools was reloaded). */
  onListChanged?(listener: (kind: ListKind) => void): () => void
  /**
   * What tools/list shows (`proxy.expose` or the toolset's): `all` = own tools and every proxied
   * tool; `search` and `code` = own tools only (the meta-tools reach the rest). Default `all`.
   */
  expose?: "all" | "search" | "code"
  /**
   * The face's own tools and expose mode are replaced (a config reload changed `proxy.expose`, the
   * toolset or `codeMode`): the next tools/list answers the new surface and list_changed is sent.
   */
  onSurfaceChanged?(listener: (next: Pick<FaceServices, "tools" | "expose">) => void): () => void
  /**
   * This face gives its first tools/list answer computed from the services now (not a snapshot's;
   * a 2026-07-28 request, which has no session, does not count): what it lacks is this connection's
   * (orchestrator_status `notInFirstList`; a second HTTP session's first answer may hold what the
   * first one's lacked).
   */
  firstToolsAnswer?(first: FirstList): void
}

export interface McpFaceDeps extends Partial<FaceServices> {
  log: Logger
  logHub?: LogHub
  /**
   * Services that are still being built. The face answers `initialize` (and ping, logging) at once
   * and holds list/call requests until they resolve; takes precedence over the services given directly.
   */
  services?: Promise<FaceServices>
  /**
   * The last tools/list answer of a previous run (its tools, or the UTF-8 JSON of the whole result
   * `{"tools":[…]}` as stored). While `services` are still being built, tools/list is answered
   * from it; once they are up, list_changed is sent if the real list differs.
   */
  snapshot?: Tool[] | Uint8Array
  /**
   * The client's first tools/list was answered from `snapshot` already (the early face, before this
   * face existed): the first tools/list this face serves is that request's replay, and it counts as
   * the snapshot's answer (this connection's list, list_changed when the real one differs) whether
   * or not the services are up by then. Before, a replay served once they were up recorded the
   * real list's names as what the client was told.
   */
  snapshotAnswered?: boolean
  /**
   * The largest message the client takes (proxy.maxMessageBytes, read at each new answer): a tools/list
   * answer over it leaves out the largest proxied tools (mcp/list-fit) instead of being no list at all.
   */
  maxListBytes?: () => number
  /** Called with every tools/list answer computed from the real services and its result's JSON text (to persist a snapshot). */
  onToolsListed?: (tools: Tool[], answer: readonly Uint8Array[]) => void
  /**
   * tools/list results carry their JSON text (core RawJson) for a transport that writes it as it
   * is (mcp/stdio-transport): a 5 000-tool answer is not serialised again per request.
   */
  textLists?: boolean
  /** Called once per tool call with its outcome (metrics); `server` is set for proxied calls once routed. */
  onToolCall?: (e: ToolCallEvent) => void
  /** `tool call` log lines per second before calls are only counted in a per-second summary (default 20); a function is read on each call (live reload). */
  usageLinesPerSecond?: number | (() => number)
  instructions?: string
}

const DOWNSTREAM_LOGS_PER_SECOND = 100
/** Our own log records sent to one client per second once it set a level; the rest are dropped and counted. */
const OWN_LOGS_PER_SECOND = 100
/**
 * The component of the record the proxy writes for each downstream log message it receives (a
 * debug echo for our stderr, `proxy/proxy.ts` `onNotification`): the client gets that message
 * itself, under the server's name, through `link.log` (capped there), so the echo is not sent too.
 */
const DOWNSTREAM_ECHO = "downstream:"
/** The meta-tools an expose mode may leave out (their modules are not loaded here: run_code's pulls in the sandbox). */
const META_TOOLS: ReadonlySet<string> = new Set(["search_tools", "describe_tools", "call_tool", "run_code"])

/**
 * What to use instead of a meta-tool this connection's expose mode leaves out (a model that knows
 * the tool from another session cannot list the tools again mid-conversation): call_tool ↔ run_code.
 */
function insteadOf(name: string, ownTools: OwnTools): string {
  if (name === "call_tool" && ownTools.has("run_code")) return '; call tools from run_code instead (code: return await tools["server__tool"](args))'
  if (name === "run_code" && ownTools.has("call_tool")) return '; call tools one at a time with call_tool instead ({ name: "server__tool", arguments })'
  return "; list the tools to see what is"
}

const LEVELS: LoggingLevel[] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]
const fromOurLevel: Record<string, LoggingLevel> = { debug: "debug", info: "info", warn: "warning", error: "error" }

export interface ToolCallEvent {
  tool: string
  server?: string
  durationMs: number
  outcome: CallOutcome
}

export interface McpFace {
  server: FaceServer
  /** This connection as the proxy sees it (server→client requests, resource notifications). */
  link: ClientLink
  /** Requests being served right now (graceful shutdown drains them). */
  pending(): number
  /**
   * Handle a tools/call outside the protocol dispatch (fast lane and fallback handler share it). With a
   * `raw` context, a downstream result may come as `RawJson` (its exact text, for forwarding).
   */
  callTool(name: string, args: Record<string, unknown> | undefined, ctx: RawCallContext): Promise<ToolCallOutput>
  /** The arguments the listed tool `name` mirrors into `Mcp-Param-*` headers (SEP-2243), if it declares any. */
  paramHeadersOf(name: string): readonly ParamHeader[] | undefined
  callTool(name: string, args: Record<string, unknown> | undefined, ctx: CallContext): Promise<CallToolResult>
  /** prompts/get outside the protocol dispatch too (a 2026-07-28 client's, with its envelope: mcp/modern-lane `callModern`). Throws the JSON-RPC error to send. */
  getPrompt(name: string, args: Record<string, string> | undefined, ctx: CallContext): Promise<GetPromptResult>
  /** resources/read, the same way. */
  readResource(uri: string, ctx: CallContext): Promise<ReadResourceResult>
  /** Every list change of this face, initialized or not (a 2026-07-28 client's `subscriptions/listen`). */
  onListChanged(listener: (kind: ListKind) => void): () => void
  /**
   * A resource subscription outside `resources/subscribe` (a 2026-07-28 client's `subscriptions/listen`):
   * routed to the owning server the same way; `client`'s `notify` gets its updates.
   */
  subscribeResource(uri: string, client: ClientLink, signal: AbortSignal): Promise<void>
  unsubscribeResource(uri: string, client: ClientLink): Promise<void>
  dispose(): void
}

interface Ready {
  ownTools: OwnTools
  /** tools/list includes the proxied tools (expose: all). */
  listProxied: boolean
  upstream?: Upstream
  prompts?: PromptSource
  firstToolsAnswer?: FaceServices["firstToolsAnswer"]
}

/** The left-out sets already warned about, for the whole process (every face shares it). */
const LIST_FIT_WARNED = new OnceKeys(256)

export function createMcpFace(deps: McpFaceDeps): McpFace {
  const { log } = deps
  const cleanups: Array<() => void> = []
  let disposed = false
  // `ready` is set once the services exist; handlers use it directly (no await on the hot path).
  let ready: Ready | undefined
  // This connection as the proxy sees it; `server` is created below, the link only uses it later.
  const link = createClientLink(() => server)
  const attach = (s: FaceServices): Ready => {
    const listProxied = (s.expose ?? "all") === "all"
    const r: Ready = { ownTools: new OwnTools(s.tools, { outputSchemas: listProxied }), listProxied, ...(s.upstream ? { upstream: s.upstream } : {}), ...(s.prompts ? { prompts: s.prompts } : {}), ...(s.firstToolsAnswer ? { firstToolsAnswer: s.firstToolsAnswer } : {}) }
    if (!disposed) {
      if (r.upstream) cleanups.push(r.upstream.onListChanged(notifyChanged))
      if (r.upstream?.attachClient) cleanups.push(r.upstream.attachClient(link))
      if (r.prompts?.onChange) cleanups.push(r.prompts.onChange(() => notifyChanged("prompts")))
      if (s.onListChanged) cleanups.push(s.onListChanged(notifyChanged))
      if (s.onSurfaceChanged) {
        cleanups.push(
          s.onSurfaceChanged((next) => {
            r.listProxied = (next.expose ?? "all") === "all"
            r.ownTools = new OwnTools(next.tools, { outputSchemas: r.listProxied })
            notifyChanged("tools")
          }),
        )
      }
    }
    ready = r
    return r
  }
  // the services given directly (deps is a Partial<FaceServices>: attach reads only those fields)
  const given = (): FaceServices => ({ ...deps, tools: deps.tools ?? [] })
  const attachWhenReady = async (s: FaceServices): Promise<Ready> => {
    await s.ready
    return attach(s)
  }
  // Services given directly and already complete are attached at once (no await before the first request).
  const whenReady: Promise<Ready> = deps.services ? deps.services.then(attachWhenReady) : deps.ready ? attachWhenReady(given()) : Promise.resolve(attach(given()))
  whenReady.catch((e) => log.error("services failed to start", { error: errorMessage(e) }))
  const get = (): Ready | Promise<Ready> => ready ?? whenReady
  let pending = 0
  let listing = 0
  /** Counts a request handler as pending while it runs (graceful shutdown drains them). */
  const tracked =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      listing++
      try {
        return await fn(...a)
      } finally {
        listing--
      }
    }
  const server = new FaceServer(
    { name: NAME, version: VERSION, title: "MCP Orchestrator" },
    {
      capabilities: FACE_CAPABILITIES,
      ...(deps.instructions ? { instructions: deps.instructions } : {}),
    },
  )
  // out-of-band problems of the protocol layer (an answer to no request of ours, a failed write): the client's doing, or a bug
  server.onerror = (e) => log.debug("client connection", { problem: errorMessage(e).slice(0, 500) })
  let initialized = false
  server.oninitialized = () => {
    initialized = true
    // a downstream that asked for the roots before this client could answer asks again (proxy)
    void Promise.resolve(get()).then((r) => r.upstream?.clientInitialized?.(link)).catch(() => {})
  }

  // --- tools ---
  /**
   * The last answer, reused while the own tools, the proxied list (the proxy hands out the same
   * array until something changes) and the secret registry are the same: a repeated tools/list
   * costs no per-tool work at all, and a changed one encodes only the blocks holding changed
   * definitions (core/list-json).
   */
  /** `tools`: every tool callable now; `sent`: the answer's (the same array unless it had to be fitted: mcp/list-fit). */
  const fitWarned = LIST_FIT_WARNED
  let lastList: { own: Tool[]; proxied: readonly Tool[]; generation: number; limit: number | undefined; tools: Tool[]; sent: Tool[]; chunks: readonly Uint8Array[]; bytes: number } | undefined
  const listOf = (r: Ready, own: Tool[], proxied: readonly Tool[]): NonNullable<typeof lastList> => {
    const limit = deps.maxListBytes?.()
    if (lastList && lastList.own === own && lastList.proxied === proxied && lastList.generation === secrets.generation && lastList.limit === limit) return lastList
    const generation = secrets.generation
    const all = withOwn(r, own, proxied)
    // the redaction point of list answers (redactOutgoing lets a pre-serialised one pass as it is)
    const tools = redactListResult({ tools: all }).tools
    let sent = tools
    let chunks = listChunks(tools, '{"tools":[', "]}")
    let bytes = chunksLength(chunks)
    if (limit !== undefined && bytes + ENVELOPE_BYTES > limit) {
      // own tools come first (withOwn)
      const catalog = r.upstream?.catalogNow?.()
      const fit = fitList(tools, own.length, bytes, limit, (name) => catalog?.route(name)?.server)
      sent = fit.tools
      chunks = listChunks(sent, '{"tools":[', "]}")
      // said once per limit and servers cut (each connection's answer and each rebuild after a
      // change elsewhere would repeat it; the status names the tools left out, as they are now)
      const cut = [...new Set(fit.left.map((n) => catalog?.route(n)?.server ?? ""))].sort()
      if (fitWarned.first(`${limit}\u0000${cut.join("\u0000")}`)) log.warn("tools/list answer over proxy.maxMessageBytes: tools of the server taking the most room are left out of it (still callable by name with call_tool; orchestrator_status names them under notInYourList)", {
        bytes,
        maxMessageBytes: limit,
        servers: cut,
        leftOut: fit.left.length,
        tools: fit.left.slice(0, 20),
        remedy: "Raise proxy.maxMessageBytes if the client takes larger messages, hide tools with servers.<name>.tools.deny, or expose: search (the meta-tools reach every tool).",
      })
      bytes = chunksLength(chunks)
    }
    lastList = { own, proxied, generation, limit, tools, sent, chunks, bytes }
    return lastList
  }
  const NO_TOOLS: readonly Tool[] = []
  const current = (): readonly Tool[] | undefined => lastList?.tools
  /**
   * The own tools, then the proxied ones whose names they do not take: one pass of name look-ups and
   * a plain concatenation when none collides (the usual case), no filtered copy of 5 000 tools.
   */
  const withOwn = (r: Ready, own: Tool[], proxied: readonly Tool[]): Tool[] => {
    if (!own.length) return proxied.slice()
    for (let i = 0; i < proxied.length; i++) if (r.ownTools.has(proxied[i]!.name)) return [...own, ...proxied.filter((t) => !r.ownTools.has(t.name))]
    return own.concat(proxied)
  }
  /**
   * Checked against the last list answer, never a new listing (that could start servers and wait on
   * the call path, and would count as served, so a pending list_changed would not be sent): what
   * the client was last told. Before any answer nothing is declared.
   */
  const paramHeadersOf = (name: string): readonly ParamHeader[] | undefined => (lastList === undefined ? undefined : declaredParamHeaders(lastList.tools).get(name))
  /** `work`, when given, gets the ms spent building the answer (the waits for the servers' lists left out). */
  const realList = async (r: Ready, work?: { ms: number }): Promise<NonNullable<typeof lastList>> => {
    if (r.upstream && !r.listProxied) {
      // only own tools are listed, but run_code's description names the reachable tools: the same
      // wait for the servers' lists as a full listing
      await r.upstream.catalog?.()
      r.ownTools.invalidate()
    }
    if (!r.upstream || !r.listProxied) {
      const t0 = performance.now()
      const list = listOf(r, r.ownTools.list(), NO_TOOLS)
      if (work) work.ms += performance.now() - t0
      return list
    }
    const proxied = await r.upstream.listTools()
    const t1 = performance.now()
    // own tools after the wait for the servers' lists: run_code's description signs the tools
    // reachable now (read before it, the first answer — the one Cursor keeps — said none were);
    // descriptions that read the same keep their objects (own-tools), so nothing is rebuilt for them
    r.ownTools.invalidate()
    const list = listOf(r, r.ownTools.list(), proxied)
    if (work) work.ms += performance.now() - t1
    deps.onToolsListed?.(list.sent, list.chunks)
    return list
  }
  // a 2026-07-28 request's answer is completed as an object by the era codec and the fast lane
  const asText = (params: { _meta?: Record<string, unknown> }): boolean => deps.textLists === true && params._meta?.[PROTOCOL_VERSION_KEY] === undefined
  let servedSnapshot: Uint8Array | undefined
  /**
   * The tools list this client was last given: the answer object (memoised, see listOf) or the
   * snapshot's bytes. list_changed for tools goes out only when the list it would get now differs.
   */
  let toldTools: { list?: NonNullable<typeof lastList>; bytes?: () => Uint8Array; apps?: readonly Tool[] } | undefined
  /**
   * A tools list_changed was sent and the client has not asked for the list since: a further
   * change is not told again (the list it asks for next is built after it). One edit that changes
   * the surface and then the servers' tools (a toolset and a server added together, a rename) is
   * one notice, not one per step.
   */
  let toolsNoticed = false
  const snapshotBytes = (): Uint8Array => {
    const snap = deps.snapshot!
    return (servedSnapshot ??= Array.isArray(snap) ? new TextEncoder().encode(JSON.stringify({ tools: snap })) : snap)
  }
  /** Does `list` differ from what this client was last given (true when it was given none)? */
  const differsFromGiven = (list: NonNullable<typeof lastList>): boolean => {
    if (toldTools === undefined) return true
    // an MCP App host was given the app-only tools too (proxy/app-only: a new array when a server's list
    // changed, the same tools most often: compared as JSON then, a few tools)
    let apps = toldTools.apps
    if (apps !== undefined) {
      const now = ready?.upstream?.appTools?.() ?? NO_TOOLS
      if (now !== apps && (now.length !== apps.length || JSON.stringify(now) !== JSON.stringify(apps))) return true
      apps = toldTools.apps = now
    }
    if (toldTools.list === list) return false
    // compared block by block: the blocks of unchanged tools are the same objects (core/list-json)
    const was = toldTools.list !== undefined ? toldTools.list.chunks : [toldTools.bytes!()]
    if (!sameBytes(was, list.chunks)) return true
    // the same bytes: remembered as this object, the next check is a reference comparison
    toldTools = apps !== undefined ? { list, apps } : { list }
    return false
  }
  /**
   * Does this tools/list come from an MCP App host (proxy/app-only)? A 2026-07-28 request declares its
   * capabilities in its envelope (lifted out of its params: mcp/face-protocol), a legacy client at initialize.
   */
  const appHost = (extra: FaceContext | undefined): boolean => {
    const envelope = extra?.mcpReq.envelope
    return declaresApps(envelope !== undefined ? envelope[CAPABILITIES_KEY] : link.capabilities())
  }
  /** The next tools/list is the replay of one the early face answered from the snapshot (deps.snapshotAnswered). */
  let replayOfSnapshot = deps.snapshotAnswered === true && deps.snapshot !== undefined
  server.setRequestHandler("tools/list", { params: LIST }, tracked(async (params, extra?: FaceContext) => {
    // this answer is built from now on: a change from here on is told again (see notifyChanged)
    toolsNoticed = false
    const text = asText(params)
    const replay = replayOfSnapshot
    replayOfSnapshot = false
    if ((replay || !ready) && deps.snapshot !== undefined) {
      // Services still starting: answer from the last run's list, then correct it if needed.
      const snap = deps.snapshot
      // the stored list is the model's (every client's): an App host was given none of the app-only tools
      toldTools = appHost(extra) ? { bytes: snapshotBytes, apps: NO_TOOLS } : { bytes: snapshotBytes }
      void whenReady.then(async (r) => {
        r.firstToolsAnswer?.({ ...(r.listProxied ? { names: () => snapshotNames(snap) } : {}), snapshot: true, current })
        // compared as bytes, off the first answer's path
        if (differsFromGiven(await realList(r))) notifyChanged("tools")
      }).catch(() => {})
      if (Array.isArray(snap)) return { tools: snap }
      // stored as it was written (redacted then): its bytes go out as they are, unless a secret
      // registered since appears in them (decoded, should the file spell one with escapes)
      if (text && !secrets.testJsonBytes(snap)) return new RawJson(undefined, new JsonBytes([snap], snap.byteLength, false)) as unknown as ListToolsResult
      return redactListResult(JSON.parse(new TextDecoder().decode(snap)) as Record<string, unknown>) as ListToolsResult
    }
    const r = await get()
    const list = await realList(r)
    if (toldTools === undefined && params._meta?.[PROTOCOL_VERSION_KEY] === undefined) {
      const names = r.listProxied ? new Set(list.sent.map((t) => t.name)) : undefined
      r.firstToolsAnswer?.({ ...(names ? { names: () => names } : {}), current })
    }
    // an MCP App host (it declares the extension) also gets the tools only its views may call (proxy/app-only)
    const apps = r.listProxied && appHost(extra) ? r.upstream?.appTools?.() : undefined
    toldTools = apps !== undefined ? { list, apps } : { list }
    // what it gets is the list as it is now: a notice sent while it was built (compared with the
    // list given before) told of what this answer holds, and leaves no notice pending; else the
    // client, having listed, would not be told of the next change (toolsNoticed suppresses it)
    toolsNoticed = false
    if (apps !== undefined && apps.length !== 0) return { tools: [...list.sent, ...redactListResult({ tools: apps }).tools] } as unknown as ListToolsResult
    // its memoised UTF-8 chunks (a copy of the array: a writer may empty the one it is handed)
    return (text ? new RawJson({ tools: list.sent }, new JsonBytes([...list.chunks], list.bytes, false)) : { tools: list.sent }) as unknown as ListToolsResult
  }))

  const usage = new UsageLog(log, deps.usageLinesPerSecond ?? 20)
  cleanups.push(() => usage.flush())
  /**
   * After a call: metrics and the usage log (both cheap: the log line is built when its batch is
   * written). Every outcome is decided here: a call the client cancelled or left (disconnected), or
   * that our own shutdown ended (its cancellation is aborted first, on every face), is `cancelled`
   * whatever its handler made of that (run_code answers "cancelled" as an error result, a
   * downstream call rejects), never the tool's failure.
   */
  const settled = (name: string, args: Record<string, unknown> | undefined, ctx: CallContext, started: number, handled: CallOutcome): void => {
    // (the fast lane's `cancel`, read first: its `signal` is only made when read)
    const outcome = (ctx.cancel?.aborted ?? ctx.signal.aborted) ? "cancelled" : handled
    pending--
    const routedTo = ctx.routedTo
    const durationMs = performance.now() - started
    if (deps.onToolCall !== undefined) {
      const e: ToolCallEvent = { tool: name, durationMs, outcome }
      if (routedTo !== undefined) e.server = routedTo
      deps.onToolCall(e)
    }
    usage.record(routedTo, name, durationMs, outcome, args)
  }
  /** A downstream's result as the client gets it: secrets out (an error result's too), its outcome counted. */
  const delivered = (name: string, args: Record<string, unknown> | undefined, ctx: CallContext, started: number, result: ToolCallOutput): ToolCallOutput => {
    let out: ToolCallOutput
    let toolError: boolean
    try {
      toolError = isToolError(result)
      // a downstream's refusal of the arguments gets the tool's parameters (tools/argument-hint)
      out = toolError ? withArgumentHint(redactToolError(result), () => listedTool(name)) : redactResultSecrets(result)
    } catch (e) {
      return failed(name, args, ctx, started, e)
    }
    settled(name, args, ctx, started, toolError ? "tool_error" : "ok")
    return out
  }
  /**
   * A failed call: protocol misuse (unknown tool, bad params) and a downstream's own JSON-RPC error
   * stay JSON-RPC errors (thrown); anything else (timeout, server down, breaker open…) is a tool
   * error with a remedy.
   */
  const failed = (name: string, args: Record<string, unknown> | undefined, ctx: CallContext, started: number, e: unknown): ToolCallOutput => {
    if (isRpcAnswer(e)) {
      settled(name, args, ctx, started, "error")
      throw withRpcArgumentHint(toRpcError(e), e, () => listedTool(name))
    }
    // (a call the client cancelled or left, or our shutdown ended, is counted `cancelled` by settled)
    settled(name, args, ctx, started, "tool_error")
    return toolErrorResult(e)
  }
  /** A downstream tool's listed definition (for the parameters a refusal of its arguments is told); undefined for own tools. */
  const listedTool = (name: string): Tool | undefined => (ready?.ownTools.has(name) ? undefined : ready?.upstream?.catalogNow?.().get(name))
  const callTool = (name: string, args: Record<string, unknown> | undefined, ctx: CallContext): Promise<ToolCallOutput> => {
    const r = ready
    // hot path: a downstream's tool once the services are up: one promise reaction, no async frame
    if (r !== undefined && r.upstream && name.length <= MAX_CALLED_NAME && !r.ownTools.has(name) && !META_TOOLS.has(name)) {
      const started = performance.now()
      pending++
      let call: Promise<ToolCallOutput>
      try {
        call = r.upstream.callTool(name, args, ctx as RawCallContext)
      } catch (e) {
        call = Promise.reject(e)
      }
      return call.then(
        (result) => delivered(name, args, ctx, started, result),
        (e: unknown) => failed(name, args, ctx, started, e),
      )
    }
    return callToolSlow(name, args, ctx)
  }
  const callToolSlow = async (name: string, args: Record<string, unknown> | undefined, ctx: CallContext): Promise<ToolCallOutput> => {
    const started = performance.now()
    pending++
    let result: ToolCallOutput
    try {
      const overlong = overlongName("tool", name)
      if (overlong) {
        // the usage log, the metrics and the refusal get its start, not the whole of it
        name = shownCalledName(name)
        throw overlong
      }
      const { ownTools, upstream } = ready ?? (await whenReady)
      if (name === CALL_TOOL_NAME && upstream && ownTools.has(name)) {
        result = await callThrough(args, ctx, ownTools, upstream)
      } else if (ownTools.has(name)) {
        result = await ownTools.call(name, args, ownToolContext(ctx, log, upstream), log)
      } else if (META_TOOLS.has(name)) {
        // one of ours that this connection's expose mode leaves out: say so, not "unknown tool" or a toolset's server rule
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${shownName(name)} is not offered on this connection (proxy.expose, or its toolset's expose, leaves it out)${insteadOf(name, ownTools)}`)
      } else if (upstream) {
        result = await upstream.callTool(name, args, ctx as RawCallContext)
      } else {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${shownName(name)}`)
      }
    } catch (e) {
      return failed(name, args, ctx, started, e)
    }
    return delivered(name, args, ctx, started, result)
  }

  /**
   * `call_tool`: the named tool's own result, through the same upstream call as a direct call (hooks,
   * pins, filters, toolset, timeouts; raw bytes on the fast lane). Its failures are tool errors of
   * call_tool (the name is an argument), never JSON-RPC errors.
   */
  const callThrough = async (sent: Record<string, unknown> | undefined, ctx: CallContext, ownTools: OwnTools, upstream: Upstream): Promise<ToolCallOutput> => {
    // `arguments` sent as an object's JSON text is that object (a model that encoded it twice)
    const args = decodedArguments(sent)
    const parsed = CallToolInput.safeParse(args ?? {})
    // invalid arguments: the own-tool path words the error (the handler is not reached)
    if (!parsed.success) return ownTools.call(CALL_TOOL_NAME, args, ownToolContext(ctx, log, upstream), log)
    const target = parsed.data.name
    if (ownTools.has(target)) return toolErrorResult(new Error(`call_tool reaches the tools of the connected servers; call ${target} directly`))
    // a model's call: never an MCP App view's, whatever the client declared (proxy/app-only)
    ctx.modelSurface = true
    try {
      // the arguments as the client sent them: validated above, never a copy (zod's record copy would drop an own `__proto__` key)
      const forwarded = (args as { arguments?: Record<string, unknown> } | undefined)?.arguments
      return withArgumentHint(await upstream.callTool(target, forwarded, ctx as RawCallContext), () => listedTool(target))
    } catch (e) {
      return toolErrorWithHint(e, () => listedTool(target))
    }
  }

  server.fallbackRequestHandler = async (request, extra) => {
    if (request.method !== "tools/call") throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Method not found: ${request.method}`)
    const params = request.params as { name?: unknown; arguments?: unknown; _meta?: { progressToken?: string | number } } | undefined
    if (!params || typeof params.name !== "string") throw new ProtocolError(ProtocolErrorCode.InvalidParams, "tools/call needs params.name (string)")
    const argsWrong = argumentsProblem("tools/call", params.arguments)
    if (argsWrong !== undefined) throw new ProtocolError(ProtocolErrorCode.InvalidParams, argsWrong)
    const ctx = new ExtraContext(extra, link, params._meta?.progressToken)
    return unwrapRaw(await callTool(params.name, params.arguments as Record<string, unknown> | undefined, ctx)) as never
  }

  // --- prompts ---
  /** Downstream prompt names hidden by an own prompt of the same name (warned about once each). */
  const shadowedPrompts = new Set<string>()
  server.setRequestHandler("prompts/list", { params: LIST }, tracked(async () => {
    const { prompts, upstream } = await get()
    const proxied = upstream ? await upstream.listPrompts() : []
    // read after the wait for servers: the answer holds everything loaded by the time it is sent
    const own = prompts ? await prompts.listPrompts() : []
    if (own.length === 0 || proxied.length === 0) return { prompts: [...own, ...proxied] }
    // a plugin (or built-in) prompt of the same name is the one prompts/get renders: the downstream's
    // is not listed beside it (the name twice in one list), and that is said once per name
    const ownNames = new Set(own.map((p) => p.name))
    const visible = proxied.filter((p) => {
      if (!ownNames.has(p.name)) return true
      if (!shadowedPrompts.has(p.name)) {
        shadowedPrompts.add(p.name)
        const by = prompts?.originOf?.(p.name)
        log.warn("a downstream prompt is hidden by a plugin prompt of the same name", { prompt: p.name, ...(by !== undefined ? { by } : {}), remedy: `Rename the prompt in ${by ?? "the plugin"} (or the server's, e.g. with another server name) to offer both.` })
      }
      return false
    })
    return { prompts: [...own, ...visible] }
  }))
  // one path for the SDK handler (legacy clients) and a modern client's request (with its envelope in ctx)
  const getPrompt = tracked(async (name: string, args: Record<string, string> | undefined, ctx: CallContext): Promise<GetPromptResult> => {
    const overlong = overlongName("prompt", name)
    if (overlong) throw overlong
    const { prompts, upstream } = await get()
    if (prompts) {
      try {
        const mine = await prompts.getPrompt(name, args ?? {})
        // a plugin prompt's text is the plugin's to choose: it may quote a secret the plugin saw
        // (a Toolkit config a parser read, a tool call's arguments) or hold a token; scrubbed as
        // an own tool's result is, as the downstream prompts beside it are
        if (mine) return redactValuesChecked(mine)
      } catch (e) {
        // the caller's mistake (unknown or missing arguments) keeps its -32602; a plugin that failed
        // to render (timeout, fault, a bad result) is an internal error naming the plugin
        if (isRpcAnswer(e)) throw toRpcError(e)
        throw new ProtocolError(ProtocolErrorCode.InternalError, redactString(`Prompt ${quoteName(name)} failed: ${errorMessage(e)}`))
      }
    }
    if (upstream) {
      try {
        return redactResultSecrets(await upstream.getPrompt(name, args, ctx))
      } catch (e) {
        throw toRpcError(e)
      }
    }
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${shownName(name)}`)
  })
  server.setRequestHandler("prompts/get", { params: GET_PROMPT }, (params, extra) => getPrompt(params.name, params.arguments, new ExtraContext(extra, link)))

  // --- resources ---
  server.setRequestHandler("resources/list", { params: LIST }, tracked(async () => {
    const { upstream } = await get()
    return { resources: upstream ? await upstream.listResources() : [] }
  }))
  server.setRequestHandler("resources/templates/list", { params: LIST }, tracked(async () => {
    const { upstream } = await get()
    return { resourceTemplates: upstream ? await upstream.listResourceTemplates() : [] }
  }))
  const readResource = tracked(async (uri: string, ctx: CallContext): Promise<ReadResourceResult> => {
    const { upstream } = await get()
    if (!upstream) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource: ${shownName(uri)}`)
    try {
      return redactResultSecrets(await upstream.readResource(uri, ctx))
    } catch (e) {
      throw toRpcError(e)
    }
  })
  server.setRequestHandler("resources/read", { params: RESOURCE }, (params, extra) => readResource(params.uri, new ExtraContext(extra, link)))
  server.setNotificationHandler("notifications/roots/list_changed", { params: EMPTY }, () => {
    void Promise.resolve(get()).then((r) => r.upstream?.rootsChanged?.(link)).catch(() => {})
  })
  // subscriptions: routed to the server owning the URI; its updates come back to this client
  server.setRequestHandler("resources/subscribe", { params: RESOURCE }, tracked(async (params, extra) => {
    const { upstream } = await get()
    if (!upstream?.subscribeResource) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource: ${shownName(params.uri)}`)
    try {
      await upstream.subscribeResource(params.uri, link, new ExtraContext(extra, link))
      return {}
    } catch (e) {
      throw toRpcError(e)
    }
  }))
  server.setRequestHandler("resources/unsubscribe", { params: RESOURCE }, tracked(async (params, extra) => {
    const { upstream } = await get()
    try {
      await upstream?.unsubscribeResource?.(params.uri, link, new ExtraContext(extra, link))
      return {}
    } catch (e) {
      throw toRpcError(e)
    }
  }))

  // --- completion: routed to the server owning the prompt or resource template ---
  server.setRequestHandler("completion/complete", { params: COMPLETE }, tracked(async (params, extra): Promise<CompleteResult> => {
    const { upstream } = await get()
    if (!upstream) return { completion: { values: [], hasMore: false } }
    try {
      // completion values are a downstream's data the model reads: its configured secrets taken out
      return redactResultSecrets((await upstream.complete(params, new ExtraContext(extra, link))) as CompleteResult)
    } catch (e) {
      throw toRpcError(e)
    }
  }))

  // --- logging: forward our logs only once the client asked for a level ---
  // The sink joins the hub only then: while no sink is attached, log calls below the stderr level
  // return at once instead of building records nobody reads (they sit on the hot path).
  let clientLevel: LoggingLevel | undefined
  const hub = deps.logHub
  let forwarding = false
  // Bounded like the downstream logs below: at debug, records follow a downstream's output (its
  // stderr lines when our own level is debug), so they come as fast as a server writes.
  const ownCap = new SecondWindow(OWN_LOGS_PER_SECOND, (dropped) => log.warn("own log messages to the client dropped", { dropped, limitPerSecond: OWN_LOGS_PER_SECOND }))
  const sink = (r: LogRecord): void => {
    if (!clientLevel || !initialized || forwarding) return
    // a downstream's log message reaches the client once, under its server's name (link.log)
    if (r.component.startsWith(DOWNSTREAM_ECHO)) return
    const level = fromOurLevel[r.level] ?? "info"
    if (LEVELS.indexOf(level) < LEVELS.indexOf(clientLevel)) return
    if (!ownCap.take()) return
    forwarding = true
    const { ts: _ts, level: _l, component, ...data } = r
    server.notification({ method: "notifications/message", params: { level, logger: component, data } }).catch(() => {})
    forwarding = false
  }
  server.setRequestHandler("logging/setLevel", { params: SET_LEVEL }, async (params) => {
    const level = params.level
    clientLevel = level
    // downstreams are asked too (once the services are up, if they are not yet)
    if (ready) ready.upstream?.setLogLevel?.(link, level)
    else whenReady.then((r) => r.upstream?.setLogLevel?.(link, level)).catch(() => {})
    if (hub && !disposed && !hub.sinks.has(sink)) {
      hub.sinks.add(sink)
      cleanups.push(() => hub.sinks.delete(sink))
    }
    return {}
  })

  // --- downstream logs: forwarded under the server's name, at the client's level ---
  // Until the client sets a level, `info` and above (what a directly connected SDK server sends
  // too, minus debug chatter). At most DOWNSTREAM_LOGS_PER_SECOND; the rest are counted and dropped.
  const logCap = new SecondWindow(DOWNSTREAM_LOGS_PER_SECOND, (dropped) => log.warn("downstream log messages dropped", { dropped, limitPerSecond: DOWNSTREAM_LOGS_PER_SECOND }))
  link.log = (from, p) => {
    if (!initialized || disposed) return
    const level = (LEVELS as string[]).includes(p.level) ? (p.level as LoggingLevel) : "info"
    if (LEVELS.indexOf(level) < LEVELS.indexOf(clientLevel ?? "info")) return
    if (!logCap.take()) return
    const logger = p.logger ? `${from}/${p.logger}` : from
    server.notification({ method: "notifications/message", params: { level, logger, data: redact(p.data) } }).catch(() => {})
  }

  // --- list_changed ---
  const changeListeners = new Set<(kind: ListKind) => void>()
  function notifyChanged(kind: ListKind): void {
    // own tool descriptions may follow the surface (run_code lists the reachable tools)
    if (kind === "tools") ready?.ownTools.invalidate()
    for (const l of changeListeners) l(kind)
    const send = (): void => {
      if (!initialized || disposed) return
      if (kind === "tools") {
        if (toolsNoticed) return
        toolsNoticed = true
      }
      const p =
        kind === "tools" ? server.sendToolListChanged() : kind === "prompts" ? server.sendPromptListChanged() : server.sendResourceListChanged()
      p.catch(() => {})
    }
    // The persisted list follows later changes too (e.g. a server that came up after the first
    // answer): otherwise the next start would answer from a list without it, and keep it. The new
    // answer is built before the client is told: its tools/list right after list_changed is then
    // answered from the memo, like any repeated list.
    // A client that was given a tools list is told only when the list it would get now differs
    // from it (a warm start's snapshot answer, then the servers coming up with the same tools: no
    // list_changed; per client, whatever the proxy told other clients).
    if (kind === "tools" && (deps.onToolsListed || toldTools !== undefined) && ready && !disposed) {
      const work = { ms: 0 }
      void realList(ready, work).then((list) => {
        // the proxy logs its part ("tools list changed", info); this is the rest of what a change
        // costs. Debug: servers coming up after the first answer make one each
        log.debug("tools list answer rebuilt", { tools: list.tools.length, buildMs: Math.round(work.ms * 100) / 100 })
        if (differsFromGiven(list)) send()
      }, send)
    } else send()
  }

  return {
    server,
    link,
    pending: () => pending + listing,
    callTool: callTool as McpFace["callTool"],
    paramHeadersOf,
    getPrompt,
    readResource,
    onListChanged(listener) {
      changeListeners.add(listener)
      return () => void changeListeners.delete(listener)
    },
    async subscribeResource(uri, client, signal) {
      const { upstream } = await get()
      if (!upstream?.subscribeResource) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource: ${shownName(uri)}`)
      await upstream.subscribeResource(uri, client, { signal, client, notify: () => Promise.resolve() })
    },
    async unsubscribeResource(uri, client) {
      const { upstream } = await get()
      await upstream?.unsubscribeResource?.(uri, client, { signal: new AbortController().signal, client, notify: () => Promise.resolve() })
    },
    dispose() {
      changeListeners.clear()
      disposed = true
      for (const c of cleanups.splice(0)) c()
    },
  }
}

function ownToolContext(ctx: CallContext, log: Logger, upstream: Upstream | undefined): ToolContext {
  const meta = ctx.meta
  return {
    signal: ctx.signal,
    log,
    ...(meta !== undefined ? { meta } : {}),
    exampleTool: () => exampleTool(upstream?.catalogNow?.().tools),
    async progress(progress: number, total?: number, message?: string) {
      if (ctx.progressToken === undefined) return
      await ctx.notify({
        method: "notifications/progress",
        params: { progressToken: ctx.progressToken, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) },
      })
    },
  }
}
