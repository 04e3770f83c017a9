/**
 * @module app/serve
 * Runs the orchestrator: MCP over stdio (the default, how Cursor starts it) and/or Streamable HTTP.
 * Shuts down gracefully on stdin EOF (stdio mode), SIGINT and SIGTERM, within 5 s.
 */
import type { LoadedConfig } from "../config/index.ts"
import { errorMessage, type LogHub } from "../core/index.ts"
import { FastLaneTransport, LineStdioServerTransport } from "../mcp/index.ts"
import type { HttpServer } from "./http-server.ts"
import { createOrchestrator } from "./orchestrator.ts"

export interface ServeOptions {
  stdio: boolean
  logHub: LogHub
}

const SHUTDOWN_BUDGET_MS = 4500

/** Resolves with the process exit code once the orchestrator has stopped. */
export async function serve(loaded: LoadedConfig, opts: ServeOptions): Promise<number> {
  const orch = await createOrchestrator(loaded, { logHub: opts.logHub })
  const log = orch.log
  let resolveDone!: (code: number) => void
  const done = new Promise<number>((r) => (resolveDone = r))
  let stopping = false
  let http: HttpServer | undefined

  const shutdown = async (why: string, code = 0): Promise<void> => {
    if (stopping) return
    stopping = true
    log.info("shutting down", { reason: why })
    const timer = setTimeout(() => {
      log.warn("shutdown budget exceeded; exiting", { budgetMs: SHUTDOWN_BUDGET_MS })
      resolveDone(code)
    }, SHUTDOWN_BUDGET_MS)
    try {
      await http?.[Symbol.asyncDispose]()
      await orch[Symbol.asyncDispose]()
    } catch (e) {
      log.error("error during shutdown", { error: errorMessage(e) })
    }
    clearTimeout(timer)
    resolveDone(code)
  }

  const onSignal = (sig: NodeJS.Signals) => void shutdown(sig)
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  process.on("SIGHUP", onSignal)

  if (opts.stdio) {
    const face = orch.createFace()
    const transport = new FastLaneTransport(new LineStdioServerTransport(), face, log)
    transport.onclose = () => void shutdown("stdin closed")
    await face.server.connect(transport)
    // The SDK Server overwrites onclose during connect; chain ours after it.
    const sdkOnClose = transport.onclose
    transport.onclose = () => {
      sdkOnClose?.()
      void shutdown("stdin closed")
    }
  }
  if (loaded.config.http.listen) {
    try {
      // HTTP, hono and prom-client are loaded only when HTTP is served (keeps stdio cold start lean).
      const [{ startHttpServer }, { Metrics }, { documentedTools }] = await Promise.all([import("./http-server.ts"), import("../http/index.ts"), import("./tool-catalog.ts")])
      const metrics = new Metrics()
      metrics.setSources({ status: () => orch.status(), cache: () => orch.cache.stats() })
      orch.metrics = metrics
      http = startHttpServer({
        config: loaded.config.http,
        createFace: () => orch.createFace(),
        status: () => orch.status(),
        stopping: () => stopping,
        metrics,
        tools: documentedTools(),
        log: log.child("http"),
      })
      orch.httpAddress = http.address
    } catch (e) {
      const remedy = (e as { remedy?: unknown }).remedy
      log.error("cannot serve HTTP", { listen: loaded.config.http.listen, error: errorMessage(e), ...(remedy ? { remedy } : {}) })
      await shutdown("http failed", 1)
      process.off("SIGINT", onSignal)
      process.off("SIGTERM", onSignal)
      process.off("SIGHUP", onSignal)
      return await done
    }
  }
  log.info("ready", { startupMs: Math.round(performance.now() * 10) / 10, modulesMs: (globalThis as { __mcpoModulesMs?: number }).__mcpoModulesMs, stdio: opts.stdio, servers: Object.keys(loaded.config.servers).length, config: loaded.file?.path ?? null })
  orch.start()
  if (!opts.stdio) log.info("no stdio: waiting for a signal to stop")
  const code = await done
  process.off("SIGINT", onSignal)
  process.off("SIGTERM", onSignal)
  process.off("SIGHUP", onSignal)
  return code
}
