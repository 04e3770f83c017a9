/**
 * @module app/cached-toolkit
 * The Toolkit driver with its reads going through the cache (TTL per kind, stale-while-revalidate,
 * coalesced misses) and its mutations invalidating what they change. Same interface as the driver.
 * Loaders never capture a request's options (signal, progress): they are reused for background refreshes.
 */
import type { TtlCache } from "../cache/index.ts"
import { searchCatalog, type CallOptions, type ToolkitDriver } from "../docker/index.ts"

export function cachedToolkit(driver: ToolkitDriver, cache: TtlCache): ToolkitDriver {
  const invalidateServers = async (): Promise<void> => {
    await Promise.all([cache.invalidate("servers"), cache.invalidate("tools", "toolkit"), cache.invalidate("profiles"), cache.invalidate("config")])
  }
  const wrapped: ToolkitDriver = {
    status: (o?: CallOptions) => driver.status(o),
    catalogsList: () => cache.getOrLoad("catalog", "catalogs", () => driver.catalogsList()),
    catalogShow: (name) => cache.getOrLoad("catalog", `show:${name ?? ""}`, () => driver.catalogShow(name)),
    catalogSearch: async (query, limit) => searchCatalog((await wrapped.catalogShow()).servers, query, limit),
    serversList: () => cache.getOrLoad("servers", "enabled", () => driver.serversList()),
    serverInspect: (name) => cache.getOrLoad("inspect", name, () => driver.serverInspect(name)),
    toolsList: () => cache.getOrLoad("tools", "toolkit", () => driver.toolsList()),
    configGet: (server) => cache.getOrLoad("config", server ?? "", () => driver.configGet(server)),
    secretsList: () => cache.getOrLoad("secrets", "all", () => driver.secretsList()),
    profilesList: () => cache.getOrLoad("profiles", "list", () => driver.profilesList()),
    profileShow: (id) => cache.getOrLoad("profiles", `show:${id ?? ""}`, () => driver.profileShow(id)),
    gatewayLaunchSpec: (o) => driver.gatewayLaunchSpec(o),
    async serverEnable(name, o) {
      try {
        return await driver.serverEnable(name, o)
      } finally {
        await invalidateServers()
      }
    },
    async serverDisable(name, o) {
      try {
        return await driver.serverDisable(name, o)
      } finally {
        await invalidateServers()
      }
    },
    async configSet(server, key, value, o) {
      try {
        return await driver.configSet(server, key, value, o)
      } finally {
        await cache.invalidate("config")
      }
    },
    invalidate() {
      driver.invalidate()
    },
    get parsers() {
      return driver.parsers
    },
  }
  return wrapped
}
