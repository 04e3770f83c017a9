/**
 * @module cache/tool-list-store
 * Per-server lists persisted in the cache (kind `tools`), so `tools/list`, `prompts/list` and
 * `resources/list` can be answered at start before downstream sessions are up (a lazy server is
 * then started only when it is used). Same structural shape as proxy's `ToolListStore`.
 *
 * A server's lists are written at most once per `LIST_SAVE_INTERVAL_MS` (the first save at once):
 * a server that relists all the time (tools/list_changed every few ms) costs one write of its list
 * per interval, not one per listing. A save within the interval replaces the one waiting (the
 * latest list wins; `load` returns it), and `flush` (dispose) writes what waits.
 *
 * Keys are the server's name and a hash of its definition (`<server>@<12 hex>`, app/spec-key), so
 * each edit of a server's command, args, env or url leaves its earlier entries behind. After the
 * first write under such a key in a run, the entries of the same server name with another
 * definition are pruned (`pruneEarlier`): those not written for OLD_DEFINITION_MAX_AGE_MS (30 days),
 * and any beyond the OLD_DEFINITIONS_KEPT (64) most recently written or past OLD_DEFINITIONS_MAX_BYTES
 * (8 MiB, the newest first) of entries. Conservative on purpose: the
 * directory may be shared by orchestrators of other configs that name a server alike with another
 * definition (a `filesystem` server per project), and a run that uses a definition writes its
 * entries again (its lists when the server lists, `proxy.checkStoredLists` re-checking old ones),
 * so those are the recently written ones and stay. Only keys this process has seen are considered
 * (the preload reads every entry), nothing is read to find them, and each is read once more before
 * it is removed: one written since (by another process) stays. Other names and keys are never
 * touched.
 */
import { errorMessage } from "../core/index.ts"
import { FUTURE_SKEW_MS } from "./ttl-meta.ts"
import type { TtlCache } from "./ttl-cache.ts"
import type { Lookup } from "./ttl-types.ts"

/** The least a tool needs for us to store it; the proxy instantiates this with the SDK `Tool`. */
export interface NamedTool {
  name: string
}

/** A server's prompts, resources and resource templates (structurally proxy's `StoredLists`). */
export interface OtherLists<P = { name: string }, R = { uri: string }, RT = { uriTemplate: string }> {
  prompts: P[]
  resources: R[]
  templates: RT[]
  /** The lists that are what a first listing read before a page failed or went unanswered: their cuts (`list` names the method). */
  partial?: StoredCut[]
}

export interface ToolListStoreOptions<T> {
  /** Validates a list read back from disk (e.g. `z.array(ToolSchema).parse`); a throw drops it. */
  parse?: (value: unknown) => T[]
  /** Default `LIST_SAVE_INTERVAL_MS`. */
  saveIntervalMs?: number
  /**
   * A tag of the base environment this process's servers inherit (LANG, PATH…: app computes it).
   * Two windows on one key whose servers list differently because of it (descriptions localised by
   * LANG) replaced each other's list at each start (a flip-flop): a list that differs from the one
   * stored by a process of another tag is kept under `<key>~<tag>` (read first from then on), and
   * the stored one stays. Without it, one list per key, as before.
   */
  writer?: string
}

/** One server's list (tools, or the other lists) is written at most once this long. */
export const LIST_SAVE_INTERVAL_MS = 5000

const DISK_ONLY = { memory: false } as const

/** Entries of a server's earlier definitions not written for this long are removed (see the module doc). */
export const OLD_DEFINITION_MAX_AGE_MS = 30 * 24 * 3600_000
/**
 * At most this many earlier definitions of a server name keep their entries (the most recently
 * written). A stdio server without a cwd has one definition per project (app/spec-key): at 8,
 * someone moving among more than 8 projects lost the first answer of the one opened least recently.
 * The bytes bound below keeps a server with huge lists from filling the disk meanwhile.
 */
export const OLD_DEFINITIONS_KEPT = 64
/** Earlier definitions of a server name keep their entries while these total at most this many bytes (the most recently written first; the newest always stays). */
export const OLD_DEFINITIONS_MAX_BYTES = 8 * 1024 * 1024
/** A key of a server's definition: `<server>@<12 hex>` (app/spec-key). */
const DEFINITION_KEY = /^(.+)@([0-9a-f]{12})$/

/** Cache key of a server's tool list (kind `tools`), distinct from the Toolkit's own `tools ls` keys. */
export const toolListKey = (server: string): string => `downstream:${server}`
/** Cache key of a server's other lists (prompts, resources, templates). */
export const otherListsKey = (server: string): string => `downstream-lists:${server}`
/** Cache key of the base-environment tag of the process that wrote a server's lists (`writer`). */
export const writerKey = (server: string): string => `downstream-by:${server}`
/** Cache key of a server's silence note (it did not list its tools in a run: proxy/silence). */
export const silenceKey = (server: string): string => `downstream-silence:${server}`

/** A server's silence note (structurally proxy's `SilenceNote`). */
export interface SilenceNote {
  silentSince?: string
  checkedAt?: string
  listed?: boolean
  failedSince?: string
  failedAt?: string
  failedRuns?: number
  failure?: string
}

/** A list saved within its key's write interval: written when the interval ends (or at `flush`). */
interface Waiting {
  value: unknown
  timer: ReturnType<typeof setTimeout>
}

export class CachedToolListStore<T extends NamedTool = NamedTool> {
  /** Servers whose list `load` returned past its TTL (since their last save). */
  private readonly staleServers = new Set<string>()
  /** Servers whose list `load` returned was stored partial: its cut (see `save`). */
  private readonly partialServers = new Map<string, StoredCut>()
  /** By cache key: performance.now() of its last write. */
  private readonly written = new Map<string, number>()
  /** By cache key: the list saved since, not written yet. */
  private readonly waiting = new Map<string, Waiting>()
  /** Definition keys whose earlier definitions were pruned in this run (once each). */
  private readonly pruned = new Set<string>()
  /** Prunes under way (awaited by `flush`). */
  private readonly pruning = new Set<Promise<void>>()
  /** Cache keys this process keeps under its variant (`<key>~<writer>`: see `writer`). */
  private readonly diverted = new Set<string>()

  constructor(
    private readonly cache: TtlCache,
    private readonly opts: ToolListStoreOptions<T> = {},
  ) {}

  /** Write every list saved and not written yet. */
  async flush(): Promise<void> {
    await Promise.all([...this.waiting.keys()].map((key) => this.write(key)))
    while (this.pruning.size > 0) await Promise.all([...this.pruning])
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.flush()
  }

  /** The last known list, even when expired (a stale list beats none at start: see `wasStale`). */
  async load(server: string): Promise<T[] | undefined> {
    const saved = this.waiting.get(toolListKey(server))
    if (saved !== undefined) {
      this.staleServers.delete(server)
      return this.took(server, saved.value as StoredToolList<T>).tools
    }
    const parse = this.opts.parse ?? defaultParse<T>
    const found = await this.peekOwn<StoredToolList<T>>(toolListKey(server), (v) => parseStored(v, parse))
    if (found?.state === "stale") this.staleServers.add(server)
    else this.staleServers.delete(server)
    return found === undefined ? void this.partialServers.delete(server) : this.took(server, found.value).tools
  }

  /** The cut of the list `load` last returned for `server`, when it was stored partial (`save`). */
  partialOf(server: string): StoredCut | undefined {
    return this.partialServers.get(server)
  }

  private took(server: string, stored: StoredToolList<T>): { tools: T[] } {
    if (Array.isArray(stored)) {
      this.partialServers.delete(server)
      return { tools: stored }
    }
    this.partialServers.set(server, stored.partial)
    return stored
  }

  /** The list `load` last returned for `server` was older than the tools TTL. */
  wasStale(server: string): boolean {
    return this.staleServers.has(server)
  }

  /**
   * On disk only: the list is read back at the next start; meanwhile the proxy holds it (one copy).
   * `partial`: the list is what a first listing read before a page failed or went unanswered
   * (stored as `{ tools, partial }`, a whole list as the array): a later start serves it at once
   * rather than waiting for that listing again, and knows to list the server anew (`partialOf`).
   */
  async save(server: string, tools: T[], partial?: StoredCut): Promise<void> {
    this.staleServers.delete(server)
    await this.coalesced(toolListKey(server), partial === undefined ? tools : { tools, partial })
  }

  /** The last known prompts/resources/templates, even when expired. */
  async loadLists<L extends OtherLists = OtherLists>(server: string): Promise<L | undefined> {
    const saved = this.waiting.get(otherListsKey(server))
    if (saved !== undefined) return saved.value as L
    return (await this.peekOwn<L>(otherListsKey(server), parseLists<L>))?.value
  }

  async saveLists<L extends OtherLists = OtherLists>(server: string, lists: L): Promise<void> {
    await this.coalesced(otherListsKey(server), lists)
  }

  /** The note an earlier run left about a server that did not list its tools (kept past any TTL). */
  async loadSilence(server: string): Promise<SilenceNote | undefined> {
    return (await this.cache.peek<SilenceNote>("tools", silenceKey(server), { parse: parseSilence }))?.value
  }

  async saveSilence(server: string, note: SilenceNote): Promise<void> {
    await this.cache.set("tools", silenceKey(server), note, DISK_ONLY)
    this.pruneEarlier(server)
  }

  /**
   * Whether anything is stored for the server NAME under any definition (a tool list, other lists, a
   * note), as far as this process has read or written (the preload reads every entry).
   */
  hasAny(name: string): boolean {
    return [toolListKey, otherListsKey, silenceKey].some((k) => this.cache.seenKeys("tools", k(`${name}@`)).length > 0)
  }

  async clearSilence(server: string): Promise<void> {
    await this.cache.invalidate("tools", silenceKey(server))
  }

  /** Drops the server's lists (its silence note stays: proxy/silence). */
  async invalidate(server: string): Promise<void> {
    for (const key of [toolListKey(server), otherListsKey(server)]) {
      const w = this.waiting.get(key)
      if (w !== undefined) clearTimeout(w.timer)
      this.waiting.delete(key)
    }
    const keys = [toolListKey(server), otherListsKey(server)]
    await Promise.all(keys.flatMap((k) => [this.cache.invalidate("tools", k), ...(this.opts.writer === undefined ? [] : [this.cache.invalidate("tools", this.variant(k))])]))
  }

  private variant(key: string): string {
    return `${key}~${this.opts.writer}`
  }

  /** `key`'s entry: this process's variant first when there is one (see `writer`). */
  private async peekOwn<V>(key: string, parse: (v: unknown) => V): Promise<Lookup<V> | undefined> {
    if (this.opts.writer !== undefined) {
      const own = await this.cache.peek<V>("tools", this.variant(key), { parse })
      if (own !== undefined) {
        this.diverted.add(key)
        return own
      }
    }
    return this.cache.peek<V>("tools", key, { parse })
  }

  /**
   * Writes `value` under `key`, or under this process's variant of it: when the list stored there
   * differs and was written by a process of another base environment (see `writer`), it stays.
   */
  private async put(key: string, value: unknown): Promise<void> {
    const writer = this.opts.writer
    if (writer !== undefined && !this.diverted.has(key)) {
      const by = (await this.cache.peek<string>("tools", writerKey(key), { parse: parseTag }))?.value
      if (by !== undefined && by !== writer) {
        const stored = (await this.cache.peek<unknown>("tools", key))?.value
        if (stored !== undefined && JSON.stringify(stored) !== JSON.stringify(value)) {
          this.diverted.add(key)
          this.cache.logger.info("a server lists differently in another window's environment (LANG, PATH…): its list is kept apart for this environment, the other window's stays", { key })
        }
      }
    }
    if (writer !== undefined && this.diverted.has(key)) return this.cache.set("tools", this.variant(key), value, DISK_ONLY)
    await this.cache.set("tools", key, value, DISK_ONLY)
    if (writer !== undefined) await this.cache.set("tools", writerKey(key), writer, DISK_ONLY)
  }

  // --- Internal helpers ---

  /** Written now when `key` was not written within the interval, else when it ends (the latest value). */
  private async coalesced(key: string, value: unknown): Promise<void> {
    const w = this.waiting.get(key)
    if (w !== undefined) {
      w.value = value
      return
    }
    const wait = (this.written.get(key) ?? -Infinity) + (this.opts.saveIntervalMs ?? LIST_SAVE_INTERVAL_MS) - performance.now()
    if (wait > 0) {
      const timer = setTimeout(() => void this.write(key).catch(() => {}), wait)
      timer.unref?.()
      this.waiting.set(key, { value, timer })
      return
    }
    this.written.set(key, performance.now())
    await this.put(key, value)
    this.pruneEarlier(serverOf(key))
  }

  private async write(key: string): Promise<void> {
    const w = this.waiting.get(key)
    if (w === undefined) return
    clearTimeout(w.timer)
    this.waiting.delete(key)
    this.written.set(key, performance.now())
    await this.put(key, w.value)
    this.pruneEarlier(serverOf(key))
  }

  /**
   * `key` (`<server>@<hash>`) was written: the entries of the same server name under other
   * definitions are pruned in the background, once per key and run (see the module doc).
   */
  private pruneEarlier(key: string): void {
    const m = DEFINITION_KEY.exec(key)
    if (m === null || this.pruned.has(key)) return
    this.pruned.add(key)
    const p = this.prune(m[1]!, m[2]!)
      .catch((err: unknown) => this.cache.logger.warn("pruning earlier definitions' entries failed", { server: m[1], error: errorMessage(err) }))
      .finally(() => this.pruning.delete(p))
    this.pruning.add(p)
  }

  private async prune(server: string, current: string): Promise<void> {
    /** By definition hash: its entries, and when the latest of them was written. */
    const defs = new Map<string, { latest: number; bytes: number; entries: Array<{ key: string; storedAt: number }> }>()
    const now = Date.now()
    // an entry dated ahead of this clock (written while a clock was wrong) has no age to trust: it
    // counts as the oldest, not as written last for good (it would never be pruned)
    const dated = (storedAt: number): number => (storedAt - now > FUTURE_SKEW_MS ? -Infinity : storedAt)
    const keyed = [toolListKey, otherListsKey, silenceKey, (k: string) => writerKey(toolListKey(k)), (k: string) => writerKey(otherListsKey(k))]
    for (const prefix of keyed.map((k) => k(`${server}@`))) {
      for (const e of this.cache.seenKeys("tools", prefix)) {
        // a window's variant (`~<writer>`) goes with its definition
        const hash = e.key.slice(prefix.length).split("~")[0]!
        if (hash === current || !/^[0-9a-f]{12}$/.test(hash)) continue
        let d = defs.get(hash)
        if (d === undefined) defs.set(hash, (d = { latest: dated(e.storedAt), bytes: 0, entries: [] }))
        d.latest = Math.max(d.latest, dated(e.storedAt))
        d.bytes += e.bytes ?? 0
        d.entries.push(e)
      }
    }
    if (defs.size === 0) return
    const byLatest = [...defs.values()].sort((a, b) => b.latest - a.latest)
    let bytes = 0
    const old = byLatest.filter((d, i) => {
      bytes += d.bytes
      return i >= OLD_DEFINITIONS_KEPT || (i > 0 && bytes > OLD_DEFINITIONS_MAX_BYTES) || now - d.latest >= OLD_DEFINITION_MAX_AGE_MS
    })
    let removed = 0
    for (const d of old) for (const e of d.entries) if (await this.cache.dropIfNotNewer("tools", e.key, e.storedAt)) removed++
    if (removed > 0) this.cache.logger.info("removed stored lists of earlier definitions of a server", { server, definitions: old.length, entries: removed, kept: byLatest.length - old.length })
  }
}

/** The store key of a cache key (`downstream:<key>` → `<key>`). */
function serverOf(cacheKey: string): string {
  return cacheKey.slice(cacheKey.indexOf(":") + 1)
}

/** How a partial list was cut (structurally proxy's `ListCut`). */
export interface StoredCut {
  list: string
  pages: number
  items: number
  why?: string
}

/** A stored tool list: the list, or (stored partial) the list with its cut. */
type StoredToolList<T> = T[] | { tools: T[]; partial: StoredCut }

function parseStored<T>(value: unknown, parse: (v: unknown) => T[]): StoredToolList<T> {
  if (Array.isArray(value) || typeof value !== "object" || value === null) return parse(value)
  const { tools, partial } = value as { tools?: unknown; partial?: Partial<StoredCut> }
  if (typeof partial !== "object" || partial === null || typeof partial.pages !== "number" || typeof partial.items !== "number") throw new Error("stored partial tool list has no valid cut")
  return { tools: parse(tools), partial: { list: typeof partial.list === "string" ? partial.list : "tools/list", pages: partial.pages, items: partial.items, ...(typeof partial.why === "string" ? { why: partial.why } : {}) } }
}

function parseTag(value: unknown): string {
  if (typeof value !== "string") throw new Error("writer tag is not a string")
  return value
}

function defaultParse<T extends NamedTool>(value: unknown): T[] {
  if (!Array.isArray(value)) throw new Error("tool list is not an array")
  for (const t of value) {
    if (t === null || typeof t !== "object" || typeof (t as NamedTool).name !== "string") {
      throw new Error("tool list entry has no name")
    }
  }
  return value as T[]
}

function parseSilence(value: unknown): SilenceNote {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("silence note is not an object")
  const { silentSince, checkedAt, listed, failedSince, failedAt, failedRuns, failure } = value as Record<string, unknown>
  for (const [field, v] of Object.entries({ silentSince, checkedAt, failedSince, failedAt, failure })) if (v !== undefined && typeof v !== "string") throw new Error(`silence note's ${field} is not a string`)
  if (listed !== undefined && typeof listed !== "boolean") throw new Error("silence note's listed is not a boolean")
  if (failedRuns !== undefined && !(typeof failedRuns === "number" && Number.isSafeInteger(failedRuns) && failedRuns > 0)) throw new Error("silence note's failedRuns is not a positive integer")
  const note: SilenceNote = {}
  if (silentSince !== undefined) note.silentSince = silentSince as string
  if (checkedAt !== undefined) note.checkedAt = checkedAt as string
  if (listed !== undefined) note.listed = listed
  if (failedSince !== undefined) note.failedSince = failedSince as string
  if (failedAt !== undefined) note.failedAt = failedAt as string
  if (failedRuns !== undefined) note.failedRuns = failedRuns
  if (failure !== undefined) note.failure = failure as string
  return note
}

/** The string field every stored item of each list must have. */
const ID_FIELD: Record<Exclude<keyof OtherLists, "partial">, string> = { prompts: "name", resources: "uri", templates: "uriTemplate" }

function parseLists<L extends OtherLists>(value: unknown): L {
  if (value === null || typeof value !== "object") throw new Error("stored lists are not an object")
  for (const [list, field] of Object.entries(ID_FIELD)) {
    const items = (value as Record<string, unknown>)[list]
    if (!Array.isArray(items)) throw new Error(`stored ${list} is not an array`)
    for (const i of items) if (i === null || typeof i !== "object" || typeof (i as Record<string, unknown>)[field] !== "string") throw new Error(`stored ${list} entry has no ${field}`)
  }
  const partial = (value as { partial?: unknown }).partial
  if (partial !== undefined && (!Array.isArray(partial) || !partial.every(isCut))) throw new Error("stored partial lists have no valid cuts")
  return value as L
}

function isCut(c: unknown): c is StoredCut {
  const cut = c as Partial<StoredCut> | null
  return typeof cut === "object" && cut !== null && typeof cut.list === "string" && typeof cut.pages === "number" && typeof cut.items === "number" && (cut.why === undefined || typeof cut.why === "string")
}
