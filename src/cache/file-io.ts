/**
 * @module cache/file-io
 * The low-level file steps: atomic write (tmp → rename, no fsync: see `atomicWrite`), a read that refuses symlinks and
 * non-regular files, quarantine, and the temp-file sweep. File-system calls go through `FsOps` so
 * tests can inject ENOSPC/EROFS faults.
 */
import { randomBytes } from "node:crypto"
import { constants } from "node:fs"
import * as fsp from "node:fs/promises"
import { join } from "node:path"
import { CORRUPT_SUFFIX, TMP_SUFFIX, tmpPid } from "./file-paths.ts"

export type FsOps = Pick<
  typeof fsp,
  "mkdir" | "chmod" | "lstat" | "readdir" | "open" | "rename" | "unlink" | "stat" | "realpath"
>

export const nodeFs: FsOps = {
  mkdir: fsp.mkdir,
  chmod: fsp.chmod,
  lstat: fsp.lstat,
  readdir: fsp.readdir,
  open: fsp.open,
  rename: fsp.rename,
  unlink: fsp.unlink,
  stat: fsp.stat,
  realpath: fsp.realpath,
}

/** Files bigger than this are not read (a planted huge file must not exhaust memory). */
export const MAX_ENTRY_FILE_BYTES = 256 * 1024 * 1024
/** Temp files older than this are swept even when their writer pid looks alive (pid reuse). */
export const STALE_TMP_MS = 60 * 60 * 1000

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0
const O_NONBLOCK = constants.O_NONBLOCK ?? 0

export function errCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined
}

/**
 * Writes `data` to `<final>.<pid>.<rand>.tmp` (0600, exclusive, no symlink follow), renames. No
 * fsync: an entry is checked when read (a damaged one is quarantined and fetched again), as the
 * stored first answer and the era verdicts; the temp and the rename keep a killed writer's half
 * file from being read, and only a power loss could cut one short (one fetch). Before, each write
 * waited for one: five on a first start with one server, one per cached call result later.
 */
export async function atomicWrite(fs: FsOps, finalPath: string, data: Buffer): Promise<void> {
  const tmp = `${finalPath}.${process.pid}.${randomBytes(6).toString("hex")}${TMP_SUFFIX}`
  const fh = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600)
  let renamed = false
  try {
    try {
      await fh.writeFile(data)
    } finally {
      await fh.close()
    }
    await fs.rename(tmp, finalPath)
    renamed = true
  } finally {
    if (!renamed) await fs.unlink(tmp).catch(() => {})
  }
}

export type ReadResult =
  | { kind: "missing" }
  | { kind: "data"; data: Buffer }
  | { kind: "refused"; reason: string }
  | { kind: "skipped"; size: number }

/**
 * Reads a regular file without following a symlink; a symlink, FIFO or giant file is "refused". One
 * larger than `skipOver` is "skipped": not read, and not judged (a preload that could not keep it).
 */
export async function readEntryFile(fs: FsOps, path: string, skipOver = Infinity): Promise<ReadResult> {
  let fh: fsp.FileHandle
  try {
    fh = await fs.open(path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
  } catch (e) {
    const code = errCode(e)
    if (code === "ENOENT") return { kind: "missing" }
    if (code === "ELOOP" || code === "EMLINK") return { kind: "refused", reason: "symlink" }
    throw e
  }
  try {
    const st = await fh.stat()
    if (!st.isFile()) return { kind: "refused", reason: "not a regular file" }
    if (st.size > MAX_ENTRY_FILE_BYTES) return { kind: "refused", reason: `file too large (${st.size} bytes)` }
    if (st.size > skipOver) return { kind: "skipped", size: st.size }
    return { kind: "data", data: await fh.readFile() }
  } finally {
    await fh.close()
  }
}

/** Moves a bad file aside as `<name>.corrupt` (or `<name>.<n>.corrupt` if taken). False when it could not. */
export async function quarantine(fs: FsOps, path: string): Promise<boolean> {
  for (let n = 0; n < 5; n++) {
    const target = n === 0 ? path + CORRUPT_SUFFIX : `${path}.${Date.now() % 1e9}${n}${CORRUPT_SUFFIX}`
    try {
      await fs.lstat(target)
      continue
    } catch (e) {
      if (errCode(e) !== "ENOENT") return false
    }
    try {
      await fs.rename(path, target)
      return true
    } catch (e) {
      if (errCode(e) === "ENOENT") return true
      return false
    }
  }
  return false
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errCode(e) === "EPERM"
  }
}

/** Removes temp files whose writer is gone or that are older than `STALE_TMP_MS`. Returns how many. */
export async function sweepTemps(fs: FsOps, dir: string, nowWall: number): Promise<number> {
  let swept = 0
  for (const name of await fs.readdir(dir)) {
    const pid = tmpPid(name)
    if (pid === undefined) continue
    const p = join(dir, name)
    try {
      const st = await fs.lstat(p)
      if (!pidAlive(pid) || nowWall - st.mtimeMs > STALE_TMP_MS || !st.isFile()) {
        await fs.unlink(p)
        swept++
      }
    } catch {
      // raced with its writer or another sweeper: fine
    }
  }
  return swept
}
