/**
 * @module core/children
 * Every process this one starts is registered here, so that no path out of the process (a clean
 * shutdown, the shutdown budget firing, an uncaught error, a second signal) leaves one behind:
 * the `exit` hook SIGKILLs each registered process group (downstream servers run detached, in
 * their own group, with whatever they started), each plain child (short `docker` commands), and
 * every process that carries this process's mark or holds a child's stdio (core/descendants: a
 * helper a downstream moved out of its group, `setsid` or a daemon), and what descends from a
 * child as noted (`noteKin`) before it was told to end (a helper with a scrubbed environment). `process.on("exit")` runs synchronously on every
 * `process.exit` and on a normal end. Our own SIGKILL runs no code: then a watchdog process started
 * with the first child ends them (core/reaper).
 */
import { carriersOf, holdersOf, kinOf, noteStdio, ownedProcesses, running, startedAt } from "./descendants.ts"
import { forgetGroup, reapEnds, reapGroup } from "./reaper.ts"
import { adoptedOf, noteRoot, noteSpawned } from "./subreaper.ts"

export { childToken, OWNER_VAR, withOwnerMark } from "./descendants.ts"

interface Tracked {
  pid: number
  /** The child leads its own process group (spawned detached): kill the whole group. */
  group: boolean
  /** Its stdin, stdout and stderr ends (`pipe:[N]`), as noted at its start (Linux). */
  ends: readonly string[]
  /** When it started (clock ticks since boot; Linux). */
  start: number | undefined
  /** Its own mark (childToken), when it was given one: what it started carries it. */
  mark: string | undefined
}

const live = new Map<number, Tracked>()
let hooked = false
let exiting = false
/** Why the process is shutting down ("SIGTERM", "stdin closed"), once it is. */
let exitWhy: string | undefined
/** The last sweep found nothing and no child was started since: a sweep would find nothing again (each costs a /proc read per process). */
let swept = false
/**
 * What descends from a child (`of`), noted by `noteKin` while the parent links held, with its start
 * time (a pid that was reused is not it): ended with the child's leftovers even once its parent is
 * gone (re-parented to init, no mark or pipe of ours left to know it by).
 */
const kin = new Map<number, { start: number; of: number }>()
/** `noteKin` walked in this turn of the event loop (closes started together share one /proc pass). */
let kinWalked = false

/** Grace before SIGTERM (and again before SIGKILL) for a downstream when the whole process stops. */
export const EXIT_GRACE_MS = 250

/**
 * Registers a started child; returns the function that forgets it (call it once the child has
 * exited). `group` when it was spawned detached, so it leads a process group of its own.
 */
export function trackChild(pid: number | undefined, group: boolean, mark?: string): () => void {
  if (pid === undefined || pid <= 0) return () => {}
  // ours, waited for by Bun: never taken for an adopted process (core/subreaper)
  noteSpawned(pid)
  if (!hooked) {
    hooked = true
    process.on("exit", () => killAllChildren("SIGKILL"))
  }
  // its stdio ends: a helper that inherits them (and keeps them once the child is gone) is found by them
  const ends = noteStdio(pid)
  const start = startedAt(pid)
  live.set(pid, { pid, group, ends, start, mark })
  // a server (it has its own mark): the orphans its tree leaves with us (core/subreaper) are its
  if (mark !== undefined) noteRoot(pid, start)
  swept = false
  // our own SIGKILL runs no hook: a watchdog outside our process group ends them then (core/reaper)
  if (group) reapGroup(pid)
  reapEnds(ends)
  return () => {
    if (live.delete(pid) && group) forgetGroup(pid)
  }
}

/**
 * A registered child exited while we run on: sends `signal` to what it left holding its stdin,
 * stdout or stderr (a `setsid` helper, a launcher's real server started in the background; outside
 * its process group, which a group kill misses). Nobody reads or writes those pipes any more (the
 * session is over and a restart starts a new process), so each such process would otherwise run
 * until our own exit — one more per restart of a server that keeps exiting. Call it before the
 * child is forgotten; returns how many were signalled. Linux only (elsewhere: none found); none
 * once the whole process is stopping (its shutdown sweep ends them).
 */
export function signalHolders(pid: number, signal: "SIGTERM" | "SIGKILL"): number {
  const c = live.get(pid)
  // the whole process stopping: its own sweep finds them (one /proc pass, not one per server)
  if (exiting || c === undefined || c.start === undefined) return 0
  let n = 0
  // what holds its pipes, and what it started with its own mark (a helper that closed its stdio)
  const left = new Set([...holdersOf(c.ends, c.start), ...(c.mark ? carriersOf(c.mark, c.start) : []), ...liveKin(pid), ...adoptedTree(pid, c.start)])
  for (const holder of left) {
    try {
      process.kill(holder, signal)
      n++
    } catch {
      // gone meanwhile
    }
  }
  return n
}

/**
 * The processes of `pid`'s tree that we adopted (core/subreaper: an orphan with a scrubbed
 * environment, stdio on /dev/null, a session of its own, whose parent died) and what descends from
 * them (found while their links hold), the start of each checked (a reused pid is not it). Before,
 * each was ended only at our exit: a server that started such a helper and exited left one more
 * per restart.
 */
function adoptedTree(pid: number, since: number): number[] {
  const adopted = adoptedOf(pid).filter((a) => startedAt(a.pid) === a.start)
  if (adopted.length === 0) return []
  return [...adopted.map((a) => a.pid), ...kinOf(new Set(adopted.map((a) => a.pid)), since).keys()]
}

/**
 * Notes what descends from the registered children (a helper a server started with a scrubbed
 * environment in a session of its own: no mark, no pipe of ours), while the parent links still
 * hold: call it before a child is told to end (stdin EOF) and before each signal to it. What is
 * noted is ended with that child's leftovers (`signalHolders`) or at the whole process's end
 * (`endLeftBehind`, the exit hook), also once re-parented to init. One /proc pass per turn of the
 * event loop (Linux; nothing elsewhere).
 */
export function noteKin(): void {
  if (kinWalked || live.size === 0) return
  let since: number | undefined
  for (const c of live.values()) if (c.start !== undefined && (since === undefined || c.start < since)) since = c.start
  if (since === undefined) return
  kinWalked = true
  setImmediate(() => (kinWalked = false))
  for (const [pid, k] of kinOf(new Set(live.keys()), since)) {
    if (live.has(pid) || kin.get(pid)?.start === k.start) continue
    kin.set(pid, { start: k.start, of: k.root })
    swept = false
  }
}

/** The noted kin still running (of the child `of`, or of any), the gone forgotten. */
function liveKin(of?: number): number[] {
  const out: number[] = []
  for (const [pid, k] of kin) {
    if (!running(pid) || startedAt(pid) !== k.start) kin.delete(pid)
    else if (of === undefined || k.of === of) out.push(pid)
  }
  return out
}

/** Grace between SIGTERM and SIGKILL for what the downstreams left behind, at the end of a graceful shutdown. */
export const LEFT_BEHIND_GRACE_MS = 100

/**
 * Sends `signal` to every registered child (its whole group when it leads one) and to every process
 * that carries this process's mark or descends from a child (found while the parent chains still
 * hold: before the groups go); synchronous. Returns how many were signalled.
 */
export function killAllChildren(signal: "SIGTERM" | "SIGKILL"): number {
  let n = signalOwned(signal)
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

/**
 * Signals the marked processes, again while a sweep finds new ones (one forked between a sweep and
 * its signal; at most a few rounds). Returns how many were signalled.
 */
function signalOwned(signal: "SIGTERM" | "SIGKILL", signalled = new Set<number>()): number {
  if (swept) return 0
  const before = signalled.size
  for (let round = 0; round < 4; round++) {
    const fresh = [...new Set([...ownedProcesses(new Set(live.keys())), ...liveKin()])].filter((pid) => !signalled.has(pid))
    if (fresh.length === 0) {
      swept = round === 0
      break
    }
    for (const pid of fresh) {
      signalled.add(pid)
      try {
        process.kill(pid, signal)
      } catch {
        // gone meanwhile
      }
    }
  }
  return signalled.size - before
}

/**
 * End of a graceful shutdown, the downstreams closed: whatever they left running (helpers outside
 * their process groups) gets SIGTERM, up to `graceMs` to go, then SIGKILL. Returns how many there were.
 */
export async function endLeftBehind(graceMs = LEFT_BEHIND_GRACE_MS): Promise<number> {
  const signalled = new Set<number>()
  const n = signalOwned("SIGTERM", signalled)
  if (n === 0) return 0
  const until = performance.now() + graceMs
  while ([...signalled].some(running) && performance.now() < until) await new Promise((r) => setTimeout(r, 10))
  // what is still there, found again (a pid seen before is not trusted to be the same process)
  signalOwned("SIGKILL")
  return n
}

/** Children registered and not yet reported gone. */
export function liveChildren(): number {
  return live.size
}

/** The whole process is shutting down (`why`: "SIGTERM", "stdin closed"): children get the short exit grace instead of their own. */
export function markExiting(why?: string, deadline?: number): void {
  exiting = true
  exitWhy ??= why
  if (deadline !== undefined) exitBy ??= deadline
}

/** When the shutdown must be over (`performance.now()` time), once one with a budget began. */
let exitBy: number | undefined

/** What a stopping process still does once its downstreams are closed (their leftovers' sweep, HTTP's close, the exit): kept free of their graces. */
export const EXIT_RESERVE_MS = 300

/**
 * The grace a downstream gets before SIGTERM, and again before SIGKILL, while the whole process
 * stops: `EXIT_GRACE_MS`, less once the shutdown's deadline is near, so that both graces and what
 * follows them (`EXIT_RESERVE_MS`) end before it (a drain that took its whole second under load
 * left the fixed graces running past the budget; at least 20 ms each).
 */
export function exitGrace(): number {
  if (exitBy === undefined) return EXIT_GRACE_MS
  return Math.max(20, Math.min(EXIT_GRACE_MS, Math.floor((exitBy - performance.now() - EXIT_RESERVE_MS) / 2)))
}

/**
 * What is left of the shutdown's budget (ms; negative once past it) while one with a deadline
 * runs, else Infinity: a step at the end of the shutdown (HTTP's settle) fits its wait to it.
 */
export function exitTimeLeft(): number {
  return exitBy === undefined ? Infinity : exitBy - performance.now()
}

export function isExiting(): boolean {
  return exiting
}

/**
 * "shutting down (SIGTERM)" once the process is shutting down, else undefined: why a start or a
 * listing that ends now was cut short (pool/session), not a failure of its server.
 */
export function shuttingDown(): string | undefined {
  return exiting ? `shutting down${exitWhy ? ` (${exitWhy})` : ""}` : undefined
}
