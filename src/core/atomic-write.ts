/**
 * @module core/atomic-write
 * The one way the orchestrator replaces a state file (pins, OAuth records, era verdicts, Cursor's
 * mcp.json, snapshots): write a private temp file next to it, then rename it over the old one, so
 * a reader (or a crash) sees the old file or the new one, never half of one. The temp file is
 * created exclusively with mode 0600 and removed when anything fails.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"

export interface AtomicWriteOptions {
  /** File mode (default 0600: these files hold tokens, config or user data). */
  mode?: number
  /** Mode of directories created on the way (default 0700). */
  dirMode?: number
}

export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const mode = opts.mode ?? 0o600
  mkdirSync(dirname(path), { recursive: true, mode: opts.dirMode ?? 0o700 })
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`
  try {
    writeFileSync(tmp, data, { mode, flag: "wx" })
    chmodSync(tmp, mode) // the umask cannot widen it, but an odd filesystem might
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}
