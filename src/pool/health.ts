/**
 * @module pool/health
 * Failure accounting of one downstream: consecutive failures and the circuit breaker, restart
 * backoff (1 s × 2ⁿ ± 20 %), the stability mark that proves a restarted server healthy (it doubles each
 * time a proven connection is lost, so a crash loop of any period is caught, and comes down after a
 * run far longer than it), timeouts.
 * Decides; the session acts (restart, open circuit, drop a connection).
 */
import { DownstreamError, errorMessage, type Clock } from "../core/index.ts"
import { restartDelay } from "./backoff.ts"
import { CircuitBreaker } from "./breaker.ts"
import { retryAfterOf } from "./retry-after.ts"

export interface HealthSettings {
  breakerFailures: number
  breakerCooldown: number
  restartDelay: number
  restartDelayMax: number
  /** The uptime that first proves a connection healthy (default STABLE_AFTER_MS): tests shorten it. */
  stableAfterMs?: number
}

/** What to do after a failure: restart after `delayMs`, or stay down (breaker open). */
export type Verdict = { restartInMs: number } | { open: true }

const TIMEOUTS_BEFORE_RESTART = 3
/** A connection alive this long proves the server healthy at first: backoff and breaker count reset. */
export const STABLE_AFTER_MS = 10_000
/**
 * How far the stable mark grows (× its start: 1 h by default). A server crashing less often than
 * this restarts at once each time: not a loop worth holding it down for.
 */
const STABLE_MARK_GROWTH_MAX = 360

export class Health {
  readonly breaker: CircuitBreaker
  failures = 0
  private error: string | undefined
  /** Bumped on each error recorded; `connectedAt` holds its value when the last connection came up. */
  private errors = 0
  private connectedAt = -1
  private attempts = 0
  private timeouts = 0
  /** Connected but not yet alive for the stable mark: an exit now still counts as a start failure. */
  private unproven = false
  /** The current (or last) connection outlived the stable mark. */
  private proven = false
  private stableTimer: ReturnType<typeof setTimeout> | undefined
  private restartTimer: ReturnType<typeof setTimeout> | undefined
  private restartAt = 0
  /**
   * The uptime that proves a connection healthy now. It doubles each time a proven connection is
   * lost (up to STABLE_MARK_GROWTH_MAX × its start): before, it was a fixed 10 s, so a server that
   * crashed just after it (every 11 s) had its backoff and breaker count reset each time and was
   * restarted forever; now its next runs are not proven by that uptime, and its crashes count. A
   * server that ran long and crashed once still restarts at once (its run was proven).
   */
  private stableMark: number
  private readonly stableMax: number
  /** The mark's start (it never decays below it). */
  private readonly stableMin: number
  /** When the current connection came up (clock ms), -1 when none: its uptime brings the mark down (`decay`). */
  private upAt = -1
  /** How long the last connection lost by a crash had run (ms): a run far longer is no loop (`runEnded`). */
  private lastRun = 0

  constructor(
    private readonly clock: Clock,
    private readonly s: HealthSettings,
  ) {
    this.breaker = new CircuitBreaker(clock, s.breakerFailures, s.breakerCooldown)
    this.stableMark = s.stableAfterMs ?? STABLE_AFTER_MS
    this.stableMin = this.stableMark
    this.stableMax = this.stableMark * STABLE_MARK_GROWTH_MAX
  }

  /** The uptime that proves the next connection healthy (grows with crashes of proven connections). */
  get stableAfterMs(): number {
    return this.stableMark
  }

  /** The last failure's message (a start, a lost connection, a timeout, a failed list, a login needed). */
  get lastError(): string | undefined {
    return this.error
  }

  set lastError(e: string | undefined) {
    this.error = e
    this.errors++
  }

  /**
   * The last error happened before the current (or last) connection came up and nothing failed
   * since: the server started fine after it. orchestrator_status shows it as `pastError`, so a
   * ready server does not read as failing.
   */
  get errorIsPast(): boolean {
    return this.error !== undefined && this.connectedAt === this.errors
  }

  /** Were there timeouts since the last answer? (Checked on every answer: keep it cheap.) */
  get afterTimeouts(): boolean {
    return this.timeouts !== 0
  }

  /** A connection came up; it is proven healthy once it stays up for the stable mark. */
  connected(stillLive: () => boolean): void {
    this.connectedAt = this.errors
    this.upAt = this.clock.now()
    this.unproven = true
    this.proven = false
    this.clearStable()
    this.stableTimer = setTimeout(() => {
      this.stableTimer = undefined
      if (stillLive() && this.unproven) this.healthy()
    }, this.stableMark)
    this.stableTimer.unref?.()
  }

  /** A start failed or (`lost`) a live connection was lost: counts against the breaker. */
  failure(e: unknown, lost = false): Verdict {
    if (lost) {
      this.runEnded(true)
      this.lostConnection()
    }
    this.failures++
    this.lastError = errorMessage(e)
    // a remote that answered 429/503 with Retry-After is left alone that long (bounded), not ~1 s;
    // an open breaker too (its probe not before then)
    const asked = retryAfterOf(e)
    this.breaker.failure(asked)
    return this.verdict(asked)
  }

  /**
   * A failure of the server's own answer that is no reason to restart it nor to refuse its calls (a
   * prompts or resources listing that failed): counted and shown (unless not `shown`: a more
   * telling error stays the last one), the breaker untouched.
   */
  noted(e: unknown, shown = true): void {
    this.failures++
    if (shown) this.lastError = errorMessage(e)
  }

  /** The next step after a failure that was already counted; a restart waits at least `floorMs` (the server's Retry-After). */
  verdict(floorMs = 0): Verdict {
    if (this.breaker.state !== "closed") return { open: true }
    return { restartInMs: Math.max(floorMs, restartDelay(this.attempts++, this.s.restartDelay, this.s.restartDelayMax)) }
  }

  /** A call timed out. Returns true when the connection should be dropped (3 in a row, or breaker open). */
  timeout(e: DownstreamError): boolean {
    this.failures++
    this.lastError = e.message
    this.breaker.failure()
    if (++this.timeouts >= TIMEOUTS_BEFORE_RESTART) {
      this.timeouts = 0
      return true
    }
    return this.breaker.state !== "closed"
  }

  /** An answer after timeouts: responsive again (resets the breaker only on a stable connection). */
  answered(): void {
    this.timeouts = 0
    if (!this.unproven) this.breaker.success()
  }

  /** The connection is gone without a verdict on a half-open probe: let the next caller probe. */
  abandoned(): void {
    if (this.unproven) this.breaker.release()
    this.lostConnection()
  }

  /**
   * The current connection ended (`crash`: lost by itself). The loss of one proven by the mark: the
   * next one must stay up twice as long (a crash loop of any period is caught). But a run far longer
   * than the last crashed one (4×) and than twice the mark is no loop: the mark comes down instead,
   * halving (towards its start) for each span of twice the mark it ran. Before, the mark never came
   * down: a server that crashed a few times on Monday and then ran fine for days needed up to an
   * hour of uptime to count as stable again, its crashes meanwhile counting towards the breaker.
   * (A steady loop's runs are alike, so they still grow the mark past its period.)
   */
  private runEnded(crash: boolean): void {
    if (this.upAt < 0) return
    let ran = this.clock.now() - this.upAt
    this.upAt = -1
    const run = ran
    if (this.stableMark > this.stableMin && ran >= 2 * this.stableMark && ran >= 4 * this.lastRun) {
      while (this.stableMark > this.stableMin && ran >= 2 * this.stableMark) {
        ran -= 2 * this.stableMark
        this.stableMark = Math.max(this.stableMin, this.stableMark / 2)
      }
    } else if (crash && this.proven) this.stableMark = Math.min(this.stableMax, this.stableMark * 2)
    if (crash) this.lastRun = run
  }

  /** The connection is gone: no longer proven, nor to be proven by its timer. */
  private lostConnection(): void {
    this.runEnded(false)
    this.proven = false
    this.unproven = false
    this.clearStable()
  }

  /** Arm the restart timer. */
  scheduleRestart(delayMs: number, fn: () => void): void {
    this.clearRestart()
    this.restartAt = this.clock.now() + delayMs
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined
      fn()
    }, delayMs)
    this.restartTimer.unref?.()
  }

  /** Milliseconds until the scheduled restart, or undefined when none is scheduled. */
  restartInMs(): number | undefined {
    return this.restartTimer === undefined ? undefined : this.restartAt - this.clock.now()
  }

  clearRestart(): void {
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer)
    this.restartTimer = undefined
  }

  openError(server: string): DownstreamError {
    const ms = this.breaker.retryInMs()
    return new DownstreamError("BREAKER_OPEN", `server ${server} unavailable after ${this.breaker.consecutiveFailures} consecutive failures; retry in ${Math.ceil(ms / 1000)}s`, {
      remedy: "Check the server (orchestrator_status shows its last error); calls resume automatically after the cooldown.",
      details: { server, retryInMs: ms, lastError: this.lastError },
    })
  }

  dispose(): void {
    this.clearRestart()
    this.clearStable()
  }

  private healthy(): void {
    this.unproven = false
    this.proven = true
    this.attempts = 0
    this.timeouts = 0
    this.breaker.success()
    this.clearStable()
  }

  private clearStable(): void {
    if (this.stableTimer !== undefined) clearTimeout(this.stableTimer)
    this.stableTimer = undefined
  }
}
