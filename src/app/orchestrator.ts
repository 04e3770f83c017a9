/**
 * @module app/orchestrator
 * Composition root: builds the object graph from the loaded config (logger, cache, plugins, Toolkit
 * driver, pool + proxy, own tools) and owns its disposal order (an AsyncDisposableStack: last built,
 * first disposed). One orchestrator serves any number of client connections (stdio and HTTP).
 */
import type { LoadedConfig } from "../config/index.ts"
import { createLogger, NAME, VERSION, type LogHub, type Logger } from "../core/index.ts"
import { createMcpFace, statusTool, type McpFace, type PromptSource, type Status, type ToolDef } from "../mcp/index.ts"
import type { Upstream } from "../proxy/index.ts"
import { Metrics } from "../http/index.ts"

export interface Orchestrator extends AsyncDisposable {
  readonly loaded: LoadedConfig
  readonly log: Logger
  readonly logHub: LogHub
  readonly upstream?: Upstream
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

  const upstream: Upstream | undefined = undefined
  const prompts: PromptSource | undefined = undefined
  const extraTools: ToolDef[] = []
  const faces = new Set<McpFace>()
  const metrics = new Metrics()

  const orch: Orchestrator = {
    loaded,
    log,
    logHub,
    metrics,
    ...(upstream ? { upstream } : {}),
    createFace() {
      const face = createMcpFace({
        log: createLogger(logHub, "mcp"),
        logHub,
        tools: [statusTool(() => orch.status()), ...extraTools],
        ...(upstream ? { upstream } : {}),
        ...(prompts ? { prompts } : {}),
        onToolCall: (e) => metrics.observeToolCall(e),
      })
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
        tools: { own: 1 + extraTools.length, proxied: st?.tools ?? 0 },
        toolkit: null,
        cache: null,
        plugins: [],
      }
    },
    start() {},
    async [Symbol.asyncDispose]() {
      for (const f of faces) f.dispose()
      faces.clear()
      await stack.disposeAsync()
    },
  }
  return orch
}
