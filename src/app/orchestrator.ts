/**
 * @module app/orchestrator
 * Composition root: builds the object graph from the loaded config (logger, cache, plugins, Toolkit
 * driver, pool + proxy, own tools) and owns its disposal order (an AsyncDisposableStack: last built,
 * first disposed). One orchestrator serves any number of client connections (stdio and HTTP).
 * Nothing here may delay `initialize`: slow work (Toolkit probe, plugin load, warm servers) runs in
 * `start()`, in the background.
 */
import { createCache, type TtlCache } from "../cache/index.ts"
import type { LoadedConfig } from "../config/index.ts"
import { createToolkitDriver, type ToolkitDriver } from "../docker/index.ts"
import { createLogger, errorMessage, NAME, VERSION, type LogHub, type Logger } from "../core/index.ts"
import { createMcpFace, statusTool, toolkitTools, type McpFace, type PromptSource, type Status, type ToolDef } from "../mcp/index.ts"
import type { Upstream } from "../proxy/index.ts"
import { Metrics } from "../http/index.ts"
import { cachedToolkit } from "./cached-toolkit.ts"
import { confirmViaElicitation } from "./confirm.ts"

export interface Orchestrator extends AsyncDisposable {
  readonly loaded: LoadedConfig
  readonly log: Logger
  readonly logHub: LogHub
  readonly upstream?: Upstream
  readonly cache?: TtlCache
  readonly toolkit?: ToolkitDriver
  /** A new MCP server face for one client connection. */
  createFace(): McpFace
  status(): Promise<Status>
  /** Background work that must never delay `initialize`: warm servers, Toolkit probe. */
  start(): void
  /** Set when serving HTTP, for status output. */
  httpAddress?: string
  /** Prometheus metrics (served on /metrics); subsystems report through its observe methods. */
  readonly metrics: Metrics
}

export interface OrchestratorOptions {
  logHub: LogHub
}

export async function createOrchestrator(loaded: LoadedConfig, opts: OrchestratorOptions): Promise<Orchestrator> {
  const { config } = loaded
  const logHub = opts.logHub
  const log = createLogger(logHub, "app")
  const stack = new AsyncDisposableStack()
  const startedAt = performance.now()

  // Cache: memory over file; preload the last known values from disk right away (not awaited).
  const cache = stack.use(createCache(config.cache, { log: createLogger(logHub, "cache") }))
  const preloaded = cache.preload().catch((e) => log.warn("cache preload failed", { error: errorMessage(e) }))

  // Docker MCP Toolkit: driver (reads through the cache) and the management tools.
  let toolkit: ToolkitDriver | undefined
  let toolkitState: Record<string, unknown> | null = null
  if (config.toolkit.enabled !== "off") {
    const driver = createToolkitDriver({
      docker: config.toolkit.docker,
      timeoutMs: config.toolkit.timeout,
      ...(config.toolkit.profile ? { profile: config.toolkit.profile } : {}),
      log: createLogger(logHub, "toolkit"),
    })
    toolkit = cachedToolkit(driver, cache)
    toolkitState = { state: "probing" }
  }

  const upstream: Upstream | undefined = undefined
  const prompts: PromptSource | undefined = undefined
  const faces = new Set<McpFace>()
  const metrics = new Metrics()
  const onServersChanged = (): void => {
    log.info("toolkit servers changed")
  }

  const orch: Orchestrator = {
    loaded,
    log,
    logHub,
    metrics,
    cache,
    ...(upstream ? { upstream } : {}),
    ...(toolkit ? { toolkit } : {}),
    createFace() {
      const ref: { face?: McpFace } = {}
      const tools: ToolDef[] = [statusTool(() => orch.status())]
      if (toolkit) tools.push(...toolkitTools(toolkit, { onServersChanged, confirm: confirmViaElicitation(() => ref.face?.server, log) }))
      const face = createMcpFace({
        log: createLogger(logHub, "mcp"),
        logHub,
        tools,
        ...(upstream ? { upstream } : {}),
        ...(prompts ? { prompts } : {}),
        onToolCall: (e) => metrics.observeToolCall(e),
      })
      ref.face = face
      faces.add(face)
      const dispose = face.dispose
      face.dispose = () => {
        faces.delete(face)
        dispose()
      }
      return face
    },
    async status(): Promise<Status> {
      const up = upstream as Upstream | undefined
      const st = up?.status()
      return {
        name: NAME,
        version: VERSION,
        uptimeSeconds: Math.round((performance.now() - startedAt) / 100) / 10,
        pid: process.pid,
        config: {
          file: loaded.file?.path ?? null,
          logLevel: config.log.level,
          servers: Object.keys(config.servers),
          warm: config.warm,
          http: orch.httpAddress ?? null,
        },
        servers: st?.servers ?? [],
        tools: { own: 1 + (toolkit ? 10 : 0), proxied: st?.tools ?? 0 },
        toolkit: toolkitState,
        cache: { ...cache.stats() } as Record<string, unknown>,
        plugins: [],
      }
    },
    start() {
      if (toolkit) {
        const t = toolkit
        void (async () => {
          await preloaded
          try {
            const s = await t.status()
            toolkitState = { state: "available", ...s }
            log.info("docker mcp toolkit detected", s)
          } catch (e) {
            toolkitState = { state: "unavailable", error: errorMessage(e) }
            log.info("docker mcp toolkit not available", { error: errorMessage(e) })
          }
        })()
      }
    },
    async [Symbol.asyncDispose]() {
      for (const f of faces) f.dispose()
      faces.clear()
      await stack.disposeAsync()
    },
  }
  return orch
}
