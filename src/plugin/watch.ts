/**
 * @module plugin/watch
 * Watch plugin directories by PATH (core/path-watch), not by inode, and call back once per burst
 * of changes. A directory deleted, renamed away or re-pointed (`rm -rf`, `mv`, `stow -R`, `git
 * checkout`, `rsync --delete`, a restored backup) is let go, its nearest existing parent is
 * watched until it reappears, and it is watched again then. A directory that does not exist yet
 * is waited for the same way. The host calls `sync` again after every scan (a directory that came
 * back is armed before it is read).
 */
import { Burst, PathWatch, type Logger } from "../core/index.ts"

export const RELOAD_DEBOUNCE_MS = 150
/**
 * A burst of changes that never ends (a file in the directory rewritten 100 times a second: a
 * status file, a build in watch mode) reloads at least this often: an edit made meanwhile (a new
 * deny rule) is never held back for as long as the burst lasts.
 */
export const RELOAD_MAX_WAIT_MS = 1000

export class DirWatcher {
  private readonly paths: PathWatch
  private readonly burst: Burst
  private dirs: readonly string[]

  constructor(dirs: readonly string[], onChange: () => void, log: Logger, debounceMs = RELOAD_DEBOUNCE_MS) {
    this.dirs = dirs
    this.burst = new Burst(onChange, debounceMs, Math.max(debounceMs, RELOAD_MAX_WAIT_MS))
    this.paths = new PathWatch(() => this.burst.poke(), log, {
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
    this.burst.close()
    this.paths.close()
  }
}
