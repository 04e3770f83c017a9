/**
 * @module app/cached-toolkit
 * The Toolkit driver with its reads going through the cache (TTL per kind, stale-while-revalidate,
 * coalesced misses) and its mutations invalidating what they change; a change of the CLI itself
 * (another real version or era, app/toolkit-drift) drops all of this Toolkit's entries. Same interface as the driver.
 * Loaders never capture a request's options (signal, progress): they are reused for background refreshes.
 * Every key is scoped to the Toolkit it came from (`toolkitScope`: docker executable, profile,
 * Docker config and context): two editors' entries with different profiles, or another docker,
 * share the cache directory but never each other's answers.
 */
import { createHash } from "node:crypto"
import type { TtlCache } from "../cache/index.ts"
import { checkCachedList, checkCachedMap, fromCachedList, fromCachedMap, searchCatalog, toCachedList, toCachedMap, type CallOptions, type ConfigMap, type ToolkitChange, type ToolkitDriver } from "../docker/index.ts"
import { cliDriftJudge } from "./toolkit-drift.ts"
import { cliVersionMemo } from "./toolkit-cli-version.ts"
import { toolkitCliStamps, toolkitStampKey } from "./toolkit-files.ts"
import type { FileStamp } from "./tool-snapshot.ts"

/** The docker executable as the driver runs it (PATH looked up). */
function dockerExe(docker: string, env: Record<string, string | undefined>): string {
  return docker.includes("/") ? docker : (Bun.which(docker, env.PATH !== undefined ? { PATH: env.PATH } : {}) ?? docker)
}

/** What makes one Toolkit's answers differ from another's, as a short key prefix. */
export function toolkitScope(docker: string, profile: string | undefined, env: Record<string, string | undefined>): string {
  const parts = [dockerExe(docker, env), profile ?? "", env.DOCKER_CONFIG ?? "", env.DOCKER_HOST ?? "", env.DOCKER_CONTEXT ?? "", env.HOME ?? ""]
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16)
}

/**
 * Which CLI answers, as a key suffix: the `docker-mcp` plugin binary wherever docker looks for it
 * and the docker config (`stamps`: `toolkitCliStamps`), and the version the CLI prints now. An upgrade between
 * two runs (the plugin replaced, Docker Desktop updated) is another key for every kind: the new
 * CLI's first answers are its own, never an older era's within their TTL. The docker executable's
 * own stamp is not in it (its path is, in the scope): a docker CLI update that leaves the plugin
 * and its version as they were answers `docker mcp` alike, and dropping every cached answer for it
 * made the next start wait for the CLI.
 */
export function toolkitCliKey(stamps: readonly FileStamp[], version: string): string {
  return Bun.hash(JSON.stringify([stamps, version])).toString(16)
}

/** The CLI's files alone (`toolkitCliKey` without the version): what a version read last is kept for (app/toolkit-cli-version). */
export function toolkitCliStamp(stamps: readonly FileStamp[]): string {
  return Bun.hash(JSON.stringify(stamps)).toString(16)
}

/** What `cachedToolkit` reads of the machine, replaceable in tests (to count the reads). */
export interface CachedToolkitSeams {
  /** The CLI's files as they are now (default `toolkitCliStamps`): read once per cached read. */
  cliStamps?: (env: Record<string, string | undefined>) => FileStamp[]
}

export function cachedToolkit(driver: ToolkitDriver, cache: TtlCache, scope = "", env: Record<string, string | undefined> = process.env, seams: CachedToolkitSeams = {}): ToolkitDriver {
  const base = scope ? `${scope}/` : ""
  const cliStamps = seams.cliStamps ?? toolkitCliStamps
  // a version that cannot be read now is the one read last for this CLI, in this process (the
  // driver) or an earlier one (the memo): the answers cached for it are served as before the
  // answers were keyed by version, instead of matching nothing and failing
  const version = cliVersionMemo(cache, base, cache.logger.child("toolkit"))
  /** `key` of this scope and of the CLI answering now (`toolkitCliKey`). */
  // the CLI's files are stamped once per read (they are several stats and a read of the docker
  // config): the version memo and the key both come from that one stamp
  const k = async (key: string): Promise<string> => {
    const printed = (await driver.cliVersion?.()) ?? ""
    const stamps = cliStamps(env)
    return `${base}${key}@${toolkitCliKey(stamps, await version(printed, toolkitCliStamp(stamps)))}`
  }
  const invalidateServers = async (): Promise<void> => {
    await Promise.all([cache.invalidatePrefix("servers", base), cache.invalidatePrefix("tools", `${base}toolkit@`), cache.invalidatePrefix("profiles", base), cache.invalidatePrefix("config", base)])
  }
  /** Another CLI (an upgrade in place, profiles switched): nothing the old one answered is kept. */
  const invalidateAll = async (): Promise<void> => {
    const kinds = ["catalog", "servers", "inspect", "config", "secrets", "profiles"] as const
    await Promise.all([...kinds.map((kind) => cache.invalidatePrefix(kind, base)), cache.invalidatePrefix("tools", `${base}toolkit@`)])
  }
  // one judgement and one drop per change, made whether or not anyone listens (a CLI command's
  // driver has no listener); listeners hear of the change after it
  const drifted = cliDriftJudge()
  const listeners = new Set<(change: ToolkitChange) => void>()
  driver.onEraChange((change) => {
    void (drifted(change) ? invalidateAll() : Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        for (const l of [...listeners]) {
          try {
            l(change)
          } catch {
            // one listener's failure is its own (the driver's listeners are kept apart the same way)
          }
        }
      })
  })
  /**
   * A list through the cache with what its read left out (docker/partial): a new process serving
   * it from the file cache still says the answer is partial, until a complete read replaces it.
   */
  const list = async <T>(kind: "servers" | "tools" | "secrets" | "catalog" | "profiles", key: string, load: () => Promise<T[]>): Promise<T[]> =>
    fromCachedList(await cache.getOrLoad(kind, await k(key), async () => toCachedList(await load()), { parse: checkCachedList<T> }))
  const wrapped: ToolkitDriver = {
    status: (o?: CallOptions) => driver.status(o),
    recheck: (o?: CallOptions) => driver.recheck(o),
    // listeners hear of the change once this Toolkit's cached answers are gone: a gateway sync that
    // follows reads the new era's servers, not the old one's
    // (only for another CLI: one unreadable `docker mcp version` keeps them, app/toolkit-drift)
    onEraChange: (listener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    catalogsList: () => list("catalog", "catalogs", () => driver.catalogsList()),
    catalogShow: async (name) => cache.getOrLoad("catalog", await k(`show:${name ?? ""}`), () => driver.catalogShow(name)),
    catalogSearch: async (query, limit) => searchCatalog((await wrapped.catalogShow()).servers, query, limit),
    // keyed by the Toolkit's state files as they are before the read (app/toolkit-files): an entry
    // stored before `docker mcp server enable`/`profile server add` is not the enabled set after it,
    // even within cache.ttl.servers (a start soon after the change added the gateway with the old set)
    serversList: (o?: CallOptions) => list("servers", `enabled:${toolkitStampKey(env)}`, () => driver.serversList(o)),
    serverInspect: async (name) => cache.getOrLoad("inspect", await k(name), () => driver.serverInspect(name)),
    toolsList: () => list("tools", "toolkit", () => driver.toolsList()),
    // cached with what its read left out (a stray key, a server of another shape): said from the cache too
    configGet: async (server) => fromCachedMap(await cache.getOrLoad("config", await k(server ?? ""), async () => toCachedMap(await driver.configGet(server)), { parse: checkCachedMap<ConfigMap> })),
    secretsList: () => list("secrets", "all", () => driver.secretsList()),
    profilesList: () => list("profiles", "list", () => driver.profilesList()),
    profileShow: async (id) => cache.getOrLoad("profiles", await k(`show:${id ?? ""}`), () => driver.profileShow(id)),
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
        // not only the config: the servers' setup state (legacy `server ls`: config required →
        // done), the profiles that hold the values and the tools a now-configured server lists
        await invalidateServers()
      }
    },
    invalidate() {
      driver.invalidate()
    },
    lastChange: () => driver.lastChange?.(),
    onServersListed: (listener) => driver.onServersListed?.(listener) ?? (() => {}),
    cliVersion: (o?: CallOptions) => driver.cliVersion?.(o) ?? Promise.resolve(""),
    detectedBy: () => driver.detectedBy?.(),
    get parsers() {
      return driver.parsers
    },
  }
  return wrapped
}
