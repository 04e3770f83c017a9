/**
 * @module sandbox/starved
 * Was a sandbox worker past its watchdog time because it ran, or because it never got the CPU? The
 * watchdog kills a worker still busy at deadline + grace (a native step the interrupt handler never
 * reaches); on a loaded machine (a build, an editor's language server, other agents on two cores)
 * a hook that did nothing wrong is past that in wall time without having run for it, and a killed
 * `route` hook refuses every tool call until its file changes. The process's CPU time (all its
 * threads) bounds what the worker can have run: while it is below the deadline, the worker cannot
 * have used its deadline, so the watchdog waits another grace, up to `STARVED_CAP_MS` (or ten
 * times the deadline and grace, if longer) of wall time in all. A worker really stuck in native
 * code uses a core (its CPU time grows with the wall time): it is killed at the first check, as
 * before.
 */
import { WATCHDOG_GRACE_MS } from "./types.ts"

/** Wall time a starved worker is waited for at most, in all (then killed as if stuck). */
export const STARVED_CAP_MS = 5_000

/** This process's CPU time (user + system, every thread), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** One request's watch: made when the request is sent. */
export class StarvedWatch {
  private readonly cpu0 = cpuMs()
  private readonly t0 = performance.now()
  /** The wait was extended at least once (the kill message says so). */
  extended = false

  constructor(private readonly deadlineMs: number) {}

  /**
   * At the watchdog's time: how much longer to wait (ms), or 0 to kill now (the process used at
   * least the deadline of CPU time since the request was sent, or the cap is reached).
   */
  more(): number {
    const used = cpuMs() - this.cpu0
    const waited = performance.now() - this.t0
    const cap = Math.max(STARVED_CAP_MS, 10 * (this.deadlineMs + WATCHDOG_GRACE_MS))
    if (used >= this.deadlineMs || waited >= cap) return 0
    this.extended = true
    return Math.min(WATCHDOG_GRACE_MS, cap - waited)
  }

  /** What the kill message adds when the wait was extended: how long it was in all, and why. */
  note(): string {
    if (!this.extended) return ""
    return ` (after ${Math.round(performance.now() - this.t0)} ms in all: the wait was extended while the process had used less CPU time than the deadline, a busy machine)`
  }
}
