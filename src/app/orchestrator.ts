/**
 * @module app/orchestrator
 * Composition root: builds the object graph from the loaded config (logger, cache, Toolkit driver,
 * pool + proxy, plugins, own tools) and owns its disposal order (an AsyncDisposableStack: last
 * built, first disposed). One orchestrator serves any number of client connections (stdio, HTTP).
 * Nothing here may delay `initialize`: slow work (Toolkit probe, plugin load, warm servers) runs in
 * `start()`, in the background.
 */
import { CachedToolListStore, createCache, resolveCacheDir, type TtlCache } from "../cache/index.ts"
import { resolve } from "node:path"
import { ToolPins } from "../catalog/index.ts"
import { invalidServerLines, pinsFile, type LoadedConfig } from "../config/index.ts"
import { createLogger, errorMessage, isOrchestratorError, listPrint, NAME, setConfigHint, VERSION, redactValues, type LogHub, type Logger } from "../core/index.ts"
import type { Runner, ToolkitDriver } from "../docker/index.ts"
import type { Metrics } from "../http/index.ts"
import { createMcpFace, OWN_TOOL_NAMES, statusTool, type FaceServices, type FirstList, type McpFace, type PromptSource, type Status, type ToolDef } from "../mcp/index.ts"
import { BUILTIN_PROMPTS, lazyProxyHooks, observePluginHooks, PluginHost, resolvePluginDirs } from "../plugin/index.ts"
import { nestingDepth } from "../pool/index.ts"
import { baseEnvTag } from "./env-tag.ts"
import { createProxy, type FirstAnswer, type ListKind, type Proxy, type StoredLists, type Tool, type ToolListStore } from "../proxy/index.ts"
import { confirmViaElicitation } from "./confirm.ts"
import { specKey, withheldTools } from "./spec-key.ts"
import { notePinsFileUsed } from "./pins-files-used.ts"
import { buildSurface, liveToolset, surfaceUpstream } from "./surface-tools.ts"
import { scopeStatus } from "./status-scope.ts"
import { withFirstAnswer } from "./first-answer.ts"
import { invalidServerRows } from "./invalid-servers.ts"
import { GATEWAY_SERVER_NAME, ToolkitGateway } from "./toolkit-gateway.ts"
import { DockerWait, dockerMayComeUp } from "./docker-wait.ts"
import type { ReloadStatus } from "./reload.ts"
import { withPluginRemedy } from "./status-remedies.ts"

export interface Orchestrator extends AsyncDisposable {
  readonly loaded: LoadedConfig
  readonly log: Logger
  readonly logHub: LogHub
  readonly proxy: Proxy
  readonly cache: TtlCache
  readonly toolkit?: ToolkitDriver
  /** A new MCP server face for one client connection (toolset: a key of `toolsets`; default `config.toolset`). */
  createFace(toolset?: string): McpFace
  /** What a face serves (for a face created before the orchestrator existed, e.g. stdio). */
  servicesFor(getServer: () => McpFace["server"] | undefined, toolset?: string): FaceServices
  status(): Promise<Status>
  /** Background work that must never delay `initialize`: warm servers, Toolkit probe, plugins. */
  start(): void
  /** Set when serving HTTP, for status output. */
  httpAddress?: string
  /** Set when http.listen asks for HTTP and it cannot be served (stdio goes on without it), for status output. */
  httpError?: string
  /** Prometheus metrics, created only when /metrics is served (keeps prom-client off the stdio path). */
  metrics?: Metrics
  /** Live config reload state (app/reload), when a config file is in use. */
  reloadStatus?: () => ReloadStatus
  /**
   * Pending while a config reload is due, running or held (app/reload `settled`): a call of a name
   * not known yet and the catalog wait on it (with the Toolkit gateway's changes).
   */
  reloadSettled?: () => Promise<void> | undefined
  /** True when nested too deep to run downstream servers (reloads leave servers alone then). */
  readonly nested: boolean
  /**
   * A config reload applied these live keys to the running config (app/config-apply): connected
   * clients get their new surface (toolsets, proxy.expose, codeMode) with list_changed, the plugin
   * host follows plugins.dirs.
   */
  reapply(keys: readonly string[]): void
  /** SIGHUP: re-scan the plugin directories (one gone and back, or changed unwatched, is read again). */
  rescanPlugins(): Promise<void>
  /**
   * Writes now what waits to be written (lists saved within their write interval, new pins) and
   * resolves once the cache's file writes are done: the shutdown's first step, so an exit at once
   * (a second signal, the budget spent) does not lose the tools the next start answers with.
   */
  saveNow(): Promise<void>
  /**
   * Is a tools/list built now what the next start may answer with, as far as plugins go? Their
   * `tools` hooks shape the list (a policy hiding tools), so not before start() loaded them, not
   * while a file is still "loading" (past plugins.loadBudget), and not once they are closing: such a
   * list lacks their hooks, and stored it would be every later start's first answer.
   */
  pluginsSettled(): boolean
  /**
   * A fingerprint of each server's tool list as the proxy holds it now (`<tools>:<hash>`), by
   * server; a server without a list is absent. The stored first answer keeps them (app/tool-snapshot).
   */
  listPrints(): Record<string, string>
}

/** Orchestrators started by orchestrators this deep start no downstream servers. */
export const MAX_NESTING = 2
/** Names no downstream tool or prompt is exposed under: the own tools and the built-in prompts (proxy/surface). */
const OWN_NAMES = { tools: OWN_TOOL_NAMES, prompts: BUILTIN_PROMPTS.map((p) => p.name) }

/** A status as one connection sees it: `own` = the own tools that connection lists. */
function withOwnCount(s: Status, own: number): Status {
  return { ...s, tools: { ...s.tools, own } }
}

export interface OrchestratorOptions {
  logHub: LogHub
  /**
   * Called synchronously before a server's changed tool list is written to the store (app/serve:
   * the stored first answer is marked superseded first, so a run killed before it is rewritten
   * leaves no first answer that lacks what the stores know).
   */
  onToolsStored?: (server: string, print: string) => void
  /** Called when a server's stored lists are dropped (a crash after it listed: proxy): nothing newer of it is stored. */
  onToolsDropped?: (server: string) => void
}

export async function createOrchestrator(loaded: LoadedConfig, opts: OrchestratorOptions): Promise<Orchestrator> {
  const { config } = loaded
  // commands printed in remedies (`auth login`) name the config file this run uses
  setConfigHint(loaded.file?.explicit ? resolve(loaded.file.path) : undefined)
  const logHub = opts.logHub
  const log = createLogger(logHub, "app")
  const stack = new AsyncDisposableStack()
  const startedAt = performance.now()

  // Cache: memory over file; the last known values are preloaded from disk right away.
  const cache = stack.use(createCache(config.cache, { log: createLogger(logHub, "cache") }))
  const preloaded = cache.preload().catch((e) => log.warn("cache preload failed", { error: errorMessage(e) }))
  // the base environment servers inherit (LANG, PATH…; pool/child-env): two windows whose servers
  // list differently by it keep a list each rather than replacing each other's (cache/tool-list-store `writer`)
  const toolLists = new CachedToolListStore<Tool>(cache, { writer: baseEnvTag() })
  // lists saved within their write interval are written before the cache closes
  stack.defer(() => toolLists.flush())

  // Pool + proxy over the configured servers. Stored tool lists are keyed by the server's
  // definition, so a changed command never serves the old server's tools.
  let proxy: Proxy
  // proxy.pinTools: block withholds tools whose definition changed: the list stored is the one let
  // through, so the tools withheld then are part of its key (an approval or reset makes it another)
  const keyOf = (s: string): string => specKey(s, proxy, withheldTools(pins, s))
  /** By store key: the hash of the tool list last loaded or saved (opts.onToolsStored is told of a different one). */
  const storedHash = new Map<string, string>()
  /** By list (identity): its hash, so the stored first answer's fingerprints (`listPrints`) cost nothing for a list loaded or saved. */
  const hashed = new WeakMap<readonly unknown[], string>()
  // from the definitions' digests (core/definition-digest), each taken once per definition object:
  // a save of a relisted or reloaded list serialises nothing (a JSON.stringify of the whole list at
  // each save was ~100 ms for 10 000 tools, in one go on the event loop)
  const listHash = (tools: readonly unknown[]): string => {
    const h = listPrint(tools)
    hashed.set(tools, h)
    return h
  }
  const store: ToolListStore = {
    load: (s) =>
      preloaded.then(async () => {
        const key = keyOf(s)
        const tools = await toolLists.load(key)
        if (tools !== undefined) {
          storedHash.set(key, listHash(tools))
          // the pins file found damaged at start: a server added after the restore below ran (the
          // Toolkit gateway, added once Docker answers, under a key known only then; a server a
          // reload adds) is pinned by the stored copy it is about to serve, as the configured ones were
          pins.restoreServerFromStored(s, tools)
        }
        return tools
      }),
    stale: (s) => toolLists.wasStale(keyOf(s)),
    save: (s, t, partial) => {
      const key = keyOf(s)
      // a list as stored already (each listing of an unchanged server saves it again) supersedes nothing
      const hash = listHash(t)
      // with its fingerprint (as `listPrints` gives it): an answer already showing this list stays
      if (storedHash.get(key) !== hash) opts.onToolsStored?.(s, `${t.length}:${hash}`)
      storedHash.set(key, hash)
      return toolLists.save(key, t, partial)
    },
    // a list stored partial (a first listing's pages read): served at once, the server listed again
    partial: (s) => toolLists.partialOf(keyOf(s)),
    // the marks go once it is dropped (a run killed before that keeps the marks: the stored list may still be there)
    invalidate: (s) => {
      storedHash.delete(keyOf(s))
      return toolLists.invalidate(keyOf(s)).then(() => opts.onToolsDropped?.(s))
    },
    // left out from the next start on (it failed run after run): the stored answer with its tools is superseded
    supersede: (s) => opts.onToolsStored?.(s, "withheld"),
    // prompts, resources and templates too: a warm start answers those lists without starting servers
    loadLists: (s) => preloaded.then(() => toolLists.loadLists<StoredLists>(keyOf(s))),
    saveLists: (s, l) => toolLists.saveLists(keyOf(s), l),
    // a server that did not list its tools in the last run is not waited for (proxy/silence)
    loadSilence: (s) => preloaded.then(() => toolLists.loadSilence(keyOf(s))),
    saveSilence: (s, n) => toolLists.saveSilence(keyOf(s), n),
    clearSilence: (s) => toolLists.clearSilence(keyOf(s)),
    anyStored: (s) => preloaded.then(() => toolLists.hasAny(s)),
  }
  // Plugins are loaded in start(); until then (and without route/tools hooks) the proxy's fast
  // path sees no hooks at all.
  let plugins: PluginHost | undefined
  // An orchestrator started by orchestrators MAX_NESTING deep starts no downstreams: a config that
  // lists mcp-orchestrator itself would otherwise start copies of itself without end.
  const depth = nestingDepth()
  const nested = depth >= MAX_NESTING
  if (nested) log.error("nested too deep: downstream servers are not started", { depth, remedy: "a config lists mcp-orchestrator itself (directly or through another server); remove that entry" })
  const proxyConfig = nested ? { ...config, servers: {}, warm: [] } : config
  // Rug-pull defence: tool definitions pinned when first seen (proxy.pinTools).
  const pins = new ToolPins(pinsFile(config.proxy.pinsFile, process.env), config.proxy.pinTools, createLogger(logHub, "pins"))
  stack.use(pins) // new pins are written shortly after they are taken; at the latest, here
  // an exit at once (a second signal, the shutdown budget spent) skips the stack: what is due is written then
  const flushPins = (): void => pins.flush()
  process.on("exit", flushPins)
  stack.defer(() => void process.off("exit", flushPins))
  proxy = createProxy({ config: proxyConfig, log: createLogger(logHub, "proxy"), leftOut: () => loaded.invalidServers, toolListStore: store, hooks: lazyProxyHooks(() => plugins), toolGate: pins, sourcesSettling: () => bothSettled(gateway?.settled(), orch.reloadSettled?.()), listingSettled: () => gateway?.listingSettled(), listingSource: GATEWAY_SERVER_NAME, reservedNames: OWN_NAMES, onServerState: (s, st) => gateway?.sessionState(s, st) })
  stack.use(proxy)
  // A damaged pins file found at start: the stored lists served until each server is listed live
  // again are pinned now (catalog/pins restoreFromStored), and the file is replaced at once; before,
  // it stayed damaged while lists came from the cache, and a definition changed meanwhile was pinned as new.
  // Also a pins file missing at start while lists are stored (deleted: a reset leaves a file), and
  // one found damaged or deleted while running (catalog/pins restoreWith).
  // whether the pins file was used on this cache before: a missing one is then deleted, else new (app/pins-files-used)
  const pinsUsedBefore = preloaded.then(() => notePinsFileUsed(cache, pins.mode === "off" ? undefined : pins.path))
  pins.restoreWith(() => {
    void pinsUsedBefore.then(async (usedBefore) => {
      const lists: Array<{ server: string; tools: Tool[] }> = []
      // the configured servers; one added otherwise (the Toolkit gateway, under a key known only once
      // it is added) is pinned when its stored list is loaded (store.load: restoreServerFromStored)
      for (const server of Object.keys(proxyConfig.servers)) {
        const tools = await toolLists.load(keyOf(server)).catch(() => undefined)
        if (tools !== undefined) lists.push({ server, tools })
      }
      pins.restoreFromStored(lists, usedBefore)
    })
  })
  pins.checkEvery()
  // `pins approve` (or reset) from the CLI released a withheld tool: its server is listed again, so
  // the tool comes back and clients hear list_changed (one that never re-lists otherwise kept it out)
  stack.defer(pins.onReleased((servers) => servers.forEach((s) => proxy.relistTools(s))))

  // Docker MCP Toolkit: driver (reads through the cache), management tools, gateway session.
  let toolkit: ToolkitDriver | undefined
  let rawDriver: ToolkitDriver | undefined
  let gateway: ToolkitGateway | undefined
  let toolkitState: Record<string, unknown> | null = null
  /** Aborted when the orchestrator is disposed: what runs Toolkit commands for it stops. */
  let toolkitLife: AbortSignal | undefined
  let toolkitTools: typeof import("../manage/index.ts").toolkitTools = () => []
  if (config.toolkit.enabled !== "off" && !nested) {
    // the driver, its parsers and the management tools load only when the Toolkit is in use: a
    // stdio session that only proxies (toolkit.enabled: off) never evaluates them
    const [{ createSpawnRunner, createToolkitDriver }, manage, { cachedToolkit, toolkitScope }] = await Promise.all([import("../docker/index.ts"), import("../manage/index.ts"), import("./cached-toolkit.ts")])
    toolkitTools = manage.toolkitTools
    // Every `docker` command is timed for /metrics (when served).
    // every `docker` command still running when the orchestrator closes is stopped first (see below)
    const lifetime = new AbortController()
    toolkitLife = lifetime.signal
    const spawn = createSpawnRunner({ docker: config.toolkit.docker, timeoutMs: config.toolkit.timeout, signal: lifetime.signal })
    const runner: Runner = async (req) => {
      const command = req.args.filter((a) => !a.startsWith("-")).slice(0, 3).join(" ")
      try {
        const r = await spawn(req)
        orch.metrics?.observeToolkitCommand({ command, outcome: r.timedOut ? "timeout" : r.exitCode === 0 ? "ok" : "error", durationMs: r.durationMs })
        return r
      } catch (e) {
        orch.metrics?.observeToolkitCommand({ command, outcome: "error", durationMs: 0 })
        throw e
      }
    }
    const driver = createToolkitDriver({
      runner,
      docker: config.toolkit.docker,
      timeoutMs: config.toolkit.timeout,
      ...(config.toolkit.profile ? { profile: config.toolkit.profile } : {}),
      log: createLogger(logHub, "toolkit"),
    })
    rawDriver = driver
    toolkit = cachedToolkit(driver, cache, toolkitScope(config.toolkit.docker, config.toolkit.profile, process.env), process.env)
    toolkitState = { state: "probing", ready: config.toolkit.enabled !== "on" }
    // the CLI changed under us (profiles switched, an upgrade in place): the status says the new one
    // (the gateway follows on its own: app/toolkit-gateway)
    stack.defer(
      toolkit.onEraChange((c) => {
        if (toolkitState?.state === "available") toolkitState = { ...toolkitState, ...c.to }
        log.info("docker mcp toolkit changed", { from: c.from, to: c.to, reason: c.reason })
      }),
    )
    if (config.toolkit.gateway) gateway = stack.use(new ToolkitGateway(proxy, toolkit, createLogger(logHub, "gateway"), config.toolkit.waitForDocker))
    // disposed before the gateway and the proxy (a stack ends last in, first out): a command that
    // hangs (Docker Desktop not answering) no longer holds what waits on it (the gateway's sync, a
    // first listing) until toolkit.timeout, past the shutdown's budget
    stack.defer(() => lifetime.abort())
  }

  // Prompts: built-in and plugin prompts; list changes from plugins reach every face.
  const listeners = new Set<(kind: ListKind) => void>()
  const emit = (kind: ListKind): void => {
    for (const l of listeners) l(kind)
  }
  const prompts: PromptSource = {
    listPrompts: () => plugins?.listPrompts() ?? [],
    getPrompt: (name, args) => plugins?.getPrompt(name, args),
    originOf: (name) => plugins?.promptOrigin(name),
  }
  // Settled once start() has loaded the plugins (or given up waiting); faces wait for it. Without
  // start() (stopping before it ran) no plugin will load and there is nothing to wait for.
  let started = false
  let pluginsLoaded!: () => void
  const pluginsReady = new Promise<void>((r) => (pluginsLoaded = r))
  /** The first plugin load ended (not its budget), and the plugins are not closing: see pluginsSettled. */
  let pluginsWhole = !config.plugins.enabled
  let disposed = false
  const faces = new Set<McpFace>()
  // one per connection: rebuilds its own tools from the running config after a reload
  const surfaces = new Set<() => void>()
  // awaited by the enable/disable tools (bounded): their answer comes once the gateway followed
  const onServersChanged = (): Promise<void> | undefined => gateway?.sync("servers changed")

  let toolkitCount: number | undefined
  const probing = (): boolean => gateway?.undecided === true
  const defaultOwnCount = (): number => {
    const surface = buildSurface(config, { upstream: proxy, invalid: () => loaded.invalidServers, probing })
    const kit = toolkit && surface.toolkitTools ? (toolkitCount ??= toolkitTools(toolkit).length) : 0
    return 1 + kit + surface.meta.length
  }
  const orch: Orchestrator = {
    loaded,
    log,
    logHub,
    proxy,
    cache,
    nested,
    ...(toolkit ? { toolkit } : {}),
    servicesFor(getServer, toolset = config.toolset) {
      // the connection's tool surface: toolset scope and expose mode (app/surface-tools); the
      // upstream stays for the connection's life and follows the running toolset definition
      const current = toolset === undefined ? undefined : liveToolset(config, toolset, log)
      const upstream = surfaceUpstream(config, proxy, current, toolset)
      const own = (): { tools: ToolDef[]; expose: "all" | "search" | "code" } => {
        const surface = buildSurface(config, { toolset: current, upstream, invalid: () => loaded.invalidServers, probing, listed: () => listed?.() })
        // this connection's status counts the own tools this connection lists
        const tools: ToolDef[] = []
        tools.push(
          statusTool(async () => {
            const st = withOwnCount(await orch.status(), tools.length)
            // the tools callable now as a tools/list built now would list them (hooks applied), not
            // the client's last list: that is rebuilt only after the change window, and a server
            // search_tools already finds would not be named yet
            const now = listed && upstream.hookedCatalogNow ? (await upstream.hookedCatalogNow()).tools : listedNow?.()
            return scopeStatus(withFirstAnswer(st, { ...(firstAnswer ? { first: firstAnswer } : {}), ...(listed ? { listed: listed() } : {}), current: () => now }, upstream.catalogNow?.()), toolset, current?.(), upstream)
          }),
        )
        if (toolkit && surface.toolkitTools) tools.push(...toolkitTools(toolkit, { onServersChanged, changeOutcome: () => gateway?.changeOutcome(), confirm: confirmViaElicitation(getServer, log) }))
        tools.push(...surface.meta)
        return { tools, expose: surface.expose }
      }
      // what this connection's surface is made of: a reload that changes none of it (another
      // toolset, say) sends this client no list_changed
      const shape = (): string => JSON.stringify([current?.() ?? null, config.proxy.expose, config.codeMode])
      let built = shape()
      /** What this connection's first tools/list answer lacked (its status says so, not another connection's). */
      let firstAnswer: FirstAnswer | undefined
      /** The tool names of that answer (a snapshot's parsed at the first use), when it listed the proxied tools. */
      let listed: (() => ReadonlySet<string>) | undefined
      /** The tools this connection's tools/list answers now (the face's last list). */
      let listedNow: FirstList["current"] | undefined
      const first = own()
      return {
        tools: first.tools,
        upstream,
        expose: first.expose,
        prompts,
        firstToolsAnswer: ({ names, snapshot, current }) => {
          if (!snapshot) firstAnswer ??= proxy.answeredTools()
          listedNow ??= current
          if (names && !listed) {
            let memo: ReadonlySet<string> | undefined
            listed = () => (memo ??= names())
          }
        },
        ...(started ? { ready: pluginsReady } : {}),
        onListChanged: (l) => {
          listeners.add(l)
          return () => listeners.delete(l)
        },
        onSurfaceChanged: (l) => {
          const rebuild = (): void => {
            const now = shape()
            if (now === built) return
            built = now
            l(own())
          }
          surfaces.add(rebuild)
          return () => surfaces.delete(rebuild)
        },
      }
    },
    createFace(toolset) {
      const ref: { face?: McpFace } = {}
      const face = createMcpFace({
        log: createLogger(logHub, "mcp"),
        logHub,
        ...orch.servicesFor(() => ref.face?.server, toolset),
        onToolCall: (e) => orch.metrics?.observeToolCall(e),
        usageLinesPerSecond: () => config.log.callLinesPerSecond,
        maxListBytes: () => config.proxy.maxMessageBytes,
      })
      ref.face = face
      faces.add(face)
      const dispose = face.dispose
      face.dispose = () => {
        faces.delete(face)
        dispose()
      }
      return face
    },
    reapply(keys) {
      const touched = (...prefixes: string[]): boolean => keys.some((k) => prefixes.some((p) => k === p || k.startsWith(p + ".")))
      if (touched("toolsets", "proxy.expose", "codeMode")) {
        for (const rebuild of [...surfaces]) {
          try {
            rebuild()
          } catch (e) {
            log.error("cannot rebuild a connection's tool surface; it keeps the previous one", { error: errorMessage(e) })
          }
        }
      }
      // the gateway's tool filter (toolkit.tools, read from the running config): list_changed follows
      if (touched("toolkit.tools")) gateway?.refilter()
      if (touched("plugins.dirs") && plugins && config.plugins.enabled) {
        void plugins.setDirs(resolvePluginDirs(config.plugins.dirs)).catch((e) => log.warn("plugins failed to load", { error: errorMessage(e) }))
      }
    },
    rescanPlugins() {
      return plugins ? plugins.reload() : Promise.resolve()
    },
    async saveNow() {
      await pins.flushAsync()
      await toolLists.flush()
      await cache.flush()
    },
    async status(): Promise<Status> {
      // the stored lists first: a warm start's first answer (the persisted one) held their tools
      await proxy.storeReady()
      const st = proxy.status()
      // The status builder is a redaction point: lastError and the Toolkit/plugin errors it quotes
      // may carry a configured secret (a 401 body echoing the token, a stderr tail); /readyz and
      // /metrics read it too.
      return redactValues({
        name: NAME,
        version: VERSION,
        uptimeSeconds: Math.round((performance.now() - startedAt) / 100) / 10,
        pid: process.pid,
        config: {
          file: loaded.file?.path ?? null,
          logLevel: config.log.level,
          servers: Object.keys(config.servers),
          warm: config.warm,
          http: orch.httpAddress ?? null,
          ...(orch.httpError ? { httpError: orch.httpError } : {}),
          ...(loaded.invalidServers?.length ? { invalidServers: loaded.invalidServers.map((i) => ({ name: i.name, entry: i.entry, source: i.source, problems: invalidServerLines([i]), remedy: i.remedy, running: i.running === true })) } : {}),
          ...(orch.reloadStatus ? { reload: orch.reloadStatus() } : {}),
        },
        // a server whose entry is invalid is named with why (the model asks why its tools are missing)
        servers: [...st.servers, ...invalidServerRows(loaded.invalidServers, config.servers)],
        // own tools of a connection with the default surface (each connection's status tool gives its own)
        tools: { own: defaultOwnCount(), proxied: st.tools },
        toolkit: toolkitState ? { ...toolkitState, ...(gateway ? { gateway: gateway.active ? "running" : "stopped", ...(gateway.lastError ? { gatewayError: gateway.lastError, ...(gateway.lastRemedy ? { gatewayRemedy: gateway.lastRemedy } : {}) } : {}) } : {}) } : null,
        cache: { ...cache.stats() } as Record<string, unknown>,
        plugins: (plugins?.list() ?? []).map(withPluginRemedy) as unknown as Record<string, unknown>[],
        pins: pinsStatus(pins),
      })
    },
    start() {
      started = true
      proxy.start()
      if (config.plugins.enabled) {
        const host = PluginHost.open({
          dirs: resolvePluginDirs(config.plugins.dirs),
          limits: config.plugins,
          log: createLogger(logHub, "plugins"),
          watch: true,
          separator: config.proxy.separator,
          // faces hold lists and calls until plugins are loaded, at most this long: a client keeps the
          // first lists it gets, and a route hook must see the first call (past it, calls are refused
          // while a file that may hold rules has not loaded: PluginHost)
          loadBudget: config.plugins.loadBudget,
          // an unchanged plugin file is not checked again at each start (plugin/check-cache)
          ...(config.cache.enabled ? { cacheDir: resolveCacheDir(config.cache.dir) } : {}),
        })
        plugins = host
        stack.use(host)
        observePluginHooks((e) => orch.metrics?.observePluginHook(e))
        stack.defer(() => observePluginHooks(undefined))
        if (rawDriver) stack.defer(host.bindParsers(rawDriver.parsers))
        host.onChange((e) => {
          if (e.prompts) emit("prompts")
          if (e.tools || e.route) emit("tools")
          if (e.parsers) void cache.invalidate("servers").then(() => cache.invalidate("catalog"))
        })
        void host
          .reload()
          .catch((err) => log.warn("plugins failed to load", { error: errorMessage(err) }))
          .finally(() => (pluginsWhole = true))
        void host.whenStarted().finally(pluginsLoaded)
      } else pluginsLoaded()
      if (toolkit) {
        const t = toolkit
        gateway?.probing()
        // The first answer waits on this probe (proxy.listWait at most): Docker Desktop closed or
        // still starting, or its engine not up yet, is not waited for here (1+2+4 s and more: every
        // start of a user whose Desktop is closed held the first tools/list for the whole listWait).
        // The probe is then tried again in the background with backoff until Docker answers (at most
        // toolkit.waitForDocker): a Toolkit that comes up minutes later is announced and reachable
        // (search_tools, call_tool) as it is.
        const life = toolkitLife
        const wait = new DockerWait(config.toolkit.waitForDocker, log, "docker mcp toolkit probe")
        stack.defer(() => wait.stop())
        const probe = async (first: boolean): Promise<void> => {
          try {
            const s = await t.status({ noWait: true, ...(life ? { signal: life } : {}) })
            toolkitState = { state: "available", ready: true, ...s }
            wait.done()
            log.info("docker mcp toolkit detected", first ? s : { ...s, after: "Docker came up after the start" })
            await gateway?.sync("start", { noWait: true })
          } catch (e) {
            if (life?.aborted || disposed) return
            const later = dockerMayComeUp(e)
            if (!first) {
              if (later && wait.later(() => void probe(false), errorMessage(e))) return
              if (toolkitState?.state === "unavailable") return
            }
            // its code and remedy as the driver and `doctor` word them (TOOLKIT_BROKEN: a plugin that is there but does not run)
            toolkitState = { state: "unavailable", ready: config.toolkit.enabled !== "on", error: errorMessage(e), ...(isOrchestratorError(e) ? { code: e.code, ...(e.remedy ? { remedy: e.remedy } : {}) } : {}) }
            gateway?.absent()
            // asked for explicitly (toolkit.enabled: on): its absence is a problem, not a fact of the machine
            if (config.toolkit.enabled === "on") log.warn("docker mcp toolkit not available, though toolkit.enabled is on", { error: errorMessage(e), remedy: "Install or start Docker Desktop with the MCP Toolkit, or set toolkit.enabled to auto or off." })
            else log.info("docker mcp toolkit not available", { error: errorMessage(e), ...(later ? { retrying: "in the background, while Docker starts" } : {}) })
            if (later) wait.later(() => void probe(false), errorMessage(e))
          }
        }
        void (async () => {
          await preloaded
          await probe(true)
        })()
      }
    },
    listPrints() {
      const out: Record<string, string> = {}
      for (const [s, tools] of proxy.heldToolLists()) out[s] = `${tools.length}:${hashed.get(tools) ?? listHash(tools)}`
      return out
    },
    pluginsSettled() {
      return started && pluginsWhole && !disposed && !(plugins?.list().some((p) => p.state === "loading") ?? false)
    },
    async [Symbol.asyncDispose]() {
      disposed = true
      pluginsLoaded()
      for (const f of [...faces]) f.dispose()
      faces.clear()
      await stack.disposeAsync()
    },
  }
  return orch
}

/** The pins part of the status: mode, file, changes seen, servers whose unlisted pins were dropped, a file that could not be read. */
function pinsStatus(pins: ToolPins): NonNullable<Status["pins"]> {
  const dropped = pins.mode === "off" ? [] : pins.dropped()
  const problem = pins.mode === "off" ? undefined : pins.problem()
  const remedy = problem ? pins.remedy() : undefined
  return { mode: pins.mode, file: pins.path, changes: [...pins.changes()], ...(dropped.length ? { dropped } : {}), ...(problem ? { problem } : {}), ...(remedy ? { remedy } : {}) }
}

/** The dynamic sources' changes under way (the Toolkit gateway's, a config reload's), as one wait; undefined when none is. */
function bothSettled(a: Promise<unknown> | undefined, b: Promise<unknown> | undefined): Promise<unknown> | undefined {
  return a === undefined ? b : b === undefined ? a : Promise.all([a, b])
}
