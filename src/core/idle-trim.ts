/**
 * @module core/idle-trim
 * Memory a burst of work leaves behind (a start's module evaluation and first lists, a relist of
 * thousands of tools), given back once the process is quiet. A full collection frees the objects;
 * `Bun.shrink()` then has JavaScriptCore drop its compiled code (bytecode and JIT code of run-once
 * start-up paths: most of it is never run again) and return freed malloc pages to the system. The
 * hot path recompiles on its next call (once, ≈ a millisecond), so this runs only after
 * `QUIET_MS` with no input read: never under load. Measured: idle RSS of a stdio session with three
 * servers −1.7 MiB (docs/proxy.md, *Idle RSS*).
 */

/** Quiet this long (no chunk read from the client or any downstream, no HTTP request) before trimming. */
export const QUIET_MS = 1000
/** How often quiet is checked while a trim waits. */
const CHECK_MS = 250
/** A process busy this long after asking is left alone (its code is in use; the next quiet will come with the next ask). */
const GIVE_UP_MS = 60_000
/**
 * Trims at most this often: a downstream that changes its list every few seconds would otherwise
 * cost a full collection and the hot path's recompilation each time (an ask within it is dropped;
 * the next burst asks again).
 */
export const MIN_TRIM_INTERVAL_MS = 60_000

let activity = 0
let trims = 0
let lastTrim = -Infinity
let waiting: ReturnType<typeof setInterval> | undefined

/** Something was read (a counter bump: called per input chunk and per HTTP request). */
export function noteActivity(): void {
  activity++
}

/** Trim once the process has been quiet for `QUIET_MS` (one pending trim at a time, none within `minIntervalMs` of the last). */
export function trimWhenQuiet(minIntervalMs = MIN_TRIM_INTERVAL_MS): void {
  if (waiting !== undefined) return
  const asked = performance.now()
  if (asked - lastTrim < minIntervalMs) return
  let seen = activity
  let quietSince = asked
  waiting = setInterval(() => {
    const now = performance.now()
    if (activity !== seen) {
      seen = activity
      quietSince = now
    } else if (now - quietSince >= QUIET_MS) {
      stop()
      trim()
      return
    }
    if (now - asked > GIVE_UP_MS) stop()
  }, CHECK_MS)
  waiting.unref?.()
}

function stop(): void {
  clearInterval(waiting)
  waiting = undefined
}

/** How many trims ran in this process (for tests and diagnostics). */
export function trimCount(): number {
  return trims
}

function trim(): void {
  trims++
  lastTrim = performance.now()
  Bun.gc(true)
  ;(Bun as { shrink?: () => void }).shrink?.()
}
