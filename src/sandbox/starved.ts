/**
 * @module sandbox/starved
 * Was a sandbox worker past its watchdog time because it ran, or because it never got the CPU? The
 * watchdog kills a worker still busy at deadline + grace (a native step the interrupt handler never
 * reaches); on a loaded machine (a build, an editor's language server, other agents on two cores)
 * a hook that did nothing wrong is past that in wall time without having run for it, and a killed
 * `route` hook refuses every tool call until its file changes. The process's CPU time (all its
 * threads) bounds what the worker can have run: while it is below the deadline, the worker cannot
 * have used its deadline, so the watchdog waits another grace, up to `STARVED_CAP_MS` (or ten
 * times the deadline and grace, if longer) of wall time in all. Nor can it be stuck while it has
 * used less than its deadline plus `PAST_DEADLINE_CPU_MS`: a hook interrupted at its deadline
 * (a guest loop) that is then kept off the CPU while it reports its timeout was killed for it. A
 * worker really stuck in native code uses a core (its CPU time grows with the wall time): it is
 * killed at the first check, as before.
 * Where the worker's own thread is known (Linux: it reports its id at start), its own run time is
 * read (`/proc/self/task/<tid>/schedstat`, ns) instead of the process's: the process's other
 * threads (serving calls, the garbage collector, a `plugins test` compiling) use CPU time the
 * worker never had, and a starved hook was killed for it (then turned off after three faults).
 */
import { readFileSync } from "node:fs"
import { WATCHDOG_GRACE_MS } from "./types.ts"

/** Wall time a starved worker is waited for at most, in all (then killed as if stuck). */
export const STARVED_CAP_MS = 5_000

/**
 * CPU time past its deadline that proves a worker is stuck: an interruptible hook stops at its
 * deadline and needs a few ms to report its timeout, so a worker that had used its whole deadline
 * and was then kept off the CPU while reporting (a busy machine) is waited for, not killed; one
 * still running natively keeps using a core and passes this within the first grace.
 */
export const PAST_DEADLINE_CPU_MS = WATCHDOG_GRACE_MS / 2

/** This process's CPU time (user + system, every thread), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** The run time of this process's thread `tid` (Linux), in ms; undefined when it cannot be read. */
export function threadCpuMs(tid: number): number | undefined {
  try {
    const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "latin1").split(" ", 1)[0])
    return Number.isFinite(ns) ? ns / 1e6 : undefined
  } catch {
    return undefined
  }
}

/** One request's watch: made when the request is sent. */
export class StarvedWatch {
  /** The CPU time the worker can have used, in ms: its thread's own when known, else the process's. */
  private readonly clock: () => number | undefined
  private readonly cpu0: number
  private readonly t0 = performance.now()
  /** The wait was extended at least once (the kill message says so). */
  extended = false

  /** `tid`: the worker's thread, when it reported it (Linux). */
  constructor(
    private readonly deadlineMs: number,
    tid?: number,
  ) {
    const own = tid === undefined ? undefined : threadCpuMs(tid)
    this.clock = own === undefined || tid === undefined ? cpuMs : () => threadCpuMs(tid)
    this.cpu0 = own ?? cpuMs()
  }

  /**
   * At the watchdog's time: how much longer to wait (ms), or 0 to kill now (the worker — or, its
   * thread unknown, the process — used at least the deadline and `PAST_DEADLINE_CPU_MS` of CPU time
   * since the request was sent, its thread is gone, or the cap is reached).
   */
  more(): number {
    const now = this.clock()
    const used = now === undefined ? Infinity : now - this.cpu0
    const waited = performance.now() - this.t0
    const cap = Math.max(STARVED_CAP_MS, 10 * (this.deadlineMs + WATCHDOG_GRACE_MS))
    if (used >= this.deadlineMs + PAST_DEADLINE_CPU_MS || waited >= cap) return 0
    this.extended = true
    return Math.min(WATCHDOG_GRACE_MS, cap - waited)
  }

  /** What the kill message adds when the wait was extended: how long it was in all, and why. */
  note(): string {
    if (!this.extended) return ""
    return ` (after ${Math.round(performance.now() - this.t0)} ms in all: the wait was extended while the worker had had less CPU time than a stuck one would, a busy machine)`
  }
}
