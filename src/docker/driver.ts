/**
 * @module docker/driver
 * `ToolkitDriver`: every Toolkit operation, one method each, the same on every CLI era. Results are
 * normalized zod-typed values; failures are ToolkitErrors with a remedy.
 */
import { existsSync } from "node:fs"
import { explainNotInstalled } from "./plugin-health.ts"
import { collectSettingsSecrets, describeShort, errorMessage, GATEWAY_HIDDEN_TOOLS, OnceKeys, secrets, shortNamedSecrets, ToolkitError, silentLogger, type Logger } from "../core/index.ts"
import { DEFAULT_PROFILE, DOCKER_CATALOG_REF, LEGACY_DOCKER_CATALOG, legacy, profiles } from "./argv.ts"
import { catalogFor } from "./catalog-ref.ts"
import { failedEmptyRead, isDuplicateServer } from "./classify.ts"
import { ToolkitExec, type CallOptions, type EraChange } from "./exec.ts"
import { eraFromVersion, hasCatalogServerInspect, type EraInfo } from "./era.ts"
import { legacyConfigSet } from "./legacy-config.ts"
import { legacyCatalogPath, legacyConfigLockPath, withToolkitLock } from "./toolkit-lock.ts"
import { defaultParserRegistry, type ParserRegistry } from "./registry.ts"
import { childEnv, commandLabel, createSpawnRunner, resolveDocker, type Runner } from "./runner.ts"
import { cliFilesStamp } from "./cli-stamp.ts"
import { ownProfileServers } from "./own-profile.ts"
import { searchCatalog } from "./search.ts"
import { validateName } from "./names.ts"
import { unknownSubcommand } from "./unknown-command.ts"
import { partialOf, withPartial } from "./partial.ts"
import type { Catalog, CatalogEntry, CatalogServer, ConfigMap, GatewayLaunchSpec, Inspect, Profile, Secret, ServerSummary, Tool, ToolkitStatus } from "./types.ts"

export type { CallOptions } from "./exec.ts"

/** The Toolkit CLI changed under the driver: an upgrade or downgrade in place, profiles switched on or off. */
export interface ToolkitChange {
  from: ToolkitStatus
  to: ToolkitStatus
  /** What made the driver look again (`version changed (checked after its TTL)`, …). */
  reason: string
}

export interface EnableOptions extends CallOptions {
  /** Runs once the server is known not to be enabled, before the change; a throw ends the enable unchanged. */
  beforeChange?: () => Promise<void>
}

export interface MutationResult {
  server: string
  era: "legacy" | "profiles"
  /** Profile changed (profiles era), null in the legacy era. */
  profile: string | null
  /** server_enable of a server the profile already holds: nothing was run, nothing changed. */
  unchanged?: true
  /**
   * Legacy era: other servers the CLI's enable/disable left out of registry.yaml (it keeps only the
   * servers its catalog lists), found by reading `server ls` back after the change.
   */
  dropped?: string[]
}

export interface ToolkitDriver {
  /**
   * The CLI as it is now: `docker mcp version` is read again (and, for v0.28–v0.41, whether profiles
   * are on), so an upgrade or a switched profiles flag shows here; listeners hear of a change.
   */
  status(opts?: CallOptions): Promise<ToolkitStatus>
  /** Detects the era again now (version and profile probe); listeners hear of a change. */
  recheck(opts?: CallOptions): Promise<ToolkitStatus>
  /**
   * Called whenever the driver finds the CLI changed (era, generation or version), after the new
   * era is in place: argv, parsers and `gatewayLaunchSpec` follow it from then on.
   */
  onEraChange(listener: (change: ToolkitChange) => void): () => void
  catalogsList(opts?: CallOptions): Promise<CatalogEntry[]>
  /** Legacy catalog name or OCI ref; default: Docker's catalog. */
  catalogShow(name?: string, opts?: CallOptions): Promise<Catalog>
  catalogSearch(query: string, limit?: number, opts?: CallOptions): Promise<CatalogServer[]>
  /** Enabled servers (legacy) or the servers of the driver's profile. */
  serversList(opts?: CallOptions): Promise<ServerSummary[]>
  serverInspect(name: string, opts?: CallOptions): Promise<Inspect>
  /**
   * `opts.beforeChange` runs once the server is known not to be enabled yet, before anything changes, with no lock held
   * (the user's confirmation: nobody is asked about a re-enable that changes nothing); what it throws
   * ends the enable with nothing changed.
   */
  serverEnable(name: string, opts?: EnableOptions): Promise<MutationResult>
  /** `opts.beforeChange` as for serverEnable: runs once the server is known to be enabled. */
  serverDisable(name: string, opts?: EnableOptions): Promise<MutationResult>
  toolsList(opts?: CallOptions): Promise<Tool[]>
  /** `{server: {key: value}}`; only `server` when given. */
  configGet(server?: string, opts?: CallOptions): Promise<ConfigMap>
  configSet(server: string, key: string, value: unknown, opts?: CallOptions): Promise<MutationResult>
  secretsList(opts?: CallOptions): Promise<Secret[]>
  /** `[]` in the legacy era. */
  profilesList(opts?: CallOptions): Promise<Profile[]>
  profileShow(id?: string, opts?: CallOptions): Promise<Profile>
  /** How the connection pool starts the long-lived gateway for this era. */
  gatewayLaunchSpec(opts?: CallOptions): Promise<GatewayLaunchSpec>
  /** Forget the detected era (e.g. after Docker Desktop was updated): the next call detects it again. */
  invalidate(): void
  /**
   * The last change of the CLI the driver found (see `onEraChange`) and how many it found so far, so
   * a caller can tell whether the Toolkit changed since it last looked (no listener to unsubscribe).
   */
  lastChange?(): { seq: number; change: ToolkitChange } | undefined
  /**
   * The CLI's version now (`v0.43.3`, `unknown`; `unread` when `docker mcp version` fails), cheaply:
   * the detected one while trusted, else `docker mcp version` alone. What cached answers are keyed by.
   */
  cliVersion?(opts?: CallOptions): Promise<string>
  /**
   * How the era in use was decided (the version, or what the CLI did when the version could not
   * tell: `profile list`, `catalog ls`), for doctor and toolkit_status; undefined before a detection.
   */
  detectedBy?(): string | undefined
  /** Called with the names of the enabled servers whenever `serversList` read them from the CLI. */
  onServersListed?(listener: (names: string[]) => void): () => void
  readonly parsers: ParserRegistry
}

export interface ToolkitDriverOptions {
  docker?: string
  timeoutMs?: number
  /** Profile for enable/disable/config/gateway in the profiles era; default `default`. */
  profile?: string
  log?: Logger
  env?: Record<string, string | undefined>
  /**
   * How long the detected version is trusted before an operation reads `docker mcp version` again
   * (default 5 min; 0 = before every operation). status() and failures that suggest another CLI
   * check at once regardless.
   */
  versionTtlMs?: number
  /**
   * The waits (ms) before running a command again while Docker Desktop is still starting its engine
   * (default 1, 2, 4 and 8 s; `[]`: report DESKTOP_STARTING at once).
   */
  startingRetryMs?: readonly number[]
  /**
   * The waits before running a command again while the Docker engine cannot be reached
   * (DAEMON_DOWN: socket missing, connection refused; Desktop boots its engine seconds after it
   * starts), default 1, 2 and 4 s; `[]`: report DAEMON_DOWN at once. After every wait failed, the
   * next commands within 30 s are not waited for.
   */
  daemonRetryMs?: readonly number[]
  /**
   * The waits before running a command again whose Toolkit database was busy ("database is locked",
   * the migration lock), default 0.5 and 1.5 s; `[]`: report it at once.
   */
  dbBusyRetryMs?: readonly number[]
  /**
   * How long a failed `docker mcp version` is not run again while the CLI's files stay as they were
   * (default 15 s, `VERSION_FAIL_HOLD_MS`; 0: run it again on every call). Calls meanwhile fail with
   * its error, saying so.
   */
  versionHoldMs?: number
  /** Replaces the spawning runner (unit tests of the classification). */
  runner?: Runner
  parsers?: ParserRegistry
}

class Driver implements ToolkitDriver {
  private readonly x: ToolkitExec
  private readonly profileId: string
  private readonly explicitProfile: boolean
  private chain: Promise<unknown> = Promise.resolve()
  private readonly env: Record<string, string | undefined>
  private readonly log: Logger
  /** Short Toolkit settings warned about already (server and value, hashed). */
  private readonly saidShort = new OnceKeys()

  constructor(private readonly opts: ToolkitDriverOptions) {
    const env = opts.env ?? (process.env as Record<string, string | undefined>)
    this.env = env
    this.log = (opts.log ?? silentLogger).child("docker")
    const runner = opts.runner ?? createSpawnRunner({ docker: opts.docker ?? "docker", env, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) })
    // a `docker-mcp` that is there but does not run reads as "not installed" to docker: the plugin is looked at
    const explain = (err: ToolkitError): Promise<ToolkitError> => explainNotInstalled(err, env)
    this.x = new ToolkitExec(runner, opts.parsers ?? defaultParserRegistry, opts.timeoutMs, (opts.log ?? silentLogger).child("docker"), opts.versionTtlMs, explain, opts.startingRetryMs, opts.daemonRetryMs, opts.dbBusyRetryMs)
    // a failed version read is held off for these files: an upgrade in place is noticed at once
    let dockerPath: string | undefined
    this.x.cliStamp = () => cliFilesStamp((dockerPath ??= resolveDocker(opts.docker ?? "docker", env)), env)
    if (opts.versionHoldMs !== undefined) this.x.versionHoldMs = opts.versionHoldMs
    this.profileId = opts.profile ?? DEFAULT_PROFILE
    this.explicitProfile = opts.profile !== undefined
    this.x.onChange((c: EraChange) => {
      this.changes++
      this.latest = { from: this.statusOf(c.from), to: this.statusOf(c.to), reason: c.reason }
    })
  }

  private changes = 0
  private latest: ToolkitChange | undefined
  /** Docker's catalog as read last in the profiles era (requireInCatalog within `RECENT_CATALOG_MS`). */
  private recentCatalog: { at: number; version: string; cat: Catalog } | undefined

  lastChange(): { seq: number; change: ToolkitChange } | undefined {
    return this.latest ? { seq: this.changes, change: this.latest } : undefined
  }

  get parsers(): ParserRegistry {
    return this.x.parsers
  }

  cliVersion(o?: CallOptions): Promise<string> {
    return this.x.cliVersion(o)
  }

  detectedBy(): string | undefined {
    return this.x.detected?.basis
  }

  invalidate(): void {
    this.x.invalidate()
  }

  /** Mutations run one at a time (legacy config is read-modify-write). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn)
    this.chain = next.catch(() => undefined)
    return next
  }

  async status(o?: CallOptions): Promise<ToolkitStatus> {
    const before = this.x.detections
    const known = await this.x.verified(o)
    // v0.28–v0.41: the same version runs either era (the profiles flag): probe again, unless a
    // detection ran just now
    const info = this.x.detections === before && eraFromVersion(known.semver) === undefined ? await this.x.reprobe(o, "profiles switched (found by status)") : known
    return this.statusOf(info)
  }

  async recheck(o?: CallOptions): Promise<ToolkitStatus> {
    return this.statusOf(await this.x.recheck(o))
  }

  onEraChange(listener: (change: ToolkitChange) => void): () => void {
    return this.x.onChange((c: EraChange) => listener({ from: this.statusOf(c.from), to: this.statusOf(c.to), reason: c.reason }))
  }

  private statusOf(info: EraInfo): ToolkitStatus {
    const ignored = info.era === "legacy" && this.explicitProfile ? { ignoredProfile: this.profileId } : {}
    return { era: info.era, generation: info.generation, version: info.version, profile: info.era === "profiles" ? this.profileId : null, ...ignored }
  }

  catalogsList(o?: CallOptions): Promise<CatalogEntry[]> {
    return this.x.withEra((i) => this.x.parsed("catalogs", i.era === "legacy" ? legacy.catalogsList() : profiles.catalogsList(i), i, o), o)
  }

  catalogShow(name?: string, o?: CallOptions): Promise<Catalog> {
    return this.x.withEra(async (i) => {
      // Docker's catalog under either era's name; another name of the other era's kind is refused, saying so
      const ref = name === undefined ? undefined : catalogFor(i.era, name, i.version)
      if (i.era === "legacy") return this.x.parsed("catalog", legacy.catalogShow(ref ?? LEGACY_DOCKER_CATALOG), i, o)
      await o?.progress?.(0, 1, `Loading catalog ${ref ?? DOCKER_CATALOG_REF} (pulled if missing)`)
      // v0.28 has no `show --pull missing`: an unpulled catalog is pulled, then read again
      const show = (): Promise<Catalog> => this.x.parsed("catalog", profiles.catalogShow(i, ref ?? DOCKER_CATALOG_REF), i, o, this.x.slowTimeoutMs)
      const cat = ref === undefined || ref === DOCKER_CATALOG_REF ? await this.withCatalog(i, o, show) : await show()
      if (ref === undefined || ref === DOCKER_CATALOG_REF) this.recentCatalog = { at: performance.now(), version: i.version, cat }
      await o?.progress?.(1, 1, "Catalog loaded")
      return cat
    }, o)
  }

  async catalogSearch(query: string, limit = 20, o?: CallOptions): Promise<CatalogServer[]> {
    return searchCatalog((await this.catalogShow(undefined, o)).servers, query, limit)
  }

  serversList(o?: CallOptions): Promise<ServerSummary[]> {
    return this.x.withEra(async (i) => {
      const args = i.era === "legacy" ? legacy.serversList() : profiles.serversList(i, this.profileId)
      const servers = ownProfileServers(await this.x.parsed("servers", args, i, o), this.profileId, this.log, commandLabel(args))
      // `profile server ls --filter profile=ID` lists nothing for a profile that does not exist: a
      // toolkit.profile that names none (a typo, a profile not created yet) read "No server is
      // enabled" while every other Toolkit tool said the profile does not exist
      if (servers.length === 0 && i.era === "profiles" && this.explicitProfile) await this.requireProfile(i, o)
      const names = servers.map((s) => s.name)
      for (const l of [...this.serversListeners]) {
        try {
          l(names)
        } catch {
          // a listener never fails the read
        }
      }
      return servers
    }, o)
  }

  private readonly serversListeners = new Set<(names: string[]) => void>()

  /** UNKNOWN_PROFILE when `profile list` does not list the configured profile (a list that cannot be read decides nothing). */
  private async requireProfile(i: EraInfo, o: CallOptions | undefined): Promise<void> {
    let all: Profile[]
    try {
      all = await this.x.parsed("profiles", profiles.list(), i, o)
    } catch {
      return
    }
    if (all.some((p) => p.id === this.profileId)) return
    const known = all.map((p) => p.id).slice(0, 10)
    throw new ToolkitError("UNKNOWN_PROFILE", `Profile ${this.profileId} (toolkit.profile) does not exist: \`docker mcp profile list\` lists ${known.length ? known.join(", ") : "no profile"} [Toolkit ${i.version}, profiles era]`, {
      remedy: `Set toolkit.profile to an existing profile${known.length ? ` (${known.join(", ")})` : ""}, or create it: \`docker mcp profile create --name ${this.profileId} --id ${this.profileId}\`.`,
      details: { profile: this.profileId, profiles: known, version: i.version, era: i.era },
    })
  }

  onServersListed(listener: (names: string[]) => void): () => void {
    this.serversListeners.add(listener)
    return () => this.serversListeners.delete(listener)
  }

  async serverInspect(name: string, o?: CallOptions): Promise<Inspect> {
    validateName("server", name)
    return this.x.withEra(async (i) => {
      if (i.era === "legacy") return this.x.parsed("inspect", legacy.inspect(name), i, o)
      if (!hasCatalogServerInspect(i)) return this.inspectFromCatalog(i, name, o)
      let info: Inspect
      try {
        info = await this.withCatalog(i, o, () => this.x.parsed("inspect", profiles.inspect(i, name), i, o))
      } catch (e) {
        // no version to say whether `catalog server inspect` exists (v0.36+): the CLI said it does not
        const sub = e instanceof ToolkitError && e.code === "COMMAND_FAILED" ? unknownSubcommand(e.message) : undefined
        if (i.semver === null && (sub === "server" || sub === "inspect")) return this.inspectFromCatalog(i, name, o)
        throw e
      }
      return { ...info, name: info.name ?? name }
    }, o)
  }

  async serverEnable(name: string, o?: EnableOptions): Promise<MutationResult> {
    validateName("server", name)
    // asked once, even when the era changes under the operation and it runs again
    let asked: Promise<void> | undefined
    const beforeChange = (): Promise<void> => (asked ??= o?.beforeChange?.() ?? Promise.resolve())
    // the question is asked with no lock held: a look first, then the answer, then the change (which
    // looks again: another client may have enabled it meanwhile)
    if (o?.beforeChange && !(await this.x.withEra((i) => this.enabledNow(i, name, o), o))) await beforeChange()
    return this.serial(() =>
      this.x.withEra(async (i) => {
        await o?.progress?.(0, 2, `Enabling ${name}`)
        const before: string[] = []
        if (i.era === "legacy" ? await this.enableLegacy(i, name, o, beforeChange, before) : await this.enableInProfile(i, name, o, beforeChange)) {
          await o?.progress?.(2, 2, `${name} was already enabled`)
          return { ...this.mutation(name, i), unchanged: true }
        }
        const dropped = i.era === "legacy" ? await this.readBack(i, "enable", name, before, o) : []
        await o?.progress?.(2, 2, `Enabled ${name}`)
        return { ...this.mutation(name, i), ...(dropped.length ? { dropped } : {}) }
      }, o),
    )
  }

  async serverDisable(name: string, o?: EnableOptions): Promise<MutationResult> {
    validateName("server", name)
    let asked: Promise<void> | undefined
    const beforeChange = (): Promise<void> => (asked ??= o?.beforeChange?.() ?? Promise.resolve())
    // the question is asked with no lock held (the checks first, as below, then the answer)
    if (o?.beforeChange) {
      await this.x.withEra((i) => this.disableChecks(i, name, o), o)
      await beforeChange()
    }
    return this.serial(() =>
      this.x.withEra(async (i) => {
        const before = await this.disableChecks(i, name, o)
        await beforeChange()
        try {
          await this.x.run(i.era === "legacy" ? legacy.disable(name) : profiles.disable(this.profileId, name), o)
        } catch (e) {
          // the CLI's `no matching servers found to remove` names no server (its name is masked in the command): say which, and where
          if (i.era === "profiles" && e instanceof ToolkitError && e.code === "UNKNOWN_SERVER") {
            throw new ToolkitError("UNKNOWN_SERVER", `Server ${name} is not in profile ${this.profileId} (it is not enabled there), so there is nothing to disable`, {
              remedy: e.remedy ?? "servers_list shows the servers that are enabled; only those can be disabled.",
              details: { ...e.details, server: name, profile: this.profileId },
              cause: e,
            })
          }
          throw e
        }
        const dropped = i.era === "legacy" ? await this.readBack(i, "disable", name, before, o) : []
        return { ...this.mutation(name, i), ...(dropped.length ? { dropped } : {}) }
      }, o),
    )
  }

  toolsList(o?: CallOptions): Promise<Tool[]> {
    return this.x.withEra(async (i) => {
      const tools = await this.x.parsed("tools", i.era === "legacy" ? legacy.toolsList() : profiles.toolsList(this.profileId), i, o, this.x.slowTimeoutMs)
      // `tools ls --gateway-arg=--profile=X` of a profile that does not exist lists the gateway's
      // own tools (`mcp-find`…) as if the profile were empty: a toolkit.profile typo is said, as servers_list says it
      if (i.era === "profiles" && this.explicitProfile && tools.every((t) => GATEWAY_OWN_TOOLS.has(t.name))) await this.requireProfile(i, o)
      return tools
    }, o)
  }

  /**
   * Every server's configuration. Its secret values (under secret-named keys, credentials in URLs)
   * are registered for redaction on every read: a Toolkit server echoing its config through the
   * gateway must not hand them to the model (`toolkit-config` group, replaced by each read).
   */
  async configGet(server?: string, o?: CallOptions): Promise<ConfigMap> {
    if (server !== undefined) validateName("server", server)
    return this.x.withEra(async (i) => {
      if (i.era === "legacy") {
        const all = this.registerConfigSecrets(await this.x.parsed("config", legacy.configRead(), i, o, undefined, { failedEmpty: true }))
        if (server === undefined) return all
        // one server's part of a partial read is said as partial too (the entry left out may be its own)
        return withPartial({ [server]: all[server.replaceAll(".", "_")] ?? {} }, partialOf(all))
      }
      let all: ConfigMap
      try {
        all = await this.x.parsed("config", profiles.configGetAll(this.profileId), i, o)
      } catch (e) {
        if (!this.profileNotCreated(e)) throw e
        // The implicit profile is created by the first enable: until then there is no configuration
        // (the gateway reads a missing `default` profile as an empty one). A read creates nothing.
        if (server === undefined) return {}
        throw this.notCreatedError(server, i, e)
      }
      // `--get-all` prints `<server>.<key>`, and a server name may hold a dot itself: a key with a dot
      // after the first (or a dotted server asked for) is placed by the profile's own server names
      const left = partialOf(all)
      if (server?.includes(".") || Object.values(all).some((c) => Object.keys(c).some((k) => k.includes(".")))) all = withPartial(await this.regroupConfig(all, i, o), left)
      this.registerConfigSecrets(all)
      if (server === undefined) return all
      return withPartial({ [server]: all[server] ?? {} }, left)
    }, o)
  }

  /**
   * Profiles era: `--get-all` keys regrouped by the profile's server names (`profile show`), not by
   * the first dot: `time.zone.key` is key `key` of a server `time.zone` when the profile has one.
   * When two names fit (`time` and `time.zone`), the one whose own config holds the key wins; else
   * the first dot, as the CLI reads it.
   */
  private async regroupConfig(all: ConfigMap, i: EraInfo, o?: CallOptions): Promise<ConfigMap> {
    const profile = await this.x.parsed("profile", profiles.show(this.profileId), i, o)
    const out: ConfigMap = {}
    for (const [first, cfg] of Object.entries(all)) {
      for (const [k, v] of Object.entries(cfg)) {
        const flat = `${first}.${k}`
        const fits = profile.servers.filter((s) => flat.startsWith(`${s.name}.`) && flat.length > s.name.length + 1)
        const holds = fits.filter((s) => {
          const rest = flat.slice(s.name.length + 1)
          return Object.keys(s.config ?? {}).some((key) => rest === key || rest.startsWith(`${key}.`))
        })
        const owner = fits.length === 1 ? fits[0] : holds.length === 1 ? holds[0] : undefined
        const name = owner?.name ?? first
        ;(out[name] ??= {})[owner ? flat.slice(name.length + 1) : k] = v
      }
    }
    return out
  }

  /** Registers the secret values of a whole config read (replacing the last read's); returns `all`. */
  private registerConfigSecrets(all: ConfigMap): ConfigMap {
    const found: string[] = []
    for (const [server, settings] of Object.entries(all)) this.warnShortSettings(server, () => collectSettingsSecrets({ [server]: settings }, found))
    // a read that comes back empty (no profile yet) keeps what config_set registered
    if (found.length) secrets.set(TOOLKIT_CONFIG_GROUP, found)
    return all
  }

  /**
   * Runs `collect` (the collectors of one server's settings) and warns, once per server and value,
   * about a secret-named setting too short to mask (`token: ab1`): it is not registered, so a
   * server that echoes it shows it (qa310; before, only the orchestrator's own config said so).
   */
  private warnShortSettings(server: string, collect: () => void): void {
    const short = shortNamedSecrets(collect).filter((v) => this.saidShort.first(`${server}\0${v}`))
    if (short.length === 0) return
    this.log.warn(
      `Toolkit server ${server}'s config holds ${short.length === 1 ? "a secret-named value" : `${short.length} secret-named values`} (${describeShort(short)}) too short to redact safely, so it is NOT masked in answers, tool lists and logs (masking it would blank every such word or number); set a value of at least 4 characters, not a number of up to 5 digits (config_set), if the server allows it`,
      { server },
    )
  }

  async configSet(server: string, key: string, value: unknown, o?: CallOptions): Promise<MutationResult> {
    validateName("server", server)
    validateName("config key", key)
    // the value is a secret from now on, should the server echo it (the next full read replaces the group)
    const found: string[] = []
    this.warnShortSettings(server, () => collectSettingsSecrets({ [key]: value }, found))
    for (const v of found) secrets.add(TOOLKIT_CONFIG_GROUP, v)
    return this.serial(() =>
      this.x.withEra(async (i) => {
        if (i.era === "legacy") {
          // the whole file is written back: a read that failed must not pass for an empty file; and
          // another orchestrator's read-modify-write must not interleave (one change would be lost)
          await withToolkitLock(
            legacyConfigLockPath(this.env),
            async () => {
              const current = await this.x.run(legacy.configRead(), o)
              const failed = failedEmptyRead(legacy.configRead(), current, { version: i.version, era: i.era })
              if (failed) throw failed
              await this.x.run(legacy.configWrite(legacyConfigSet(current.stdout, server, key, value)), o)
            },
            { waitMs: 2 * this.x.timeoutMs + 5000, staleMs: 2 * this.x.timeoutMs + 5000, log: this.log, ...(o?.signal ? { signal: o.signal } : {}) },
          )
        } else {
          try {
            if (key.includes(".")) await this.checkConfigPath(server, key, i, o)
            await this.x.run(profiles.configSet(this.profileId, server, key, value), o)
          } catch (e) {
            // Not created yet means the server is not in it either: say that, not "set toolkit.profile".
            if (this.profileNotCreated(e)) throw this.notCreatedError(server, i, e)
            if (e instanceof ToolkitError && e.code === "UNKNOWN_SERVER" && / not in the profile\b/.test(e.message)) {
              // the CLI does not always name the profile ("… not found in profile for argument …")
              throw new ToolkitError("UNKNOWN_SERVER", `Server ${server} is not in profile ${this.profileId} (it is not enabled there), so it has no configuration to set`, {
                remedy: `Enable ${server} first (server_enable, or \`docker mcp profile server add\`): that adds it to profile ${this.profileId}; then set its configuration with config_set.`,
                ...(e.details ? { details: { ...e.details, profile: this.profileId } } : {}),
                cause: e,
              })
            }
            throw e
          }
        }
        return this.mutation(server, i)
      }, o),
    )
  }

  /**
   * `profile config --set srv.a.b=v` nests (`{a: {b: v}}`), and where `a` already holds a value that
   * is no map (a string, a list) the CLI stores nothing, exits 0 and echoes the set
   * (pkg/workingset/config.go mergeValueIntoMap): refused first, as the legacy era's edit refuses it,
   * rather than answered "Set". A configuration that cannot be read leaves it to the CLI.
   */
  private async checkConfigPath(server: string, key: string, i: EraInfo, o?: CallOptions): Promise<void> {
    let mine: Record<string, unknown>
    try {
      mine = (await this.x.parsed("config", profiles.configGetAll(this.profileId), i, o))[server] ?? {}
    } catch (e) {
      if (e instanceof ToolkitError && e.code === "CANCELLED") throw e
      return
    }
    const parts = key.split(".")
    for (let j = 1; j < parts.length; j++) {
      const at = parts.slice(0, j).join(".")
      if (!(at in mine)) continue
      const held = mine[at]
      const what = Array.isArray(held) ? "a list" : held === null ? "null" : `a ${typeof held}`
      throw new ToolkitError("INVALID_VALUE", `${server}.${at} holds ${what}, not a map, so ${server}.${key} cannot be set under it: \`docker mcp profile config --set\` would exit 0 and store nothing [Toolkit ${i.version}, profiles era]; nothing was sent`, {
        remedy: `Set ${at} itself to an object holding ${parts.slice(j).join(".")} (config_set with key "${at}" and a JSON object value, which replaces what it holds now), or use another key.`,
        details: { server, key, at, version: i.version, era: i.era },
      })
    }
  }

  secretsList(o?: CallOptions): Promise<Secret[]> {
    return this.x.withEra((i) => this.x.parsed("secrets", ["mcp", "secret", "ls", "--json"], i, o), o)
  }

  profilesList(o?: CallOptions): Promise<Profile[]> {
    return this.x.withEra(async (i) => (i.era === "legacy" ? [] : this.x.parsed("profiles", profiles.list(), i, o)), o)
  }

  async profileShow(id?: string, o?: CallOptions): Promise<Profile> {
    const pid = validateName("profile", id ?? this.profileId)
    return this.x.withEra(async (i) => {
      if (i.era === "legacy") throw legacyNoProfiles(i)
      return this.x.parsed("profile", profiles.show(pid), i, o)
    }, o)
  }

  async gatewayLaunchSpec(o?: CallOptions): Promise<GatewayLaunchSpec> {
    const i = await this.x.info(o)
    const env = this.opts.env ?? (process.env as Record<string, string | undefined>)
    const command = resolveDocker(this.opts.docker ?? "docker", env)
    return { command, args: i.era === "profiles" ? profiles.gateway(this.profileId) : legacy.gateway(), env: childEnv(env) }
  }

  /** Profiles era before v0.36 (no `catalog-next server inspect`): the server's entry in `catalog show`. */
  private async inspectFromCatalog(i: EraInfo, name: string, o?: CallOptions): Promise<Inspect> {
    const cat = await this.withCatalog(i, o, () => this.x.parsed("catalog", profiles.catalogShow(i), i, o, this.x.slowTimeoutMs))
    const s = cat.servers.find((x) => x.name === name)
    if (!s) {
      throw new ToolkitError("UNKNOWN_SERVER", `Server ${name} is not in the catalog ${cat.ref ?? DOCKER_CATALOG_REF}`, {
        remedy: "Search the catalog (catalog_search) for the exact server name.",
        details: { server: name, version: i.version },
      })
    }
    // what the catalog's read left out may be this server's tools: the answer says it as the catalog's
    return { name, description: s.description, tools: s.tools ?? [], readme: "", config: s.config, secrets: s.secrets, policy: s.policy, ...(cat.leftOut ? { leftOut: cat.leftOut } : {}) }
  }

  private mutation(server: string, i: EraInfo): MutationResult {
    return { server, era: i.era, profile: i.era === "profiles" ? this.profileId : null }
  }

  /**
   * Profiles era: `profile server add`. When the implicit profile or Docker's catalog is missing the
   * CLI refuses before it looks at the name, and creating the one and pulling the other for a name
   * that is not in the catalog (a typo) changed the user's Toolkit and ran the add three times
   * before "not found in catalog". So the name is looked up once in the catalog (`catalog show
   * --pull missing` pulls it) before anything is created: an unknown name is UNKNOWN_SERVER with
   * nothing changed; a known one gets the profile and the add.
   */
  /**
   * Legacy `server enable` of a server registry.yaml already holds rewrites the file all the same
   * (cmd/docker-mcp/server/enable.go `update`), which the legacy gateway's watcher reads as a
   * change: re-enabling must change nothing, so `server ls` is read first (as disable does). True
   * when it was already enabled; a list that cannot be read says no (the enable decides).
   */
  /** Whether `name` is enabled now (the legacy `server ls`, the profile's list); a list that cannot be read says no. */
  private async enabledNow(i: EraInfo, name: string, o: CallOptions | undefined): Promise<boolean> {
    if (i.era !== "legacy") return this.inProfile(i, name, o)
    try {
      return (await this.x.parsed("servers", legacy.serversList(), i, o)).some((s) => s.name === name)
    } catch (e) {
      if (e instanceof ToolkitError && (e.code === "CANCELLED" || e.code === "TIMEOUT")) throw e
      return false
    }
  }

  /**
   * Before a disable (and before asking the user): the server must be enabled; legacy, Docker's
   * catalog file must be there. Legacy: the enabled servers' names (for the read-back).
   */
  private async disableChecks(i: EraInfo, name: string, o: CallOptions | undefined): Promise<string[]> {
    if (i.era === "profiles") {
      await this.requireInProfile(i, name, o)
      return []
    }
    // legacy `server disable` of a server that is not enabled succeeds silently: say it was not
    const enabled = await this.x.parsed("servers", legacy.serversList(), i, o)
    if (!enabled.some((s) => s.name === name)) {
      throw new ToolkitError("UNKNOWN_SERVER", `Server ${name} is not enabled, so there is nothing to disable`, {
        remedy: "servers_list shows the servers that are enabled; only those can be disabled.",
        details: { server: name, version: i.version },
      })
    }
    await this.requireLegacyCatalogFile(i, name, o)
    return enabled.map((s) => s.name)
  }

  /**
   * Legacy enable/disable write registry.yaml whole, keeping only the enabled servers the CLI's
   * catalog lists (cmd/docker-mcp/server/enable.go `update`, v0.4–v0.41): a server enabled from a
   * custom catalog, or one Docker's catalog no longer lists, is gone after any enable or disable,
   * and the CLI says nothing. `server ls` is read back: the change not made is an error (never
   * "Enabled X"); other servers gone are returned (and logged) so the answer says which. A read-back
   * that fails reports nothing more (the change itself succeeded).
   */
  private async readBack(i: EraInfo, change: "enable" | "disable", name: string, before: readonly string[], o: CallOptions | undefined): Promise<string[]> {
    let after: string[]
    try {
      after = (await this.x.parsed("servers", legacy.serversList(), i, o)).map((s) => s.name)
    } catch (e) {
      if (e instanceof ToolkitError && e.code === "CANCELLED") throw e
      this.log.debug("legacy server ls after the change could not be read", { server: name, error: errorMessage(e) })
      return []
    }
    if ((change === "enable") !== after.includes(name)) {
      throw new ToolkitError("COMMAND_FAILED", `\`docker mcp server ${change} -- ${name}\` exited 0, but \`docker mcp server ls\` ${change === "enable" ? "does not list" : "still lists"} ${name} afterwards: the change was not made [Toolkit ${i.version ?? "unknown"}, legacy era]`, {
        remedy: `Check ~/.docker/mcp/registry.yaml and run \`docker mcp server ${change} ${name}\` by hand to see what it says.`,
        details: { server: name, version: i.version, era: i.era, enabled: after },
      })
    }
    const dropped = before.filter((n) => n !== name && !after.includes(n))
    if (dropped.length) this.log.warn("legacy docker mcp server " + change + " also removed other servers from registry.yaml (the CLI keeps only servers its catalog lists)", { server: name, dropped, version: i.version })
    return dropped
  }

  private async enableLegacy(i: EraInfo, name: string, o: CallOptions | undefined, beforeChange: () => Promise<void>, before: string[] = []): Promise<boolean> {
    let enabled: ServerSummary[] = []
    try {
      enabled = await this.x.parsed("servers", legacy.serversList(), i, o)
    } catch (e) {
      if (e instanceof ToolkitError && (e.code === "CANCELLED" || e.code === "TIMEOUT")) throw e
    }
    before.push(...enabled.map((s) => s.name))
    if (enabled.some((s) => s.name === name)) return true
    await beforeChange()
    try {
      await this.x.run(legacy.enable(name), o)
    } catch (e) {
      if (!(e instanceof ToolkitError) || e.code !== "UNKNOWN_SERVER" || !(await this.legacyCatalogFetched(i, name, o))) throw e
      // the catalog was not downloaded (a plugin installed by hand): `catalog show` fetched it
      await this.x.run(legacy.enable(name), o)
    }
    return false
  }

  /**
   * Legacy `server enable|disable` read Docker's catalog from ~/.docker/mcp/catalogs/docker-mcp.yaml
   * and take a missing file for an empty catalog (pkg/catalog `readMCPServers`): every name is
   * "not found in catalog", and a disable drops every enabled server (it keeps only those still in
   * the catalog). `catalog show` downloads it when missing or older than 12 h (show.go `needsUpdate`).
   * True when, after that read, the catalog holds `name` (the enable may run again).
   */
  private async legacyCatalogFetched(i: EraInfo, name: string, o: CallOptions | undefined): Promise<boolean> {
    try {
      return (await this.x.parsed("catalog", legacy.catalogShow(), i, o)).servers.some((s) => s.name === name)
    } catch (e) {
      if (e instanceof ToolkitError && (e.code === "CANCELLED" || e.code === "TIMEOUT")) throw e
      this.log.warn("legacy catalog not readable after `server enable` found no such server", { server: name, error: e instanceof Error ? e.message : String(e) })
      const file = legacyCatalogPath(this.env)
      if (existsSync(file)) return false
      // "server X not found in catalog" would send the user looking for another name
      throw new ToolkitError("UNKNOWN_CATALOG", `Docker's MCP catalog is not downloaded (${file} is missing), so the Toolkit finds no server in it, ${name} included; nothing was changed`, {
        remedy: "Run `docker mcp catalog init` (it needs network access to Docker's catalog), then enable the server again.",
        details: { server: name, version: i.version, era: i.era, file },
        cause: e,
      })
    }
  }

  /**
   * Legacy disable: with Docker's catalog file missing the CLI would disable every enabled server, not
   * only `name` (see legacyCatalogFetched). It is fetched first (`catalog show`); when it still is not
   * there, nothing is run and the user is told how to fetch it.
   */
  private async requireLegacyCatalogFile(i: EraInfo, name: string, o: CallOptions | undefined): Promise<void> {
    const file = legacyCatalogPath(this.env)
    if (existsSync(file)) return
    try {
      // read (and so fetched) by the CLI: its file is where the CLI keeps it, whatever this path says
      await this.x.parsed("catalog", legacy.catalogShow(), i, o)
      return
    } catch (e) {
      if (e instanceof ToolkitError && (e.code === "CANCELLED" || e.code === "TIMEOUT")) throw e
      if (existsSync(file)) return
      this.log.warn("Docker's catalog is neither on disk nor readable; legacy disable refused", { server: name, error: e instanceof Error ? e.message : String(e) })
    }
    throw new ToolkitError("UNKNOWN_CATALOG", `Docker's MCP catalog is not downloaded (${file} is missing), and \`docker mcp server disable ${name}\` would then disable every enabled server, not only ${name}; nothing was changed`, {
      remedy: "Run `docker mcp catalog init` (it needs network access to Docker's catalog), then disable the server again.",
      details: { server: name, version: i.version, era: i.era, file },
    })
  }

  private async enableInProfile(i: EraInfo, name: string, o: CallOptions | undefined, beforeChange: () => Promise<void>): Promise<boolean> {
    // Already there: `profile server add` appends up to v0.40.0, and a name the profile holds fails
    // ("invalid profile: duplicate server name X"); from v0.40.1 it replaces the entry, dropping the
    // server's config and tool selection. Either way re-enabling must change nothing.
    if (await this.inProfile(i, name, o)) return true
    await beforeChange()
    const add = (): Promise<unknown> => this.x.run(profiles.enable(i, this.profileId, name), o)
    try {
      await add()
      return false
    } catch (e) {
      // added meanwhile by another client (a second window, the user), between the look and the add
      if (isDuplicateServer(e)) return true
      const noProfile = this.profileNotCreated(e)
      if (!noProfile && !(e instanceof ToolkitError && e.code === "UNKNOWN_CATALOG")) throw e
      await this.requireInCatalog(i, name, o)
      try {
        if (!noProfile) await this.withCatalog(i, o, add)
        // from v0.29 the profile is created holding the server: one command, where create then add ran
        // `profile server add` a second time (an older CLI, v0.28, takes no catalog:// in create)
        else if (createTakesCatalogServers(i)) await this.createProfileThen(i, o, () => this.withCatalog(i, o, add), name)
        else await this.createProfileThen(i, o, () => this.withCatalog(i, o, add))
      } catch (again) {
        if (isDuplicateServer(again)) return true
        throw again
      }
      return false
    }
  }

  /**
   * Disable, profiles era: a server the profile's list does not hold is refused before the user is
   * asked (nothing would change), and the implicit `default` profile not created yet (the CLI:
   * "profile default not found", read as a toolkit.profile typo) is said as no server enabled. A list
   * that cannot be read, or an empty one of a toolkit.profile set by the user (it may not exist:
   * the CLI says so), leaves it to `profile server remove`.
   */
  private async requireInProfile(i: EraInfo, name: string, o: CallOptions | undefined): Promise<void> {
    const args = profiles.serversList(i, this.profileId)
    let listed: ServerSummary[]
    try {
      listed = ownProfileServers(await this.x.parsed("servers", args, i, o), this.profileId, this.log, commandLabel(args))
    } catch (e) {
      if (e instanceof ToolkitError && (e.code === "CANCELLED" || e.code === "TIMEOUT")) throw e
      if (!this.profileNotCreated(e)) return
      listed = []
    }
    if (listed.some((s) => s.name === name) || (listed.length === 0 && this.explicitProfile)) return
    throw new ToolkitError("UNKNOWN_SERVER", `Server ${name} is not in profile ${this.profileId} (it is not enabled there), so there is nothing to disable`, {
      remedy: listed.length ? "servers_list shows the servers that are enabled; only those can be disabled." : `No server is enabled in profile ${this.profileId} yet (server_enable adds one).`,
      details: { server: name, profile: this.profileId, version: i.version, era: i.era },
    })
  }

  /** Whether the profile lists `name` now; a list that cannot be read says no (the add decides). */
  private async inProfile(i: EraInfo, name: string, o: CallOptions | undefined): Promise<boolean> {
    const args = profiles.serversList(i, this.profileId)
    try {
      return ownProfileServers(await this.x.parsed("servers", args, i, o), this.profileId, this.log, commandLabel(args)).some((s) => s.name === name)
    } catch (e) {
      if (e instanceof ToolkitError && (e.code === "CANCELLED" || e.code === "TIMEOUT")) throw e
      return false
    }
  }

  /** UNKNOWN_SERVER (nothing changed) when `name` is not in Docker's catalog; a catalog that cannot be read leaves it to the CLI. */
  private async requireInCatalog(i: EraInfo, name: string, o: CallOptions | undefined): Promise<void> {
    let cat: Catalog
    // Docker's catalog read a moment ago (server_enable's own lookup of the name, just before): read
    // again, it was a second `catalog show` of the same few MB in one enable
    const recent = this.recentCatalog
    try {
      cat = recent && recent.version === i.version && performance.now() - recent.at < RECENT_CATALOG_MS ? recent.cat : await this.withCatalog(i, o, () => this.x.parsed("catalog", profiles.catalogShow(i), i, o, this.x.slowTimeoutMs))
    } catch (e) {
      if (e instanceof ToolkitError && (e.code === "CANCELLED" || e.code === "TIMEOUT")) throw e
      this.log.warn("catalog not readable before enable; the CLI checks the name", { server: name, error: e instanceof Error ? e.message : String(e) })
      return
    }
    if (cat.servers.length === 0 || cat.servers.some((s) => s.name === name)) return
    throw new ToolkitError("UNKNOWN_SERVER", `Server ${name} is not in the Docker MCP catalog ${cat.ref ?? DOCKER_CATALOG_REF} (server names are case-sensitive); nothing was changed`, {
      remedy: "Search the catalog (catalog_search) for the exact server name.",
      details: { server: name, version: i.version, era: i.era, profile: this.profileId },
    })
  }

  /** Profiles era: pulls Docker's catalog once when a command says it is missing, then retries. */
  private async withCatalog<T>(i: EraInfo, o: CallOptions | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      if (!(e instanceof ToolkitError) || e.code !== "UNKNOWN_CATALOG") throw e
      await o?.progress?.(1, 2, `Pulling catalog ${DOCKER_CATALOG_REF}`)
      await this.x.run(profiles.catalogPull(i), o, this.x.slowTimeoutMs)
      return fn()
    }
  }

  /** The implicit profile (no `toolkit.profile` set) does not exist yet: no server was enabled since profiles came. */
  private profileNotCreated(e: unknown): e is ToolkitError {
    return e instanceof ToolkitError && e.code === "UNKNOWN_PROFILE" && !this.explicitProfile
  }

  private notCreatedError(server: string, i: EraInfo, cause: ToolkitError): ToolkitError {
    return new ToolkitError(
      "UNKNOWN_PROFILE",
      `Profile ${this.profileId} has not been created yet (no server is enabled), so ${server} is not in it and has no configuration`,
      {
        remedy: `Enable ${server} first (server_enable, or \`docker mcp profile server add\`): that creates profile ${this.profileId}; then set its configuration with config_set.`,
        details: { server, profile: this.profileId, version: i.version, ...(cause.details?.command !== undefined ? { command: cause.details.command } : {}) },
        cause,
      },
    )
  }

  /**
   * Profiles era: creates the implicit `default` profile (it does not exist yet), then runs `fn`,
   * which needs it; with `server`, created holding it, and `fn` runs only when the create failed.
   */
  private async createProfileThen(i: EraInfo, o: CallOptions | undefined, fn: () => Promise<unknown>, server?: string): Promise<unknown> {
    const create = (): Promise<unknown> => this.x.run(profiles.create(this.profileId, this.profileId, server), o)
    try {
      // holding a server, the create needs Docker's catalog pulled as the add does
      await (server === undefined ? create() : this.withCatalog(i, o, create))
      if (server !== undefined) return
    } catch (createFailed) {
      // another client (a second editor window, the user) created it meanwhile: the create is
      // refused ("already exists"), the retry goes through; a profile that is still missing
      // afterwards means the create itself failed, and that is what is reported
      try {
        return await fn()
      } catch (again) {
        throw this.profileNotCreated(again) ? createFailed : again
      }
    }
    return fn()
  }
}

/** The gateway's built-in dynamic tools (listed whatever the profile holds). */
const GATEWAY_OWN_TOOLS = new Set<string>([...GATEWAY_HIDDEN_TOOLS, "mcp-find", "mcp-discover"])

/** How long Docker's catalog just read stands for an enable's name check (the manage layer looks the name up first). */
const RECENT_CATALOG_MS = 10_000

/** `profile create --server catalog://…` works (v0.29 on; a CLI whose version cannot be read is taken as a recent one). */
function createTakesCatalogServers(i: EraInfo): boolean {
  return !i.semver || i.semver.major > 0 || i.semver.minor >= 29
}

function legacyNoProfiles(i: EraInfo): ToolkitError {
  return new ToolkitError("UNKNOWN_PROFILE", `Profiles are not available: docker mcp ${i.version} runs in the legacy (file) era`, {
    remedy: "Profiles need the MCP Toolkit ≥ v0.28 with profiles enabled (always on from v0.42).",
    details: { version: i.version },
  })
}

/** Creates the driver. Nothing is spawned until the first call. */
export function createToolkitDriver(opts: ToolkitDriverOptions = {}): ToolkitDriver {
  if (opts.profile !== undefined) validateName("profile", opts.profile)
  return new Driver(opts)
}

/** The secret registry's group of the Toolkit's server configuration (core/secrets). */
const TOOLKIT_CONFIG_GROUP = "toolkit-config"


