/**
 * @module mcp/server
 * Our MCP server face: one SDK `Server` per client connection, exposing our own tools, the proxied
 * tools/prompts/resources of the `Upstream`, prompts from the prompt source (plugins), and logging.
 * `tools/call` bypasses the SDK's triple zod validation (it is served by `fallbackRequestHandler`),
 * since results from downstream servers are passed through unchanged.
 */
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  RootsListChangedNotificationSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
  type GetPromptResult,
  type LoggingLevel,
  type Prompt,
  type Tool,
  type ServerResult,
} from "@modelcontextprotocol/sdk/types.js"
import { createClientLink, ExtraContext } from "./client-link.ts"
import { FaceServer } from "./face-server.ts"
import { errorMessage, isToolError, NAME, redact, unwrapRaw, VERSION, type LogHub, type Logger, type LogRecord } from "../core/index.ts"
import type { CallContext, ClientLink, CompleteParams, ListKind, RawCallContext, ToolCallOutput, Upstream } from "../proxy/index.ts"
import { isRpcAnswer, redactToolError, toolErrorResult, toRpcError } from "./error-map.ts"
import { OwnTools } from "./own-tools.ts"
import { CALL_TOOL_NAME, CallToolInput } from "./tools/call-tool.ts"
import type { ToolDef } from "./tool-def.ts"
import { UsageLog } from "./usage.ts"

/** Prompts that are not proxied: built-ins and plugin prompts. */
export interface PromptSource {
  listPrompts(): Promise<Prompt[]> | Prompt[]
  /** undefined = not mine. Throws with a clear message on bad arguments. */
  getPrompt(name: string, args: Record<string, string>): Promise<GetPromptResult | undefined> | GetPromptResult | undefined
  onChange?(listener: () => void): () => void
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
   * The last tools/list answer of a previous run. While `services` are still being built,
   * tools/list is answered from it; once they are up, list_changed is sent if the real list differs.
   */
  snapshot?: Tool[]
  /** Called with every tools/list answer computed from the real services (to persist a snapshot). */
  onToolsListed?: (tools: Tool[]) => void
  /** Called once per tool call with its outcome (metrics); `server` is set for proxied calls once routed. */
  onToolCall?: (e: ToolCallEvent) => void
  /** `tool call` log lines per second before calls are only counted in a per-second summary (default 20); a function is read on each call (live reload). */
  usageLinesPerSecond?: number | (() => number)
  instructions?: string
}

const DOWNSTREAM_LOGS_PER_SECOND = 100
const LEVELS: LoggingLevel[] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]
const fromOurLevel: Record<string, LoggingLevel> = { debug: "debug", info: "info", warn: "warning", error: "error" }

export interface ToolCallEvent {
  tool: string
  server?: string
  durationMs: number
  outcome: "ok" | "error" | "tool_error"
}

export interface McpFace {
  server: FaceServer
  /** This connection as the proxy sees it (server→client requests, resource notifications). */
  link: ClientLink
  /** Requests being served right now (graceful shutdown drains them). */
  pending(): number
  /**
   * Handle a tools/call outside the SDK dispatch (fast lane and fallback handler share it). With a
   * `raw` context, a downstream result may come as `RawJson` (its exact text, for forwarding).
   */
  callTool(name: string, args: Record<string, unknown> | undefined, ctx: RawCallContext): Promise<ToolCallOutput>
  callTool(name: string, args: Record<string, unknown> | undefined, ctx: CallContext): Promise<CallToolResult>
  /** Every list change of this face, initialized or not (a 2026-07-28 client's `subscriptions/listen`). */
  onListChanged(listener: (kind: ListKind) => void): () => void
  dispose(): void
}

interface Ready {
  ownTools: OwnTools
  /** tools/list includes the proxied tools (expose: all). */
  listProxied: boolean
  upstream?: Upstream
  prompts?: PromptSource
}

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
    const r: Ready = { ownTools: new OwnTools(s.tools, { outputSchemas: listProxied }), listProxied, ...(s.upstream ? { upstream: s.upstream } : {}), ...(s.prompts ? { prompts: s.prompts } : {}) }
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
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        logging: {},
        completions: {},
      },
      ...(deps.instructions ? { instructions: deps.instructions } : {}),
    },
  )
  let initialized = false
  server.oninitialized = () => {
    initialized = true
  }

  // --- tools ---
  const realList = async (r: Ready): Promise<Tool[]> => {
    if (r.upstream && !r.listProxied) {
      // only own tools are listed, but run_code's description names the reachable tools: the same
      // wait for the servers' lists as a full listing
      await r.upstream.catalog?.()
      r.ownTools.invalidate()
    }
    const own = r.ownTools.list()
    if (!r.upstream || !r.listProxied) return own
    const proxied = await r.upstream.listTools()
    const tools = own.length ? [...own, ...proxied.filter((t) => !r.ownTools.has(t.name))] : proxied
    deps.onToolsListed?.(tools)
    return tools
  }
  let servedSnapshot: string | undefined
  server.setRequestHandler(ListToolsRequestSchema, tracked(async () => {
    if (!ready && deps.snapshot) {
      // Services still starting: answer from the last run's list, then correct it if needed.
      servedSnapshot ??= JSON.stringify(deps.snapshot)
      void whenReady.then(async (r) => {
        const fresh = JSON.stringify(await realList(r))
        if (fresh !== servedSnapshot) notifyChanged("tools")
      }).catch(() => {})
      return { tools: deps.snapshot }
    }
    return { tools: await realList(await get()) }
  }))

  const usage = new UsageLog(log, deps.usageLinesPerSecond ?? 20)
  cleanups.push(() => usage.flush())
  const callTool = async (name: string, args: Record<string, unknown> | undefined, ctx: CallContext): Promise<ToolCallOutput> => {
    const started = performance.now()
    pending++
    let outcome: "ok" | "error" | "tool_error" = "ok"
    try {
      const { ownTools, upstream } = ready ?? (await whenReady)
      let result: ToolCallOutput
      if (name === CALL_TOOL_NAME && upstream && ownTools.has(name)) {
        result = await callThrough(args, ctx, ownTools, upstream)
      } else if (ownTools.has(name)) {
        result = await ownTools.call(name, args, ownToolContext(ctx, log), log)
      } else if (upstream) {
        result = await upstream.callTool(name, args, ctx as RawCallContext)
      } else {
        throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`)
      }
      if (isToolError(result)) {
        outcome = "tool_error"
        result = redactToolError(result)
      }
      return result
    } catch (e) {
      // Protocol misuse (unknown tool, bad params) and a downstream's own JSON-RPC error stay JSON-RPC
      // errors; anything else (timeout, server down, breaker open…) is a tool error with a remedy.
      if (isRpcAnswer(e)) {
        outcome = "error"
        throw toRpcError(e)
      }
      outcome = "tool_error"
      return toolErrorResult(e)
    } finally {
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
  }

  /**
   * `call_tool`: the named tool's own result, through the same upstream call as a direct call (hooks,
   * pins, filters, toolset, timeouts; raw bytes on the fast lane). Its failures are tool errors of
   * call_tool (the name is an argument), never JSON-RPC errors.
   */
  const callThrough = async (args: Record<string, unknown> | undefined, ctx: CallContext, ownTools: OwnTools, upstream: Upstream): Promise<ToolCallOutput> => {
    const parsed = CallToolInput.safeParse(args ?? {})
    // invalid arguments: the own-tool path words the error (the handler is not reached)
    if (!parsed.success) return ownTools.call(CALL_TOOL_NAME, args, ownToolContext(ctx, log), log)
    const target = parsed.data.name
    if (ownTools.has(target)) return toolErrorResult(new Error(`call_tool reaches the tools of the connected servers; call ${target} directly`))
    try {
      return await upstream.callTool(target, parsed.data.arguments, ctx as RawCallContext)
    } catch (e) {
      return toolErrorResult(e)
    }
  }

  server.fallbackRequestHandler = async (request, extra) => {
    if (request.method !== "tools/call") throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`)
    const params = request.params as { name?: unknown; arguments?: unknown; _meta?: { progressToken?: string | number } } | undefined
    if (!params || typeof params.name !== "string") throw new McpError(ErrorCode.InvalidParams, "tools/call needs params.name (string)")
    if (params.arguments !== undefined && (typeof params.arguments !== "object" || params.arguments === null || Array.isArray(params.arguments))) {
      throw new McpError(ErrorCode.InvalidParams, "tools/call params.arguments must be an object")
    }
    const ctx = new ExtraContext(extra, link, params._meta?.progressToken)
    return unwrapRaw(await callTool(params.name, params.arguments as Record<string, unknown> | undefined, ctx)) as never
  }

  // --- prompts ---
  server.setRequestHandler(ListPromptsRequestSchema, tracked(async () => {
    const { prompts, upstream } = await get()
    const proxied = upstream ? await upstream.listPrompts() : []
    // read after the wait for servers: the answer holds everything loaded by the time it is sent
    const own = prompts ? await prompts.listPrompts() : []
    return { prompts: [...own, ...proxied] }
  }))
  server.setRequestHandler(GetPromptRequestSchema, tracked(async (req, extra) => {
    const { name, arguments: args } = req.params
    const { prompts, upstream } = await get()
    if (prompts) {
      try {
        const mine = await prompts.getPrompt(name, args ?? {})
        if (mine) return mine
      } catch (e) {
        throw new McpError(ErrorCode.InvalidParams, errorMessage(e))
      }
    }
    if (upstream) {
      try {
        return await upstream.getPrompt(name, args, new ExtraContext(extra, link))
      } catch (e) {
        throw toRpcError(e)
      }
    }
    throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`)
  }))

  // --- resources ---
  server.setRequestHandler(ListResourcesRequestSchema, tracked(async () => {
    const { upstream } = await get()
    return { resources: upstream ? await upstream.listResources() : [] }
  }))
  server.setRequestHandler(ListResourceTemplatesRequestSchema, tracked(async () => {
    const { upstream } = await get()
    return { resourceTemplates: upstream ? await upstream.listResourceTemplates() : [] }
  }))
  server.setRequestHandler(ReadResourceRequestSchema, tracked(async (req, extra) => {
    const { upstream } = await get()
    if (!upstream) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${req.params.uri}`)
    try {
      return await upstream.readResource(req.params.uri, new ExtraContext(extra, link))
    } catch (e) {
      throw toRpcError(e)
    }
  }))
  server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    void Promise.resolve(get()).then((r) => r.upstream?.rootsChanged?.(link)).catch(() => {})
  })
  // subscriptions: routed to the server owning the URI; its updates come back to this client
  server.setRequestHandler(SubscribeRequestSchema, tracked(async (req, extra) => {
    const { upstream } = await get()
    if (!upstream?.subscribeResource) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${req.params.uri}`)
    try {
      await upstream.subscribeResource(req.params.uri, link, new ExtraContext(extra, link))
      return {}
    } catch (e) {
      throw toRpcError(e)
    }
  }))
  server.setRequestHandler(UnsubscribeRequestSchema, tracked(async (req, extra) => {
    const { upstream } = await get()
    try {
      await upstream?.unsubscribeResource?.(req.params.uri, link, new ExtraContext(extra, link))
      return {}
    } catch (e) {
      throw toRpcError(e)
    }
  }))

  // --- completion: routed to the server owning the prompt or resource template ---
  server.setRequestHandler(CompleteRequestSchema, tracked(async (req, extra): Promise<ServerResult> => {
    const { upstream } = await get()
    if (!upstream) return { completion: { values: [], hasMore: false } }
    try {
      return (await upstream.complete(req.params as CompleteParams, new ExtraContext(extra, link))) as ServerResult
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
  const sink = (r: LogRecord): void => {
    if (!clientLevel || !initialized || forwarding) return
    const level = fromOurLevel[r.level] ?? "info"
    if (LEVELS.indexOf(level) < LEVELS.indexOf(clientLevel)) return
    forwarding = true
    const { ts: _ts, level: _l, component, ...data } = r
    server.notification({ method: "notifications/message", params: { level, logger: component, data } }).catch(() => {})
    forwarding = false
  }
  server.setRequestHandler(SetLevelRequestSchema, async (req) => {
    const level = req.params.level
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
  let logWindow = -Infinity
  let logsInWindow = 0
  let logsDropped = 0
  link.log = (from, p) => {
    if (!initialized || disposed) return
    const level = (LEVELS as string[]).includes(p.level) ? (p.level as LoggingLevel) : "info"
    if (LEVELS.indexOf(level) < LEVELS.indexOf(clientLevel ?? "info")) return
    const now = performance.now()
    if (now - logWindow >= 1000) {
      if (logsDropped > 0) log.warn("downstream log messages dropped", { dropped: logsDropped, limitPerSecond: DOWNSTREAM_LOGS_PER_SECOND })
      logWindow = now
      logsInWindow = 0
      logsDropped = 0
    }
    if (++logsInWindow > DOWNSTREAM_LOGS_PER_SECOND) {
      logsDropped++
      return
    }
    const logger = p.logger ? `${from}/${p.logger}` : from
    server.notification({ method: "notifications/message", params: { level, logger, data: redact(p.data) } }).catch(() => {})
  }

  // --- list_changed ---
  const changeListeners = new Set<(kind: ListKind) => void>()
  function notifyChanged(kind: ListKind): void {
    // own tool descriptions may follow the surface (run_code lists the reachable tools)
    if (kind === "tools") ready?.ownTools.invalidate()
    // The persisted list follows later changes too (e.g. a server that came up after the first
    // answer): otherwise the next start would answer from a list without it, and keep it.
    if (kind === "tools" && deps.onToolsListed && ready && !disposed) void realList(ready).catch(() => {})
    for (const l of changeListeners) l(kind)
    if (!initialized) return
    const p =
      kind === "tools" ? server.sendToolListChanged() : kind === "prompts" ? server.sendPromptListChanged() : server.sendResourceListChanged()
    p.catch(() => {})
  }

  return {
    server,
    link,
    pending: () => pending + listing,
    callTool: callTool as McpFace["callTool"],
    onListChanged(listener) {
      changeListeners.add(listener)
      return () => void changeListeners.delete(listener)
    },
    dispose() {
      changeListeners.clear()
      disposed = true
      for (const c of cleanups.splice(0)) c()
    },
  }
}

function ownToolContext(ctx: CallContext, log: Logger) {
  return {
    signal: ctx.signal,
    log,
    async progress(progress: number, total?: number, message?: string) {
      if (ctx.progressToken === undefined) return
      await ctx.notify({
        method: "notifications/progress",
        params: { progressToken: ctx.progressToken, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) },
      })
    },
  }
}
