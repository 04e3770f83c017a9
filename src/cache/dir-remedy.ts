/**
 * @module cache/dir-remedy
 * What to do when the cache directory cannot be used: said with the warning (log), in the stats
 * (orchestrator_status `cache.problem` / `cache.remedy`) and by doctor, not left to the docs.
 */

/** Said after the remedy for the cache itself. */
const CACHE_MEANWHILE = "Until then the cache works from memory only: nothing is kept across restarts."

/**
 * The cache directory `dir` cannot be written (`code`: EACCES, EROFS, ENOSPC, ENOTDIR…); `meanwhile`:
 * what that costs until it is fixed (the cache's entries; the stored first answer, app/tool-snapshot).
 */
export function unwritableRemedy(dir: string, code: string | undefined, meanwhile: string = CACHE_MEANWHILE): string {
  const fix =
    code === "ENOSPC" || code === "EDQUOT"
      ? `Free space on the disk holding ${dir}, or set cache.dir`
      : code === "EROFS"
        ? `${dir} is on a read-only file system: set cache.dir`
        : code === "ENOTDIR" || code === "EEXIST"
          ? `A file stands where ${dir} (or a directory above it) should be: move it out of the way, or set cache.dir`
          : `Make ${dir} writable by this user (chmod u+rwx, or chown it to this user), or set cache.dir`
  return `${fix} (MCPO_CACHE_DIR, --cache-dir) to a writable directory, then restart. ${meanwhile}`
}

/** The entries path is a symlink or a file where the cache's own directory should be. */
export function notPlainRemedy(entriesDir: string): string {
  return `Remove ${entriesDir} (a symlink or file stands where the cache's own directory should be; it is made again), or set cache.dir (MCPO_CACHE_DIR, --cache-dir) to another directory, then restart. Until then the cache works from memory only.`
}
