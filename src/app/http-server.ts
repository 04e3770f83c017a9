/**
 * @module app/http-server
 * Serves the hono app (`createHttpApp`) with `Bun.serve` on `http.listen`: loopback by default,
 * bearer token from config/env or generated (printed to stderr once, registered for redaction),
 * SSE streams kept open by keep-alive comments sent more often than Bun's idle timeout (F17); the
 * body limit is the app's own (Bun's cap is lifted so its empty 413 never answers first).
 * Returns an async-disposable handle. At shutdown the app is disposed first (the sessions' streams
 * end) while the server goes on listening, so that a request that comes while the downstreams close
 * gets SHUTTING_DOWN rather than a refused connection; disposing the handle, last, gives the requests
 * of connections already made (a request written as the signal came) a pass of the event loop to be
 * read and answered, then stops listening,
 * lets the answers already written go out (at most `CLOSE_GRACE_MS`) and closes every connection,
 * idle keep-alive ones included.
 */
import type { Config } from "../config/index.ts"
import { exitTimeLeft, registerSecret, writeStderr, type Logger } from "../core/index.ts"
import { createHttpApp, generateToken, parseListen, type ClientLimit, type HttpApp, type Metrics } from "../http/index.ts"
import type { McpFace, Status, ToolDef } from "../mcp/index.ts"
import { FINAL_MS } from "./shutdown.ts"

export interface HttpServerDeps {
  config: Config["http"]
  createFace(toolset?: string): McpFace
  /** Toolsets served on /mcp/t/<name>. */
  toolsets?: readonly string[] | (() => readonly string[])
  unknownToolset?(name: string): string
  status(): Promise<Status>
  stopping(): boolean
  metrics: Metrics
  tools: readonly ToolDef[]
  log: Logger
  /** Where the one-time token line goes (default: stderr). */
  announce?: (line: string) => void
  /** Bun idle timeout (s) and SSE keep-alive interval (ms); defaults 60 s / 15 s. Tests shrink both. */
  idleTimeoutSec?: number
  keepAliveMs?: number
  /** `proxy.maxMessageBytes` and the server of each request: no message over it is written to a client. */
  limit?: ClientLimit
}

export interface HttpServer extends AsyncDisposable {
  /** "host:port" actually bound (port resolved when 0 was asked). */
  readonly address: string
  readonly url: string
  readonly app: HttpApp
  /** Resolves once no request is being answered (every response written out); polls, never rejects. */
  drained(): Promise<void>
}

/**
 * At disposal, before the listener closes: the event loop gets this long, again while requests keep
 * coming (`SETTLE_MAX_MS` in all), to read the requests of connections already made. A request
 * written as the signal came (its connection accepted, or still in the listen backlog, its bytes
 * not read yet) was otherwise closed with the listener when the shutdown had nothing to wait for:
 * the client saw ECONNRESET instead of SHUTTING_DOWN.
 */
export const SETTLE_MS = 50
export const SETTLE_MAX_MS = 500

/** At disposal, how long answers already written (the shutdown's errors, a stream's last event) get to reach their clients before every connection is closed. */
export const CLOSE_GRACE_MS = 100

export function startHttpServer(deps: HttpServerDeps): HttpServer {
  const cfg = deps.config
  const listen = parseListen(cfg.listen ?? "", { allowNonLoopback: cfg.allowNonLoopback })
  let token: string | undefined
  if (cfg.allowUnauthenticated) {
    if (!listen.loopback) throw new Error("http.allowUnauthenticated is only accepted on a loopback address")
    deps.log.warn("HTTP authentication is DISABLED (http.allowUnauthenticated: test-only setting)")
  } else {
    token = cfg.token ?? generateToken()
    registerSecret(token)
  }
  const idleTimeoutSec = deps.idleTimeoutSec ?? 60
  // Per-request `server.timeout(req, 0)` would also do, but in Bun 1.4 it breaks reuse of that
  // keep-alive connection (next request: ECONNRESET); keep-alive comments have no such cost.
  const keepAliveMs = Math.min(deps.keepAliveMs ?? 15_000, (idleTimeoutSec * 1000) / 2)
  const app = createHttpApp({
    createFace: deps.createFace,
    ...(deps.toolsets ? { toolsets: deps.toolsets } : {}),
    ...(deps.unknownToolset ? { unknownToolset: deps.unknownToolset } : {}),
    status: deps.status,
    stopping: deps.stopping,
    metrics: deps.metrics,
    tools: deps.tools,
    token,
    allowedHosts: cfg.allowedHosts,
    allowedOrigins: cfg.allowedOrigins,
    bodyLimit: cfg.bodyLimit,
    sessionIdleTtlMs: cfg.sessionIdleTimeout,
    keepAliveMs,
    ...(deps.limit !== undefined ? { limit: deps.limit } : {}),
    log: deps.log,
  })
  /** Requests received so far (the disposal waits until a pass of the event loop brings none). */
  let arrivals = 0
  let server: ReturnType<typeof Bun.serve>
  try {
    server = listenOn()
  } catch (e) {
    // the address cannot be opened: the app made for it is let go (it may be tried again: app/listen-busy)
    void Promise.resolve(app[Symbol.asyncDispose]()).catch(() => {})
    throw e
  }
  function listenOn(): ReturnType<typeof Bun.serve> {
    return Bun.serve({
      hostname: listen.host,
      port: listen.port,
      idleTimeout: idleTimeoutSec,
      // http.bodyLimit is the app's (declared length, then bytes counted while reading: a JSON-RPC 413
      // naming the key, and the connection closed). Bun's own cap would answer first with an empty
      // 413, so it is out of the way: the app reads no body past the limit, on any route.
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      fetch: (req) => {
        arrivals++
        return app.fetch(req)
      },
    })
  }
  const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host
  const address = `${host}:${server.port}`
  const url = `http://${address}/mcp`
  deps.log.info("serving Streamable HTTP", { url, auth: token ? "bearer" : "none" })
  if (token && !cfg.token) {
    const line = `mcp-orchestrator: HTTP endpoint ${url} — bearer token (generated for this run; set http.token or MCPO_HTTP_TOKEN to fix it): ${token}\n`
    ;(deps.announce ?? writeStderr)(line)
  }
  return {
    address,
    url,
    app,
    async drained() {
      while (server.pendingRequests > 0) await Bun.sleep(5)
    },
    async [Symbol.asyncDispose]() {
      // sessions closed: their GET streams end, a modern listen gets its last answer
      await app[Symbol.asyncDispose]()
      // requests on connections already made are read and answered (SHUTTING_DOWN) before the listener
      // closes, within what is left of the shutdown's budget (the close grace and the exit after it
      // kept): a request whose body never ends (a slow upload) or an answer not read kept the settle
      // its whole SETTLE_MAX_MS after a drain and the downstreams' graces had spent the rest, and
      // the shutdown overran its budget ("exiting now")
      const room = exitTimeLeft() - FINAL_MS - CLOSE_GRACE_MS - SETTLE_MS
      const until = performance.now() + Math.max(0, Math.min(SETTLE_MAX_MS, room))
      for (let seen = -1; (seen !== arrivals || server.pendingRequests > 0) && performance.now() < until; ) {
        seen = arrivals
        await Bun.sleep(SETTLE_MS)
      }
      // no new connection; idle keep-alive ones are closed at once, the others once their response
      // is written out (bounded: a stream that never ends cannot hold the exit)
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([server.stop(false), new Promise<void>((r) => (timer = setTimeout(r, CLOSE_GRACE_MS)))])
      clearTimeout(timer)
      await server.stop(true)
    },
  }
}
