/**
 * @module app/listed-store
 * `doctor` stores the tool lists it got where `serve` keeps them: the tool-list store in the cache,
 * under the same key (the server's name and a hash of its definition, with the tools the pins
 * withhold in `block` mode: app/spec-key), after the same pin gate (catalog/pins: a tool blocked
 * for a changed definition is not stored, new ones are pinned as serve would pin them). A user who
 * runs `doctor` and then opens their editor gets a complete first tools/list at once, instead of
 * the cold start's (each server waited for, `npx` downloading). Only whole listings that worked
 * are given here (cli/doctor-start: every page read, checked as serve checks them); a failed or
 * partial one is never stored, and an earlier stored list stays. What does not get written is a
 * warning, never a failed doctor.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js"
import { CachedToolListStore, createCache } from "../cache/index.ts"
import { ToolPins } from "../catalog/index.ts"
import { pinsFile, type LoadedConfig } from "../config/index.ts"
import { errorMessage, type Logger } from "../core/index.ts"
import { definitionKey, withheldTools } from "./spec-key.ts"

/** A server's whole tool listing, checked as serve checks it (catalog/validate). */
export interface Listed {
  server: string
  /** Its definition as configured (`servers.NAME`): the key's hash. */
  spec: unknown
  tools: Tool[]
  /**
   * The definition as the server sent it behind each tool (same index): what the pins hash, as
   * serve's gate does (proxy/fetch-list). Pinning the checked copies instead gave a repaired
   * definition another hash than serve's, so doctor and serve took turns re-pinning it ("definition
   * changed … possible rug pull", and in `block` mode the tool withheld).
   */
  sources?: unknown[]
}

/** Stores each list as serve would; how many were stored. */
export async function storeListed(loaded: LoadedConfig, env: Record<string, string | undefined>, lists: readonly Listed[], log: Logger): Promise<number> {
  if (lists.length === 0 || !loaded.config.cache.enabled) return 0
  const { config } = loaded
  await using cache = createCache(config.cache, { env, log: log.child("cache"), maintainEvery: 0 })
  await cache.preload().catch((e: unknown) => log.warn("cache preload failed", { error: errorMessage(e) }))
  const store = new CachedToolListStore<Tool>(cache)
  using pins = new ToolPins(pinsFile(config.proxy.pinsFile, env), config.proxy.pinTools, log.child("pins"))
  let stored = 0
  for (const l of lists) {
    try {
      const sources = l.sources
      let tools: Tool[]
      if (sources === undefined || sources.length !== l.tools.length) tools = pins.gate(l.server, l.tools)
      else {
        const allowed = new Set<unknown>(pins.gate(l.server, sources as Tool[], false, l.tools))
        tools = l.tools.filter((_, i) => allowed.has(sources[i]))
      }
      await store.save(definitionKey(l.server, l.spec, withheldTools(pins, l.server)), tools)
      stored++
    } catch (e) {
      log.warn("tool list not stored", { server: l.server, error: errorMessage(e) })
    }
  }
  await store.flush()
  return stored
}
