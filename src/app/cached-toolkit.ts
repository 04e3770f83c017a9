/**
 * @module app/cached-toolkit
 * The Toolkit driver with its reads going through the cache (TTL per kind, stale-while-revalidate,
 * coalesced misses) and its mutations invalidating what they change. Same interface as the driver.
 */
import type { TtlCache } from "../cache/index.ts"
import { searchCatalog, type CallOptions, type ToolkitDriver } from "../docker/index.ts"

export function cachedToolkit(driver: ToolkitDriver, cache: TtlCache): ToolkitDriver {
  const invalidateServers = async (): Promise<void> => {
    await Promise.all([cache.invalidate("servers"), cache.invalidate("tools"), cache.invalidate("profiles"), cache.invalidate("config")])
  }
  const wrapped: ToolkitDriver = {
    status: (o?: CallOptions) => driver.status(o),
    catalogsList: (o) => cache.getOrLoad("catalog", "catalogs", () => driver.catalogsList(o)),
    catalogShow: (name, o) => cache.getOrLoad("catalog", `show:${name ?? ""}`, () => driver.catalogShow(name, o)),
    catalogSearch: async (query, limit, o) => searchCatalog((await wrapped.catalogShow(undefined, o)).servers, query, limit),
    serversList: (o) => cache.getOrLoad("servers", "enabled", () => driver.serversList(o)),
    serverInspect: (name, o) => cache.getOrLoad("inspect", name, () => driver.serverInspect(name, o)),
    toolsList: (o) => cache.getOrLoad("tools", "toolkit", () => driver.toolsList(o)),
    configGet: (server, o) => cache.getOrLoad("config", server ?? "", () => driver.configGet(server, o)),
    secretsList: (o) => cache.getOrLoad("secrets", "all", () => driver.secretsList(o)),
    profilesList: (o) => cache.getOrLoad("profiles", "list", () => driver.profilesList(o)),
    profileShow: (id, o) => cache.getOrLoad("profiles", `show:${id ?? ""}`, () => driver.profileShow(id, o)),
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
