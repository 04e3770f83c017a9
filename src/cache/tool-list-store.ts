/**
 * @module cache/tool-list-store
 * Per-server tool lists persisted in the cache (kind `tools`), so `tools/list` can be answered at
 * start before downstream sessions are up. Same structural shape as proxy's `ToolListStore`.
 */
import type { TtlCache } from "./ttl-cache.ts"

/** The least a tool needs for us to store it; the proxy instantiates this with the SDK `Tool`. */
export interface NamedTool {
  name: string
}

export interface ToolListStoreOptions<T> {
  /** Validates a list read back from disk (e.g. `z.array(ToolSchema).parse`); a throw drops it. */
  parse?: (value: unknown) => T[]
}

/** Cache key of a server's tool list (kind `tools`), distinct from the Toolkit's own `tools ls` keys. */
export const toolListKey = (server: string): string => `downstream:${server}`

export class CachedToolListStore<T extends NamedTool = NamedTool> {
  constructor(
    private readonly cache: TtlCache,
    private readonly opts: ToolListStoreOptions<T> = {},
  ) {}

  /** The last known list, even when expired (a stale list beats none at start). */
  async load(server: string): Promise<T[] | undefined> {
    const parse = this.opts.parse ?? defaultParse<T>
    return (await this.cache.peek<T[]>("tools", toolListKey(server), { parse }))?.value
  }

  async save(server: string, tools: T[]): Promise<void> {
    await this.cache.set("tools", toolListKey(server), tools)
  }

  async invalidate(server: string): Promise<void> {
    await this.cache.invalidate("tools", toolListKey(server))
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
