/**
 * @module sandbox/late-result
 * A hook's result that comes past its deadline is refused as a timeout. The deadline interrupt
 * stops guest code, but not one native step (a BigInt product of 500 000 bits, a template literal
 * of a huge BigInt: hundreds of ms): such a step that ended before the watchdog handed its result
 * back as if in time (a 50 ms route hook answered after ~870 ms, and was obeyed). Measured on the
 * worker, from the moment the hook starts (a module evaluated again first is not counted), so the
 * worker's start, the queue and the message passing never count against the hook. A worker kept
 * off the CPU (a busy machine) is not late for it: the result is refused only when the worker's
 * thread also used more CPU time than the deadline and the grace.
 */
import { SandboxFault } from "./types.ts"

/** How far past its deadline a hook's result is still taken (the interrupt is polled, not instant). */
export const LATE_RESULT_GRACE_MS = 25

/** This thread's CPU time (user + system) in ms; undefined where the runtime cannot tell. */
export function threadCpuMs(): number | undefined {
  const f = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage
  if (typeof f !== "function") return undefined
  try {
    const u = f.call(process)
    return (u.user + u.system) / 1000
  } catch {
    return undefined
  }
}

/**
 * The timeout fault for a result that ended `now - deadline` ms past its deadline (beyond the
 * grace), or undefined when it is in time. `cpu0`: the thread's CPU time when the hook started.
 */
export function lateResult(deadline: number, deadlineMs: number, cpu0: number | undefined, now = performance.now()): SandboxFault | undefined {
  const late = now - deadline
  if (late <= LATE_RESULT_GRACE_MS) return undefined
  const cpu1 = cpu0 === undefined ? undefined : threadCpuMs()
  // starved, not slow: the thread did not have the CPU for its deadline
  if (cpu0 !== undefined && cpu1 !== undefined && cpu1 - cpu0 <= deadlineMs + LATE_RESULT_GRACE_MS) return undefined
  return new SandboxFault({
    kind: "timeout",
    message: `deadline exceeded: the result came ${Math.round(late)} ms after the ${deadlineMs} ms deadline and was refused (a native step the deadline cannot interrupt ran past it: a huge BigInt product or string conversion, a sort or join of a huge array, a regular expression)`,
  })
}
