/**
 * @module cache/dir-remedy
 * What to do when the cache directory cannot be used: said with the warning (log), in the stats
 * (orchestrator_status `cache.problem` / `cache.remedy`) and by doctor, not left to the docs.
 */

import { resolve } from "node:path"
import { unwritableFix } from "../core/index.ts"

/** Said after the remedy for the cache itself. */
const CACHE_MEANWHILE = "Until then the cache works from memory only: nothing is kept across restarts."

/**
 * The cache directory `dir` cannot be written (`code`: EACCES, EROFS, ENOSPC, ENOTDIR…); `meanwhile`:
 * what that costs until it is fixed (the cache's entries; the stored first answer, app/tool-snapshot).
 */
export function unwritableRemedy(dir: string, code: string | undefined, meanwhile: string = CACHE_MEANWHILE): string {
  return `${unwritableFix({ dir, setting: "cache.dir" }, code)} (MCPO_CACHE_DIR, --cache-dir) to a writable directory, then restart. ${meanwhile}`
}

/** The entries path is a symlink or a file where the cache's own directory should be. */
export function notPlainRemedy(entriesDir: string): string {
  return `Remove ${entriesDir} (a symlink or file stands where the cache's own directory should be; it is made again), or set cache.dir (MCPO_CACHE_DIR, --cache-dir) to another directory, then restart. Until then the cache works from memory only.`
}

/**
 * Said with the first damaged entry file of a run (a crash or a power loss can damage many): the
 * cache already did what there is to do; only a pattern of them needs the user.
 */
export const QUARANTINE_REMEDY =
  "Nothing to do: the damaged file was moved aside (*.corrupt) and its entry is fetched again from the server. Damaged files found later in this run are counted (orchestrator_status cache.quarantined) and logged at debug. Many at once follow a crash or power loss; again and again, check the disk. mcp-orchestrator cache clear removes the *.corrupt files."

/**
 * Cache directories this process already warned cannot be written (with the remedy). The cache and
 * the stored first answer live in the same directory: one cause, told once. The second to find it
 * (the first answer's store, seconds after the cache) logs at info: before, a file in the way of the
 * cache directory gave a warning from each, the same remedy twice.
 */
const toldUnwritable = new Set<string>()

/** Notes that `dir` was warned about (true the first time: the caller warns). */
export function firstToldUnwritable(dir: string): boolean {
  const key = resolve(dir)
  if (toldUnwritable.has(key)) return false
  toldUnwritable.add(key)
  return true
}
