/**
 * @module pool/breaker
 * Circuit breaker per downstream: `threshold` consecutive failures open it for `cooldownMs`; then
 * exactly one probe is let through (half-open); its success closes the breaker, its failure re-opens it.
 */
import type { Clock } from "../core/index.ts"

export type BreakerState = "closed" | "open" | "half-open"

export class CircuitBreaker {
  private failures = 0
  private openedAt = -1
  private probing = false
  /** How long the breaker stays open this time: the cooldown, or the server's longer `Retry-After` (failure's `holdMs`). */
  private openFor: number
  constructor(
    private readonly clock: Clock,
    private readonly threshold: number,
    private readonly cooldownMs: number,
  ) {
    this.openFor = cooldownMs
  }

  get state(): BreakerState {
    if (this.openedAt < 0) return "closed"
    return this.clock.now() - this.openedAt >= this.openFor ? "half-open" : "open"
  }

  get consecutiveFailures(): number {
    return this.failures
  }

  /** Milliseconds until a probe is allowed (0 when closed or half-open). */
  retryInMs(): number {
    if (this.openedAt < 0) return 0
    return Math.max(0, this.openedAt + this.openFor - this.clock.now())
  }

  /**
   * May a request go through now? In half-open state only the first caller gets `true` (the probe)
   * until it reports back.
   */
  allow(): boolean {
    const s = this.state
    if (s === "closed") return true
    if (s === "open" || this.probing) return false
    this.probing = true
    return true
  }

  success(): void {
    this.failures = 0
    this.openedAt = -1
    this.probing = false
  }

  /**
   * A failure; one that opens the breaker keeps it open the cooldown, or `holdMs` when longer (a
   * remote's `Retry-After`, already bounded): before, the breaker let its probe through after the
   * cooldown while the server had asked for longer, and the status row said the sooner time.
   */
  failure(holdMs = 0): void {
    this.failures++
    if (this.probing || this.failures >= this.threshold) {
      this.openedAt = this.clock.now()
      this.openFor = Math.max(this.cooldownMs, holdMs)
      this.probing = false
    }
  }

  /** The probe ended without a verdict (e.g. cancelled by the client): let the next caller probe. */
  release(): void {
    this.probing = false
  }
}
