/**
 * @module core/path-watch
 * Watches files and directories by PATH, not by inode (for app/reload's config files and
 * plugin/host's plugin directories; a directory is watched whole: any entry in it counts). A file is watched through its directory
 * (editors that write a new file and rename it over the old one are seen too), and so is every
 * file a symlink among them leads to. A watch on a directory follows the directory's inode, so
 * the watch checks, at every event, that the path still leads to the directory it watches: a
 * directory deleted, renamed away (`mv conf conf-old`, a backup restored, `stow -R`, `git
 * checkout`) or reached through a re-pointed symlink is let go at once (the moved-away copy's
 * edits no longer count), and the path is watched anew. A directory that does not exist is
 * waited for from its nearest existing parent (watched for the next name on the way down) and
 * watched again when it reappears. A directory reached through a symlinked directory (a folded
 * dotfile tree, a Kubernetes ConfigMap's `..data` link) is also watched through the link's own
 * directory, so re-pointing the link is seen. No polling: every case is an inotify event.
 * `onChange` is called for any event that may have changed one of the files (debounce and
 * compare on the caller's side); after a new watch begins, the caller reads the files again
 * (anything written while they were unwatched is seen).
 */
import { lstatSync, readlinkSync, realpathSync, statSync, watch, type FSWatcher } from "node:fs"
import { basename, dirname, resolve, sep } from "node:path"
import { errorMessage } from "./errors.ts"
import type { Logger } from "./logger.ts"

/** Symlink hops followed from a watched file to its real file. */
const MAX_LINKS = 32
/** Rounds of one sync while directories appear under it (each round watches what it found). */
const MAX_ROUNDS = 8

interface Entry {
  watcher: FSWatcher
  /** Names in the directory that matter: watched files, a link on a watched path, the next directory of a path waited for. */
  names: Set<string>
  /** The directory the watch is on (device and inode), as the path led when the watch began. */
  id: string
}

/** Every name in a directory watched whole counts. */
const ANY = "\u0000any"

/** What the watch logs (defaults: a config file's watch; "" logs nothing for that case). */
export interface PathWatchMessages {
  gone: string
  back: string
  cannotWatch: string
  failed: string
}

const CONFIG_MESSAGES: PathWatchMessages = {
  gone: "a watched file's directory does not exist; watching its nearest existing parent until it appears",
  back: "a watched file's directory is back; watching it again",
  cannotWatch: "cannot watch a config file's directory; SIGHUP still reloads",
  failed: "config file watch failed; SIGHUP still reloads",
}

/** A watched file's directory that does not exist now, and the parent watched until it reappears. */
export interface GoneDir {
  dir: string
  watching: string
}

export class PathWatch {
  private readonly entries = new Map<string, Entry>()
  private readonly onChange: () => void
  private readonly log: Logger
  private readonly msg: PathWatchMessages
  /** The files last asked for. */
  private files: readonly string[] = []
  /** The directories (watched whole) last asked for. */
  private dirs: readonly string[] = []
  /** For each file asked for: the directory watched for it (its own, or its nearest existing parent). */
  private watchedFor = new Map<string, string>()
  private gone = new Map<string, GoneDir>()
  /** Directories a watch could not begin on or failed on (warned once each). */
  private readonly warned = new Set<string>()
  private closed = false

  constructor(onChange: () => void, log: Logger, messages: Partial<PathWatchMessages> = {}) {
    this.onChange = onChange
    this.log = log
    this.msg = { ...CONFIG_MESSAGES, ...messages }
  }

  /**
   * Watches the paths of `files` (and of every file a symlink among them leads to), and `dirs`
   * whole (any entry added, changed or removed in one counts; a directory that is a symlink is
   * followed like a file's); lets go of the rest.
   */
  sync(files: readonly string[], dirs: readonly string[] = []): void {
    if (this.closed) return
    this.files = files
    this.dirs = dirs
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const want = this.want(files, dirs)
      // a watch no longer needed, or on a directory the path no longer leads to
      for (const [dir, e] of this.entries) if (!want.has(dir) || identity(dir) !== e.id) this.drop(dir)
      let again = false
      for (const [dir, names] of want) {
        const have = this.entries.get(dir)
        if (have) have.names = names
        // a new watch: what appeared before it began (a deeper directory, a file) is looked at by
        // the next round and by the caller's read after this sync
        else if (this.arm(dir, names) !== "failed") again = true
      }
      if (!again) break
    }
  }

  /** The file's (or whole-watched directory's) path is followed: its directory is watched, or its nearest existing parent while the directory is gone. */
  follows(file: string): boolean {
    const dir = this.watchedFor.get(file)
    return dir !== undefined && this.entries.has(dir)
  }

  /** Directories of the files that are gone now, each with the parent watched until it reappears. */
  waiting(): GoneDir[] {
    return [...this.gone.values()].filter((g) => this.entries.has(g.watching))
  }

  close(): void {
    this.closed = true
    for (const dir of [...this.entries.keys()]) this.drop(dir)
  }

  // --- Internal ---

  /** The directories to watch, with the names that matter in each; records which directory serves each file and which are gone. */
  private want(files: readonly string[], dirs: readonly string[]): Map<string, Set<string>> {
    const want = new Map<string, Set<string>>()
    const add = (dir: string, name: string): void => void want.set(dir, (want.get(dir) ?? new Set()).add(name))
    const watchedFor = new Map<string, string>()
    const gone = new Map<string, GoneDir>()
    for (const file of files) {
      for (const f of linkChain(file)) {
        let dir = dirname(f)
        let name = basename(f)
        // a directory that is gone: its nearest existing parent is watched for the next name down
        while (!isDir(dir) && dirname(dir) !== dir) {
          name = basename(dir)
          dir = dirname(dir)
        }
        add(dir, name)
        if (f === file) watchedFor.set(file, dir)
        if (dir !== dirname(f)) gone.set(dirname(f), { dir: dirname(f), watching: dir })
        // a directory reached through a symlinked directory: re-pointing the link is seen in the link's directory
        for (const link of linkedDirs(dir)) add(dirname(link), basename(link))
      }
    }
    for (const whole of dirs) {
      for (const d of linkChain(whole)) {
        let dir = d
        let name = ANY
        while (!isDir(dir) && dirname(dir) !== dir) {
          name = basename(dir)
          dir = dirname(dir)
        }
        add(dir, name)
        if (d === whole) watchedFor.set(whole, dir)
        if (dir !== d) gone.set(d, { dir: d, watching: dir })
        for (const link of linkedDirs(dir)) add(dirname(link), basename(link))
      }
    }
    this.logGone(gone)
    this.watchedFor = watchedFor
    this.gone = gone
    return want
  }

  /** One line when a directory goes (and what is watched instead), one when it is back. */
  private logGone(now: Map<string, GoneDir>): void {
    for (const [dir, g] of now) {
      if (!this.gone.has(dir) && this.msg.gone) this.log.warn(this.msg.gone, { dir, watching: g.watching })
    }
    for (const dir of this.gone.keys()) if (!now.has(dir) && this.msg.back) this.log.info(this.msg.back, { dir })
  }

  /** "armed", "gone" (the directory went before the watch began: the next round looks again) or "failed" (warned). */
  private arm(dir: string, names: Set<string>): "armed" | "gone" | "failed" {
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = identity(dir)
      if (!id) return "gone"
      let watcher: FSWatcher
      try {
        watcher = watch(dir, { persistent: false }, (_event, changed) => this.event(dir, entry, changed))
      } catch (e) {
        this.warn(this.msg.cannotWatch, dir, e)
        return "failed"
      }
      const entry: Entry = { watcher, names, id }
      // the watch is on the directory the path led to when it began: the same before and after
      if (identity(dir) !== id) {
        watcher.close()
        continue
      }
      watcher.on("error", (e) => {
        if (this.entries.get(dir) !== entry) return
        this.drop(dir)
        // watched again by the next sync; told once, so a watch that keeps failing is no loop
        if (this.warn(this.msg.failed, dir, e)) this.onChange()
      })
      this.entries.set(dir, entry)
      this.warned.delete(dir)
      return "armed"
    }
    return "gone"
  }

  private event(dir: string, entry: Entry, changed: string | Buffer | null): void {
    if (this.closed || this.entries.get(dir) !== entry) return
    if (identity(dir) !== entry.id) {
      // deleted, renamed away, or the path re-pointed: this watch follows a directory that is no
      // longer at the path (its events are not the file's); the path is watched anew and read again
      this.drop(dir)
      this.sync(this.files, this.dirs)
      this.onChange()
      return
    }
    if (changed === null || entry.names.has(ANY) || entry.names.has(String(changed))) this.onChange()
  }

  private drop(dir: string): void {
    const e = this.entries.get(dir)
    if (!e) return
    this.entries.delete(dir)
    try {
      e.watcher.close()
    } catch {
      // already closed by the runtime (the directory went)
    }
  }

  /** Warns once per directory; true when it did. */
  private warn(msg: string, dir: string, e: unknown): boolean {
    if (this.warned.has(dir)) return false
    this.warned.add(dir)
    this.log.warn(msg, { dir, error: errorMessage(e) })
    return true
  }
}

/** Device and inode of the directory a path leads to (undefined: none there, or not a directory). */
function identity(dir: string): string | undefined {
  try {
    const s = statSync(dir, { bigint: true })
    return s.isDirectory() ? `${s.dev}:${s.ino}` : undefined
  } catch {
    return undefined
  }
}

function isDir(dir: string): boolean {
  return identity(dir) !== undefined
}

/** The components of an (existing) directory's path that are symlinks, outermost first. */
function linkedDirs(dir: string): string[] {
  const out: string[] = []
  let p = ""
  for (const part of dir.split(sep).filter(Boolean)) {
    p += sep + part
    try {
      if (lstatSync(p).isSymbolicLink()) out.push(p)
    } catch {
      break
    }
  }
  return out
}

/**
 * A path and every path it leads to through symlinks: each link's target in turn, and the real
 * file (directories that are links resolved too). A plain file is just itself.
 */
export function linkChain(path: string): string[] {
  const out = [path]
  let p = path
  for (let i = 0; i < MAX_LINKS; i++) {
    try {
      if (!lstatSync(p).isSymbolicLink()) break
      p = resolve(dirname(p), readlinkSync(p))
    } catch {
      break
    }
    out.push(p)
  }
  if (p !== path) {
    try {
      out.push(realpathSync(path))
    } catch {
      // a dangling link: its target's directory is watched, so the file appearing there is seen
    }
  }
  return [...new Set(out)]
}
