/**
 * @module pool/session
 * One supervised downstream: lazy single-flight start, in-flight limit and queue, restart with
 * jittered backoff after a crash, circuit breaker, health ping and idle reaping (driven by `tick`).
 */
import type { DownstreamDef, SessionState } from "./types.ts"
import { cutText, DownstreamError, errorMessage, shuttingDown, type Logger } from "../core/index.ts"
import type { CircuitBreaker } from "./breaker.ts"
import { connect, endsWhateverAsked, GENERIC_START_REMEDY, isHungStart, isStdio, transportName, type Connected } from "./connect.ts"
import { CLIENT_WAIT_CAP_MS, hungStartError, stillStartingAgainError, stillStartingError, type ConnectBudget, type HungStart } from "./start-waits.ts"
import { CallDeadline, notSentTimeout, seconds, waitNote } from "./deadline.ts"
import { Health, type Verdict } from "./health.ts"
import { MODERN_PROTOCOL_VERSION, type EraInfo } from "./era.ts"
import type { InitializeInfo } from "./handshake.ts"
import { Limiter } from "./limiter.ts"
import { RpcError, type RequestOptions } from "./rpc.ts"
import type { CallOptions, PoolSettings, SessionHooks } from "./session-types.ts"
import { isConnectionLoss, sleep } from "./wait.ts"
import { onlyItsStream } from "./stream-only.ts"
import { STDERR_REASON_BYTES, stderrReason, type EnvHint } from "./stderr-reason.ts"
import { answersUninitialized } from "./uninitialized.ts"
import { fallbackAfterUnsupported, saidOf, unsupportedWords, whereOf } from "./era-refusal.ts"
import { pushRefusalIn, pushRefusalOf } from "./push-refusal.ts"
import { heldOffError, holdOffMs } from "./hold-off.ts"

export type { CallOptions, PoolSettings, SessionHooks } from "./session-types.ts"

const MAX_RETRIES = 2
/** A wait in the limiter's queue, as timeout messages word it. */
const SLOT = "for a free slot"
/** How long the calls of a hold-off that is over wait for its trial call to be answered (see `Session.trial`). */
const TRIAL_WAIT_MS = 5000

export class Session {
  /** What calls in flight are told when the session is closed for good (pool.remove). */
  closedWhy = "was removed"
  readonly name: string
  readonly def: DownstreamDef
  readonly limiter: Limiter
  readonly health: Health
  warm = false
  state: SessionState = "idle"
  /** `tools/call` requests sent (status `calls`). */
  calls = 0
  /** Other requests sent: lists, reads, prompts, completions… (status `requests`). */
  requests = 0
  lastUsed: number
  /** Set while the server waits for `auth login` (state needs-auth): the error calls answer. */
  needsAuth: DownstreamError | undefined
  private live: Connected | undefined
  private lastEra: EraInfo | undefined
  private starting: Promise<Connected> | undefined
  /** Aborts the connect under way (dispose: a server still starting must not hold the shutdown). */
  private connecting: AbortController | undefined
  private disposed = false
  /** Resolves when the session is closed for good: a call waiting out a restart backoff stops waiting (and goes to the successor, if any). */
  private readonly ended = Promise.withResolvers<void>()
  private readonly s: PoolSettings
  private readonly h: SessionHooks
  private readonly log: Logger

  constructor(def: DownstreamDef, settings: PoolSettings, hooks: SessionHooks) {
    this.name = def.name
    this.def = def
    this.s = settings
    this.h = hooks
    this.log = hooks.log
    this.limiter = new Limiter(def.spec.maxInFlight ?? settings.maxInFlight, settings.queueLimit, def.name, () => hooks.clock.now())
    this.health = new Health(hooks.clock, hooks.stableAfterMs !== undefined ? { ...settings, stableAfterMs: hooks.stableAfterMs } : settings)
    this.lastUsed = hooks.clock.now()
  }

  /** Read per call: pool.callTimeout may change with a config reload (settings are shared with the pool). */
  private get timeoutMs(): number {
    return this.def.spec.timeout ?? this.s.callTimeout
  }

  get breaker(): CircuitBreaker {
    return this.health.breaker
  }

  get failures(): number {
    return this.health.failures
  }

  get lastError(): string | undefined {
    return this.health.lastError
  }

  /** The last error is from before the last connection came up, nothing failed since (pool/health `errorIsPast`). */
  get lastErrorPast(): boolean {
    return this.health.errorIsPast
  }

  get transport(): "stdio" | "streamable-http" | "sse" {
    return this.live?.transport ?? transportName(this.def.spec)
  }

  get info(): InitializeInfo | undefined {
    return this.live?.info
  }

  /** Whether the live connection's list changes reach us (a 2026-07-28 server's listen is open); without one, nothing to follow. */
  get followsListChanges(): boolean {
    return this.live?.conn.followsListChanges ?? true
  }

  /** Protocol era of the live connection, else the last one's (undefined before the first start). */
  get era(): EraInfo | undefined {
    return this.live?.era ?? this.lastEra
  }

  /** Up, and not a stdio connection whose stdin refused a write (its exit is awaited: `writeFailed`). */
  private get isReady(): boolean {
    return this.live !== undefined && this.state === "ready" && this.exitAwaited === undefined
  }

  /** The start under way (one object per attempt), if the server is starting now. */
  get startAttempt(): object | undefined {
    return this.starting
  }

  get isLive(): boolean {
    return this.live !== undefined || this.starting !== undefined
  }

  get pid(): number | undefined {
    return this.live?.pid
  }

  /** The variables a tool error's `text` names that the live stdio child did not get, with what to do (pool/tool-error-env). */
  missingEnv(text: string): EnvHint | undefined {
    return this.live?.missingEnv?.(text)
  }

  /** Epoch ms at which an open breaker lets a probe through, or calls held off (a 429: `holdOff`) go again. */
  retryAtWall(): number | undefined {
    const ms = Math.max(this.breaker.retryInMs(), this.heldInMs())
    return ms > 0 ? this.h.clock.wall() + ms : undefined
  }

  /** Until when (clock ms) calls are held off, 0 when they are not; and the answer that asked it. */
  private heldUntil = 0
  private heldFor: DownstreamError | undefined

  /** The server answered a live request with 429 (`Retry-After`, bounded): its next calls wait that long (pool/hold-off). */
  private holdOff(ms: number, why: DownstreamError): void {
    const until = this.h.clock.now() + ms
    if (until <= this.heldUntil) return
    this.heldUntil = until
    this.heldFor = why
    this.log.warn("downstream asks to be left alone; its calls are held off", { holdMs: Math.round(ms), error: why.message })
  }

  /** Milliseconds calls are still held off (0 once its time is over; the hold itself ends with its trial call: `endTrial`). */
  private heldInMs(): number {
    return this.heldUntil === 0 ? 0 : Math.max(0, this.heldUntil - this.h.clock.now())
  }

  /**
   * A hold-off whose time is over is ended by one call, its trial: the first to get past the hold is
   * sent alone, and the calls that waited with it go once its answer came (and was no new 429), or
   * TRIAL_WAIT_MS after it was sent (a 429 comes with the first bytes of an answer: a tool that runs
   * long is no reason to hold the rest). A new 429 starts a new hold, which they wait out in turn.
   * Before, every waiting call went at once when the hold ended: a burst that drew the next 429.
   */
  private trial: { owner: CallDeadline; done: PromiseWithResolvers<void> } | undefined

  /** The calls of a hold-off that is over wait for its trial call (see `trial`); the first one becomes it. */
  private async afterHold(dl: CallDeadline): Promise<void> {
    for (;;) {
      const held = this.heldInMs()
      if (held > 0) {
        if (held > dl.left()) throw heldOffError(this.name, held, dl.budgetMs, this.heldFor!)
        await dl.wait("for the server's Retry-After", Promise.race([sleep(held, dl.cancel.signal), this.ended.promise]))
        if (this.disposed) throw this.closedError()
        continue
      }
      if (this.heldUntil === 0 || this.trial?.owner === dl) return
      if (this.trial === undefined) {
        this.trial = { owner: dl, done: Promise.withResolvers<void>() }
        this.log.info("hold-off over: one call goes first; the others follow once it is answered", {})
        return
      }
      const sent = this.trial.done.promise
      // its timer ends with the wait (a call answered at once leaves no 5 s timer behind; a cancel ends it through `dl.wait`)
      const stop = new AbortController()
      const waited = sleep(TRIAL_WAIT_MS, stop.signal).catch(() => {})
      try {
        await dl.wait("for the first call after the server's Retry-After", Promise.race([sent, waited, this.ended.promise]))
      } finally {
        stop.abort()
      }
      if (this.disposed) throw this.closedError()
      // still the same trial past TRIAL_WAIT_MS (a long tool call): it was no 429, the rest go
      if (this.trial !== undefined && this.trial.done.promise === sent) this.endTrial(this.trial.owner)
    }
  }

  /** The trial call of `dl` settled (or gave up): the hold ends unless its answer started a new one, and the calls waiting on it go on. */
  private endTrial(dl: CallDeadline): void {
    const t = this.trial
    if (t === undefined || t.owner !== dl) return
    this.trial = undefined
    if (this.heldInMs() === 0) {
      this.heldUntil = 0
      this.heldFor = undefined
    }
    t.done.resolve()
  }

  /**
   * Send one request. Fast path when connected and a slot is free: no awaits, one closure (the
   * failure handler, which keeps the request for an unsent resend: `failedOrResent`); when
   * connected and busy, a queued path that is nearly as lean (see `queued`).
   */
  call(method: string, params: Record<string, unknown> | undefined, opts: CallOptions): Promise<unknown> {
    const live = this.live
    if (live !== undefined && this.state === "ready" && this.exitAwaited === undefined && opts.startedAt === undefined && this.heldUntil === 0) {
      if (this.limiter.tryAcquire()) {
        if (method === "tools/call") this.calls++
        else this.requests++
        const now = (this.lastUsed = this.h.clock.now())
        return live.conn.request(method, params, this.requestOptions(opts, this.timeoutFor(method, params, opts))).then(this.onOk, (e: unknown) => this.failedOrResent(e, method, params, opts, now))
      }
      if (opts.idempotent !== true) return this.queued(live, method, params, opts)
    }
    return this.slowCall(method, params, opts)
  }

  /**
   * Connected, every slot taken: wait in the limiter's queue, its one timer enforcing the call's
   * budget (no timer, deadline object or async frame per call, which under load is most calls).
   * Same outcomes as `slowCall`: TIMEOUT at the budget, never written; the budget's remainder for
   * the request; a connection lost meanwhile sends the call on to `slowCall`, its budget running.
   */
  private queued(live: Connected, method: string, params: Record<string, unknown> | undefined, opts: CallOptions): Promise<unknown> {
    const clock = this.h.clock
    const budget = this.timeoutFor(method, params, opts)
    const queuedAt = clock.now()
    const expired = (): Error => notSentTimeout(this.name, method, clock.now() - queuedAt, budget, waitNote(SLOT, clock.now() - queuedAt))
    return this.limiter.acquire(opts.cancel ?? opts.signal, queuedAt + budget, expired).then(
      () => this.afterQueue(live, method, params, opts, queuedAt, budget, expired),
      (e: unknown) => this.replay(e, method, params, opts, queuedAt),
    )
  }

  /** A queued call given its slot: sent, unless its connection went away meanwhile (then `slowCall`) or its budget is spent. */
  private afterQueue(live: Connected, method: string, params: Record<string, unknown> | undefined, opts: CallOptions, queuedAt: number, budget: number, expired: () => Error): Promise<unknown> {
    const now = this.h.clock.now()
    const waited = now - queuedAt
    if (this.live !== live || !this.isReady || this.heldUntil !== 0) {
      this.limiter.release()
      return this.slowCall(method, params, opts, { at: queuedAt, what: SLOT })
    }
    if (waited >= budget) {
      this.limiter.release()
      return Promise.reject(expired())
    }
    if (method === "tools/call") this.calls++
    else this.requests++
    this.lastUsed = now
    return live.conn.request(method, params, this.requestOptions(opts, budget - waited, { ms: waited, what: SLOT })).then(this.onOk, (e: unknown) => this.failedOrResent(e, method, params, opts, queuedAt))
  }

  /**
   * A request of the fast or queued path failed: as `onErr` says, except one refused before any of
   * it was written (`details.unsent`: the stdio server's stdin refused it with EPIPE, or its process
   * had exited and that was not seen yet): that one is sent once more, on the restarted server,
   * within the call's budget counted from `arrivedAt` (it never reached the server, so it cannot run
   * twice). Before, it failed with "the request was not sent" while the server restarted fine a
   * second later. A request that was written and then lost with its server is never sent again.
   */
  private async failedOrResent(e: unknown, method: string, params: Record<string, unknown> | undefined, opts: CallOptions, arrivedAt: number): Promise<unknown> {
    try {
      // awaited: a "never initialized" answer is judged after one more request (`uninitialized`)
      return await (this.onErr(e) as unknown)
    } catch (x) {
      if (!isUnsent(x) || this.disposed) throw x
      this.resending(method, x)
      return this.slowCall(method, params, { ...opts, startedAt: arrivedAt }, { at: arrivedAt, what: "for the server to restart", resent: true })
    }
  }

  /**
   * A call that was never written to this session's server, refused because the session was closed
   * for good (CLOSED): when the server was replaced under the same name (a config reload redefined
   * it, the Toolkit gateway restarted), it is sent to the new session instead, its budget still
   * running from when it arrived (nothing was sent, so nothing is sent twice). Removed, or shut down:
   * `e` as it was. A call already written is never replayed (a tool call is not idempotent).
   */
  private replay(e: unknown, method: string, params: Record<string, unknown> | undefined, opts: CallOptions, arrivedAt: number): Promise<unknown> {
    const next = this.disposed && e instanceof DownstreamError && e.code === "CLOSED" ? this.h.successor?.() : undefined
    if (next === undefined || next === this) return Promise.reject(e)
    this.log.info("call not yet sent goes to the restarted server", { method })
    return next.resume(method, params, opts, opts.startedAt ?? arrivedAt)
  }

  /** A call handed over by the session this one replaced (see `replay`): it waits for this server's start within its budget, counted from `arrivedAt`. */
  resume(method: string, params: Record<string, unknown> | undefined, opts: CallOptions, arrivedAt: number): Promise<unknown> {
    return this.slowCall(method, params, opts, { at: arrivedAt, what: "for the server to restart" })
  }

  /**
   * A request counted as sent was refused unsent (`isUnsent`) and is about to be sent once more:
   * not counted (status `calls`/`requests`: it is counted when sent), and logged. One place for
   * both paths that resend (`failedOrResent`, `slowCall`).
   */
  private resending(method: string, e: DownstreamError): void {
    if (method === "tools/call") this.calls--
    else this.requests--
    this.log.info("request refused unsent by a server that is going away; sending it once to the restarted server", { method, error: e.message })
  }

  /** Send a notification to the downstream if it is connected (nothing otherwise). */
  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    const live = this.live
    return live !== undefined && this.state === "ready" ? live.conn.notify(method, params) : Promise.resolve()
  }

  /** Start now (warm list, or a list request) and wait until ready. */
  ensure(): Promise<Connected> {
    if (this.disposed) return Promise.reject(this.closedError())
    if (this.live && this.state === "ready") return Promise.resolve(this.live)
    if (this.starting) return this.starting
    if (!this.breaker.allow()) return Promise.reject(this.health.openError(this.name))
    this.health.clearRestart()
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
    // not on a connection whose stdin refused a write: its exit is awaited (writeFailed), not pinged
    // nor while its calls are held off (a 429: it asked to be left alone)
    if (!live || !this.isReady || this.limiter.inFlight > 0 || this.heldInMs() > 0) return
    const idle = this.h.clock.now() - this.lastUsed
    if (this.s.idleTimeout > 0 && !this.warm && idle >= this.s.idleTimeout) {
      this.log.info("closing idle session", { idleMs: Math.round(idle) })
      void this.stop("idle")
      return
    }
    if (this.s.healthInterval > 0 && idle >= this.s.healthInterval) {
      this.lastUsed = this.h.clock.now()
      live.check(Math.min(10_000, this.timeoutMs)).then(
        () => undefined,
        (e: unknown) => {
          if (this.live !== live) return
          // a ping refused by a dying server's stdin: its exit, seen in a moment, says why (what it
          // wrote on stderr), not "health check failed: cannot write"; one that lives on is dropped then
          if (e instanceof DownstreamError && e.code === "WRITE_FAILED" && live.transport === "stdio") return this.writeFailed(live, e)
          this.log.warn("health check failed; restarting", { error: errorMessage(e) })
          this.drop(live, e, true)
        },
      )
    }
  }

  /** Close the connection, keep the session (idle reaping, max sessions). */
  async stop(state: SessionState = "idle"): Promise<void> {
    this.health.clearRestart()
    this.health.abandoned()
    const live = this.live
    this.unset()
    this.setState(state)
    // calls still in flight on a removed (or shut down) server are told so, not "exited with code 0"
    if (live) await live.conn.close(state === "closed" ? this.closedError() : undefined)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    this.ended.resolve()
    this.limiter.drain(this.closedError())
    const starting = this.starting
    // a connect under way is ended now (its child closed), not waited for up to pool.connectTimeout,
    // and fails as abandoned (shutting down, or removed), not as a timeout of the server
    this.connecting?.abort(abandonedStart(this.name))
    await this.stop("closed")
    this.health.dispose()
    if (starting) {
      const c = await starting.catch(() => undefined)
      if (c) await c.conn.close()
    }
  }

  // --- Internal ---

  /** This server's connect budget and the setting it comes from: its own `connectTimeout`, else `pool.connectTimeout`. */
  private connectBudget(): { connectTimeoutMs: number; connectTimeoutKey?: string } {
    const own = (this.def.spec as { connectTimeout?: number }).connectTimeout
    if (own === undefined) return { connectTimeoutMs: this.s.connectTimeout }
    return { connectTimeoutMs: own, connectTimeoutKey: this.def.source === "toolkit" ? "the Toolkit gateway's connect budget" : `servers.${this.name}.connectTimeout` }
  }

  /** Why this session takes nothing more: the orchestrator is shutting down, or the server was removed (or replaced: `closedWhy`). */
  private closedError(): DownstreamError {
    const down = shuttingDown()
    return new DownstreamError("CLOSED", down ? `server ${this.name} is closed: the orchestrator is ${down}` : `server ${this.name} ${this.closedWhy}`, { details: { server: this.name } })
  }

  private readonly onOk = (r: unknown): unknown => {
    this.limiter.release()
    if (this.health.afterTimeouts) this.health.answered()
    if (this.live !== undefined && this.mayLeaveModern(this.live)) {
      const method = pushRefusalOf(r)
      if (method !== undefined) throw this.leaveModern(this.live, method)
    }
    return r
  }

  /**
   * A modern session of a dual-era server whose handler asked its client for input the 2025 way (a
   * request from inside the handler, `method`), which a 2026-07-28 session cannot carry (see
   * push-refusal): its call failed there. The server is spoken to in the 2025-11-25 era from now on
   * (this session, and remembered for later starts, as a legacy verdict is), where it can ask: the
   * connection is replaced at once (not a failure of the server), and this call fails saying to call
   * again (a call that reached the server is never sent twice). A server pinned `protocol: modern`
   * keeps its era, and so does one over HTTP (see `mayLeaveModern`).
   */
  private leaveModern(live: Connected, method: string): DownstreamError {
    // remembered as legacy once that start works (connect's legacy start writes it): a conclusive
    // failure there must leave no verdict behind (it was kept, and the next start went legacy at once)
    this.pushNeedsLegacy = true
    this.log.warn("downstream asks its client for input with server-to-client requests, which the 2026-07-28 era forbids; reconnecting it in the 2025-11-25 era", { method })
    if (this.live === live) {
      void this.stop("idle").then(() => this.ensure().catch(() => {}))
    }
    return new DownstreamError(
      "PROTOCOL_ERA",
      `server ${this.name} asked the client for input with ${method}, a server-to-client request its 2026-07-28 session cannot carry, so this call failed there; the server is now reconnected in the 2025-11-25 era, where it can ask`,
      { remedy: `Call again: the next call goes to the reconnected server. To skip the 2026-07-28 era for it from the start, set servers.${this.name}.protocol: legacy.`, details: { server: this.name, method } },
    )
  }

  /**
   * A server that answered `server/discover` as a 2026-07-28 server (probed or remembered, not pinned)
   * but refuses requests of that era (pool/era-refusal): as one never initialized (a legacy server
   * whose answer to any method is a DiscoverResult-like object, a dual-era server whose 2026-07-28
   * path is broken), or with -32022 naming a 2025-era version or none. It is spoken to in the
   * 2025-11-25 era from now on (reconnected at once, not a failure; remembered as a legacy verdict
   * once that start works, so never back and forth; a start refused in both eras leaves no verdict). The request was refused, not run: NOT_CONNECTED with `unsent`, so it
   * is sent once more on the reconnected session (a list, a tool call alike: `failedOrResent`), and
   * fails with these words only when that one does too. Before, a "never initialized" answer was read
   * as a process restarted on the same pipes (restarted in the same era again and again), and a
   * -32022 reached the client as a bare "Unsupported protocol version" with no fallback.
   */
  private modernWantsLegacy(live: Connected, e: RpcError, unsupported: boolean): DownstreamError {
    const said = saidOf(e)
    const method = String(e.details?.method ?? "a request")
    this.pushNeedsLegacy = true
    this.leftModern = `it answered server/discover as a ${MODERN_PROTOCOL_VERSION} server, then refused ${method} ${unsupported ? "with -32022" : "as a server never initialized"} ("${said}")`
    // remembered as legacy only once the 2025-11-25 start works (see `leaveModern`)
    if (this.live === live) {
      this.log.warn(`downstream answered server/discover as a 2026-07-28 server but refuses requests ${unsupported ? "of that revision (-32022)" : "until initialize"}; reconnecting it in the 2025-11-25 era`, { method, error: said })
      void this.stop("idle").then(() => this.ensure().catch(() => {}))
    }
    const what = unsupported
      ? unsupportedWords(this.name, whereOf(this.def.spec), method, e)
      : `server ${this.name} (${whereOf(this.def.spec)}) answered server/discover as a ${MODERN_PROTOCOL_VERSION} server, then refused ${method} as a server never initialized ("${said}")`
    return new DownstreamError("NOT_CONNECTED", `${what}; it is reconnected in the 2025-11-25 era (initialize)`, {
      remedy: `Call again: the next call goes to the reconnected server. To skip the ${MODERN_PROTOCOL_VERSION} era for it from the start, set servers.${this.name}.protocol: legacy.`,
      details: { server: this.name, method, unsent: true },
    })
  }

  /**
   * A 2026-07-28 session the config pins (`protocol: modern`) refused for its era: -32022, or "never
   * initialized" (a modern session has no initialize: the server wants one, it speaks 2025-11-25).
   * No fallback (the pin says not to) and no restart (a new session would be refused the same way):
   * this request fails saying what to set.
   */
  private pinnedRefused(e: RpcError, unsupported: boolean): DownstreamError {
    const method = String(e.details?.method ?? "a request")
    const where = whereOf(this.def.spec)
    const fits = unsupported && fallbackAfterUnsupported(e) === "none"
    const what = unsupported
      ? unsupportedWords(this.name, where, method, e)
      : `server ${this.name} (${where}) refused ${method} as a server never initialized ("${saidOf(e)}"): it wants the 2025-11-25 handshake (initialize), which a ${MODERN_PROTOCOL_VERSION} session never sends`
    return new DownstreamError(fits ? "PROTOCOL_VERSION" : "PROTOCOL_ERA", `${what}; servers.${this.name}.protocol pins ${MODERN_PROTOCOL_VERSION} (modern), so there is no fallback`, {
      remedy: fits
        ? `It speaks no MCP revision mcp-orchestrator speaks (2024-10-07 … 2025-11-25, ${MODERN_PROTOCOL_VERSION}): update the server, or remove it.`
        : `Set servers.${this.name}.protocol: auto (or legacy), so it is spoken to in the 2025-11-25 era it supports.`,
      details: { server: this.name, method },
    })
  }

  /** -32022 on an unpinned 2026-07-28 session naming only revisions we do not speak: this request fails saying so. */
  private unsupportedNoFallback(e: RpcError): DownstreamError {
    const method = String(e.details?.method ?? "a request")
    return new DownstreamError("PROTOCOL_VERSION", unsupportedWords(this.name, whereOf(this.def.spec), method, e), {
      remedy: `None of those is a revision mcp-orchestrator speaks (2024-10-07 … 2025-11-25, ${MODERN_PROTOCOL_VERSION}): update the server, or pin servers.${this.name}.protocol: legacy to try its 2025-era handshake.`,
      details: { server: this.name, method },
    })
  }

  /**
   * A modern session the server's refused push may move to the 2025-11-25 era: not pinned, and over
   * stdio, where a legacy session is one process that can ask. Over HTTP the SDK's dual-era handler
   * serves legacy requests statelessly (no session, so no server-to-client request either): there the
   * refusal stays the call's result.
   */
  private mayLeaveModern(live: Connected): boolean {
    return live.era.era === "modern" && live.era.via !== "pinned" && isStdio(this.def.spec)
  }

  /** A handler of this server asked its client with a server-to-client request (see `leaveModern`): it is started in the 2025-11-25 era. */
  private pushNeedsLegacy = false
  /** Why the session left the 2026-07-28 era after a refusal of that era (`modernWantsLegacy`): it never goes back to it by itself. */
  private leftModern: string | undefined
  /**
   * Its last start ended before answering anything, the server/discover probe and initialize alike (a
   * missing token, a package npx cannot fetch): the next start goes straight to initialize. Before,
   * each restart of such a server spawned it three times (probe, probe again, initialize).
   */
  private probeless = false

  private readonly onErr = (e: unknown): never => {
    this.limiter.release()
    if (e instanceof RpcError) {
      const live = this.live
      // a 2026-07-28 session refused for its revision: the 2025-11-25 era next (once), unless pinned
      if (live !== undefined && live.era.era === "modern" && e.rpcCode === -32022) {
        if (live.era.via === "pinned") throw this.pinnedRefused(e, true)
        throw fallbackAfterUnsupported(e) === "legacy" ? this.modernWantsLegacy(live, e, true) : this.unsupportedNoFallback(e)
      }
      if (live !== undefined && answersUninitialized(e.rpcCode, e.message, (max) => live.stderrTail(max))) {
        // a 2026-07-28 session was never initialized: the server claimed that era in server/discover but wants initialize
        if (live.era.era === "modern") throw live.era.via === "pinned" ? this.pinnedRefused(e, false) : this.modernWantsLegacy(live, e, false)
        return this.uninitialized(live, e) as never
      }
      if (live !== undefined && this.mayLeaveModern(live)) {
        const method = pushRefusalIn(e.message)
        if (method !== undefined) throw this.leaveModern(live, method)
      }
      return this.onErrAnswer(e)
    } else {
      this.noteError(e)
      // the connection's errors (a timeout, a bad response) do not know which server they are about
      if (e instanceof DownstreamError && e.details?.server === undefined) {
        // one that already names it ("server x closed the connection; …") is not named twice
        const named = e.message.startsWith(`server ${this.name} `) || e.message.startsWith(`server ${this.name}:`)
        // a stdio server's stdin refused this request's own write: it never got it, and says so with
        // what to do (before: "cannot write to downstream: EPIPE" alone, as if the call might have
        // run). Not the requests in flight failed with it (`details.method`: they were written before)
        const unsent = e.code === "WRITE_FAILED" && e.details?.method === undefined && isStdio(this.def.spec)
        const message = `${named ? e.message : `server ${this.name}: ${e.message}`}${unsent ? UNSENT_NOTE : ""}`
        const remedy = unsent ? UNSENT_REMEDY : e.remedy
        throw new DownstreamError(e.code, message, { ...(remedy !== undefined ? { remedy } : {}), details: { ...e.details, server: this.name }, cause: e.cause })
      }
    }
    throw e
  }

  /**
   * The process answering says it was never initialized, on a session that was (pool/uninitialized).
   * A server still taking in our `notifications/initialized` (one that handles messages concurrently)
   * may say so of a request sent right after it, once: a list the server declares is asked again, and
   * only a second such answer, to a request sent after the first came, is read as a restart on the
   * same pipes. Then every later request would be refused the same way, so the session is restarted
   * (a failure, as a crash is: a new process, a new initialize) and this request fails saying so,
   * naming the server; otherwise it fails with the server's own error, as before.
   */
  private async uninitialized(live: Connected, e: RpcError): Promise<never> {
    const caps = live.info.capabilities as Record<string, unknown>
    const probe = caps.tools ? "tools/list" : caps.prompts ? "prompts/list" : caps.resources ? "resources/list" : undefined
    if (probe !== undefined) {
      const again = await live.conn.request(probe, undefined, this.requestOptions({}, Math.min(10_000, this.timeoutMs))).then(
        () => false,
        (p: unknown) => p instanceof RpcError && answersUninitialized(p.rpcCode, p.message, (max) => live.stderrTail(max)),
      )
      if (!again) {
        this.log.debug("downstream answered once as a server never initialized; its next answer was not: no restart", { error: cutText(e.message, 200) })
        return this.onErrAnswer(e)
      }
    }
    throw this.restartedOnPipes(live, e)
  }

  /** A server's own error answer (not a restart on the same pipes): the server answered; it is named in the error. */
  private onErrAnswer(e: RpcError): never {
    if (this.health.afterTimeouts) this.health.answered()
    // which server gave it (the faces name it before its text)
    if (e.details !== undefined && e.details.server === undefined) e.details.server = this.name
    throw e
  }

  /** The session is restarted: its process restarted itself on the same pipes (see `uninitialized`). */
  private restartedOnPipes(live: Connected, e: RpcError): DownstreamError {
    const said = saidOf(e)
    const method = String(e.details?.method ?? "a request")
    const err = !isStdio(this.def.spec) ? this.remoteForgotSession(e) : new DownstreamError(
      "SERVER_EXITED",
      `server ${this.name} answered ${method} as a server that was never initialized ("${said}"): its process restarted itself on the same pipes without a new initialize; the session is restarted`,
      { remedy: "Call again: the next call goes to the restarted server. If it keeps happening, run the server without a wrapper that restarts it (mcp-orchestrator restarts a server that exits).", details: { server: this.name }, cause: e },
    )
    this.log.warn("downstream answered as a server that was never initialized; restarting it", { method, error: said })
    this.drop(live, err, true)
    return err
  }

  /**
   * A remote's "never initialized" answer, twice, on an HTTP session it accepted (`initialize`
   * answered, a session id given): the server no longer knows the session (it restarted and keeps
   * sessions in memory, or another instance behind the URL answered). No process and no pipes of
   * ours are involved: the session is started again (a new initialize) and the request, refused
   * unrun, is sent once more there (`unsent`).
   */
  private remoteForgotSession(e: RpcError): DownstreamError {
    const method = String(e.details?.method ?? "a request")
    const where = whereOf(this.def.spec)
    return new DownstreamError(
      "NOT_CONNECTED",
      `server ${this.name} (${where}) answered ${method} as a server never initialized ("${saidOf(e)}") on the session it had accepted: the server no longer knows that session (it restarted, or another instance behind the url answered); a new session is started (initialize)`,
      {
        remedy: `Call again if this call failed. If it keeps happening, the server at ${where} loses its sessions: run one instance of it, or make its load balancer keep a client on one instance (sticky on the Mcp-Session-Id header).`,
        details: { server: this.name, method, unsent: true },
        cause: e,
      },
    )
  }

  /** The caller's timeout, else this server's for the tool called (`toolTimeouts`), else this server's. */
  private timeoutFor(method: string, params: Record<string, unknown> | undefined, opts: CallOptions): number {
    if (opts.timeoutMs !== undefined) return opts.timeoutMs
    const perTool = this.def.spec.toolTimeouts
    if (perTool !== undefined && method === "tools/call") {
      const tool = params?.name
      if (typeof tool === "string" && Object.hasOwn(perTool, tool)) return perTool[tool]!
    }
    return this.timeoutMs
  }

  private requestOptions(opts: CallOptions, timeoutMs: number, waited?: RequestOptions["waited"]): RequestOptions {
    const r: RequestOptions = { timeoutMs }
    if (waited !== undefined) r.waited = waited
    if (opts.cancel) r.cancel = opts.cancel
    else if (opts.signal) r.signal = opts.signal
    if (opts.raw) r.raw = true
    if (opts.modern) r.modern = opts.modern
    if (opts.maxAnswerBytes !== undefined) r.maxAnswerBytes = opts.maxAnswerBytes
    if (opts.owner !== undefined) r.owner = opts.owner
    if (opts.onProgress) {
      r.onProgress = opts.onProgress
      r.maxTotalMs = this.s.maxTotalTimeout
    } else r.askingCapMs = this.s.maxTotalTimeout
    return r
  }

  /**
   * Everything but the fast path: the server is starting, restarting or busy. The call's budget
   * (its timeout) runs from the moment it arrived and holds through every wait (see deadline.ts):
   * past it the call fails with TIMEOUT and is never written.
   */
  private async slowCall(method: string, params: Record<string, unknown> | undefined, opts: CallOptions, since?: { at: number; what: string; resent?: true }): Promise<unknown> {
    const budget = this.timeoutFor(method, params, opts) + (opts.listing === true && !this.isReady ? this.s.connectTimeout : 0)
    const startedAt = since?.at ?? opts.startedAt
    const dl = new CallDeadline(this.h.clock, this.name, method, budget, opts.cancel ?? opts.signal, startedAt)
    // a wait for the tool list while the server is not up was a wait for its start (the listing comes after it): its remedy is the start's
    const before = this.isReady ? "for the tool list" : this.failures > 0 ? "for the server to restart" : "for the server to start"
    if (startedAt !== undefined) dl.book(since?.what ?? before, this.h.clock.now() - startedAt)
    // until the request is written, a close of this session for good may hand the call to a successor
    let written = false
    // a request refused unsent is sent once more (see `failedOrResent`), not in a loop
    let resent = since?.resent === true
    try {
      for (let attempt = 0; ; ) {
        const live = await this.ready(dl, method, opts.listing !== true)
        const queuedAt = this.h.clock.now()
        // a listing waits past the queue limit: refused as busy during a burst of calls, a list
        // change of this server was lost (its tools stale until the next change)
        const refused = await this.limiter.acquire(dl.cancel, Infinity, undefined, opts.listing === true).then(
          () => undefined,
          (e: unknown) => e ?? new Error("refused"),
        )
        dl.book(SLOT, this.h.clock.now() - queuedAt)
        if (refused !== undefined) throw dl.reason(refused)
        if (dl.expired || this.live !== live || !this.isReady) {
          this.limiter.release()
          if (dl.expired) throw dl.timeoutError()
          continue // the connection went away while queued: wait for the next one
        }
        if (method === "tools/call") this.calls++
        else this.requests++
        this.lastUsed = this.h.clock.now()
        const spent = dl.spent()
        written = true
        try {
          return await live.conn.request(method, params, this.requestOptions(opts, dl.left(), spent)).then(this.onOk, this.onErr)
        } catch (e) {
          if (!resent && isUnsent(e) && !this.disposed && !dl.expired) {
            resent = true
            written = false
            this.resending(method, e)
            continue
          }
          // not once the session is closed (shutdown, removal): there is nothing to retry on
          const retry = opts.idempotent && attempt < MAX_RETRIES && isConnectionLoss(e) && dl.left() > 50 && !this.disposed
          if (!retry) throw e
          attempt++
          this.log.info("retrying idempotent request after connection loss", { method, attempt })
        }
      }
    } catch (e) {
      if (written || dl.expired) throw e
      // not awaited: this deadline ends here, the successor runs its own on the same budget
      return this.replay(e, method, params, { ...opts, startedAt: dl.startedAt }, dl.startedAt)
    } finally {
      // a trial call of a hold-off (see `trial`) ends it here, answered or not
      this.endTrial(dl)
      dl.dispose()
    }
  }

  /**
   * Wait until the server is ready as a client's call of `method` would (its budget counted from
   * `opts.startedAt`, never past a client's wait, at once after a start that hung), sending nothing:
   * for a caller that needs the server's capabilities before it can choose what to send (a tool
   * that must be called as a task: proxy/task-call). Before, such a caller awaited the start itself,
   * up to the server's whole connectTimeout, whatever the call's budget.
   */
  async whenReady(method: string, params: Record<string, unknown> | undefined, opts: CallOptions): Promise<InitializeInfo> {
    const dl = new CallDeadline(this.h.clock, this.name, method, this.timeoutFor(method, params, opts), opts.cancel ?? opts.signal, opts.startedAt)
    try {
      return (await this.ready(dl, method, true)).info
    } finally {
      this.endTrial(dl)
      dl.dispose()
    }
  }

  /**
   * Wait for a ready connection within the call's deadline (joining a start or a scheduled restart).
   * `client`: a client's request (not an internal listing), which also waits no longer than a client
   * does (CLIENT_WAIT_CAP_MS from its arrival) and is not held for a restart after a start that hung
   * (pool/start-waits).
   */
  private async ready(dl: CallDeadline, method: string, client: boolean): Promise<Connected> {
    if (this.disposed) throw this.closedError()
    // its budget spent before it reached the pool (waiting for a listing): the timeout says so
    if (dl.expired) throw dl.timeoutError()
    // its stdin refused a write: its exit, seen in a moment, restarts it; an idempotent request
    // retried after that loss waits for it, not sent again on the dead pipe (every retry refused
    // at once, the listing failed on its first crash, and a list stopped waiting for the server)
    const dying = this.exitAwaited
    if (dying !== undefined) await dl.wait("for the server's exit to be seen", Promise.race([dying.gone.promise, this.ended.promise]))
    if (this.disposed) throw this.closedError()
    if (this.heldUntil !== 0) await this.afterHold(dl)
    if (this.isReady) return this.live!
    if (this.breaker.state === "open") throw this.withLastRemedy(this.health.openError(this.name))
    if (client && this.hung !== undefined) throw hungStartError(this.name, method, this.hung, this.nextStartText(), this.budgetWords(), !isStdio(this.def.spec))
    const what = this.failures > 0 ? "for the server to restart" : "for the server to start"
    const wait = this.starting ? undefined : this.health.restartInMs()
    // the time a client waits for an answer, from the call's arrival (past the deadline: the deadline says so)
    const capAt = dl.startedAt + (this.h.clientWaitCapMs ?? CLIENT_WAIT_CAP_MS)
    const capped = client && capAt < dl.startedAt + dl.budgetMs
    if (wait !== undefined) {
      const late = capped && this.h.clock.now() + wait > capAt
      if (late || wait > dl.left()) {
        const after = late ? `later than a client waits for an answer (${seconds(capAt - dl.startedAt)} from its arrival)` : `after this call's ${seconds(dl.budgetMs)} budget`
        throw new DownstreamError("RESTARTING", `server ${this.name} is restarting after a failure; next attempt in ${seconds(wait)}, ${after}`, {
          ...(this.lastRemedy !== undefined ? { remedy: this.lastRemedy } : {}),
          details: { server: this.name, retryInMs: Math.round(wait), lastError: this.lastError },
        })
      }
      // closed for good meanwhile (removed, or replaced by a reload): stop waiting at once
      if (wait > 0) await dl.wait(what, Promise.race([sleep(wait, dl.cancel.signal), this.ended.promise]))
      if (this.disposed) throw this.closedError()
    }
    // an earlier call already waited a client's whole wait for the start still under way: another
    // such wait would most likely end the same way (the model retrying in a loop, 55 s each)
    const earlier = this.capCut
    if (client && earlier !== undefined && this.starting !== undefined && earlier.start === this.starting) throw stillStartingAgainError(this.name, method, this.h.clock.now() - this.startBegan, earlier, this.budgetWords())
    if (!capped) return dl.wait(what, this.ensure())
    const start = this.ensure()
    let timer: ReturnType<typeof setTimeout> | undefined
    const cut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, capAt - this.h.clock.now()))
    })
    try {
      const live = await dl.wait(what, Promise.race([start, cut]))
      if (live !== undefined) return live
    } finally {
      clearTimeout(timer)
    }
    start.catch(() => {}) // the start goes on for the next calls; its failure is the session's
    const waitedMs = this.h.clock.now() - dl.startedAt
    if (this.starting === start) this.capCut = { start, method, waitedMs }
    throw stillStartingError(this.name, method, waitedMs, this.budgetWords())
  }

  /** This server's connect budget in a message's words. */
  private budgetWords(): ConnectBudget {
    const b = this.connectBudget()
    return { ms: b.connectTimeoutMs, key: b.connectTimeoutKey ?? "pool.connectTimeout" }
  }

  /** When the server is tried again after a start that hung: the restart under way, or the next attempt's time. */
  private nextStartText(): string {
    if (this.starting) return `a start is under way now, for ${seconds(Math.round(this.h.clock.now() - this.startBegan))} so far, up to ${seconds(this.budgetWords().ms)}`
    const ms = this.nextAttemptInMs()
    return ms !== undefined ? `next attempt in ${seconds(Math.max(0, Math.round(ms)))}` : "next attempt on the next listing"
  }

  /** The last start hung (no answer within its connect budget) and none has succeeded since: calls are not held for the next one. */
  private hung: HungStart | undefined
  /** A client's call waited CLIENT_WAIT_CAP_MS for this start and was cut (later calls during it are answered at once). */
  private capCut: { start: Promise<Connected>; method: string; waitedMs: number } | undefined
  /** When the start under way began (clock ms). */
  private startBegan = 0

  /**
   * `e` (the breaker's refusal) with the cause of the last failure, and its remedy when it gave one:
   * "check the server" alone sends the model looking. Before, the cause was left out when the failure
   * had no remedy of its own (a server exiting with code 0 at each start, a crash without a word on
   * stderr): the refusal said only "unavailable after 5 consecutive failures".
   */
  private withLastRemedy(e: DownstreamError): DownstreamError {
    const remedy = this.lastRemedy
    // (a start failure's message may spell its remedy out too: said once, as the remedy)
    const last = remedy === undefined ? this.lastError : this.lastError?.split(remedy).join("").replace(/[ \t]+$/gm, "")
    if (!last && remedy === undefined) return e
    const cause = last ? `: ${last}` : ""
    const details = e.details !== undefined ? { details: e.details } : {}
    if (remedy === undefined) return new DownstreamError(e.code, `${e.message}${cause}`, { ...(e.remedy !== undefined ? { remedy: e.remedy } : {}), ...details })
    return new DownstreamError(e.code, `${e.message}${cause}`, { remedy: `${remedy} Calls resume by themselves after the cooldown (orchestrator_status shows the state).`, ...details })
  }

  /** Milliseconds until the next start attempt of a server that is down (breaker cooldown or restart backoff). */
  nextAttemptInMs(): number | undefined {
    if (this.breaker.state === "open") return this.breaker.retryInMs()
    return this.starting ? undefined : this.health.restartInMs()
  }

  /** When this server is tried again, for messages: "circuit breaker open after 5 consecutive failures; next attempt in 4.2 s". */
  retryText(): string {
    if (this.starting) return this.breaker.consecutiveFailures > 0 ? "it is being restarted now, after a failure" : "it is being started now"
    const ms = this.nextAttemptInMs()
    const open = this.breaker.state === "open" ? `circuit breaker open after ${this.breaker.consecutiveFailures} consecutive failures; ` : ""
    if (ms !== undefined) return `${open}next attempt in ${seconds(Math.max(0, ms))}`
    if (this.breaker.state === "half-open") return "next attempt on the next call (the breaker lets one probe through)"
    return "next attempt on the next listing or call"
  }

  private async start(): Promise<Connected> {
    this.setState("starting")
    this.startBegan = this.h.clock.now()
    // made before the wait for room (pool.maxSessions: closing a victim takes its grace periods):
    // a removal meanwhile ends this start when that wait is over, before anything is spawned
    const connecting = (this.connecting = new AbortController())
    try {
      await this.h.reserve(this)
    } catch (e) {
      if (this.connecting === connecting) this.connecting = undefined
      this.setState("idle") // no room right now: not a failure of this server
      this.health.abandoned()
      throw e
    }
    try {
      // removed (or shut down) while it waited for room: nothing is spawned
      if (this.disposed) throw abandonedStart(this.name)
      const live = await connect({
        signal: connecting.signal,
        server: this.name,
        spec: this.def.spec,
        log: this.log,
        ...this.connectBudget(),
        maxFrameBytes: this.s.maxFrameBytes,
        ...(this.h.closeGraceMs !== undefined ? { closeGraceMs: this.h.closeGraceMs } : {}),
        onNotification: (m, p) => this.h.onNotification(this.name, m, p),
        ...(this.h.onRequest ? { onRequest: (m: string, p: Record<string, unknown> | undefined, sig: AbortSignal, owner?: unknown) => this.h.onRequest!(this.name, m, p, sig, owner) } : {}),
        ...(this.h.relayCapabilities ? { relayCapabilities: this.h.relayCapabilities } : {}),
        onClosed: (c) => this.lost(c),
        ...(this.h.eras ? { eras: this.h.eras } : {}),
        ...(this.pushNeedsLegacy && this.def.spec.protocol !== "modern" ? { era: { era: "legacy", via: "probed" } as const } : {}),
        ...(this.leftModern !== undefined && this.def.spec.protocol !== "modern" ? { leftModern: this.leftModern } : {}),
        ...(this.probeless ? { probeless: true } : {}),
      })
      if (this.disposed) {
        void live.conn.close()
        throw abandonedStart(this.name)
      }
      this.live = live
      this.lastEra = live.era
      this.probeless = false
      this.needsAuth = undefined
      this.hung = undefined
      // Early exits after a good handshake still count as failures (crash loop) until proven.
      this.health.connected(() => this.live === live)
      this.setState("ready")
      this.log.info("downstream ready", { server: live.info.serverInfo.name, version: live.info.serverInfo.version, protocol: live.info.protocolVersion, era: live.era.era, eraVia: live.era.via, pid: live.pid })
      this.h.onReady(this.name, live.info)
      return live
    } catch (caught) {
      this.probeless = endsWhateverAsked(caught)
      const e = this.ownersRemedy(caught)
      // the latest failure decides: one that hung, not one that exited or was refused
      if (!this.disposed && !isAbandoned(caught)) this.hung = isHungStart(caught) ? { why: hungWhy(this.name, caught) } : undefined
      if (!this.disposed) {
        // a server waiting for its user's sign-in in a browser (mcp-remote to an OAuth remote) is
        // not restarted with backoff either: each restart opened another browser tab with a new
        // sign-in address, five before the breaker opened; the next list or call tries again
        if (isNeedsAuth(e)) this.awaitLogin(e as DownstreamError)
        else if (waitsForSignIn(e)) this.awaitSignIn(e as DownstreamError)
        else this.failed(e)
      } else if (isAbandoned(e)) {
        // said once, here: the warm start and the listing waiting on it stay quiet about it
        this.log.info("start abandoned", { error: e.message })
      }
      throw e
    } finally {
      if (this.connecting === connecting) this.connecting = undefined
    }
  }

  /**
   * The server needs an OAuth login: not a crash, so no backoff and no breaker count. The next
   * list or call tries again (the login may have happened meanwhile, in another process).
   */
  private awaitLogin(e: DownstreamError): void {
    const first = this.needsAuth === undefined
    this.needsAuth = e
    this.health.lastError = e.message
    this.health.clearRestart()
    this.setState("needs-auth")
    if (first) this.log.warn("downstream needs authorization", { error: e.message, remedy: e.remedy })
  }

  /**
   * A stdio server that waited for its user's sign-in in a browser (pool/sign-in-hint): failed, its
   * remedy kept, but not restarted by itself and not counted toward the breaker; the next list or
   * call starts it again (the user may have signed in meanwhile). Not `needs-auth`: that state's
   * words point to `auth login`, which serves servers reached by url.
   */
  private awaitSignIn(e: DownstreamError): void {
    const first = this.lastError !== e.message
    this.health.lastError = e.message
    this.health.clearRestart()
    this.failure = e.remedy !== undefined ? { error: this.lastError, remedy: e.remedy } : undefined
    this.setState("failed")
    if (first) this.log.warn("downstream waits for a sign-in in a browser; not restarted until it is used again", { error: e.message, remedy: e.remedy })
  }

  /** The live connection ended without us asking. */
  private lost(c: Connected): void {
    if (this.live !== c) return
    this.unset()
    if (this.disposed) return
    const why = c.exitSummary() ?? "connection closed"
    // the lines that say why (no ANSI, stack frames, Node footers) and the variables they name, as a
    // start failure quotes them: in its last error (orchestrator_status, later calls' errors) too
    const said = c.said()
    this.log.warn("downstream ended unexpectedly", { exit: why, stderr: stderrReason(c.stderrTail(STDERR_REASON_BYTES)) })
    const text = [`server ${this.name} ${why}`, said.quoted, said.note].filter((x) => x !== undefined).join("\n")
    this.failed(this.ownersRemedy(new DownstreamError("SERVER_EXITED", text, { remedy: said.remedy ?? exitRemedy(why, said.quoted === undefined) })), true)
  }

  /** A start failed, or (`lost`) the live connection ended by itself. */
  private failed(e: unknown, lost = false): void {
    const verdict = this.health.failure(e, lost)
    // a stdio start failure's own remedy ("add GITHUB_TOKEN to servers.github.env", the interpreter
    // to install), for later calls' errors (a remote server's are worded for one request: the
    // proxy's url/headers/login remedy fits its later calls better)
    const own = e instanceof DownstreamError && e.remedy !== undefined && !("url" in this.def.spec) && e.remedy !== GENERIC_START_REMEDY
    this.failure = own ? { error: this.lastError, remedy: (e as DownstreamError).remedy! } : undefined
    this.act(verdict)
  }

  /**
   * A listing of this server failed on its answer (an error, no list, over pool.maxFrameBytes, cut
   * short): counted, shown as its last error with `remedy` (orchestrator_status, doctor). With
   * `breaker` (its tools: proxy/list-retry) it counts against the circuit breaker and the verdict
   * says when to list again; else (prompts, resources) it is only counted, and shown unless `keep`
   * (the failing tools listing's error stays the one shown).
   */
  listingFailed(why: string, remedy: string, breaker: boolean, keep = false): Verdict | undefined {
    let verdict: Verdict | undefined
    if (breaker) verdict = this.health.failure(new Error(why))
    else this.health.noted(why, !keep)
    if (!keep) this.failure = { error: this.lastError, remedy }
    return verdict
  }

  /** A start failure with the remedy its definition's owner words for it (the Toolkit gateway's), when it has one. */
  private ownersRemedy(e: unknown): unknown {
    const own = this.def.remedy
    if (own === undefined || isNeedsAuth(e) || isAbandoned(e as unknown) || !(e instanceof DownstreamError)) return e
    return new DownstreamError(e.code, e.message, { remedy: own(e.message), ...(e.details !== undefined ? { details: e.details } : {}), cause: e.cause ?? e })
  }

  /** The remedy of the last failure, while it is still the last error (a later timeout has its own). */
  private failure: { error: string | undefined; remedy: string } | undefined

  /** What to do about the last failure when it said (a start failure's remedy: the env entry to write, the interpreter to install); else undefined. */
  get lastRemedy(): string | undefined {
    return this.failure !== undefined && this.failure.error === this.lastError ? this.failure.remedy : undefined
  }

  /** Carry out a verdict: open-circuit state, or a restart after the backoff delay. */
  private act(v: Verdict): void {
    if ("open" in v) {
      this.health.clearRestart()
      this.setState("open-circuit")
      this.log.error("circuit breaker open", { failures: this.breaker.consecutiveFailures, retryInMs: this.breaker.retryInMs(), lastError: this.lastError })
      return
    }
    this.setState("backoff")
    this.log.warn("downstream failed; restart scheduled", { delayMs: v.restartInMs, error: this.lastError })
    this.health.scheduleRestart(v.restartInMs, () => void this.ensure().catch(() => {}))
  }

  private noteError(e: unknown): void {
    if (!(e instanceof DownstreamError) || !this.live) return
    const hold = holdOffMs(e, this.s.restartDelay)
    if (hold > 0) this.holdOff(hold, e)
    if (isNeedsAuth(e)) {
      // refresh failed mid-session: this connection's token is dead; wait for a login
      const live = this.live
      this.unset()
      void live.conn.close()
      this.awaitLogin(e)
      return
    }
    if (e.code === "WRITE_FAILED" && !onlyItsStream(e)) {
      // The transport cannot send (e.g. a remote server went away without closing the stream).
      if (this.live.transport === "stdio") this.writeFailed(this.live, e)
      else this.drop(this.live, e, true)
    } else if (e.code === "NOT_CONNECTED" && e.details?.unsent === true && this.live.transport === "stdio") {
      // its process exited and the exit is not seen yet (its output drains first): no request is
      // sent on it meanwhile, and a call refused so waits for the restart (`failedOrResent`)
      this.writeFailed(this.live, e)
    } else if (e.code === "TIMEOUT") {
      // a request that timed out while the server answered others (pool/rpc): one slow tool, not a
      // hung server — noted and shown, never a restart or a breaker failure (before, a few timeouts of
      // one slow tool in a busy session restarted the server, and in its first 10 s opened the
      // breaker: every other tool of the server refused for a minute)
      if (typeof e.details?.answeredMeanwhile === "number") {
        this.health.noted(e)
        this.failure = e.remedy !== undefined ? { error: this.lastError, remedy: e.remedy } : undefined
        return
      }
      const drop = this.health.timeout(e)
      // shown with its remedy (raise the timeout), as a failed listing's is: a tools/list that timed out says what to do
      this.failure = e.remedy !== undefined ? { error: this.lastError, remedy: e.remedy } : undefined
      if (drop) {
        this.log.warn("timeouts; restarting the downstream", { error: e.message })
        this.drop(this.live, e, false)
      }
    }
  }

  /**
   * A write to a stdio server failed (EPIPE): mostly it has just exited (a crash right after
   * initialize, as the first tools/list is written), and its exit, seen a moment later, is reported
   * with what it said (`lost`); before, the failed write was: "cannot write to downstream: EPIPE".
   * One that only closed its stdin and lives on is dropped after the wait.
   */
  private writeFailed(live: Connected, e: DownstreamError): void {
    if (this.exitAwaited?.live === live) return
    this.exitAwaited = { live, gone: Promise.withResolvers() }
    setTimeout(() => this.drop(live, e, true), EXIT_AFTER_EPIPE_MS).unref?.()
  }

  /**
   * The live connection whose failed write waits for its process's exit (writeFailed): no request
   * is sent on it meanwhile; `gone` resolves when it is taken out of service (`unset`).
   */
  private exitAwaited: { live: Connected; gone: PromiseWithResolvers<void> } | undefined

  /** The live connection is out of service (lost, dropped, stopped): waits for its exit go on. */
  private unset(): void {
    this.live = undefined
    const dying = this.exitAwaited
    if (dying === undefined) return
    this.exitAwaited = undefined
    dying.gone.resolve()
  }

  /** Take a live connection out of service now (new calls never see it) and close it in the background. */
  private drop(live: Connected, e: unknown, countFailure: boolean): void {
    if (this.live !== live) return
    this.unset()
    void live.conn.close()
    this.act(countFailure ? this.health.failure(e, true) : this.health.verdict())
  }

  private setState(state: SessionState): void {
    if (this.state === state || (this.disposed && state !== "closed")) return
    this.state = state
    this.h.onState(this.name, state)
  }
}

/** Said of a request a stdio server's stdin refused (writeFailed). */
const UNSENT_NOTE = "; the request was not sent: its stdin is closed (it is exiting, or stopped reading its input), so it is restarted once its exit is seen"
const UNSENT_REMEDY = "Call again in a moment: the next call goes to the restarted server (orchestrator_status shows its state, and why it ended once its exit is seen)."

/** How long a stdio server whose stdin refused a write gets for its exit to be seen (writeFailed). */
const EXIT_AFTER_EPIPE_MS = 500

/**
 * What to do about a server that ended by itself once up, when what it said names no remedy: one
 * killed by SIGKILL was most likely killed by the kernel for its memory (nothing of ours sends it
 * SIGKILL unless we closed it); one that exited with code 0 without a word (`quiet`) stopped
 * serving by itself (it was told it "crashed"); else its own output says why.
 */
function exitRemedy(why: string, quiet: boolean): string {
  if (why.startsWith("killed by SIGKILL")) return "It was killed by SIGKILL, most likely by the kernel's out-of-memory killer (dmesg shows it) or a container's memory limit: give it more memory, or find what call makes it grow; the pool restarts it with backoff."
  // code 0 and not a word: it ended as a program that is done does, not as one that failed
  if (quiet && why === "exited with code 0") return "It ended by itself with code 0 (success) without a word, so it stopped serving rather than crashed: a launcher or wrapper that exits once it started something, a server that quits after its first session or when its work is done, a command that is a CLI rather than an MCP server. Run its command by hand with the same env: it must keep running, waiting for input on stdin; the pool restarts it with backoff."
  return "The server crashed on its own: run its command by hand with the same env to see its output (its stderr is shown above when it wrote any); the pool restarts it with backoff."
}

/** A request refused before any byte of it was written (`details.unsent`, set by rpc and the transports): safe to send again. */
function isUnsent(e: unknown): e is DownstreamError {
  return e instanceof DownstreamError && (e.code === "WRITE_FAILED" || e.code === "NOT_CONNECTED") && e.details?.unsent === true
}

/** A start that failed while the server waited for a browser sign-in (pool/sign-in-hint). */
function waitsForSignIn(e: unknown): boolean {
  return e instanceof DownstreamError && e.details?.waitsForSignIn === true
}

function isNeedsAuth(e: unknown): boolean {
  return e instanceof DownstreamError && e.code === "NEEDS_AUTH"
}

/** A start cut short by its session's end (CLOSED, `details.abandoned`): "start of X abandoned: shutting down (SIGTERM)". */
export function abandonedStart(server: string): DownstreamError {
  return new DownstreamError("CLOSED", `start of ${server} abandoned: ${shuttingDown() ?? "the server was removed"}`, { details: { server, abandoned: true } })
}

/** Was `e` a start cut short by the end of its session (shutdown, removal), not a failure of the server? */
export function isAbandoned(e: unknown): e is DownstreamError {
  return e instanceof DownstreamError && e.code === "CLOSED" && e.details?.abandoned === true
}

/** A hung start's reason for messages: its first line, without "server x failed to start: ". */
function hungWhy(server: string, e: unknown): string {
  const first = errorMessage(e).split("\n")[0] ?? ""
  const head = `server ${server} failed to start: `
  return first.startsWith(head) ? first.slice(head.length) : first
}
