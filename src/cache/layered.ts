/**
 * @module cache/layered
 * Memory over file: reads try memory, then disk (filling memory); writes and deletes go to both,
 * issued in call order so a later delete can never be overtaken by an earlier write.
 * A value is serialised once per write (both layers use the text), and a value read from disk is
 * parsed once: the memory layer keeps that parsed value (frozen), and the read returns it.
 */
import type { FileDriver } from "./file.ts"
import { serialize } from "./json.ts"
import type { MemoryDriver } from "./memory.ts"
import type { CacheDriver, CacheEntry, DriverStats, SetOptions } from "./types.ts"

export interface LayeredStats extends DriverStats {
  memory: DriverStats
  file: DriverStats
}

export class LayeredDriver implements CacheDriver {
  readonly name = "layered"
  constructor(
    readonly memory: MemoryDriver,
    readonly file: FileDriver,
  ) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    const hit = this.memory.getSync(key)
    if (hit) return hit
    const got = await this.file.get(key)
    // A set or delete may have happened while the disk read ran: memory then wins.
    if (got && !this.memory.has(key)) this.memory.setSync(key, got)
    return got
  }

  async set(key: string, entry: CacheEntry, opts?: SetOptions): Promise<void> {
    const text = entry.text ?? serialize(entry.value, key)
    const withText = { value: entry.value, storedAt: entry.storedAt, text }
    if (opts?.memory === false) this.memory.deleteSync(key)
    else this.memory.setSync(key, withText)
    await this.file.set(key, withText)
  }

  async delete(key: string): Promise<boolean> {
    // Both calls are issued before any await, keeping per-key order on disk.
    const [inMemory, onDisk] = await Promise.all([this.memory.delete(key), this.file.delete(key)])
    return inMemory || onDisk
  }

  async keys(prefix = ""): Promise<string[]> {
    const all = new Set([...(await this.memory.keys(prefix)), ...(await this.file.keys(prefix))])
    return [...all]
  }

  async entries(prefix = ""): Promise<Array<[string, CacheEntry]>> {
    const out = new Map(await this.file.entries(prefix))
    for (const [k, e] of await this.memory.entries(prefix)) out.set(k, e)
    return [...out]
  }

  seenKeys(prefix = ""): Array<{ key: string; storedAt: number; bytes?: number }> {
    return this.file.seenKeys(prefix)
  }

  async deleteIfNotNewer(key: string, storedAt: number): Promise<boolean> {
    // the memory copy goes either way (a newer file is read back from disk when asked for)
    this.memory.deleteSync(key)
    return this.file.deleteIfNotNewer(key, storedAt)
  }

  async warm(prefixes: readonly string[] = [""]): Promise<number> {
    const rank = (k: string) => prefixes.findIndex((p) => k.startsWith(p))
    // no more than memory can keep is read: a file larger than its cap, or past it in total, stays on disk (read when asked for)
    const cap = this.memory.maxBytes
    const found = (await this.file.entries("", { maxFileBytes: cap, maxTotalBytes: cap })).filter(([k]) => rank(k) >= 0 && !this.memory.has(k))
    // lowest priority first: memory evicts the oldest never-read entries, so the first prefixes stay
    found.sort(([a], [b]) => rank(b) - rank(a))
    for (const [k, e] of found) this.memory.setSync(k, e)
    return found.length
  }

  async clear(prefix = ""): Promise<void> {
    await Promise.all([this.memory.clear(prefix), this.file.clear(prefix)])
  }

  /** Top level: hits from either layer, misses of both, entries and bytes on disk (memory in `memory`). */
  stats(): LayeredStats {
    const m = this.memory.stats()
    const f = this.file.stats()
    return {
      entries: Math.max(m.entries, f.entries),
      bytes: f.bytes,
      hits: m.hits + f.hits,
      misses: f.misses,
      evictions: m.evictions,
      quarantined: f.quarantined,
      writeErrors: f.writeErrors,
      degraded: f.degraded,
      ...(f.problem !== undefined ? { problem: f.problem } : {}),
      ...(f.remedy !== undefined ? { remedy: f.remedy } : {}),
      memory: m,
      file: f,
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.file[Symbol.asyncDispose]()
    await this.memory[Symbol.asyncDispose]()
  }
}
