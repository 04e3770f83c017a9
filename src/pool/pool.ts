/**
 * @module pool/pool
 * The set of supervised downstream sessions: add/remove sources, warm start in the background,
 * a global session cap (least recently used idle session is closed first), periodic health/idle sweep.
 */
import type { Config } from "../config/index.ts"
import type { DownstreamDef, SessionState } from "./types.ts"
import { DownstreamError, errorMessage, redactUnknownSecrets, resultBudget, systemClock, type Clock, type Logger } from "../core/index.ts"
import { FileEraStore, type EraStore } from "./era-store.ts"
import type { InitializeInfo } from "./handshake.ts"
import { isAbandoned, Session, type CallOptions, type PoolSettings } from "./session.ts"
import { stdioRequestLimit } from "./stdio-transport.ts"

/** The requests whose answer is a server's data the model reads (not definitions: list answers are redacted as such). */
const DATA_METHODS: ReadonlySet<string> = new Set(["tools/call", "tasks/result", "prompts/get", "resources/read", "completion/complete"])

export interface PoolOptions {
  config: Pick<Config, "pool">
  log: Logger
  clock?: Clock
  /** Wait after stdin EOF and after SIGTERM when closing a child (default 2000 ms). */
  closeGraceMs?: number
  /** The uptime that first proves a downstream connection healthy (pool/health; default 10 s): tests shorten it. */
  stableAfterMs?: number
  /** The longest a client's call waits for a start (default 55 s, pool/start-waits): tests shorten it. */
  clientWaitCapMs?: number
  onNotification?(server: string, method: string, params: Record<string, unknown> | undefined): void
  /** Server→client requests (sampling, elicitation, roots); when set, downstreams are told we support them. */
  onRequest?(server: string, method: string, params: Record<string, unknown> | undefined, signal: AbortSignal, owner?: unknown): Promise<unknown>
  /** What downstreams are told at `initialize` when `onRequest` is set (default RELAY_CAPABILITIES). */
  relayCapabilities?(): Readonly<Record<string, object>>
  onReady?(server: string, info: InitializeInfo): void
  onState?(server: string, state: SessionState): void
  /** Remembered protocol eras of downstreams (default: a file in the state directory). */
  eras?: EraStore
}

export class Pool {
  private readonly sessions = new Map<string, Session>()
  private readonly settings: PoolSettings
  private readonly o: PoolOptions
  private readonly clock: Clock
  private readonly eras: EraStore
  private sweeper: ReturnType<typeof setInterval> | undefined
  private disposed = false

  constructor(opts: PoolOptions) {
    this.o = opts
    this.clock = opts.clock ?? systemClock
    this.settings = { ...opts.config.pool }
    this.eras = opts.eras ?? new FileEraStore(undefined, opts.log.child("eras"))
    // one budget for the process: large results of every server count against it
    resultBudget.limit = opts.config.pool.maxResultBytesInFlight
    stdioRequestLimit.bytes = opts.config.pool.maxRequestBytes
  }

  add(def: DownstreamDef, warm = false): Session {
    if (this.disposed) throw new DownstreamError("CLOSED", "the pool is shut down")
    if (this.sessions.has(def.name)) throw new DownstreamError("DUPLICATE_SERVER", `server ${def.name} is already in the pool`)
    const log = this.o.log.child(`pool:${def.name}`)
    const s = new Session(def, this.settings, {
      log,
      clock: this.clock,
      ...(this.o.closeGraceMs !== undefined ? { closeGraceMs: this.o.closeGraceMs } : {}),
      ...(this.o.stableAfterMs !== undefined ? { stableAfterMs: this.o.stableAfterMs } : {}),
      ...(this.o.clientWaitCapMs !== undefined ? { clientWaitCapMs: this.o.clientWaitCapMs } : {}),
      reserve: (x) => this.reserve(x),
      eras: this.eras,
      onNotification: (n, m, p) => this.o.onNotification?.(n, m, p),
      ...(this.o.onRequest ? { onRequest: this.o.onRequest } : {}),
      ...(this.o.relayCapabilities ? { relayCapabilities: this.o.relayCapabilities } : {}),
      onReady: (n, i) => this.o.onReady?.(n, i),
      onState: (n, st) => this.o.onState?.(n, st),
      successor: () => this.sessions.get(def.name),
    })
    s.warm = warm
    this.sessions.set(def.name, s)
    this.ensureSweeper()
    return s
  }

  /** `why`: what calls still in flight on it are told ("server X <why>"; default "was removed"). */
  async remove(name: string, why?: string): Promise<void> {
    const s = this.sessions.get(name)
    if (!s) return
    this.sessions.delete(name)
    if (why !== undefined) s.closedWhy = why
    await s[Symbol.asyncDispose]()
  }

  /**
   * New pool.* values (config reload). Sessions share these settings, so timeouts, backoff and
   * breaker values apply to their next use; running sessions' limits follow; the sweeper restarts
   * with the new health and idle periods. Calls in flight are not touched.
   */
  applySettings(pool: Config["pool"]): void {
    Object.assign(this.settings, pool)
    resultBudget.limit = pool.maxResultBytesInFlight
    stdioRequestLimit.bytes = pool.maxRequestBytes
    for (const s of this.sessions.values()) {
      s.limiter.limit = s.def.spec.maxInFlight ?? pool.maxInFlight
      s.limiter.queueLimit = pool.queueLimit
    }
    if (this.sweeper !== undefined) clearInterval(this.sweeper)
    this.sweeper = undefined
    if (this.sessions.size > 0) this.ensureSweeper()
  }

  get(name: string): Session | undefined {
    return this.sessions.get(name)
  }

  all(): Session[] {
    return [...this.sessions.values()]
  }

  /** The pool's clock (what `CallOptions.startedAt` is measured on). */
  now(): number {
    return this.clock.now()
  }

  call(server: string, method: string, params: Record<string, unknown> | undefined, opts: CallOptions): Promise<unknown> {
    const s = this.sessions.get(server)
    if (!s) return Promise.reject(new DownstreamError("UNKNOWN_SERVER", `no server named ${server}`))
    const answer = s.call(method, params, opts)
    // the Toolkit's servers get their secrets from Docker, never from us: their data gets the token
    // shapes taken out too, on every path (a call, call_tool, run_code, a prompt, a read, a completion)
    return s.def.source === "toolkit" && DATA_METHODS.has(method) ? answer.then(redactUnknownSecrets) : answer
  }

  /** Start these sessions in the background; failures are logged, never thrown. */
  warm(names: readonly string[]): void {
    for (const n of names) {
      const s = this.sessions.get(n)
      if (!s) {
        this.o.log.warn("warm list names an unknown or disabled server", { server: n })
        continue
      }
      s.warm = true
      // a start the shutdown (or the server's removal) cut short was logged as such by its session
      s.ensure().catch((e: unknown) => {
        if (!isAbandoned(e) && !this.disposed) this.o.log.warn("warm start failed", { server: n, error: errorMessage(e) })
      })
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.disposed = true
    if (this.sweeper !== undefined) clearInterval(this.sweeper)
    const all = [...this.sessions.values()]
    this.sessions.clear()
    await Promise.all(all.map((s) => s[Symbol.asyncDispose]().catch((e: unknown) => this.o.log.error("closing session failed", { server: s.name, error: errorMessage(e) }))))
  }

  // --- Internal ---

  private async reserve(starting: Session): Promise<void> {
    const live = this.all().filter((s) => s !== starting && s.isLive)
    if (live.length < this.settings.maxSessions) return
    const victim = live
      .filter((s) => !s.warm && s.state === "ready" && s.limiter.inFlight === 0 && s.limiter.queued === 0)
      .sort((a, b) => a.lastUsed - b.lastUsed)[0]
    if (!victim) {
      throw new DownstreamError("TOO_MANY_SESSIONS", `cannot start ${starting.name}: ${live.length} sessions are busy (pool.maxSessions = ${this.settings.maxSessions})`, {
        remedy: "Raise pool.maxSessions or set pool.idleTimeout so unused servers are closed.",
      })
    }
    this.o.log.info("closing least recently used session to respect pool.maxSessions", { server: victim.name })
    await victim.stop("idle")
  }

  private ensureSweeper(): void {
    if (this.sweeper !== undefined) return
    const periods = [this.settings.healthInterval, this.settings.idleTimeout].filter((x) => x > 0)
    if (periods.length === 0) return
    const every = Math.max(250, Math.min(5000, Math.min(...periods) / 2))
    this.sweeper = setInterval(() => {
      for (const s of this.sessions.values()) s.tick()
    }, every)
    this.sweeper.unref?.()
  }
}
