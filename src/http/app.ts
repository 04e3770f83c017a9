/**
 * @module http/app
 * `createHttpApp(deps)`: the hono app behind `serve --http` — MCP Streamable HTTP on /mcp (bearer
 * token; both protocol eras: legacy requests in sessions, 2026-07-28 requests stateless), /healthz,
 * /readyz, /metrics, /openapi.json and Swagger UI on /docs. Host and Origin are checked on every
 * route; no CORS headers; no route runs anything a request names.
 */
import { swaggerUI } from "@hono/swagger-ui"
import { Hono, type Context } from "hono"
import { errorMessage, NAME, redactValues, VERSION, type Logger } from "../core/index.ts"
import type { McpFace, Status, ToolDef } from "../mcp/index.ts"
import { BodyTooLarge, readBodyLimited } from "./body.ts"
import type { ResumeLimits } from "./resume.ts"
import { modernNonPost, modernNotification, modernRequest } from "./era.ts"
import { invalidRequest } from "./jsonrpc-shape.ts"
import { readinessFromStatus, type Health, type Readiness } from "./health.ts"
import type { Metrics } from "./metrics.ts"
import { ModernEndpoint } from "./modern.ts"
import { buildOpenApi } from "./openapi.ts"
import { bearerMatches, hostAllowed, originAllowed, tokenFingerprint } from "./security.ts"
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
  /** Open legacy sessions per path before `initialize` gets 503 (default 256). */
  maxSessions?: number
  /** SSE keep-alive comment interval (ms, SDK default 15 s); must stay below the server's idle timeout. */
  keepAliveMs?: number
  /** Legacy sessions' resumable streams: retry interval, grace after a drop, buffer caps (resume.ts defaults). */
  resume?: Partial<ResumeLimits>
  log: Logger
}

export type HttpApp = Hono & AsyncDisposable & { readonly sessions: McpSessions }

const startedAt = performance.now()

export function createHttpApp(deps: HttpAppDeps): HttpApp {
  const app = new Hono()
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
    })
  const sessions = sessionsFor()
  // the 2026-07-28 era: one stateless endpoint (one face) per path, made on its first modern request
  const modern = new Map<string, ModernEndpoint>()
  const modernFor = (toolset?: string): ModernEndpoint => {
    let m = modern.get(toolset ?? "")
    if (!m) modern.set(toolset ?? "", (m = new ModernEndpoint(deps.createFace(toolset), { log, keepAliveMs: deps.keepAliveMs ?? 15_000 })))
    return m
  }
  // one session table per toolset: a session id of one toolset is unknown (404) on another's path
  const toolsetSessions = new Map<string, McpSessions>()
  const knownToolsets = (): readonly string[] => (typeof deps.toolsets === "function" ? deps.toolsets() : (deps.toolsets ?? []))
  deps.metrics.setSources({ status: deps.status, httpSessions: () => sessions.size + [...toolsetSessions.values()].reduce((n, s) => n + s.size, 0) })
  let openapi: Record<string, unknown> | undefined

  // DNS-rebinding / CSRF guard on every route.
  app.use("*", async (c, next) => {
    // Bun always passes the Host header; in-process requests (tests) carry it in the URL only.
    const host = c.req.header("host") ?? new URL(c.req.url).host
    const origin = c.req.header("origin")
    if (!hostAllowed(host, allowedHosts)) return forbidden(c, "Host header not allowed")
    if (!originAllowed(origin, allowedOrigins)) return forbidden(c, "Origin not allowed")
    await next()
  })

  // "/mcp/*" matches /mcp itself too: one check for /mcp and /mcp/t/<toolset>
  app.use("/mcp/*", async (c, next) => {
    if (deps.token !== undefined && !bearerMatches(c.req.header("authorization"), deps.token)) {
      return c.json({ error: "unauthorized", message: "Authorization: Bearer <token> required (http.token or MCPO_HTTP_TOKEN)" }, 401, {
        "WWW-Authenticate": 'Bearer realm="mcp-orchestrator"',
      })
    }
    await next()
  })

  const mcp = async (c: Context, table: McpSessions = sessions, toolset?: string): Promise<Response> => {
    const req = c.req.raw
    let body: unknown
    if (req.method !== "POST" && modernNonPost(req.headers)) {
      return c.json({ jsonrpc: "2.0", id: null, error: { code: -32000, message: `Method not allowed: protocol revision 2026-07-28 has no ${req.method} on the MCP endpoint (POST only)` } }, 405, { Allow: "POST" })
    }
    if (req.method === "POST") {
      let text: string
      try {
        text = await readBodyLimited(req, deps.bodyLimit)
      } catch (e) {
        if (e instanceof BodyTooLarge) return jsonRpcError(413, -32600, `Request body over ${deps.bodyLimit} bytes (http.bodyLimit)`)
        throw e
      }
      try {
        body = JSON.parse(text)
      } catch {
        return jsonRpcError(400, -32700, "Parse error: body is not JSON")
      }
      const invalid = invalidRequest(body)
      if (invalid) return jsonRpcError(400, -32600, `Invalid Request: ${invalid}`)
      const m = modernRequest(body, req.headers)
      if (m) return modernFor(toolset).handle(req, m)
      if (modernNotification(body, req.headers)) return new Response(null, { status: 202 })
    }
    return table.handle(req, body, deps.token === undefined ? "" : tokenFingerprint(c.req.header("authorization")))
  }
  app.post("/mcp", (c) => mcp(c))
  app.get("/mcp", (c) => mcp(c))
  app.delete("/mcp", (c) => mcp(c))
  // a toolset's surface: /mcp/t/<name> (serve --toolset for HTTP clients)
  const toolsetMcp = (c: Context): Promise<Response> | Response => {
    const name = c.req.param("toolset") ?? ""
    // a session opened before a reload removed its toolset goes on (with its last definition)
    const sid = c.req.header("mcp-session-id")
    const ongoing = sid !== undefined && toolsetSessions.get(name)?.has(sid) === true
    if (!knownToolsets().includes(name) && !ongoing) {
      return c.json({ error: "not_found", message: deps.unknownToolset?.(name) ?? `unknown toolset "${name}"` }, 404)
    }
    let table = toolsetSessions.get(name)
    if (!table) toolsetSessions.set(name, (table = sessionsFor(name)))
    return mcp(c, table, name)
  }
  app.post("/mcp/t/:toolset", toolsetMcp)
  app.get("/mcp/t/:toolset", toolsetMcp)
  app.delete("/mcp/t/:toolset", toolsetMcp)

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

  app.onError((e, c) => {
    log.error("http handler failed", { path: c.req.path, error: errorMessage(e) })
    return c.json({ error: "internal", message: "internal error; see the orchestrator log" }, 500)
  })

  return Object.assign(app, {
    sessions,
    [Symbol.asyncDispose]: async () => {
      for (const m of modern.values()) m.close()
      modern.clear()
      await Promise.all([sessions, ...toolsetSessions.values()].map((s) => s[Symbol.asyncDispose]()))
    },
  }) as HttpApp
}

function forbidden(c: Context, message: string): Response {
  return c.json({ error: "forbidden", message }, 403)
}
