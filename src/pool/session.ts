/**
 * @module pool/session
 * One supervised downstream: lazy single-flight start, in-flight limit and queue, restart with
 * jittered backoff after a crash, circuit breaker, health ping and idle reaping (driven by `tick`).
 */
import type { DownstreamDef, SessionState } from "./types.ts"
import { DownstreamError, errorMessage, formatDuration, type Clock, type Logger } from "../core/index.ts"
import { restartDelay } from "./backoff.ts"
import { CircuitBreaker } from "./breaker.ts"
import { connect, transportName, type Connected } from "./connect.ts"
import type { InitializeInfo } from "./handshake.ts"
import { Limiter } from "./limiter.ts"
import { RpcError, type ProgressParams, type RequestOptions } from "./rpc.ts"

export interface PoolSettings {
  maxSessions: number
  maxInFlight: number
  queueLimit: number
  idleTimeout: number
  callTimeout: number
  maxTotalTimeout: number
  connectTimeout: number
  healthInterval: number
  breakerFailures: number
  breakerCooldown: number
  restartDelay: number
  restartDelayMax: number
  maxFrameBytes: number
}

export interface SessionHooks {
  log: Logger
  clock: Clock
  closeGraceMs?: number
  /** Make room before a new connection (max sessions); throws when none can be freed. */
  reserve(session: Session): Promise<void>
  onNotification(server: string, method: string, params: Record<string, unknown> | undefined): void
  onReady(server: string, info: InitializeInfo): void
  onState(server: string, state: SessionState): void
}

export interface CallOptions {
  signal?: AbortSignal
  timeoutMs?: number
  onProgress?: (p: ProgressParams) => void
  /** Safe to re-send after a connection failure (list/read/get only, never tools/call). */
  idempotent?: boolean
}

const TIMEOUTS_BEFORE_RESTART = 3
/** A connection alive this long proves the server healthy: restart backoff and breaker count reset. */
const STABLE_AFTER_MS = 10_000
const MAX_RETRIES = 2

export class Session {
  readonly name: string
  readonly def: DownstreamDef
  readonly limiter: Limiter
  readonly breaker: CircuitBreaker
  warm = false
  state: SessionState = "idle"
  calls = 0
  failures = 0
  lastError: string | undefined
  lastUsed: number
  private live: Connected | undefined
  private starting: Promise<Connected> | undefined
  private restartTimer: ReturnType<typeof setTimeout> | undefined
  private restartAt = 0
  private attempts = 0
  private timeouts = 0
  /** Connected but not yet alive for STABLE_AFTER_MS: an exit now still counts as a start failure. */
  private unproven = false
  private stableTimer: ReturnType<typeof setTimeout> | undefined
  private disposed = false
  private readonly s: PoolSettings
  private readonly h: SessionHooks
  private readonly timeoutMs: number
  private readonly log: Logger

  constructor(def: DownstreamDef, settings: PoolSettings, hooks: SessionHooks) {
    this.name = def.name
    this.def = def
    this.s = settings
    this.h = hooks
    this.log = hooks.log
    this.timeoutMs = def.spec.timeout ?? settings.callTimeout
    this.limiter = new Limiter(def.spec.maxInFlight ?? settings.maxInFlight, settings.queueLimit, def.name)
    this.breaker = new CircuitBreaker(hooks.clock, settings.breakerFailures, settings.breakerCooldown)
    this.lastUsed = hooks.clock.now()
  }

  get transport(): "stdio" | "streamable-http" | "sse" {
    return this.live?.transport ?? transportName(this.def.spec)
  }

  get info(): InitializeInfo | undefined {
    return this.live?.info
  }

  get isLive(): boolean {
    return this.live !== undefined || this.starting !== undefined
  }

  get pid(): number | undefined {
    return this.live?.pid
  }

  /** Epoch ms at which an open breaker lets a probe through. */
  retryAtWall(): number | undefined {
    const ms = this.breaker.retryInMs()
    return ms > 0 ? this.h.clock.wall() + ms : undefined
  }

  /** Send one request. Fast path when connected and a slot is free: no awaits, no closures. */
  call(method: string, params: Record<string, unknown> | undefined, opts: CallOptions): Promise<unknown> {
    const live = this.live
    if (live !== undefined && this.state === "ready" && this.limiter.tryAcquire()) {
      this.calls++
      this.lastUsed = this.h.clock.now()
      return live.conn.request(method, params, this.requestOptions(opts)).then(this.onOk, this.onErr)
    }
    if (live !== undefined && this.state === "ready" && !opts.idempotent) return this.queuedCall(live, method, params, opts)
    return this.slowCall(method, params, opts)
  }

  /** Connected but all slots taken: wait in the queue, then send on the same connection if it is still the live one. */
  private queuedCall(live: Connected, method: string, params: Record<string, unknown> | undefined, opts: CallOptions): Promise<unknown> {
    return this.limiter.acquire(opts.signal).then(() => {
      if (this.live !== live || this.state !== "ready") {
        this.limiter.release()
        return this.slowCall(method, params, opts)
      }
      this.calls++
      this.lastUsed = this.h.clock.now()
      return live.conn.request(method, params, this.requestOptions(opts)).then(this.onOk, this.onErr)
    })
  }

  /** Start now (warm list, or a list request) and wait until ready. */
  ensure(): Promise<Connected> {
    if (this.disposed) return Promise.reject(new DownstreamError("CLOSED", `server ${this.name} was removed`))
    if (this.live && this.state === "ready") return Promise.resolve(this.live)
    if (this.starting) return this.starting
    if (!this.breaker.allow()) return Promise.reject(this.openError())
    this.clearRestart()
    const p = this.start()
    this.starting = p
    void p.then(
      () => (this.starting = undefined),
      () => (this.starting = undefined),
    )
    return p
  }

  /** Periodic housekeeping: health ping and idle reaping. */
  tick(): void {
    const live = this.live
    if (!live || this.state !== "ready" || this.limiter.inFlight > 0) return
    const idle = this.h.clock.now() - this.lastUsed
    if (this.s.idleTimeout > 0 && !this.warm && idle >= this.s.idleTimeout) {
      this.log.info("closing idle session", { idleMs: Math.round(idle) })
      void this.stop("idle")
      return
    }
    if (this.s.healthInterval > 0 && idle >= this.s.healthInterval) {
      this.lastUsed = this.h.clock.now()
      live.conn.request("ping", undefined, { timeoutMs: Math.min(10_000, this.timeoutMs) }).then(
        () => undefined,
        (e: unknown) => {
          if (this.live !== live) return
          this.log.warn("health ping failed; restarting", { error: errorMessage(e) })
          this.drop(live, e, true)
        },
      )
    }
  }

  /** Close the connection, keep the session (idle reaping, max sessions). */
  async stop(state: SessionState = "idle"): Promise<void> {
    this.clearRestart()
    if (this.unproven) this.breaker.release() // a probe that never got a verdict: let the next caller probe
    if (this.stableTimer !== undefined) clearTimeout(this.stableTimer)
    this.stableTimer = undefined
    const live = this.live
    this.live = undefined
    this.setState(state)
    if (live) await live.conn.close()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    this.limiter.drain(new DownstreamError("CLOSED", `server ${this.name} is shutting down`))
    const starting = this.starting
    await this.stop("closed")
    if (starting) {
      const c = await starting.catch(() => undefined)
      if (c) await c.conn.close()
    }
  }

  // --- Internal ---

  private readonly onOk = (r: unknown): unknown => {
    this.limiter.release()
    if (this.timeouts !== 0) this.answered()
    return r
  }

  private readonly onErr = (e: unknown): never => {
    this.limiter.release()
    if (e instanceof RpcError) {
      if (this.timeouts !== 0) this.answered()
    } else this.noteError(e)
    throw e
  }

  /** An answer after timeouts: the server is responsive again (counts only once the connection is stable). */
  private answered(): void {
    this.timeouts = 0
    if (!this.unproven) this.breaker.success()
  }

  private healthy(): void {
    this.unproven = false
    this.attempts = 0
    this.timeouts = 0
    this.breaker.success()
    if (this.stableTimer !== undefined) clearTimeout(this.stableTimer)
    this.stableTimer = undefined
  }

  private requestOptions(opts: CallOptions): RequestOptions {
    const r: RequestOptions = { timeoutMs: opts.timeoutMs ?? this.timeoutMs }
    if (opts.signal) r.signal = opts.signal
    if (opts.onProgress) {
      r.onProgress = opts.onProgress
      r.maxTotalMs = this.s.maxTotalTimeout
    }
    return r
  }

  private async slowCall(method: string, params: Record<string, unknown> | undefined, opts: CallOptions): Promise<unknown> {
    const deadline = this.h.clock.now() + (opts.timeoutMs ?? this.timeoutMs)
    for (let attempt = 0; ; attempt++) {
      const live = await this.ready(deadline, opts.signal)
      await this.limiter.acquire(opts.signal)
      this.calls++
      this.lastUsed = this.h.clock.now()
      const left = Math.max(1, deadline - this.h.clock.now())
      try {
        return await live.conn.request(method, params, this.requestOptions({ ...opts, timeoutMs: left })).then(this.onOk, this.onErr)
      } catch (e) {
        const retry = opts.idempotent && attempt < MAX_RETRIES && isConnectionLoss(e) && deadline - this.h.clock.now() > 50
        if (!retry) throw e
        this.log.info("retrying idempotent request after connection loss", { method, attempt: attempt + 1 })
      }
    }
  }

  /** Wait for a ready connection within the deadline (joining a start or a scheduled restart). */
  private async ready(deadline: number, signal?: AbortSignal): Promise<Connected> {
    if (this.disposed) throw new DownstreamError("CLOSED", `server ${this.name} was removed`)
    if (this.live && this.state === "ready") return this.live
    if (this.breaker.state === "open") throw this.openError()
    if (this.restartTimer !== undefined && !this.starting) {
      const wait = this.restartAt - this.h.clock.now()
      if (wait > deadline - this.h.clock.now()) {
        throw new DownstreamError("RESTARTING", `server ${this.name} is restarting after a failure; retry in ${formatDuration(wait)}`, {
          details: { server: this.name, lastError: this.lastError },
        })
      }
      if (wait > 0) await sleep(wait, signal)
    }
    return this.ensure()
  }

  private async start(): Promise<Connected> {
    this.setState("starting")
    try {
      await this.h.reserve(this)
    } catch (e) {
      this.setState("idle") // no room right now: not a failure of this server
      this.breaker.release()
      throw e
    }
    try {
      const live = await connect({
        server: this.name,
        spec: this.def.spec,
        log: this.log,
        connectTimeoutMs: this.s.connectTimeout,
        maxFrameBytes: this.s.maxFrameBytes,
        ...(this.h.closeGraceMs !== undefined ? { closeGraceMs: this.h.closeGraceMs } : {}),
        onNotification: (m, p) => this.h.onNotification(this.name, m, p),
        onClosed: (c) => this.lost(c),
      })
      if (this.disposed) {
        void live.conn.close()
        throw new DownstreamError("CLOSED", `server ${this.name} was removed`)
      }
      this.live = live
      // Early exits after a good handshake still count as failures (crash loop) until proven.
      this.unproven = true
      if (this.stableTimer !== undefined) clearTimeout(this.stableTimer)
      this.stableTimer = setTimeout(() => {
        this.stableTimer = undefined
        if (this.live === live && this.unproven) this.healthy()
      }, STABLE_AFTER_MS)
      this.stableTimer.unref?.()
      this.setState("ready")
      this.log.info("downstream ready", { server: live.info.serverInfo.name, version: live.info.serverInfo.version, protocol: live.info.protocolVersion, pid: live.pid })
      this.h.onReady(this.name, live.info)
      return live
    } catch (e) {
      if (!this.disposed) this.failed(e)
      throw e
    }
  }

  /** The live connection ended without us asking. */
  private lost(c: Connected): void {
    if (this.live !== c) return
    this.live = undefined
    if (this.disposed) return
    const why = c.exitSummary() ?? "connection closed"
    this.log.warn("downstream ended unexpectedly", { exit: why, stderr: c.stderrTail().slice(-1000) })
    this.failed(new DownstreamError("SERVER_EXITED", `server ${this.name} ${why}`))
  }

  private failed(e: unknown): void {
    this.failures++
    this.lastError = errorMessage(e)
    this.breaker.failure()
    this.scheduleOrOpen()
  }

  /** After a failure: open-circuit state if the breaker opened, else a restart after the backoff delay. */
  private scheduleOrOpen(): void {
    if (this.breaker.state !== "closed") {
      this.clearRestart()
      this.setState("open-circuit")
      this.log.error("circuit breaker open", { failures: this.breaker.consecutiveFailures, retryInMs: this.breaker.retryInMs(), lastError: this.lastError })
      return
    }
    const delay = restartDelay(this.attempts++, this.s.restartDelay, this.s.restartDelayMax)
    this.setState("backoff")
    this.log.warn("downstream failed; restart scheduled", { delayMs: delay, error: this.lastError })
    this.clearRestart()
    this.restartAt = this.h.clock.now() + delay
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined
      this.ensure().catch(() => {})
    }, delay)
    this.restartTimer.unref?.()
  }

  private noteError(e: unknown): void {
    if (!(e instanceof DownstreamError)) return
    if (e.code === "WRITE_FAILED" && this.live) {
      // The transport cannot send (e.g. a remote server went away without closing the stream).
      this.drop(this.live, e, true)
      return
    }
    if (e.code !== "TIMEOUT") return
    this.failures++
    this.lastError = e.message
    this.breaker.failure()
    const live = this.live
    if (++this.timeouts >= TIMEOUTS_BEFORE_RESTART && live) {
      this.log.warn("consecutive timeouts; restarting the downstream", { timeouts: this.timeouts })
      this.timeouts = 0
      this.drop(live, e, false)
    } else if (this.breaker.state !== "closed" && live) {
      this.drop(live, e, false)
    }
  }

  /** Take a live connection out of service now (new calls never see it) and close it in the background. */
  private drop(live: Connected, e: unknown, countFailure: boolean): void {
    if (this.live !== live) return
    this.live = undefined
    void live.conn.close()
    if (countFailure) this.failed(e)
    else this.scheduleOrOpen()
  }

  private openError(): DownstreamError {
    const s = Math.ceil(this.breaker.retryInMs() / 1000)
    return new DownstreamError("BREAKER_OPEN", `server ${this.name} unavailable after ${this.breaker.consecutiveFailures} consecutive failures; retry in ${s}s`, {
      remedy: "Check the server (orchestrator_status shows its last error); calls resume automatically after the cooldown.",
      details: { server: this.name, retryInMs: this.breaker.retryInMs(), lastError: this.lastError },
    })
  }

  private clearRestart(): void {
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer)
    this.restartTimer = undefined
  }

  private setState(state: SessionState): void {
    if (this.state === state || (this.disposed && state !== "closed")) return
    this.state = state
    this.h.onState(this.name, state)
  }
}

function isConnectionLoss(e: unknown): boolean {
  return e instanceof DownstreamError && (e.code === "SERVER_EXITED" || e.code === "NOT_CONNECTED" || e.code === "WRITE_FAILED")
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(done, ms)
    function done(): void {
      signal?.removeEventListener("abort", abort)
      resolve()
    }
    function abort(): void {
      clearTimeout(t)
      reject(new DownstreamError("CANCELLED", "call cancelled by the client"))
    }
    signal?.addEventListener("abort", abort, { once: true })
  })
}
