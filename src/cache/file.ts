/**
 * @module cache/file
 * One file per key under `<dir>/entries/`, named by the hex sha256 of the key. Crash-safe writes,
 * checked reads (bad files are quarantined and count as a miss), and a degraded mode: when the disk
 * is full or read-only the driver warns once and behaves as a miss/no-op instead of throwing.
 */
import { join } from "node:path"
import { secrets, silentLogger, type Clock, type Logger, systemClock } from "../core/index.ts"
import { firstToldUnwritable, notPlainRemedy, QUARANTINE_REMEDY, unwritableRemedy } from "./dir-remedy.ts"
import { decodeEntry, encodeEntry } from "./file-format.ts"
import { atomicWrite, errCode, nodeFs, quarantine, readEntryFile, sweepTemps, type FsOps } from "./file-io.ts"
import { ENTRIES_DIR, entryPath, isCorruptName, isEntryName } from "./file-paths.ts"
import { freshlyParsed, serialize } from "./json.ts"
import { emptyStats, type CacheDriver, type CacheEntry, type DriverStats } from "./types.ts"

const READ_BATCH = 16

export interface FileDriverOptions {
  /** The cache directory (entries go in `<dir>/entries`). */
  dir: string
  log?: Logger
  clock?: Clock
  /** File-system calls (fault-injection seam for tests). */
  fs?: Partial<FsOps>
}

export class FileDriver implements CacheDriver {
  readonly name = "file"
  readonly dir: string
  readonly entriesDir: string
  /** Resolves when the directory is prepared (never rejects). */
  readonly ready: Promise<void>
  private readonly fs: FsOps
  private readonly log: Logger
  private readonly clock: Clock
  private counters = emptyStats()
  /** Known entry files and their sizes (ours plus what the startup scan found). */
  private sizes = new Map<string, number>()
  private queues = new Map<string, Promise<unknown>>()
  /**
   * Per entry file: its key and storedAt as this process last read (preload reads every file) or
   * wrote it: what `seenKeys` lists without reading a file (keys are hashed into file names).
   */
  private seen = new Map<string, { key: string; storedAt: number }>()
  /** Bad files that could not be moved aside (read-only dir): skipped until rewritten. */
  private unmovable = new Set<string>()
  private readable = false
  /** Set when the entries path is not a plain directory: nothing is read or written there. */
  private disabled = false
  private warned = false
  /** A damaged file was warned about: the next ones are logged at debug (see `quarantineFile`). */
  private quarantineWarned = false
  /** Temp files removed by the startup sweep. */
  swept = 0
  /** Why the disk layer is degraded, and what to do (stats: orchestrator_status, doctor). */
  private trouble: { problem: string; remedy: string } | undefined
  /** Error code of the last failed write (e.g. "EROFS"), for doctor. */
  lastWriteError: string | undefined

  constructor(opts: FileDriverOptions) {
    this.dir = opts.dir
    this.entriesDir = join(opts.dir, ENTRIES_DIR)
    this.fs = { ...nodeFs, ...opts.fs }
    this.log = (opts.log ?? silentLogger).child("cache")
    this.clock = opts.clock ?? systemClock
    this.ready = this.open()
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    return this.serial(key, async () => {
      const got = await this.readKey(key, entryPath(this.entriesDir, key))
      if (got) this.counters.hits++
      else this.counters.misses++
      return got
    })
  }

  /**
   * Writes `key`'s file. A value holding a configured secret (a server's tool list quoting its API
   * key, a result echoing it, a description quoting it folded across line breaks) is never written
   * to disk in the clear: the key's file is removed
   * instead (an older value must not be read back at the next start), and the memory layer alone
   * keeps it.
   */
  async set(key: string, entry: CacheEntry): Promise<void> {
    const text = entry.text ?? serialize(entry.value, key)
    // (or a piece of one in text with line breaks: a value folded across them, core/split-items)
    if (secrets.testJson(text) || (text.includes("\\n") && secrets.testHalves(text))) {
      this.log.debug("cache entry holds a configured secret: kept in memory, not written to disk", { key })
      return this.serial(key, async () => void (this.disabled || (await this.unlink(entryPath(this.entriesDir, key)))))
    }
    const data = encodeEntry(key, entry.storedAt, text)
    return this.serial(key, async () => {
      if (this.disabled) return
      const p = entryPath(this.entriesDir, key)
      try {
        // a symlink put where the directory was since the start is not written through (as at start)
        if (await this.replacedByLink()) return
        try {
          await atomicWrite(this.fs, p, data)
        } catch (e) {
          // the directory was removed while we run (`rm -rf ~/.cache/mcp-orchestrator`, a cleaner):
          // made again, as at start, and written there; otherwise every later write failed until a restart
          if (errCode(e) !== "ENOENT" || !(await this.remake())) throw e
          await atomicWrite(this.fs, p, data)
        }
        this.sizes.set(p, data.length)
        this.seen.set(p, { key, storedAt: entry.storedAt })
        this.unmovable.delete(p)
        if (this.counters.degraded) this.log.info("cache directory writable again", { dir: this.dir })
        this.counters.degraded = false
      } catch (e) {
        this.writeFailed(e)
      }
    })
  }

  async delete(key: string): Promise<boolean> {
    return this.serial(key, async () => {
      if (this.disabled) return false
      return this.unlink(entryPath(this.entriesDir, key))
    })
  }

  /**
   * Deletes `key` unless its file was written after `storedAt` (by this process, or by another one
   * sharing the directory: the file is read again first). True when it was deleted.
   */
  async deleteIfNotNewer(key: string, storedAt: number): Promise<boolean> {
    return this.serial(key, async () => {
      if (this.disabled) return false
      const p = entryPath(this.entriesDir, key)
      const got = await this.readFile(p, key)
      if (got === undefined || got.entry.storedAt > storedAt) return false
      return this.unlink(p)
    })
  }

  /** Keys under `prefix` this process has read or written, with their storedAt and file size (no file is read). */
  seenKeys(prefix = ""): Array<{ key: string; storedAt: number; bytes?: number }> {
    const out: Array<{ key: string; storedAt: number; bytes?: number }> = []
    for (const [p, e] of this.seen) if (e.key.startsWith(prefix)) out.push({ ...e, ...(this.sizes.has(p) ? { bytes: this.sizes.get(p)! } : {}) })
    return out
  }

  async keys(prefix = ""): Promise<string[]> {
    return (await this.entries(prefix)).map(([k]) => k)
  }

  /**
   * Every entry under `prefix`. `limits` bound what a preload reads: a file over `maxFileBytes` is
   * not read (nor judged: it stays, for a `get` of its key), and reading stops once `maxTotalBytes`
   * were read (a directory holding gigabytes is not read whole into memory at start).
   */
  async entries(prefix = "", limits: { maxFileBytes?: number; maxTotalBytes?: number } = {}): Promise<Array<[string, CacheEntry]>> {
    const names = await this.listNames(isEntryName)
    const out: Array<[string, CacheEntry]> = []
    const budget = limits.maxTotalBytes ?? Infinity
    let read = 0
    // a few reads in flight at once: disk latency overlaps, memory stays bounded
    for (let i = 0; i < names.length && read < budget; i += READ_BATCH) {
      const paths = names.slice(i, i + READ_BATCH).map((n) => join(this.entriesDir, n))
      // one known to be too large (its size seen at start) is not even opened
      const batch = paths.filter((p) => !((this.sizes.get(p) ?? 0) > (limits.maxFileBytes ?? Infinity))).map((p) => this.readFile(p, undefined, limits.maxFileBytes))
      for (const got of await Promise.all(batch)) {
        if (!got) continue
        read += got.bytes
        if (got.key.startsWith(prefix)) out.push([got.key, got.entry])
      }
    }
    return out
  }

  async clear(prefix = ""): Promise<void> {
    if (prefix !== "") {
      for (const k of await this.keys(prefix)) await this.delete(k)
      return
    }
    for (const name of await this.listNames((n) => isEntryName(n) || isCorruptName(n))) {
      const p = join(this.entriesDir, name)
      this.sizes.delete(p)
      this.seen.delete(p)
      await this.fs.unlink(p).catch((e: unknown) => {
        if (errCode(e) !== "ENOENT") this.writeFailed(e)
      })
    }
  }

  stats(): DriverStats {
    let bytes = 0
    for (const b of this.sizes.values()) bytes += b
    return { ...this.counters, entries: this.sizes.size, bytes, ...(this.counters.degraded && this.trouble ? this.trouble : {}) }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.flush()
  }

  /** Waits for every queued read/write. */
  async flush(): Promise<void> {
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()])
  }

  // --- Internal helpers ---

  private async open(): Promise<void> {
    try {
      await this.fs.mkdir(this.entriesDir, { recursive: true, mode: 0o700 })
    } catch (e) {
      // EEXIST: the entries path itself is a file (or a dangling symlink): `entriesPlain` below
      // names it and its remedy; reported here too it was a second warning that blamed the cache
      // directory above it ("a file stands where … should be") for what is wrong with the entries path
      if (errCode(e) !== "EEXIST" || !(await this.fs.lstat(this.entriesDir).then(() => true, () => false))) this.writeFailed(e)
    }
    await this.keepPrivate()
    try {
      if (!(await this.entriesPlain())) return
      this.readable = true
      this.swept = await sweepTemps(this.fs, this.entriesDir, this.clock.wall())
      for (const name of await this.fs.readdir(this.entriesDir)) {
        if (!isEntryName(name)) continue
        const p = join(this.entriesDir, name)
        const s = await this.fs.lstat(p).catch(() => undefined)
        if (s?.isFile()) this.sizes.set(p, s.size)
      }
    } catch (e) {
      if (!this.readable) this.writeFailed(e)
    }
  }

  /** The entries path is a symlink or no directory now: the file layer is disabled (warned once), true. */
  private async replacedByLink(): Promise<boolean> {
    try {
      return !(await this.entriesPlain())
    } catch {
      return false // gone (made again by the write) or unreadable (the write reports it)
    }
  }

  /**
   * Whether the entries path is a plain directory; when it is not (a symlink planted there, a file),
   * the file layer is disabled: nothing is read or written there. Throws when it cannot be looked at.
   */
  /**
   * Takes other users' access off the cache's directories (group and other bits), and nothing more.
   * Before, each was set to 0700: a directory its owner had made read-only (chmod 555, `chmod a-w`
   * to freeze the cache) was made writable again by the first start, and the next wrote into it;
   * now it stays as the owner left it, and the cache says once that it cannot write there.
   */
  private async keepPrivate(): Promise<void> {
    for (const d of [this.dir, this.entriesDir]) {
      const st = await this.fs.lstat(d).catch(() => undefined)
      if (st === undefined || !st.isDirectory() || (st.mode & 0o077) === 0) continue
      await this.fs.chmod(d, st.mode & 0o700).catch(() => {})
    }
  }

  private async entriesPlain(): Promise<boolean> {
    const st = await this.fs.lstat(this.entriesDir)
    if (!st.isSymbolicLink() && st.isDirectory()) return true
    this.trouble = { problem: `${this.entriesDir} is not a plain directory (a symlink or a file); the file cache is disabled`, remedy: notPlainRemedy(this.entriesDir) }
    this.log.warn("cache entries path is not a plain directory; file cache disabled", { dir: this.entriesDir, remedy: this.trouble.remedy })
    this.disabled = true
    this.readable = false
    this.counters.degraded = true
    return false
  }

  /**
   * The entries directory is gone: makes it again (0700, as `open` does) when it can, and only as a
   * plain directory (a symlink planted in its place disables the file layer, as at start). True
   * when a write is worth trying again.
   */
  private async remake(): Promise<boolean> {
    try {
      // there (made again by a write that failed alongside, or by another process): worth one more try
      const st = await this.fs.lstat(this.entriesDir)
      return st.isDirectory() && !st.isSymbolicLink()
    } catch (e) {
      if (errCode(e) !== "ENOENT") return false
    }
    try {
      await this.fs.mkdir(this.entriesDir, { recursive: true, mode: 0o700 })
      await this.keepPrivate()
      if (!(await this.entriesPlain())) return false
    } catch {
      return false
    }
    // what was known of the removed files is gone with them
    this.sizes.clear()
    this.seen.clear()
    this.unmovable.clear()
    this.readable = true
    this.log.info("cache directory was removed while running; made it again", { dir: this.entriesDir })
    return true
  }

  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(key) ?? this.ready
    const run = prev.then(fn, fn)
    const tail = run.catch(() => {})
    this.queues.set(key, tail)
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key)
    })
    return run
  }

  private async listNames(keep: (name: string) => boolean): Promise<string[]> {
    await this.ready
    if (!this.readable) return []
    try {
      return (await this.fs.readdir(this.entriesDir)).filter(keep).sort()
    } catch {
      return []
    }
  }

  private async readKey(key: string, p: string): Promise<CacheEntry | undefined> {
    return (await this.readFile(p, key))?.entry
  }

  private async readFile(p: string, key: string | undefined, skipOver?: number): Promise<{ key: string; entry: CacheEntry; bytes: number } | undefined> {
    if (!this.readable || this.unmovable.has(p)) return undefined
    let res
    try {
      res = await readEntryFile(this.fs, p, skipOver)
    } catch (e) {
      this.log.debug("cache read failed", { code: errCode(e) })
      return undefined
    }
    if (res.kind === "missing") {
      this.sizes.delete(p)
      this.seen.delete(p)
      return undefined
    }
    if (res.kind === "skipped") {
      this.log.debug("cache file too large to preload; left for a read of its key", { file: p, bytes: res.size, limit: skipOver })
      return undefined
    }
    const dec = res.kind === "data" ? decodeEntry(res.data, key) : { ok: false as const, reason: res.reason }
    if (!dec.ok && "newer" in dec) {
      // a newer orchestrator's entry (another version sharing the directory): a miss, left as it is
      // (moving it aside would cost that version its entry; a write of ours replaces it, as any write does)
      this.log.debug("cache file of a newer format skipped", { file: p, reason: dec.reason })
      return undefined
    }
    if (!dec.ok) {
      await this.quarantineFile(p, dec.reason)
      return undefined
    }
    this.sizes.set(p, dec.bytes)
    this.seen.set(p, { key: dec.key, storedAt: dec.storedAt })
    const entry: CacheEntry = { value: dec.value, storedAt: dec.storedAt }
    // the value was parsed just now from the file: a memory layer may keep this very object (frozen)
    freshlyParsed.set(entry, dec.bodyBytes)
    return { key: dec.key, entry, bytes: dec.bytes }
  }

  private async quarantineFile(p: string, reason: string): Promise<void> {
    this.counters.quarantined++
    this.sizes.delete(p)
    this.seen.delete(p)
    const moved = await quarantine(this.fs, p)
    if (!moved) this.unmovable.add(p)
    // one warning per process: a crash or a power loss damages many files at once (each entry
    // truncated to 0 bytes), and a warning each said the same thing N times; the rest are counted
    // (orchestrator_status `cache.quarantined`) and logged at debug
    if (this.quarantineWarned) return this.log.debug("cache file quarantined", { file: p, reason, moved })
    this.quarantineWarned = true
    this.log.warn("cache file quarantined", { file: p, reason, moved, remedy: QUARANTINE_REMEDY })
  }

  private async unlink(p: string): Promise<boolean> {
    this.sizes.delete(p)
    this.seen.delete(p)
    try {
      await this.fs.unlink(p)
      return true
    } catch (e) {
      if (errCode(e) !== "ENOENT") this.writeFailed(e)
      return false
    }
  }

  private writeFailed(e: unknown): void {
    this.counters.writeErrors++
    this.lastWriteError = errCode(e) ?? String(e)
    if (!this.disabled) this.trouble = { problem: `${this.dir} cannot be written (${this.lastWriteError}); the cache works from memory`, remedy: unwritableRemedy(this.dir, errCode(e)) }
    if (!this.counters.degraded && !this.warned) {
      this.warned = true
      // info when the stored first answer already told this directory's trouble (app/tool-snapshot)
      this.log[firstToldUnwritable(this.dir) ? "warn" : "info"]("cache directory not writable; continuing from memory", { dir: this.dir, code: this.lastWriteError, remedy: unwritableRemedy(this.dir, errCode(e)) })
    }
    this.counters.degraded = true
  }
}
