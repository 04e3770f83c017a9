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
 */
import type { TtlCache } from "./ttl-cache.ts"

/** The least a tool needs for us to store it; the proxy instantiates this with the SDK `Tool`. */
export interface NamedTool {
  name: string
}

/** A server's prompts, resources and resource templates (structurally proxy's `StoredLists`). */
export interface OtherLists<P = { name: string }, R = { uri: string }, RT = { uriTemplate: string }> {
  prompts: P[]
  resources: R[]
  templates: RT[]
}

export interface ToolListStoreOptions<T> {
  /** Validates a list read back from disk (e.g. `z.array(ToolSchema).parse`); a throw drops it. */
  parse?: (value: unknown) => T[]
  /** Default `LIST_SAVE_INTERVAL_MS`. */
  saveIntervalMs?: number
}

/** One server's list (tools, or the other lists) is written at most once this long. */
export const LIST_SAVE_INTERVAL_MS = 5000

const DISK_ONLY = { memory: false } as const

/** Cache key of a server's tool list (kind `tools`), distinct from the Toolkit's own `tools ls` keys. */
export const toolListKey = (server: string): string => `downstream:${server}`
/** Cache key of a server's other lists (prompts, resources, templates). */
export const otherListsKey = (server: string): string => `downstream-lists:${server}`
/** Cache key of a server's silence note (it did not list its tools in a run: proxy/silence). */
export const silenceKey = (server: string): string => `downstream-silence:${server}`

/** A server's silence note (structurally proxy's `SilenceNote`). */
export interface SilenceNote {
  silentSince?: string
  checkedAt?: string
  listed?: boolean
}

/** A list saved within its key's write interval: written when the interval ends (or at `flush`). */
interface Waiting {
  value: unknown
  timer: ReturnType<typeof setTimeout>
}

export class CachedToolListStore<T extends NamedTool = NamedTool> {
  /** Servers whose list `load` returned past its TTL (since their last save). */
  private readonly staleServers = new Set<string>()
  /** By cache key: performance.now() of its last write. */
  private readonly written = new Map<string, number>()
  /** By cache key: the list saved since, not written yet. */
  private readonly waiting = new Map<string, Waiting>()

  constructor(
    private readonly cache: TtlCache,
    private readonly opts: ToolListStoreOptions<T> = {},
  ) {}

  /** Write every list saved and not written yet. */
  async flush(): Promise<void> {
    await Promise.all([...this.waiting.keys()].map((key) => this.write(key)))
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.flush()
  }

  /** The last known list, even when expired (a stale list beats none at start: see `wasStale`). */
  async load(server: string): Promise<T[] | undefined> {
    const saved = this.waiting.get(toolListKey(server))
    if (saved !== undefined) {
      this.staleServers.delete(server)
      return saved.value as T[]
    }
    const parse = this.opts.parse ?? defaultParse<T>
    const found = await this.cache.peek<T[]>("tools", toolListKey(server), { parse })
    if (found?.state === "stale") this.staleServers.add(server)
    else this.staleServers.delete(server)
    return found?.value
  }

  /** The list `load` last returned for `server` was older than the tools TTL. */
  wasStale(server: string): boolean {
    return this.staleServers.has(server)
  }

  /** On disk only: the list is read back at the next start; meanwhile the proxy holds it (one copy). */
  async save(server: string, tools: T[]): Promise<void> {
    this.staleServers.delete(server)
    await this.coalesced(toolListKey(server), tools)
  }

  /** The last known prompts/resources/templates, even when expired. */
  async loadLists<L extends OtherLists = OtherLists>(server: string): Promise<L | undefined> {
    const saved = this.waiting.get(otherListsKey(server))
    if (saved !== undefined) return saved.value as L
    return (await this.cache.peek<L>("tools", otherListsKey(server), { parse: parseLists<L> }))?.value
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
    await Promise.all([this.cache.invalidate("tools", toolListKey(server)), this.cache.invalidate("tools", otherListsKey(server))])
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
    await this.cache.set("tools", key, value, DISK_ONLY)
  }

  private async write(key: string): Promise<void> {
    const w = this.waiting.get(key)
    if (w === undefined) return
    clearTimeout(w.timer)
    this.waiting.delete(key)
    this.written.set(key, performance.now())
    await this.cache.set("tools", key, w.value, DISK_ONLY)
  }
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
  const { silentSince, checkedAt, listed } = value as Record<string, unknown>
  if (silentSince !== undefined && typeof silentSince !== "string") throw new Error("silence note's silentSince is not a string")
  if (checkedAt !== undefined && typeof checkedAt !== "string") throw new Error("silence note's checkedAt is not a string")
  if (listed !== undefined && typeof listed !== "boolean") throw new Error("silence note's listed is not a boolean")
  return { ...(silentSince !== undefined ? { silentSince } : {}), ...(checkedAt !== undefined ? { checkedAt } : {}), ...(listed !== undefined ? { listed } : {}) }
}

/** The string field every stored item of each list must have. */
const ID_FIELD: Record<keyof OtherLists, string> = { prompts: "name", resources: "uri", templates: "uriTemplate" }

function parseLists<L extends OtherLists>(value: unknown): L {
  if (value === null || typeof value !== "object") throw new Error("stored lists are not an object")
  for (const [list, field] of Object.entries(ID_FIELD)) {
    const items = (value as Record<string, unknown>)[list]
    if (!Array.isArray(items)) throw new Error(`stored ${list} is not an array`)
    for (const i of items) if (i === null || typeof i !== "object" || typeof (i as Record<string, unknown>)[field] !== "string") throw new Error(`stored ${list} entry has no ${field}`)
  }
  return value as L
}
