/**
 * @module core/unwritable-fix
 * The first clause of a remedy for a place on disk this process cannot write (the cache directory,
 * the pins file, the stored first answer): what the errno says to do, then the setting that moves
 * it. One wording for every such place, so the same failure is never told two ways.
 */

/** Where the write went and which setting moves it. */
export interface UnwritablePlace {
  /** The directory written into. */
  dir: string
  /** The file written, when it is one file (a directory where it should be is told so). */
  file?: string
  /** The setting that moves it, as the user writes it: `cache.dir (MCPO_CACHE_DIR, --cache-dir)`. */
  setting: string
}

/**
 * "Free space on the disk holding …, or set <setting>" and the like for `code` (ENOSPC, EDQUOT,
 * EROFS, ENOTDIR, EEXIST, EISDIR, ENOTREG, ELOOP, EFBIG; anything else is taken for permissions). The caller goes on
 * with where the setting should point and what it costs meanwhile.
 */
export function unwritableFix(place: UnwritablePlace, code: string | undefined): string {
  const { dir, file, setting } = place
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return `Free space on the disk holding ${dir}, or set ${setting}`
    case "EROFS":
      return `${dir} is on a read-only file system: set ${setting}`
    case "ENOTDIR":
    case "EEXIST":
      return `A file stands where ${dir} (or a directory above it) should be: move it out of the way, or set ${setting}`
    case "EFBIG":
      // RLIMIT_FSIZE (`ulimit -f` of a CI runner, a container, a shell profile) or the file system's
      // largest file: the directory is writable, so "chmod" would change nothing
      return `A file written into ${dir} went past the file size limit (ulimit -f) or the largest file its file system holds: raise the limit where this program is started (ulimit -f unlimited), or set ${setting}`
    case "ELOOP":
      // a symlink pointing at itself (or a cycle of them): no chmod helps, nor does "check the disk"
      return `${file ?? dir} (or a directory above it) is a symbolic link that leads back to itself: remove the link (ls -l shows where it points), or set ${setting}`
    case "ENOTREG":
      return `${file ?? dir} is a device, a FIFO or a socket, not a regular file (it is left as it is): set ${setting}`
    case "EISDIR":
      if (file !== undefined) return `${file} is a directory: move it out of the way, or set ${setting}`
  }
  const also = file === undefined ? "" : ` (and ${file}, if it exists)`
  return `Make ${dir}${also} writable by this user (chmod u+rwx, or chown it to this user), or set ${setting}`
}
