/**
 * @module core/idle-trim
 * Memory a burst of work leaves behind (a start's module evaluation and first lists, a relist of
 * thousands of tools), given back once the process is quiet. A full collection frees the objects;
 * `Bun.shrink()` then has JavaScriptCore drop its compiled code (bytecode and JIT code of run-once
 * start-up paths: most of it is never run again) and return freed malloc pages to the system. This
 * runs only after `QUIET_MS` with no input read: never under load. Measured: idle RSS of a stdio
 * session with three servers −1.7 MiB (docs/proxy.md, *Idle RSS*).
 *
 * The shrink drops ALL compiled code, the hot path's too, and getting it back is not one
 * recompilation: JavaScriptCore tiers a function up again by its run counts, so a process that had
 * served calls ran the next 15 000–30 000 at up to twice the CPU per call (its JIT thread busy
 * throughout; measured in docs/proxy.md, *Under concurrency*, thirteenth session). So the shrink runs
 * only while the process has served fewer than `HOT_CALLS` calls (tools, prompts, resources) since
 * its start or its last shrink (a start, its lists, a few calls; however many servers it started);
 * once it has been serving, a quiet spell (an agent's pause between two bursts of calls) gets the
 * full collection only, and keeps the code it runs.
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

/**
 * Calls served since the last shrink past which the compiled code is kept (the process has been
 * serving: JavaScriptCore has tiered the call path past its baseline compiler by then).
 */
export const HOT_CALLS = 500

let activity = 0
/** Calls served since the start or the last shrink. */
let served = 0
let trims = 0
let shrinks = 0
let lastTrim = -Infinity
let waiting: ReturnType<typeof setInterval> | undefined

/** Something was read (a counter bump: called per input chunk and per HTTP request). */
export function noteActivity(): void {
  activity++
}

/** A call was served (a counter bump on the call path: tools, prompts, resources). */
export function noteServed(): void {
  served++
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

/** How many of them also dropped compiled code (for tests and diagnostics). */
export function shrinkCount(): number {
  return shrinks
}

function trim(): void {
  trims++
  lastTrim = performance.now()
  Bun.gc(true)
  if (served >= HOT_CALLS) return
  shrinks++
  served = 0
  ;(Bun as { shrink?: () => void }).shrink?.()
}
