/**
 * @module http/app
 * `createHttpApp(deps)`: the hono app behind `serve --http` — MCP Streamable HTTP on /mcp (bearer
 * token; both protocol eras: legacy requests in sessions, 2026-07-28 requests stateless), the
 * 2024-11-05 HTTP+SSE transport on /sse + /messages (legacy sessions of the same tables), /healthz,
 * /readyz, /metrics, /openapi.json and Swagger UI on /docs. Host and Origin are checked on every
 * route; CORS (cors.ts) on the MCP paths only, for the origins that check accepts; no route runs anything a request names. The MCP paths are served by a
 * front before hono's router (`app.fetch`), with the same checks: they are the per-call path. The
 * body limit is the app's own (http.bodyLimit: a JSON-RPC 413 naming it), for every route.
 * At shutdown (`refuse`, `endInFlight`): a request that arrives is answered at once with the
 * shutdown's error, and each one still in flight when the grace ends is cancelled and answered so;
 * once disposed (sessions closed), other MCP traffic gets 503 with that error until the server stops.
 */
import { swaggerUI } from "@hono/swagger-ui"
import { Hono } from "hono"
import { answerableId, dropNullParams, errorMessage, NAME, noteActivity, redactValues, VERSION, type Logger } from "../core/index.ts"
import { MODERN_BATCH, toolErrorResult, toRpcError, type McpFace, type Status, type ToolDef } from "../mcp/index.ts"
import { BodyTimedOut, BodyTooLarge, discardBodyLimited, withinDeadline } from "./body.ts"
import { BodyNotInCharset, charsetOf } from "./charset.ts"
import { ACCEPTED_CODINGS, BodyUndecodable, codingOf, readDecoded } from "./content-coding.ts"
import { errorAnswer, modernResultAnswer, resultAnswer } from "./call.ts"
import type { ResumeLimits } from "./resume.ts"
import { initializeEraClash, modernBatch, modernNonPost, modernNotification, modernRequest } from "./era.ts"
import { acceptOf, type ClientLimit, type RpcMessage, type StopError } from "./reply.ts"
import { invalidRequest } from "./jsonrpc-shape.ts"
import { readinessFromStatus, type Health, type Readiness } from "./health.ts"
import type { Metrics } from "./metrics.ts"
import { ModernEndpoint } from "./modern.ts"
import { buildOpenApi } from "./openapi.ts"
import { HOST_MISSING, RequestGuard } from "./security.ts"
import { isPreflight, preflight, withCors } from "./cors.ts"
import { unread } from "./unread.ts"
import { authChallenge, authFailure, authMessage } from "./unauthorized.ts"
import { clipped, shown } from "./echo.ts"
import { jsonRpcError, McpSessions } from "./sessions.ts"

export interface HttpAppDeps {
  /** A new MCP server face (one per HTTP session); `toolset` is set on /mcp/t/<toolset>. */
  createFace(toolset?: string): McpFace
  /** Toolsets served on /mcp/t/<name> (keys of `toolsets`; a function follows config reloads); others answer 404. */
  toolsets?: readonly string[] | (() => readonly string[])
  /** The 404 text for an unknown toolset (config/toolsets `unknownToolset`). */
  unknownToolset?(name: string): string
  status(): Promise<Status>
  /** True once shutdown began (readiness turns false). */
  stopping?(): boolean
  /** Overrides the default readiness rule (readinessFromStatus). */
  readiness?(): Promise<Readiness>
  metrics: Metrics
  /** Own tools, documented in /openapi.json. */
  tools: readonly ToolDef[]
  /** Bearer token for /mcp; undefined = no authentication (test-only setting). */
  token: string | undefined
  allowedHosts?: readonly string[]
  allowedOrigins?: readonly string[]
  bodyLimit: number
  /** Close MCP sessions idle this long (ms; 0 = never). */
  sessionIdleTtlMs?: number
  /** Open legacy sessions per path (default 256); past it the least recently used idle one is closed, `initialize` gets 503 only when all are busy. */
  maxSessions?: number
  /** Open 2026-07-28 `subscriptions/listen` streams per path (default 1024); past it the oldest listen open for `listenGraceMs` is closed, a new one is refused only when every one is younger. */
  maxListens?: number
  /** A listen younger than this (ms, default `keepAliveMs`) is not closed to make room (http/modern). */
  listenGraceMs?: number
  /** SSE keep-alive comment interval (ms, SDK default 15 s); must stay below the server's idle timeout. */
  keepAliveMs?: number
  /** Legacy sessions' resumable streams: retry interval, grace after a drop, buffer caps (resume.ts defaults). */
  resume?: Partial<ResumeLimits>
  /** `proxy.maxMessageBytes`: no message over it is written to a client, as on stdio (an answer becomes an error naming it). */
  limit?: ClientLimit
  /** A request whose body has not arrived whole this long after its headers is answered 408 and its connection closed (ms, default 30 s; 0 = no deadline). */
  bodyTimeoutMs?: number
  /** A client that takes no chunk of a large answer for this long has it dropped (ms, default 30 s; unread.ts). Process-wide. */
  unreadTimeoutMs?: number
  log: Logger
}

/**
 * Disposing it closes the sessions (their streams end) and the 2026-07-28 endpoints; it goes on
 * answering until the server stops listening: an MCP request with `refuse`'s error, other MCP
 * traffic with 503 (a JSON-RPC SHUTTING_DOWN error), the other routes as before.
 */
export type HttpApp = Hono &
  AsyncDisposable & {
    readonly sessions: McpSessions
    /** Shutdown began: every MCP request that arrives from now on is answered at once with `stop`'s error (not served). */
    refuse(stop: StopError): void
    /** MCP POSTs whose requests are being served, on every path and in both eras. */
    inFlight(): number
    /** Ends every request still in flight: cancelled (downstream too) and answered with `stop`'s error. */
    endInFlight(stop: StopError): void
  }

const startedAt = performance.now()

export function createHttpApp(deps: HttpAppDeps): HttpApp {
  // not strict: a trailing slash (`/mcp/`, `/healthz/`) reaches the same route
  const app = new Hono({ strict: false })
  const log = deps.log
  const allowedHosts = deps.allowedHosts ?? []
  const allowedOrigins = deps.allowedOrigins ?? []
  const sessionsFor = (toolset?: string): McpSessions =>
    new McpSessions({
      createFace: () => deps.createFace(toolset),
      log,
      idleTtlMs: deps.sessionIdleTtlMs ?? 30 * 60_000,
      ...(deps.maxSessions !== undefined ? { maxSessions: deps.maxSessions } : {}),
      ...(deps.keepAliveMs !== undefined ? { keepAliveMs: deps.keepAliveMs } : {}),
      ...(deps.resume !== undefined ? { resume: deps.resume } : {}),
      ...(deps.limit !== undefined ? { limit: deps.limit } : {}),
    })
  const sessions = sessionsFor()
  // the 2026-07-28 era: one stateless endpoint (one face) per path, made on its first modern request
  const modern = new Map<string, ModernEndpoint>()
  const modernFor = (toolset?: string): ModernEndpoint => {
    let m = modern.get(toolset ?? "")
    if (!m) modern.set(toolset ?? "", (m = new ModernEndpoint(deps.createFace(toolset), { log, keepAliveMs: deps.keepAliveMs ?? 15_000, ...(deps.maxListens !== undefined ? { maxListens: deps.maxListens } : {}), ...(deps.listenGraceMs !== undefined ? { listenGraceMs: deps.listenGraceMs } : {}), ...(deps.limit !== undefined ? { limit: deps.limit } : {}) })))
    return m
  }
  // one session table per toolset: a session id of one toolset is unknown (404) on another's path
  const toolsetSessions = new Map<string, McpSessions>()
  const knownToolsets = (): readonly string[] => (typeof deps.toolsets === "function" ? deps.toolsets() : (deps.toolsets ?? []))
  deps.metrics.setSources({
    status: deps.status,
    httpSessions: () => sessions.size + [...toolsetSessions.values()].reduce((n, s) => n + s.size, 0),
    ownTools: deps.tools.map((t) => t.name),
  })
  let openapi: Record<string, unknown> | undefined

  if (deps.unreadTimeoutMs !== undefined) unread.ms = deps.unreadTimeoutMs
  unread.dropped = (d) => log.warn("client stopped reading: response dropped", { body: d.body, unreadBytes: d.bytes, afterMs: d.ms })
  const guard = new RequestGuard(allowedHosts, allowedOrigins, deps.token)
  for (const p of guard.problems) log.warn("http allow-list entry can never match", { setting: p.key, entry: p.entry, why: p.why })
  const tooLarge = (): Response => bodyTooLarge(deps.bodyLimit)
  const bodyTimeoutMs = deps.bodyTimeoutMs ?? 30_000
  const timedOut = (path: string): Response => {
    log.info("request body not received in time: answered 408, connection closed", { path, bodyTimeoutMs })
    return bodyTimedOut(bodyTimeoutMs)
  }

  // DNS-rebinding / CSRF guard on every route.
  app.use("*", async (c, next) => {
    noteActivity() // a session serving HTTP is not idle (core/idle-trim)
    const req = c.req.raw
    const problem = guard.problem(hostOf(req), req.headers.get("origin"), req.headers)
    if (problem) return refused(req, forbidden(problem))
    // the other routes take no body: one is read and dropped as it comes, within the limit (Bun's own cap is off)
    const path = c.req.path
    // an MCP path the front left to hono (an escaped toolset name): CORS as in the front
    const origin = req.headers.get("origin")
    if (origin !== null && (path === "/mcp" || path.startsWith("/mcp/"))) {
      if (isPreflight(req)) return preflight(req)
      await next()
      withCors(c.res, origin)
      return
    }
    if (path !== "/mcp" && !path.startsWith("/mcp/") && hasBody(req)) {
      try {
        await withinDeadline(discardBodyLimited(req, deps.bodyLimit), req, bodyTimeoutMs)
      } catch (e) {
        if (e instanceof BodyTooLarge) return tooLarge()
        if (e instanceof BodyTimedOut) return timedOut(path)
        log.debug("request body not read whole", { path, error: errorMessage(e) })
        return json({ error: "bad_request", message: "the request body could not be read whole (the connection was closed while it was sent)" }, 400)
      }
    }
    await next()
  })

  // "/mcp/*" matches /mcp itself too: one check for /mcp and /mcp/t/<toolset>
  app.use("/mcp/*", async (c, next) => {
    // another method is 405 (below), whoever asks
    const authorization = c.req.raw.headers.get("authorization")
    if (MCP_METHODS.has(c.req.method) && !guard.authorized(authorization)) return refused(c.req.raw, unauthorized(authorization))
    await next()
  })

  /**
   * A POST's JSON-RPC body (one message or a batch), read within the body limit and checked, or the
   * error answering it: what is not JSON is refused before its body is read (a form or text/plain POST
   * is what a web page can send without a preflight).
   */
  const readMessage = async (req: Request): Promise<{ body: unknown } | Response> => {
    const media = mediaProblem(req.headers)
    if (media) return refused(req, media)
    // a charset no decoder knows was refused by mediaProblem
    const charset = charsetOf(req.headers.get("content-type"))
    let text: string
    try {
      text = await withinDeadline(readDecoded(req, deps.bodyLimit, typeof charset === "string" ? charset : undefined), req, bodyTimeoutMs)
    } catch (e) {
      if (e instanceof BodyTooLarge) return tooLarge()
      if (e instanceof BodyTimedOut) return timedOut(pathOf(req.url))
      if (e instanceof BodyUndecodable || e instanceof BodyNotInCharset) return jsonRpcError(400, -32700, `Parse error: ${e.message}`)
      // the client went away (or broke the body off) before sending it whole: its problem, not a fault of ours
      log.debug("mcp request body not read whole", { error: errorMessage(e) })
      return jsonRpcError(400, -32700, "Parse error: the request body could not be read whole (the connection was closed while it was sent)")
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return jsonRpcError(400, -32700, "Parse error: body is not JSON")
    }
    dropNullParams(body)
    const invalid = invalidRequest(body)
    // a single request with a usable id is answered with it (as on stdio); a batch or an odd id: id null
    if (invalid) return jsonRpcError(400, -32600, `Invalid Request: ${invalid}`, Array.isArray(body) ? null : (answerableId(body) ?? null))
    return { body }
  }

  /** Set once shutdown began: what an arriving request is answered with. */
  let stopping: StopError | undefined
  /** Set once the sessions were closed (the listener stays up until the process exits): MCP traffic that is no request gets 503. */
  let closed = false
  const mcp = async (req: Request, table: McpSessions = sessions, toolset?: string): Promise<Response> => {
    let body: unknown
    if (!MCP_METHODS.has(req.method)) return notAllowed(req) // HEAD: hono routes it as GET
    if (req.method !== "POST" && modernNonPost(req.headers)) {
      return json({ jsonrpc: "2.0", id: null, error: { code: -32000, message: `Method not allowed: protocol revision 2026-07-28 has no ${req.method} on the MCP endpoint (POST only)` } }, 405, { Allow: "POST" })
    }
    if (req.method === "POST") {
      const read = await readMessage(req)
      if (read instanceof Response) return read
      body = read.body
      if (Array.isArray(body) && modernBatch(body, req.headers)) return jsonRpcError(400, -32600, MODERN_BATCH_ERROR)
      const m = modernRequest(body, req.headers)
      // an initialize under a 2026-07-28 header: the header and the body speak different eras (no session opened)
      const clash = m ? undefined : initializeEraClash(body, req.headers)
      if (clash) return jsonRpcError(400, clash.code, clash.message, answerableId(body) ?? null, clash.data)
      // notifications and answers go on (a client's cancellation during the grace still counts)
      if (stopping) {
        const late = lateAnswers(body, m !== undefined, stopping)
        if (late) return late
      }
      if (closed) return stoppedEndpoint(stopping)
      if (m) return modernFor(toolset).handle(req, m)
      if (modernNotification(body, req.headers)) return new Response(null, { status: 202 })
    }
    // a GET stream or a DELETE once the sessions are gone: no session to serve it
    if (closed) return stoppedEndpoint(stopping)
    // every request that got here passed the bearer check: its owner is the configured token's
    return table.handle(req, body, guard.owner)
  }
  /**
   * The 2024-11-05 HTTP+SSE transport beside Streamable HTTP: `GET <base>/sse` opens a legacy session
   * whose stream carries every answer, `POST <base>/messages?sessionId=…` its messages (202). The same
   * sessions table, checks and limits as /mcp (`base`: "" or `/mcp/t/<toolset>`).
   */
  const legacySse = async (req: Request, leg: SseLeg, table: McpSessions, base: string): Promise<Response> => {
    if (leg === "sse") {
      if (req.method !== "GET") return refused(req, json({ jsonrpc: "2.0", id: null, error: { code: -32000, message: `Method not allowed: ${req.method}; ${base}/sse takes GET (it opens an HTTP+SSE session's event stream; its messages are POSTed to ${base}/messages)` } }, 405, { Allow: "GET" }))
      if (stopping || closed) return stoppedEndpoint(stopping)
      return table.openSse(req, guard.owner, `${base}/messages`)
    }
    if (req.method !== "POST") return refused(req, json({ jsonrpc: "2.0", id: null, error: { code: -32000, message: `Method not allowed: ${req.method}; ${base}/messages takes POST (an HTTP+SSE session's messages; GET ${base}/sse opens the session)` } }, 405, { Allow: "POST" }))
    const read = await readMessage(req)
    if (read instanceof Response) return read
    // a request's answer would go on a stream about to end: refused now, the client hears it at once;
    // notifications and answers go on (a client's cancellation during the grace still counts)
    const m = read.body as { id?: unknown; method?: unknown }
    if (closed || (stopping && m.method !== undefined && m.id !== undefined && m.id !== null)) return stoppedEndpoint(stopping)
    return table.postSse(sessionIdOf(req.url), read.body, guard.owner, `${base}/sse`)
  }
  // a toolset's surface: /mcp/t/<name> (serve --toolset for HTTP clients)
  const toolsetMcp = (req: Request, name: string, leg?: SseLeg): Promise<Response> | Response => {
    // a session opened before a reload removed its toolset goes on (with its last definition)
    const sid = leg === "messages" ? sessionIdOf(req.url) : req.headers.get("mcp-session-id")
    const ongoing = sid !== null && toolsetSessions.get(name)?.has(sid) === true
    if (!knownToolsets().includes(name) && !ongoing) {
      return json({ error: "not_found", message: deps.unknownToolset?.(clipped(name)) ?? `unknown toolset ${shown(name)}` }, 404)
    }
    let table = toolsetSessions.get(name)
    if (!table) toolsetSessions.set(name, (table = sessionsFor(name)))
    return leg ? legacySse(req, leg, table, `/mcp/t/${name}`) : mcp(req, table, name)
  }
  for (const method of ["post", "get", "delete"] as const) {
    app[method]("/mcp", (c) => mcp(c.req.raw))
    app[method]("/mcp/t/:toolset", (c) => toolsetMcp(c.req.raw, c.req.param("toolset") ?? ""))
  }
  // any other method on the MCP paths (after the ones above: hono matches in order)
  app.all("/mcp", (c) => notAllowed(c.req.raw))
  app.all("/mcp/t/:toolset", (c) => notAllowed(c.req.raw))

  app.get("/healthz", (c) => {
    const h: Health = { status: "ok", name: NAME, version: VERSION, uptimeSeconds: Math.round((performance.now() - startedAt) / 100) / 10 }
    return c.json(h)
  })

  app.get("/readyz", async (c) => {
    let r: Readiness
    try {
      r = deps.readiness ? await deps.readiness() : readinessFromStatus(await deps.status(), { stopping: deps.stopping?.() ?? false })
    } catch (e) {
      r = { ready: false, checks: [{ name: "status", ok: false, detail: errorMessage(e) }], servers: {} }
    }
    return c.json(redactValues(r), r.ready ? 200 : 503)
  })

  app.get("/metrics", async (c) => {
    const text = await deps.metrics.render()
    return c.body(text, 200, { "Content-Type": deps.metrics.contentType })
  })

  app.get("/openapi.json", (c) => {
    openapi ??= buildOpenApi(deps.tools, { auth: deps.token !== undefined })
    return c.json(openapi)
  })
  app.get("/docs", swaggerUI({ url: "/openapi.json", title: `${NAME} API` }))

  app.notFound((c) => {
    // an OAuth client (mcp-remote, an SDK client given no token) looks for these after our 401: what it shows its user is this
    if (OAUTH_PATHS.test(c.req.path)) return json({ error: "not_found", message: NO_OAUTH }, 404)
    return json({ error: "not_found", message: `No route ${clipped(c.req.method)} ${clipped(c.req.path)}. Routes: ${ROUTES}` }, 404)
  })

  app.onError((e, c) => {
    log.error("http handler failed", { path: c.req.path, error: errorMessage(e) })
    return c.json({ error: "internal", message: "internal error; see the orchestrator log" }, 500)
  })

  /**
   * The MCP endpoint's own front, before hono: a plain `/mcp` or `/mcp/t/<name>` request with one of
   * its methods runs the same guards and handler without hono's routing, context and middleware
   * chain (per-call cost); anything else (other routes, odd paths) goes to hono as before.
   */
  const viaHono = app.fetch
  const front = (req: Request, ...rest: unknown[]): Response | Promise<Response> => {
    // no Host header (HTTP/1.0 may send none): Bun hands on a URL with no host ("/mcp"), which
    // neither the Host check nor hono's router can read (a 500 and an error line per request)
    if (req.url.charCodeAt(0) === SLASH) return refused(req, forbidden(HOST_MISSING))
    const path = pathOf(req.url)
    const route = mcpRoute(path) ?? sseRoute(path)
    if (route === undefined) return (viaHono as (r: Request, ...x: unknown[]) => Response | Promise<Response>)(req, ...rest)
    const origin = req.headers.get("origin")
    const problem = guard.problem(hostOf(req), origin, req.headers)
    if (problem) return refused(req, forbidden(problem))
    // a browser's request (the origin passed the check): answered with CORS headers (cors.ts)
    if (origin !== null) {
      if (isPreflight(req)) return preflight(req)
      const res = served(req, route)
      return res instanceof Promise ? res.then((r) => withCors(r, origin)) : withCors(res, origin)
    }
    return served(req, route)
  }
  const served = (req: Request, route: string | SseRoute): Response | Promise<Response> => {
    if (!MCP_METHODS.has(req.method)) return notAllowed(req)
    const authorization = req.headers.get("authorization")
    if (!guard.authorized(authorization)) return refused(req, unauthorized(authorization))
    try {
      const res = typeof route !== "string" ? (route.toolset === "" ? legacySse(req, route.leg, sessions, "") : toolsetMcp(req, route.toolset, route.leg)) : route === "" ? mcp(req) : toolsetMcp(req, route)
      return res instanceof Promise ? res.catch((e: unknown) => failed(req, e)) : res
    } catch (e) {
      return failed(req, e)
    }
  }
  const failed = (req: Request, e: unknown): Response => {
    log.error("http handler failed", { path: pathOf(req.url), error: errorMessage(e) })
    return json({ error: "internal", message: "internal error; see the orchestrator log" }, 500)
  }
  app.fetch = front as typeof app.fetch

  const tables = (): McpSessions[] => [sessions, ...toolsetSessions.values()]
  return Object.assign(app, {
    sessions,
    refuse(stop: StopError) {
      stopping = stop
    },
    inFlight: () => tables().reduce((n, t) => n + t.inFlight, 0) + [...modern.values()].reduce((n, m) => n + m.inFlight, 0),
    endInFlight(stop: StopError) {
      stopping ??= stop
      for (const t of tables()) t.endInFlight(stop)
      for (const m of modern.values()) m.endInFlight(stop)
    },
    [Symbol.asyncDispose]: async () => {
      closed = true
      for (const m of modern.values()) m.close()
      modern.clear()
      await Promise.all([sessions, ...toolsetSessions.values()].map((s) => s[Symbol.asyncDispose]()))
    },
  }) as HttpApp
}

/**
 * The answer to a POST that arrived after shutdown began, when it carries requests: each is answered
 * with the shutdown's error (a tools/call with a tool error result, in its era's shape; anything else
 * a JSON-RPC error), nothing is served, and the connection is closed after it. Undefined when the
 * body holds no request (notifications, answers to ours: handled as usual).
 */
function lateAnswers(body: unknown, modern: boolean, stop: StopError): Response | undefined {
  const items = (Array.isArray(body) ? body : [body]) as RpcMessage[]
  const answers: string[] = []
  for (const m of items) {
    if (typeof m.method !== "string" || m.id === undefined || m.id === null) continue
    const tool = m.method === "tools/call"
    const err = stop(true, tool)
    const idJson = JSON.stringify(m.id)
    answers.push(tool ? (modern ? modernResultAnswer(idJson, toolErrorResult(err)) : resultAnswer(idJson, toolErrorResult(err))) : JSON.stringify(errorAnswer(m.id, err)))
  }
  if (answers.length === 0) return undefined
  return new Response(Array.isArray(body) ? `[${answers.join(",")}]` : answers[0]!, { status: 200, headers: { "content-type": "application/json", connection: "close" } })
}

/**
 * 503 for MCP traffic that holds no request to answer (a GET stream, a DELETE, notifications) once
 * the sessions were closed at shutdown: a JSON-RPC error (id null) with the shutdown's message, and
 * the connection is closed after it (no keep-alive connection is reused as the process ends).
 */
function stoppedEndpoint(stop: StopError | undefined): Response {
  const err = toRpcError(stop ? stop(true, false) : new Error("the MCP endpoint is closed: the orchestrator is stopping"))
  const res = jsonRpcError(503, err.code, err.message)
  res.headers.set("connection", "close")
  return res
}

/** A JSON response as hono's `c.json` writes it. */
/** A JSON answer of the face itself (errors, refusals): redacted, as it may quote the request (a path, a toolset name). */
function json(value: unknown, status = 200, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(redactValues(value)), { status, headers: headers ? { "content-type": "application/json", ...headers } : JSON_HEADERS })
}

const JSON_HEADERS = { "content-type": "application/json" } as const

function forbidden(message: string): Response {
  return json({ error: "forbidden", message }, 403)
}

/** The routes, as a 404 names them. */
const ROUTES = "POST/GET/DELETE /mcp and /mcp/t/<toolset> (MCP Streamable HTTP), GET /sse and POST /messages (and under /mcp/t/<toolset>: the 2024-11-05 HTTP+SSE transport), GET /healthz, /readyz, /metrics, /openapi.json, /docs"

/** Where an OAuth client looks for metadata, or registers, after a 401 (RFC 9728, RFC 8414, OIDC, the MCP spec's fallback paths). */
const OAUTH_PATHS = /^\/(?:\.well-known\/(?:oauth-protected-resource|oauth-authorization-server|openid-configuration)(?:\/.*)?|register|authorize|token)\/?$/

const NO_OAUTH =
  "mcp-orchestrator's HTTP endpoint has no OAuth: /mcp takes a fixed bearer token. Send the header Authorization: Bearer <token> (http.token or MCPO_HTTP_TOKEN; a generated one is printed once on stderr at start), e.g. mcp-remote URL --header \"Authorization: Bearer <token>\", or \"headers\" in an editor's server entry"

const MODERN_BATCH_ERROR = `Invalid Request: ${MODERN_BATCH}; send each request in its own POST (JSON-RPC batches belong to MCP 2025-03-26 and are served only in a legacy session)`

/** 413 for a body over http.bodyLimit, as a JSON-RPC error; the connection is closed (the rest of the body is not read). */
function bodyTooLarge(limit: number): Response {
  const message = `Request body over ${limit} bytes (http.bodyLimit, MCPO_HTTP_BODY_LIMIT): raise the limit or send a smaller request`
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code: -32600, message }, id: null }), { status: 413, headers: { "content-type": "application/json", connection: "close" } })
}

/** 408 for a body not received whole within the deadline, as a JSON-RPC error; the connection is closed (the rest is not read). */
function bodyTimedOut(ms: number): Response {
  const message = `Request Timeout: the request body was not received whole within ${ms / 1000} s of its headers (a client that sends it slowly, or declares a Content-Length it does not send); send the whole body at once`
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }), { status: 408, headers: { "content-type": "application/json", connection: "close" } })
}

/**
 * A POST to the MCP endpoint must carry JSON (`Content-Type: application/json`, parameters such as
 * a charset allowed: 415 otherwise, as the SDK's transports answer; a charset no decoder knows is 415
 * too, one it knows is how the body is read: charset.ts) and accept an answer it can read:
 * an `Accept` header that names neither JSON nor an event stream (nor a wildcard for them) is 406.
 * No Accept at all is read as "anything" (older and hand-written clients send none). A body in a
 * `Content-Encoding` that is not decoded (content-coding.ts) is 415 with `Accept-Encoding`.
 */
function mediaProblem(headers: Headers): Response | undefined {
  const type = headers.get("content-type")
  if (type !== "application/json" && type?.split(";")[0]!.trim().toLowerCase() !== "application/json") {
    const got = type === null ? "none" : JSON.stringify(type.length > 100 ? `${type.slice(0, 100)}…` : type)
    return jsonRpcError(415, -32000, `Unsupported Media Type: a POST to the MCP endpoint carries JSON-RPC with Content-Type: application/json (got ${got})`)
  }
  const charset = charsetOf(type)
  if (typeof charset === "object") {
    return jsonRpcError(415, -32000, `Unsupported Media Type: Content-Type charset ${JSON.stringify(charset.unsupported)} is not one this endpoint decodes; send the body in UTF-8 (application/json; charset=utf-8)`)
  }
  const coding = codingOf(headers)
  if ("unsupported" in coding) {
    const res = jsonRpcError(415, -32000, `Unsupported Media Type: Content-Encoding ${JSON.stringify(coding.unsupported)} is not decoded here; send the body uncompressed or with Content-Encoding ${ACCEPTED_CODINGS.replace(", ", " or ")}`)
    res.headers.set("accept-encoding", ACCEPTED_CODINGS)
    return res
  }
  const accept = headers.get("accept")
  const takes = acceptOf(accept)
  if (takes.json || takes.sse || accept === null) return undefined // null: acceptOf takes it as both
  const got = JSON.stringify(accept.length > 100 ? `${accept.slice(0, 100)}…` : accept)
  return jsonRpcError(406, -32000, `Not Acceptable: the answer is application/json or text/event-stream, and Accept ${got} takes neither; send Accept: application/json, text/event-stream`)
}

/** 405 for a method the MCP endpoint does not take. */
function notAllowed(req: Request): Response {
  const message = `Method not allowed: ${req.method}; the MCP endpoint takes POST (requests), GET (a session's stream) and DELETE (end a session)`
  return refused(req, json({ jsonrpc: "2.0", id: null, error: { code: -32000, message } }, 405, { Allow: "GET, POST, DELETE" }))
}

/** A request that carries a body (declared, chunked, or built in process with one). Not for the per-call path: `req.body` may build a stream. */
function hasBody(req: Request): boolean {
  const n = req.headers.get("content-length")
  if (n !== null) return n !== "0"
  return req.headers.has("transfer-encoding") || req.body !== null
}

/**
 * A refusal answered without reading the request's body: the connection is closed after it, so
 * Bun does not read (and drop) a body of any size for nothing.
 */
function refused(req: Request, res: Response): Response {
  if (hasBody(req)) res.headers.set("connection", "close")
  return res
}

/** 401 saying what the Authorization header lacked (http/unauthorized). */
function unauthorized(header: string | null): Response {
  const why = authFailure(header)
  return json({ error: "unauthorized", message: authMessage(why) }, 401, { "WWW-Authenticate": authChallenge(why) })
}

/** Bun always passes the Host header; in-process requests (tests) carry it in the URL only. */
function hostOf(req: Request): string | undefined {
  return req.headers.get("host") ?? new URL(req.url).host
}

/** The path of a request URL (`http://host:port/path?query`), without parsing the whole URL. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2)
  if (start < 0) return "/"
  const q = url.indexOf("?", start)
  return q < 0 ? url.slice(start) : url.slice(start, q)
}

const MCP_METHODS = new Set(["POST", "GET", "DELETE"])
const SLASH = 47
/** A toolset name as it appears in a path served by the front (anything else, e.g. %-escaped, goes through hono). */
const PLAIN_SEGMENT = /^[A-Za-z0-9._~-]+$/

/** "" for `/mcp`, the toolset for `/mcp/t/<name>` (either with a trailing slash), undefined for any other path (hono serves it). */
function mcpRoute(path: string): string | undefined {
  if (path === "/mcp" || path === "/mcp/") return ""
  if (!path.startsWith("/mcp/t/")) return undefined
  const name = path.endsWith("/") ? path.slice(7, -1) : path.slice(7)
  return PLAIN_SEGMENT.test(name) ? name : undefined
}

/** The two paths of the 2024-11-05 HTTP+SSE transport: the session's stream, and where its messages are POSTed. */
type SseLeg = "sse" | "messages"
interface SseRoute {
  /** "" at the root (`/sse`, `/messages`), else the toolset of `/mcp/t/<toolset>/sse`. */
  toolset: string
  leg: SseLeg
}

/** `/sse`, `/messages`, `/mcp/t/<name>/sse`, `/mcp/t/<name>/messages` (a trailing slash allowed), else undefined. */
function sseRoute(path: string): SseRoute | undefined {
  const p = path.endsWith("/") ? path.slice(0, -1) : path
  const slash = p.lastIndexOf("/")
  const last = p.slice(slash + 1)
  if (last !== "sse" && last !== "messages") return undefined
  if (slash === 0) return { toolset: "", leg: last }
  const base = p.slice(0, slash)
  if (!base.startsWith("/mcp/t/")) return undefined
  const name = base.slice(7)
  return PLAIN_SEGMENT.test(name) ? { toolset: name, leg: last } : undefined
}

/** The `sessionId` query parameter of a request URL (HTTP+SSE transport), or null. */
function sessionIdOf(url: string): string | null {
  const q = url.indexOf("?")
  return q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get("sessionId")
}
