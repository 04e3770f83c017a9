/**
 * @module plugin/watch
 * Watch plugin directories by PATH (core/path-watch), not by inode, and call back once per burst
 * of changes. A directory deleted, renamed away or re-pointed (`rm -rf`, `mv`, `stow -R`, `git
 * checkout`, `rsync --delete`, a restored backup) is let go, its nearest existing parent is
 * watched until it reappears, and it is watched again then. A directory that does not exist yet
 * is waited for the same way. The host calls `sync` again after every scan (a directory that came
 * back is armed before it is read).
 */
import { PathWatch, type Logger } from "../core/index.ts"

export const RELOAD_DEBOUNCE_MS = 150

export class DirWatcher {
  private readonly paths: PathWatch
  private timer: ReturnType<typeof setTimeout> | undefined
  private dirs: readonly string[]
  private closed = false

  constructor(dirs: readonly string[], onChange: () => void, log: Logger, debounceMs = RELOAD_DEBOUNCE_MS) {
    this.dirs = dirs
    const fire = (): void => {
      if (this.closed) return
      if (this.timer) clearTimeout(this.timer)
      this.timer = setTimeout(() => {
        this.timer = undefined
        onChange()
      }, debounceMs)
    }
    this.paths = new PathWatch(fire, log, {
      // the host says when a directory that held plugins goes or comes back (a default directory
      // that was never made is no news)
      gone: "",
      back: "",
      cannotWatch: "cannot watch a plugin directory; SIGHUP still re-scans it",
      failed: "plugin directory watch failed; SIGHUP still re-scans it",
    })
    this.paths.sync([], dirs)
  }

  /** Watch these directories (or the same ones again: one gone or back is followed). */
  sync(dirs: readonly string[] = this.dirs): void {
    this.dirs = dirs
    this.paths.sync([], dirs)
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.paths.close()
  }
}
