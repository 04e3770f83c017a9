/**
 * @module core/atomic-write
 * The one way the orchestrator replaces a state file (pins, OAuth records, era verdicts, Cursor's
 * mcp.json, snapshots): write a private temp file next to it, then rename it over the old one, so
 * a reader (or a crash) sees the old file or the new one, never half of one. The temp file is
 * created exclusively with mode 0600, flushed to the disk before the rename unless `sync: false`
 * (without it a power loss or a VM reset soon after a write could leave the renamed file empty or
 * zero-filled on ext4/XFS: a pins file read as damaged, an OAuth record lost) and removed when
 * anything fails.
 * A writer killed between its write and its rename (`kill -9`, the OOM killer, a crash) leaves its
 * temp file behind (a multi-MB snapshot, an OAuth record): each write first removes the ones left
 * for the same file, and `sweepAtomicTemps` those of a set of names (app/snapshot-prune), so they
 * do not pile up over many killed starts. A temp file still being written (another process sharing
 * the directory) is never removed: see `isLeftOver`.
 */
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { notRegularFile, specialKind } from "./special-file.ts"

export interface AtomicWriteOptions {
  /** File mode (default 0600: these files hold tokens, config or user data). */
  mode?: number
  /** Mode of directories created on the way (default 0700). */
  dirMode?: number
  /**
   * fsync the temp file before the rename (default true). `false` for files that are only a head
   * start, checked when read and cheap to lose (a stored first answer, era verdicts): a write of
   * several MB, or one in a burst under a shared lock, then costs no disk flush.
   */
  sync?: boolean
}

export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const mode = opts.mode ?? 0o600
  // a device, FIFO or socket there (a pins file set to /dev/null) is never replaced by a file
  const special = specialKind(path)
  if (special !== undefined) throw notRegularFile(path, special)
  mkdirSync(dirname(path), { recursive: true, mode: opts.dirMode ?? 0o700 })
  const name = basename(path)
  sweepAtomicTemps(dirname(path), (target) => target === name)
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`
  try {
    const fd = openSync(tmp, "wx", mode)
    try {
      writeFileSync(fd, data)
      if (opts.sync !== false) fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    chmodSync(tmp, mode) // the umask cannot widen it, but an odd filesystem might
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw targetNamed(e, tmp, path)
  }
}

/**
 * The error of a write to the temp file, naming the file it stands for: the temp's name is random
 * at each write, so a message naming it differed every time, and a failure "said once while it
 * lasts" (compared by message: the pins store) was said at every write of a read-only directory;
 * the user is shown a name they never asked for, too. The code, errno and syscall stay.
 */
function targetNamed(e: unknown, tmp: string, path: string): unknown {
  if (!(e instanceof Error)) return e
  const err = e as NodeJS.ErrnoException
  if (err.message.includes(tmp)) err.message = err.message.split(tmp).join(path)
  if (err.path === tmp) err.path = path
  return err
}

/** A temp file of `writeFileAtomic`: `<target name>.<writer pid>.<random base 36>.tmp`. */
const TEMP_RE = /^(.+)\.(\d+)\.[0-9a-z]{1,8}\.tmp$/
/** A temp file not written to for this long is left over, whoever its writer (a write takes milliseconds). */
export const STALE_TEMP_MS = 60_000
/** One whose writer is gone (or is this process) is left over once it was not written to for this long. */
const QUIET_TEMP_MS = 1000

/**
 * Is the temp file written by `pid`, last modified at `mtimeMs`, left over rather than being
 * written now? Its writer is gone, or is this process (our writes are synchronous: none is under
 * way), and it was not written to for a second (a writer in another pid namespace sharing the
 * directory has a pid that means nothing here); or it was not written to for a minute.
 */
function isLeftOver(pid: number, mtimeMs: number, now: number): boolean {
  const age = now - mtimeMs
  if (age >= STALE_TEMP_MS) return true
  if (age < QUIET_TEMP_MS) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return false
  } catch (e) {
    return (e as { code?: unknown }).code === "ESRCH"
  }
}

/**
 * Removes from `dir` the temp files `writeFileAtomic` left for the files `owns` names (see
 * `isLeftOver`); anything else in the directory is never touched. Synchronous, never throws;
 * returns how many went.
 */
export function sweepAtomicTemps(dir: string, owns: (target: string) => boolean, now = Date.now()): number {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return 0
  }
  let removed = 0
  for (const name of names) {
    const m = TEMP_RE.exec(name)
    if (!m || !owns(m[1]!)) continue
    const path = join(dir, name)
    try {
      const st = lstatSync(path)
      if (!st.isFile() && !st.isSymbolicLink()) continue
      if (!isLeftOver(Number(m[2]), st.mtimeMs, now)) continue
      unlinkSync(path)
      removed++
    } catch {
      // gone meanwhile (its writer renamed it, another sweeper), or not ours to remove
    }
  }
  return removed
}
