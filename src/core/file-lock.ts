/**
 * @module core/file-lock
 * A short exclusive section around a read-modify-write of a small state file that several
 * orchestrator instances share (one state directory, several windows): `<file>.lock`, created
 * exclusively, holds the writer's pid and is removed when the section ends. Without it, two
 * instances that re-read the file, change their own entry and rename their whole map over it at
 * about the same time lose one of the two changes (the later rename wins).
 *
 * The section is synchronous and lasts as long as a read, a parse and an atomic write of a small
 * file; a waiter sleeps a few milliseconds between tries. A lock left by a killed writer (its pid is
 * gone, or it is older than `STALE_LOCK_MS`) is taken over, by one waiter at a time (`takeOver`). Best effort: when the lock cannot be
 * had within `LOCK_WAIT_MS` (or its directory cannot be written), the section runs unlocked, as
 * before, rather than stall the caller.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs"
import { dirname } from "node:path"

/** A lock older than this was left by a writer that died inside its section (a section takes milliseconds). */
export const STALE_LOCK_MS = 5_000
/** How long a writer waits for the lock before it writes unlocked. */
const LOCK_WAIT_MS = 2_000

/** Runs `fn` holding `<path>.lock` (see the module); returns its result. */
export function withFileLock<T>(path: string, fn: () => T): T {
  const lock = `${path}.lock`
  const held = acquire(lock)
  try {
    return fn()
  } finally {
    if (held) rmSync(lock, { force: true })
  }
}

function acquire(lock: string): boolean {
  try {
    mkdirSync(dirname(lock), { recursive: true, mode: 0o700 })
  } catch {
    return false
  }
  const until = Date.now() + LOCK_WAIT_MS
  for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
    try {
      const fd = openSync(lock, "wx", 0o600)
      try {
        writeSync(fd, String(process.pid))
      } finally {
        closeSync(fd)
      }
      return true
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") return false
    }
    if (takeOver(lock)) continue
    if (Date.now() >= until) return false
    Bun.sleepSync(wait)
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
function takeOver(lock: string): boolean {
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
    if (!isStale(lock)) return false
    fileLockHooks.beforeTakeover?.(lock)
    rmSync(lock, { force: true })
    return true
  } finally {
    rmSync(guard, { force: true })
  }
}

/** The lock's writer is gone, or it is older than any section takes. */
function isStale(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) return true
    const pid = Number(readFileSync(lock, "utf8"))
    if (!Number.isInteger(pid) || pid <= 0) return false // being written
    // our pid: a previous process's that had it (a container's pid 1 again after a kill mid-section);
    // ours it cannot be: sections are synchronous and never nested
    if (pid === process.pid) return true
    try {
      process.kill(pid, 0)
      return false
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "ESRCH"
    }
  } catch {
    return false // gone meanwhile: the next try creates it
  }
}
