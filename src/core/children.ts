/**
 * @module core/children
 * Every process this one starts is registered here, so that no path out of the process (a clean
 * shutdown, the shutdown budget firing, an uncaught error, a second signal) leaves one behind:
 * the `exit` hook SIGKILLs each registered process group (downstream servers run detached, in
 * their own group, with whatever they started) and each plain child (short `docker` commands).
 * `process.on("exit")` runs synchronously on every `process.exit` and on a normal end.
 */

interface Tracked {
  pid: number
  /** The child leads its own process group (spawned detached): kill the whole group. */
  group: boolean
}

const live = new Map<number, Tracked>()
let hooked = false
let exiting = false

/** Grace before SIGTERM (and again before SIGKILL) for a downstream when the whole process stops. */
export const EXIT_GRACE_MS = 250

/**
 * Registers a started child; returns the function that forgets it (call it once the child has
 * exited). `group` when it was spawned detached, so it leads a process group of its own.
 */
export function trackChild(pid: number | undefined, group: boolean): () => void {
  if (pid === undefined || pid <= 0) return () => {}
  if (!hooked) {
    hooked = true
    process.on("exit", () => killAllChildren("SIGKILL"))
  }
  live.set(pid, { pid, group })
  return () => void live.delete(pid)
}

/** Sends `signal` to every registered child (its whole group when it leads one); synchronous. */
export function killAllChildren(signal: "SIGTERM" | "SIGKILL"): number {
  let n = 0
  for (const c of live.values()) {
    try {
      process.kill(c.group ? -c.pid : c.pid, signal)
      n++
    } catch {
      // already gone
    }
  }
  return n
}

/** Children registered and not yet reported gone. */
export function liveChildren(): number {
  return live.size
}

/** The whole process is shutting down: children get the short exit grace instead of their own. */
export function markExiting(): void {
  exiting = true
}

export function isExiting(): boolean {
  return exiting
}
