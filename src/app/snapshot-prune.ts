/**
 * @module app/snapshot-prune
 * The stored first answers (`tools-<key>.snapshot.json`, one per config state: every edit of the
 * config, a plugin file or our version makes a new key) and the early indexes (`early-<hash>.json`,
 * one per command line, working directory and environment, at most 16) would pile up in the cache
 * directory for good, a few MB each for a large tool list. A file's mtime says when it was last written or used: a start
 * that answers from one touches it (at most once a day, so a start costs no write), and each new
 * snapshot written removes the others not used for `UNUSED_MS`. Another config's snapshot that is
 * still in use (another editor, another project) is touched by its own starts and stays; one removed
 * only costs its next start a cold list. A file dated ahead of the clock (written while a clock was
 * wrong) gets the date of now when seen, so its month starts then instead of never.
 */
import { readdirSync, rmSync, statSync, unlinkSync, utimesSync } from "node:fs"
import { join } from "node:path"
import { sweepAtomicTemps } from "../core/index.ts"

/** A stored answer not used for this long is removed (by the next snapshot written). */
export const UNUSED_MS = 30 * 24 * 3600 * 1000
/** A file used is touched only when its mark is older than this (no write on every start). */
const TOUCH_AFTER_MS = 24 * 3600 * 1000

const OURS = /^(?:tools-[0-9a-f]{16}\.snapshot\.json|early-[0-9a-f]+\.json)$/

/** An mtime this far ahead of the clock was set while a clock was wrong: it says nothing of when the file was used. */
const FUTURE_MS = 60_000

/** `path` was used now (answered a start): its mtime is moved to now when it is a day old or more, or in the future. */
export function markUsed(path: string, mtimeMs?: number, now = Date.now()): void {
  try {
    const m = mtimeMs ?? statSync(path).mtimeMs
    if (m > now - TOUCH_AFTER_MS && m - now <= FUTURE_MS) return
    const t = new Date(now)
    utimesSync(path, t, t)
  } catch {
    // gone or read-only: nothing to mark
  }
}

/**
 * Removes our snapshot and early-index files in `dir` not used for `UNUSED_MS`, except `keep`, and
 * the temp files a killed writer left of any of them (core/atomic-write: a multi-MB snapshot each,
 * of a config state that may never be written again). Returns how many went. Other files in the
 * directory are never touched.
 */
export function pruneUnused(dir: string, keep: readonly string[], now = Date.now()): number {
  let removed = sweepAtomicTemps(dir, (target) => OURS.test(target), now)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return 0
  }
  for (const name of names) {
    if (!OURS.test(name)) continue
    const path = join(dir, name)
    if (keep.includes(path)) continue
    try {
      const s = statSync(path)
      if (!s.isFile()) continue
      if (s.mtimeMs - now > FUTURE_MS) {
        // dated ahead (a clock that was wrong): its age starts now, so one never used again still goes
        const t = new Date(now)
        utimesSync(path, t, t)
        continue
      }
      if (s.mtimeMs > now - UNUSED_MS) continue
      unlinkSync(path)
      removed++
      // its superseded mark (app/tool-snapshot), if any, goes with it
      try {
        rmSync(`${path}.superseded`, { recursive: true, force: true })
      } catch {
        // not ours to remove
      }
    } catch {
      // gone meanwhile, or not ours to remove: left
    }
  }
  return removed
}
