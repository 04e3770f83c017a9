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
  constructor(
    private readonly clock: Clock,
    private readonly threshold: number,
    private readonly cooldownMs: number,
  ) {}

  get state(): BreakerState {
    if (this.openedAt < 0) return "closed"
    return this.clock.now() - this.openedAt >= this.cooldownMs ? "half-open" : "open"
  }

  get consecutiveFailures(): number {
    return this.failures
  }

  /** Milliseconds until a probe is allowed (0 when closed or half-open). */
  retryInMs(): number {
    if (this.openedAt < 0) return 0
    return Math.max(0, this.openedAt + this.cooldownMs - this.clock.now())
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

  failure(): void {
    this.failures++
    if (this.probing || this.failures >= this.threshold) {
      this.openedAt = this.clock.now()
      this.probing = false
    }
  }

  /** The probe ended without a verdict (e.g. cancelled by the client): let the next caller probe. */
  release(): void {
    this.probing = false
  }
}
