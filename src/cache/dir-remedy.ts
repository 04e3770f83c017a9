/**
 * @module cache/dir-remedy
 * What to do when the cache directory cannot be used: said with the warning (log), in the stats
 * (orchestrator_status `cache.problem` / `cache.remedy`) and by doctor, not left to the docs.
 */

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
