/**
 * @module core/file-lock
 * A short exclusive section around a read-modify-write of a small state file that several
 * orchestrator instances share (one state directory, several windows): `<file>.lock`, created
 * exclusively, holds the writer's pid (and its start time: `holderText`) and is removed when the section ends. Without it, two
 * instances that re-read the file, change their own entry and rename their whole map over it at
 * about the same time lose one of the two changes (the later rename wins).
 *
 * The section is synchronous and lasts as long as a read, a parse and an atomic write of a small
 * file. A lock left by a killed writer (its pid is gone or its pid another process's now, it is
 * older than `STALE_LOCK_MS`, or it is still empty `EMPTY_LOCK_MS` after it was made: a writer puts
 * its pid in right after creating it) is taken over, by one waiter at a time (`takeOver`).
 *
 * Waiting never blocks the event loop for long (every server's calls share it): `withFileLockSoon`
 * waits between tries asynchronously (up to `LOCK_WAIT_MS`), for what a serving process writes;
 * `withFileLock` waits synchronously at most `SYNC_LOCK_WAIT_MS` (`EXITING_LOCK_WAIT_MS` once the
 * process is stopping: an exit handler cannot await), or what its caller gives (a CLI command, which
 * serves nothing). Best effort: when the lock cannot be had within the wait, or its directory
 * cannot be written, the section runs unlocked, as before, rather than stall the caller.
 */
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from "node:fs"
import { dirname } from "node:path"
import { isExiting } from "./children.ts"
import { readPlainText } from "./plain-file.ts"
import { startedAt } from "./descendants.ts"

/** A lock older than this was left by a writer that died inside its section (a section takes milliseconds). */
export const STALE_LOCK_MS = 5_000
/** How long a writer waits for the lock (asynchronously: `withFileLockSoon`) before it writes unlocked. */
export const LOCK_WAIT_MS = 2_000
/**
 * How long `withFileLock` waits synchronously by default: the event loop stands still meanwhile.
 * Before, it waited up to `LOCK_WAIT_MS` (2 s) there: each pins write in front of a lock another
 * instance held (or an empty one a killed writer left) stalled the calls of every server.
 */
export const SYNC_LOCK_WAIT_MS = 20
/**
 * An empty lock (or one that names no pid) older than this is left over: its writer was killed
 * between creating it and writing its pid (microseconds apart). Before, it counted as "being
 * written" until `STALE_LOCK_MS` (5 s), and every write meanwhile waited for it.
 */
export const EMPTY_LOCK_MS = 100
/**
 * The same wait once the process is stopping (core/children): the wait blocks the event loop, so
 * the shutdown's budget timer could not fire during it (a pins write at shutdown waiting on a lock
 * another live instance held ran the whole shutdown past its budget).
 */
export const EXITING_LOCK_WAIT_MS = 100

/**
 * Runs `fn` holding `<path>.lock` (see the module), waiting for it synchronously at most `waitMs`
 * (default `SYNC_LOCK_WAIT_MS`; `EXITING_LOCK_WAIT_MS` once stopping, whichever is less); returns its result.
 */
export function withFileLock<T>(path: string, fn: () => T, waitMs = SYNC_LOCK_WAIT_MS): T {
  const lock = `${path}.lock`
  const held = acquire(lock, isExiting() ? Math.min(waitMs, EXITING_LOCK_WAIT_MS) : waitMs)
  return run(lock, held, fn)
}

/**
 * As `withFileLock`, but a held lock is waited for without blocking the event loop (tries a few
 * milliseconds apart, up to `waitMs`, default `LOCK_WAIT_MS`). `fn` runs synchronously once the lock
 * is had, so two sections of this process never overlap.
 */
export async function withFileLockSoon<T>(path: string, fn: () => T, waitMs = LOCK_WAIT_MS): Promise<T> {
  const lock = `${path}.lock`
  let held: boolean | undefined = lockDir(lock) ? false : undefined
  const start = performance.now()
  for (let wait = 2; held === false; wait = Math.min(wait * 2, 25)) {
    held = attempt(lock, SYNC_SECTIONS)
    // once stopping, the shutdown's budget counts: the stopping wait at most
    const until = start + (isExiting() ? Math.min(waitMs, EXITING_LOCK_WAIT_MS) : waitMs)
    if (held !== false || performance.now() >= until) break
    await Bun.sleep(wait)
  }
  return run(lock, held === true, fn)
}

/**
 * Runs `fn` holding `<path>.lock` when it can be had within `waitMs` (synchronously; unlocked when
 * the lock's directory cannot be written, as `withFileLock`): `{ value }`. Undefined, `fn` not run,
 * when another live holder keeps it: for a caller that then waits with `withFileLockSoon`.
 */
export function tryFileLock<T>(path: string, fn: () => T, waitMs = SYNC_LOCK_WAIT_MS): { value: T } | undefined {
  const lock = `${path}.lock`
  if (!lockDir(lock)) return { value: fn() }
  const until = performance.now() + waitMs
  for (let wait = 1; ; wait = Math.min(wait * 2, 5)) {
    const got = attempt(lock, SYNC_SECTIONS)
    if (got !== false) return { value: run(lock, got === true, fn) }
    if (performance.now() >= until) return undefined
    Bun.sleepSync(wait)
  }
}

function run<T>(lock: string, held: boolean, fn: () => T): T {
  try {
    return fn()
  } finally {
    if (held) rmSync(lock, { force: true })
  }
}

function acquire(lock: string, waitMs: number): boolean {
  if (!lockDir(lock)) return false
  const until = performance.now() + waitMs
  for (let wait = 1; ; wait = Math.min(wait * 2, 5)) {
    const got = attempt(lock, SYNC_SECTIONS)
    if (got !== false) return got === true
    if (performance.now() >= until) return false
    Bun.sleepSync(wait)
  }
}

export interface AsyncLockOptions {
  /** How long to wait for another holder before running unlocked. */
  waitMs: number
  /** A lock older than this is left over (its holder stuck or killed). */
  staleMs: number
  signal?: AbortSignal
  /** The lock could not be had within `waitMs` (the section runs unlocked). */
  onTimeout?: () => void
  /** The lock file cannot be created (the section runs unlocked). */
  onUnavailable?: () => void
}

/**
 * Runs the asynchronous `fn` holding the lock file `lock` itself (not `<path>.lock`): for a section
 * that awaits (a CLI read and write of a file someone else owns). Same file format and takeover as
 * `withFileLock`, but a lock holding this process's pid is live here (another section of this process
 * may be under way), and a waiter sleeps without blocking the event loop. Best effort, as above.
 */
export async function withFileLockAsync<T>(lock: string, fn: () => Promise<T>, o: AsyncLockOptions): Promise<T> {
  const policy: LockPolicy = { staleMs: o.staleMs, ownPidStale: false }
  let held: boolean | undefined = lockDir(lock) ? false : undefined
  const until = performance.now() + o.waitMs
  while (held === false && !o.signal?.aborted) {
    held = attempt(lock, policy)
    if (held !== false) break
    if (performance.now() >= until) {
      o.onTimeout?.()
      break
    }
    await Bun.sleep(25)
  }
  if (held === undefined) o.onUnavailable?.()
  try {
    return await fn()
  } finally {
    if (held === true) rmSync(lock, { force: true })
  }
}

/** When a lock is left over: older than `staleMs`, or its writer gone (this process's own pid counting as gone when `ownPidStale`). */
interface LockPolicy {
  staleMs: number
  ownPidStale: boolean
}

/** Synchronous sections: never nested, so a lock with our pid is a previous process's. */
const SYNC_SECTIONS: LockPolicy = { staleMs: STALE_LOCK_MS, ownPidStale: true }

function lockDir(lock: string): boolean {
  try {
    mkdirSync(dirname(lock), { recursive: true, mode: 0o700 })
    return true
  } catch {
    return false
  }
}

/** Creates `lock` holding our pid: true when it is ours now, false when another holds it (not stale), undefined when it cannot be created. */
function attempt(lock: string, policy: LockPolicy): boolean | undefined {
  for (;;) {
    try {
      const fd = openSync(lock, "wx", 0o600)
      try {
        writeSync(fd, holderText())
      } finally {
        closeSync(fd)
      }
      return true
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") return undefined
    }
    if (!takeOver(lock, policy)) return false
  }
}

/**
 * Test seam: runs inside a takeover, between the verdict "stale" and the removal (a test widens the
 * window in which another waiter could take over the same lock).
 */
export const fileLockHooks: { beforeTakeover?: (lock: string) => void } = {}

/**
 * Removes `lock` when it is stale; true when it did. Done under `<lock>.takeover`, created
 * exclusively: two waiters that both found the same dead writer's lock would otherwise both remove
 * "it", and the later removal would take away the lock the first had just created (both then in the
 * section). Under the guard the verdict is made again, so a fresh lock is never removed. A guard
 * left by a waiter killed inside its takeover (microseconds) is removed once older than a section.
 */
function takeOver(lock: string, policy: LockPolicy): boolean {
  const guard = `${lock}.takeover`
  try {
    closeSync(openSync(guard, "wx", 0o600))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") {
      try {
        if (Date.now() - statSync(guard).mtimeMs > STALE_LOCK_MS) rmSync(guard, { force: true })
      } catch {
        // gone meanwhile
      }
    }
    return false
  }
  try {
    if (!isStale(lock, policy)) return false
    fileLockHooks.beforeTakeover?.(lock)
    rmSync(lock, { force: true })
    return true
  } finally {
    rmSync(guard, { force: true })
  }
}

/**
 * What a lock holds: the holder's pid, and where /proc tells it, when that process started (clock
 * ticks since boot), so a lock left by a writer killed mid-section is known for what it is even
 * when its pid is someone else's now (pids are reused quickly in a container, or under the start and
 * kill churn of an editor's windows); before, such a lock held every writer for LOCK_WAIT_MS, the
 * next start's first answer included (a synchronous wait).
 */
let ownHolder: string | undefined
function holderText(): string {
  if (ownHolder === undefined) {
    const start = startedAt(process.pid)
    ownHolder = start === undefined ? String(process.pid) : `${process.pid} ${start}`
  }
  return ownHolder
}

const HOLDER_RE = /^(\d+)(?: (\d+))?$/
/** The most a lock file is read: it holds one holder line. */
const MAX_LOCK_BYTES = 4096

/** The lock's holder line; a file larger than one (a runaway write, a sparse file) holds none: "". */
function holderLine(lock: string): string {
  try {
    return readPlainText(lock, MAX_LOCK_BYTES)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EFBIG") return ""
    throw e
  }
}

/** The lock's writer is gone (or its pid is another process's now), or it is older than any section takes (`policy`). */
function isStale(lock: string, policy: LockPolicy): boolean {
  try {
    const age = Date.now() - statSync(lock).mtimeMs
    if (age > policy.staleMs) return true
    const m = HOLDER_RE.exec(holderLine(lock))
    const pid = Number(m?.[1])
    // being written (its pid comes microseconds after it was made), or left so by a writer killed then
    if (!m || !Number.isInteger(pid) || pid <= 0) return age > EMPTY_LOCK_MS
    // our pid, for synchronous sections: a previous process's that had it (a container's pid 1 again
    // after a kill mid-section); ours it cannot be: those sections are never nested
    if (pid === process.pid) return policy.ownPidStale
    try {
      process.kill(pid, 0)
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "ESRCH"
    }
    // alive: the writer's own process only if it started when the lock says (a lock without a start time: it is)
    const started = m[2] === undefined ? undefined : startedAt(pid)
    return started !== undefined && started !== Number(m[2])
  } catch {
    return false // gone meanwhile: the next try creates it
  }
}
