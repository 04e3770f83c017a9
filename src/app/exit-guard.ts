/**
 * @module app/exit-guard
 * The shutdown deadline, enforced from outside the event loop. The budget's own timer (app/shutdown)
 * runs on the main thread: while that thread is held (a downstream's list of 10 000 tools being
 * checked and indexed, a long synchronous step), it cannot fire, and the process outlived its 1.8 s
 * budget by 10 s and more — an editor restarting its servers waited, or killed us itself. At the
 * first shutdown trigger a tiny worker thread is started with the deadline: its own timer SIGKILLs
 * this process a little after it, whatever the main thread is doing. It is this process (the
 * worker lives in it), so no other process can be hit. Our downstreams are then ended by the
 * watchdog (core/reaper), which acts once this process is gone however it ended. A clean exit
 * before the deadline ends the worker with the process (it is unref'd: it never holds it open).
 */

/** Past the shutdown deadline, how long the main thread still gets to exit on its own first. */
export const GUARD_GRACE_MS = 400

// (inline source: a compiled binary has no file of its own to start a worker from)
const SOURCE = `
self.onmessage = (e) => {
  const { pid, ms, why } = e.data
  setTimeout(() => {
    const line = JSON.stringify({ ts: new Date().toISOString(), level: "error", component: "shutdown", msg: "exiting now: the main thread was held past the shutdown deadline; killing this process (the watchdog ends its servers)", reason: why, pastDeadlineMs: ${GUARD_GRACE_MS} }) + "\\n"
    try { require("node:fs").writeSync(2, line) } catch {}
    process.kill(pid, "SIGKILL")
  }, ms)
}
`

let started = false

/**
 * Kills this process `ms` + GUARD_GRACE_MS from now unless it exited first, from a worker thread
 * (the main one may be held). Once per process; false when no worker could be started (the
 * budget's own timer still acts once the main thread is free).
 */
export function guardExit(ms: number, why: string): boolean {
  if (started) return true
  try {
    const url = URL.createObjectURL(new Blob([SOURCE], { type: "application/javascript" }))
    const w = new Worker(url, { smol: true } as WorkerOptions)
    w.unref()
    w.postMessage({ pid: process.pid, ms: Math.max(0, ms) + GUARD_GRACE_MS, why })
    started = true
    return true
  } catch {
    return false
  }
}
