/**
 * @module plugin/host
 * `PluginHost`: loads the plugin directories, composes hooks in a fixed order (see docs/plugins.md),
 * serves built-in and plugin prompts, hands parser overrides to the Toolkit driver, reloads on change.
 */
import { basename } from "node:path"
import type { Logger } from "../core/index.ts"
import type { GuestLogGates, SandboxThread } from "../sandbox/index.ts"
import { visiblePath } from "../sandbox/visible.ts"
import { BUILTIN_PROMPTS } from "./builtin-prompts.ts"
import type { ParserContext, ParserKind, PromptInfo, PromptResult, RouteCall, RouteDecision, ToolLike } from "./contract.ts"
import { discoverPlugins, type Discovered } from "./discover.ts"
import { capItems, isOverCap, MAX_PLUGIN_FILES } from "./file-cap.ts"
import { DEFAULT_PLUGIN_LIMITS, type PluginInfo, type PluginLimits } from "./limits.ts"
import type { PluginCheckCache } from "./check-cache.ts"
import type { Plugin } from "./plugin.ts"
import type { Reconciled, ReconcileItem, Slot } from "./reconcile.ts"
import { bindParserRegistry, lazyProxyHooks, type ParserTarget, type PluginProxyHooks } from "./seams.ts"
import { PromptManager, type PromptEntry } from "./prompts.ts"
import { refusedArgs } from "./route-args.ts"
import { DirWatcher } from "./watch.ts"

/**
 * How long the first load may hold calls and lists by default (`plugins.loadBudget`; lists waited
 * this long before there was a budget): room for the sandbox worker's cold start (~0.1–1 s on a
 * busy machine), dozens of ordinary plugins (~20 ms each) and one or two files that spin to their
 * own 2 s load deadline, not for many in a row.
 */
export const DEFAULT_LOAD_BUDGET_MS = 5000

export interface PluginHostOptions {
  dirs: readonly string[]
  limits?: Partial<PluginLimits>
  log: Logger
  /**
   * Reload when a file in a plugin directory changes (default false). The watch follows each
   * directory's path: one removed, renamed away or re-pointed is watched again when it reappears.
   */
  watch?: boolean
  /** Serve the built-in prompts (default true). */
  builtinPrompts?: boolean
  /**
   * Overall time (ms) the first load may hold calls and lists (`plugins.loadBudget`, default
   * DEFAULT_LOAD_BUDGET_MS). Files not loaded by then load on in the background; meanwhile each
   * counts as a policy that cannot run (calls are refused naming it, never let through) and lists
   * are served without them. Later reloads hold nothing (the plugins loaded so far serve meanwhile).
   */
  loadBudget?: number
  /**
   * Namespace separator (`proxy.separator`). When the proxy could not resolve an exposed name
   * (server ""), `route` splits the name at the first separator, so aliases like `fs__ls` work.
   */
  separator?: string
  /**
   * The cache directory (`cache.dir`): verdicts of the compile estimate and the stripped JavaScript
   * of TypeScript plugins are kept there per file content (plugin/check-cache), so an unchanged
   * plugin is not checked again at the next start. Unset: every load checks (nothing is kept).
   */
  cacheDir?: string | undefined
}

/** What changed after a reload, when a plugin got disabled or when its tools hook was turned off. */
export interface PluginChange {
  prompts: boolean
  tools: boolean
  route: boolean
  parsers: boolean
  /** Plugin files that were added, changed, removed or disabled (or whose tools hook was turned off). */
  files: string[]
}

/** A parser override as the Toolkit driver's registry wants it (`setOverride(kind, parse, owner)`). */
export interface ParserBinding {
  plugin: string
  file: string
  /** `plugin "name" (file)`, for error messages. */
  owner: string
  /** Synchronous; resolves the current plugin at call time (undefined = use the built-in parser). */
  parse(text: string, ctx: ParserContext): unknown
  parseAsync(text: string, ctx: ParserContext): Promise<unknown>
}

type Loader = typeof import("./loader.ts")

export class PluginHost implements AsyncDisposable {
  private slots: Slot[] = []
  private problems: PluginInfo[] = []
  /**
   * Plugins with route rules, in order: those whose route hook is on run, the others (route hook
   * killed by the watchdog, or the file failing to load) refuse calls (fail closed). Faults never
   * turn a route hook off; only a watchdog kill does.
   */
  private routeChain: Plugin[] = []
  /** Files whose plugin has (or, while the file fails to load, last had) a route hook. */
  private policyFiles = new Set<string>()
  /** Plugin files past MAX_PLUGIN_FILES at the last scan (plugin/file-cap). */
  private overCap = 0
  /**
   * The first `reload` settled, or its budget ran out (then the files not loaded yet are "loading"
   * stand-ins in the route chain); calls wait for it while pending.
   */
  private firstLoad: Promise<void> | undefined
  private firstLoadPending = false
  private firstLoadDone: (() => void) | undefined
  /** The first load runs against `loadBudget` (not for `create`, whose caller waits for it all). */
  private budgeted = true
  /** Disposal began: loads under way end, files not loaded yet are not loaded. */
  private stopping = false
  private toolsChain: Plugin[] = []
  private readonly prompts = new PromptManager()
  /** Name clashes (prompts, parser kinds) already warned about. */
  private readonly clashesWarned = new Set<string>()
  private readonly listeners = new Set<(e: PluginChange) => void>()
  private watcher: DirWatcher | undefined
  private reloading: Promise<void> = Promise.resolve()
  private readonly limits: PluginLimits
  /** The plugin directories (a config reload may re-point them: `setDirs`). */
  private dirs: readonly string[]
  /** The plugin directory (as configured) each loaded file was found in. */
  private fileDir = new Map<string, string>()
  /** Plugin directories gone or unreadable at the last scan (their plugins held in their last state). */
  private unavailable = new Set<string>()
  /** What runs plugin files (plugin/loader), loaded once a plugin file is found: without one the sandbox is never evaluated. */
  private loader: Loader | undefined
  /**
   * `thread`: one worker thread for prompts, tools and parser hooks of every plugin. `routeThread`:
   * the route lane, a second thread for route hooks only (a chain of them costs no cross-thread
   * wake-ups), so a tools/call never waits behind a prompt render or a parser run. Created with the
   * loader; each thread's worker starts only when a plugin that needs it loads.
   */
  private lanes: { thread: SandboxThread; routeThread: SandboxThread } | undefined
  /** Verdicts of earlier loads per file content (with the loader, when `cacheDir` is set). */
  private checks: PluginCheckCache | undefined
  /** Each file's console budget, kept across its reloads (a reload gives no fresh burst). */
  private logGates: GuestLogGates | undefined

  private constructor(private readonly opts: PluginHostOptions) {
    this.limits = { ...DEFAULT_PLUGIN_LIMITS, ...opts.limits }
    this.dirs = opts.dirs
  }

  /**
   * Open the host and load every plugin file (resolves once all are loaded or failed: no start
   * budget, the caller waits for the whole load, e.g. `plugins list`).
   */
  static async create(opts: PluginHostOptions): Promise<PluginHost> {
    const host = PluginHost.open(opts)
    host.budgeted = false
    await host.reload()
    // and for what the loads started in the background (route hooks evaluated on the route lane),
    // so the list the caller reads (plugins list, doctor) says which plugins cannot run
    await Promise.all(host.slots.map((s) => s.plugin.whenLoaded()))
    return host
  }

  /**
   * A host serving the built-in prompts at once, with no plugin loaded yet: call `reload()` (e.g.
   * in the background after `initialize`); hooks and plugin prompts appear with a change event.
   */
  static open(opts: PluginHostOptions): PluginHost {
    const host = new PluginHost(opts)
    host.recompute()
    host.watchDirs()
    return host
  }

  /**
   * Re-point the host at other directories (a config reload changed `plugins.dirs`): plugins of
   * the new ones load, those of removed ones unload, a change event follows as for a hot reload.
   */
  setDirs(dirs: readonly string[]): Promise<void> {
    this.dirs = [...dirs]
    this.watcher?.sync(this.dirs)
    return this.reload()
  }

  /** True when at least one active plugin has a `route` hook (otherwise skip `route` entirely). */
  get hasRoute(): boolean {
    return this.firstLoadPending || this.routeChain.length > 0
  }

  /** True when at least one active plugin has a `tools` hook. */
  get hasToolsFilter(): boolean {
    return this.toolsChain.length > 0
  }

  /**
   * Settles once the first load is over or its budget (`loadBudget`) ran out, whichever comes
   * first; at once when no load was started. Faces hold their first lists until then.
   */
  whenStarted(): Promise<void> {
    return this.firstLoad ?? Promise.resolve()
  }

  /**
   * Run the route hooks in order. Each sees the call as rewritten by the previous ones; the first
   * deny ends the chain. Returns undefined when no plugin changed anything. A hook that faults fails
   * that call (PluginError naming the plugin, file:line and the fault): a broken policy plugin never
   * lets a call through by accident. The fault counts toward nothing: the next call, to this tool or
   * any other, runs the rules again (the arguments that broke them were the model's). A watchdog
   * kill fails its call alone; a route hook killed repeatedly (plugin/limits WATCHDOG_KILLS_TO_OFF)
   * is off and refuses every call until its retry time or a change of its file (a fault of the
   * plugin's other hooks never does).
   */
  async route(call: RouteCall): Promise<RouteDecision> {
    if (this.firstLoadPending) await this.firstLoad
    const chain = this.routeChain
    if (chain.length === 0) return undefined
    let cur = call
    const sep = this.opts.separator
    if (sep && call.server === "" && call.tool.includes(sep)) {
      const i = call.tool.indexOf(sep)
      cur = { server: call.tool.slice(0, i), tool: call.tool.slice(i + sep.length), args: call.args }
    }
    let changed = false
    const by: string[] = []
    // what a route hook is given crosses into its sandbox as JSON: past the limits (size, depth) it
    // is refused before any hook runs (no plugin fault, no thread stalled decoding it), never let through
    const refused = refusedArgs(cur.args, this.limits.routeArgsLimit, chain.map((p) => p.name))
    if (refused) return { deny: refused }
    // the whole chain is held for the call: a hot reload that replaces a plugin further down the
    // chain while an earlier one runs lets this call finish under the versions it started with
    // (before, the call reached a retired plugin and failed "was unloaded")
    for (const p of chain) p.hold()
    try {
      for (const p of chain) {
        // fail closed: the rules of a policy plugin that cannot run (its route hook killed by the
        // watchdog, or its file broken by an edit) refuse every call until the file is fixed or removed
        if (!p.has("route")) return { deny: refusedBy(p) }
        const d = await p.route(cur)
        if (d === undefined) continue
        if ("deny" in d) return { deny: `${d.deny} [plugin ${p.name}]` }
        const next = { server: d.server ?? cur.server, tool: d.tool ?? cur.tool, args: d.args ?? cur.args }
        const moved = next.server !== cur.server || next.tool !== cur.tool
        // named with the file and line of its route hook: an error refusing where it sent the call
        // (ROUTE_INVALID, proxy/route-check) blames this hook and must say where it is
        if (moved) by.push(`${p.name} (${p.definedAt(["route"])})`)
        changed ||= moved || next.args !== cur.args
        cur = next
      }
    } finally {
      for (const p of chain) p.release()
    }
    return changed ? { server: cur.server, tool: cur.tool, args: cur.args, ...(by.length ? { by: by.join(", ") } : {}) } : undefined
  }

  /**
   * Hooks for the proxy (`ProxyHooks`): getters that read as undefined while no active plugin has
   * the hook, so the proxy's `hooks.route` check keeps its fast path; they follow hot reloads.
   */
  proxyHooks(): PluginProxyHooks {
    return lazyProxyHooks(() => this)
  }

  /**
   * Pipe the tool list through every `tools` hook in order. A faulting hook is skipped for this list
   * (logged: an error, a debug line when the host is closing); one that faulted MAX_CONSECUTIVE_FAULTS times in a row is off until its file changes.
   */
  async filterTools<T extends ToolLike>(tools: T[]): Promise<T[]> {
    let cur: ToolLike[] = tools
    // held for the whole pipe, as the route chain is: a reload meanwhile does not skip a later filter
    const chain = this.toolsChain
    for (const p of chain) p.hold()
    try {
      for (const p of chain) {
        if (!p.has("tools")) continue
        try {
          cur = await p.filterTools(cur)
        } catch (e) {
          // cut by the host closing (the serve stopping while a list is built): no fault of the plugin
          const say = this.stopping ? this.opts.log.debug : this.opts.log.error
          say.call(this.opts.log, "tools hook skipped", { plugin: p.name, error: (e as Error).message })
        }
      }
    } finally {
      for (const p of chain) p.release()
    }
    return cur as T[]
  }

  listPrompts(): PromptInfo[] {
    return this.prompts.list()
  }

  /** Who serves prompt `name`: `plugin "x" (/path/x.js)` or `the built-in prompt`; undefined when none does. */
  promptOrigin(name: string): string | undefined {
    return this.prompts.originOf(name)
  }

  /** Render a prompt; undefined when no built-in or plugin prompt has that name. */
  getPrompt(name: string, args?: Record<string, unknown>): Promise<PromptResult | undefined> {
    return this.prompts.get(name, args)
  }

  /**
   * The override for a Toolkit output kind: the first loaded plugin (in order) that declares one. A
   * plugin whose parse hook is off (faults, or a watchdog kill) keeps the kind: its parses fail
   * naming it (no silent fallback).
   */
  parserOverride(kind: ParserKind): ParserBinding | undefined {
    const p = this.parserPlugin(kind)
    if (!p) return undefined
    return {
      plugin: p.name,
      file: p.file,
      // with the line of `parsers.<kind>`: a value of the wrong shape has no guest stack to place it
      owner: `plugin "${p.name}" (${p.definedAt(["parsers", kind])})`,
      parse: (text, ctx) => this.parserPlugin(kind)?.parseSync(kind, text, ctx),
      parseAsync: async (text, ctx) => this.parserPlugin(kind)?.parse(kind, text, ctx),
    }
  }

  /** Keep a parser registry (the Toolkit driver's) in step with the plugins; see `bindParserRegistry`. */
  bindParsers(target: ParserTarget): () => void {
    return bindParserRegistry(this, target)
  }

  /** Subscribe to changes (hot reload, a plugin disabled, a tools hook turned off). Returns an unsubscribe function. */
  onChange(listener: (e: PluginChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Every plugin file found, in composition order, with its state and last error. */
  list(): PluginInfo[] {
    return [...this.slots.map((s) => s.plugin.info()), ...this.problems]
  }

  /** Re-scan the directories and reload changed files (serialised; hot reload calls this). */
  reload(): Promise<void> {
    const run = this.reloading.then(() => this.doReload())
    this.reloading = run.catch((e) => this.opts.log.error("plugin reload failed", { error: (e as Error).message }))
    if (this.firstLoad === undefined) {
      // until the first load is over (or its budget ran out) nobody knows which rules exist: calls
      // wait for it (fail closed)
      this.firstLoad = new Promise<void>((resolve) => {
        this.firstLoadDone = () => {
          this.firstLoadPending = false
          this.firstLoadDone = undefined
          resolve()
        }
      })
      this.firstLoadPending = true
      void this.reloading.finally(() => this.firstLoadDone?.())
    }
    return run
  }

  /**
   * Stop: the sandbox threads first, so a load under way (a large file being checked or evaluated)
   * ends at once instead of being waited for, and the files not loaded yet are not loaded at all
   * (a stop never waits for the plugin directory, whatever its size); then the plugins go.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.stopping = true
    this.watcher?.close()
    await this.lanes?.thread[Symbol.asyncDispose]()
    await this.lanes?.routeThread[Symbol.asyncDispose]()
    await this.reloading
    const slots = this.slots
    this.slots = []
    this.recompute()
    await Promise.all(slots.map((s) => s.plugin[Symbol.asyncDispose]()))
  }

  // --- internals ---

  private async load(): Promise<Loader> {
    const l = (this.loader ??= await import("./loader.ts"))
    this.lanes ??= { thread: new l.SandboxThread(this.opts.log.child("sandbox")), routeThread: new l.SandboxThread(this.opts.log.child("sandbox-route")) }
    if (this.opts.cacheDir !== undefined) this.checks ??= new l.PluginCheckCache(this.opts.cacheDir, this.opts.log.child("plugin"))
    this.logGates ??= new l.GuestLogGates()
    return l
  }

  private watchDirs(): void {
    if (this.opts.watch) this.watcher = new DirWatcher(this.dirs, () => void this.reload(), this.opts.log)
  }

  /**
   * What to reconcile, in composition order: the entries of each directory found, and for a
   * directory that is gone or unreadable the plugins it held (kept in their last state: a policy
   * in a directory swapped by `stow -R`, `git checkout` or a restore keeps applying meanwhile).
   */
  private items(found: Discovered): ReconcileItem[] {
    const unavailable = new Map(found.unavailable.map((u) => [u.dir, u]))
    const items: ReconcileItem[] = []
    const fileDir = new Map<string, string>()
    for (const dir of this.dirs) {
      const u = unavailable.get(dir)
      if (!u) {
        for (const e of found.entries) {
          if (e.dir !== dir) continue
          fileDir.set(e.path, dir)
          items.push(e.refused !== undefined ? { file: e.path, refused: e.refused } : { file: e.path })
        }
        if (this.unavailable.has(dir)) this.opts.log.info("plugin directory is back; its plugins are scanned again", { dir })
        continue
      }
      const held = this.slots.filter((s) => this.fileDir.get(s.plugin.file) === dir)
      for (const s of held) {
        fileDir.set(s.plugin.file, dir)
        items.push({ file: s.plugin.file, held: true })
      }
      if (!this.unavailable.has(dir) && held.length > 0) {
        this.opts.log.warn("plugin directory is gone or unreadable; its plugins keep their last state until it is back (take it out of plugins.dirs to unload them)", {
          dir,
          error: u.message,
          plugins: held.map((s) => s.plugin.name),
        })
      }
    }
    this.fileDir = fileDir
    this.unavailable = new Set(found.unavailable.filter((u) => this.dirs.includes(u.dir) && fileDirHas(fileDir, u.dir)).map((u) => u.dir))
    const capped = capItems(items)
    // said again only when the count changes (each reload reads the directories again)
    const overBefore = this.overCap
    this.overCap = capped.over
    if (capped.over > 0 && capped.over !== overBefore) {
      this.opts.log.warn("too many plugin files: the files past the first ones are not loaded", {
        files: items.length,
        loaded: MAX_PLUGIN_FILES,
        notLoaded: capped.over,
        first: capped.items.find((it) => isOverCap(it.refused))?.file,
        dirs: this.dirs,
        remedy: `Point plugins.dirs (or --plugins) at the directory of your plugins, not a library or build directory; at most ${MAX_PLUGIN_FILES} plugin files are loaded, and the sandboxes of about 64 fit in memory.`,
      })
    }
    return capped.items
  }

  private parserPlugin(kind: ParserKind): Plugin | undefined {
    return this.slots.find((s) => loaded(s.plugin) && s.plugin.manifest?.parsers?.[kind] !== undefined)?.plugin
  }

  private async doReload(): Promise<void> {
    const before = this.signature()
    // a directory that came back is watched again before it is read
    this.watcher?.sync(this.dirs)
    const found = await discoverPlugins(this.dirs)
    const log = this.opts.log.child("plugin")
    const items = this.items(found)
    // no plugin file found and none loaded: nothing to reconcile, and the sandbox is not loaded for it
    const l = items.length > 0 || this.slots.length > 0 ? await this.load() : undefined
    // only the first load holds calls and lists: it alone runs against the start budget
    const budget = l && this.firstLoadDone && this.budgeted ? this.startBudget(items, log, l.Plugin) : undefined
    let r: Reconciled = { next: [], retired: [], touched: [], problems: [], kept: [] }
    if (l) {
      const lanes = this.lanes!
      try {
        r = await l.reconcile(
          items,
          this.slots,
          // stopping: the files left are not loaded (nor transpiled), they stand as not loaded
          (file, code, replaces) =>
            this.stopping ? Promise.resolve(l.Plugin.loading(file, STOPPED, this.limits, log)) : l.Plugin.load(file, this.limits, log, { code, thread: lanes.thread, routeThread: lanes.routeThread, checks: this.checks, ...(this.logGates ? { logGates: this.logGates } : {}), ...(replaces ? { replaces } : {}) }),
          (file, message) => l.Plugin.refused(file, message, this.limits, log),
          budget?.onSlot,
        )
      } finally {
        budget?.stop()
      }
    }
    if (this.stopping) {
      // the user stopped the process while plugins loaded: no fault of any file, said once
      const cut = r.next.filter((s) => r.touched.includes(s.plugin.file) && s.plugin.state !== "active").map((s) => s.plugin.file)
      if (cut.length > 0) this.opts.log.info("plugin loading cut short by shutdown", { files: cut.length })
      this.slots = r.next
      await Promise.all(r.retired.map((s) => s.plugin[Symbol.asyncDispose]()))
      return
    }
    for (const s of r.next) {
      this.wire(s)
      if (s.plugin.state === "failed" && r.touched.includes(s.plugin.file) && !isOverCap(s.plugin.lastError?.message)) {
        this.opts.log.error("plugin failed to load", { file: s.plugin.file, error: s.plugin.lastError?.message })
      }
    }
    for (const k of r.kept) this.opts.log.warn("plugin file changed, but its new version found no room in the sandbox memory; the previous version serves on", { file: k.file, error: k.error })
    if (budget?.over()) {
      this.opts.log.info("plugins loaded in the background after the start budget", { files: budget.late(), states: r.next.map((s) => `${s.plugin.file}: ${s.plugin.state}`) })
    }
    this.slots = r.next
    // refused files are failed plugins (slots); what is left is directories that could not be read
    const files = new Set(found.entries.map((e) => e.path))
    this.problems = found.problems.filter((p) => !files.has(p.path)).map((p) => failedInfo(p.path, p.message))
    for (const p of this.problems) this.opts.log.warn("plugin directory skipped", { dir: p.file, error: p.lastError })
    this.recompute()
    this.emit(before, r.touched)
    // new calls go to the new versions from here; calls under way on a replaced or removed plugin
    // finish under the version they started with, then its sandboxes go (Plugin.retire)
    await Promise.all(r.retired.map((s) => s.plugin.retire()))
    // a directory gone or back during the scan: followed, and looked at again by the next event
    this.watcher?.sync(this.dirs)
  }

  private wire(s: Slot): void {
    s.plugin.onDisabled = () => this.onPluginChanged(s.plugin)
    s.plugin.onHookOff = (p, hook) => {
      // a tools hook off changes the list (now served without that filter); a prompt or parse
      // hook off changes no list: its prompts and parser stay, and fail with the error
      if (hook === "tools") this.onPluginChanged(p)
    }
    // a hook back on after its watchdog off period: the plugin may be active again, a tools filter back in the list
    s.plugin.onHookOn = (p) => this.onPluginChanged(p)
  }

  /**
   * The budget of the first load (`loadBudget`): when it runs out before every file has loaded,
   * the plugins loaded so far start serving, each file not loaded yet stands in as a "loading"
   * plugin that refuses calls (it may hold route rules: fail closed, as while the load held calls),
   * and calls and lists stop waiting. The load goes on in the background; each file that loads
   * later takes its place at once.
   */
  private startBudget(items: readonly ReconcileItem[], log: Logger, Plugin: Loader["Plugin"]): { onSlot: (s: Slot) => void; stop: () => void; over: () => boolean; late: () => string[] } {
    const budgetMs = this.opts.loadBudget ?? DEFAULT_LOAD_BUDGET_MS
    const done: Slot[] = []
    const late: string[] = []
    let over = false
    const publish = (changed: string[]): void => {
      const before = this.signature()
      const settled = new Set(done.map((s) => s.plugin.file))
      const names = new Set<string>()
      const view: Slot[] = []
      for (const s of done) {
        // a later file reusing a name is decided by the full load (it fails then): until then it waits with the others
        if (s.plugin.state === "active" && names.has(s.plugin.name)) {
          view.push({ plugin: Plugin.loading(s.plugin.file, notYet(budgetMs), this.limits, log), code: "" })
          continue
        }
        if (s.plugin.state === "active") names.add(s.plugin.name)
        this.wire(s)
        view.push(s)
      }
      for (const it of items) {
        if (!settled.has(it.file)) view.push({ plugin: Plugin.loading(it.file, notYet(budgetMs), this.limits, log), code: "" })
      }
      this.slots = view
      this.recompute()
      this.emit(before, changed)
    }
    const timer = setTimeout(() => {
      over = true
      const pending = items.filter((it) => !done.some((s) => s.plugin.file === it.file)).map((it) => it.file)
      this.opts.log.warn("plugin loading at start ran past plugins.loadBudget; the plugins not loaded yet load in the background, tool calls are refused until they have (their route rules may exist), lists are answered without them", {
        budgetMs,
        pending,
        loaded: done.map((s) => `${s.plugin.file}: ${s.plugin.state}`),
        remedy: "find the slow or failing files with `mcp-orchestrator plugins list`; fix or remove them, or raise plugins.loadBudget",
      })
      publish(pending)
      this.firstLoadDone?.()
    }, budgetMs)
    timer.unref?.()
    return {
      onSlot: (s) => {
        done.push(s)
        if (!over || this.stopping) return
        late.push(s.plugin.file)
        this.opts.log.info("plugin loaded after the start budget", { file: s.plugin.file, state: s.plugin.state, ...(s.plugin.state === "failed" ? { error: s.plugin.lastError?.message } : {}) })
        publish([s.plugin.file])
      },
      stop: () => clearTimeout(timer),
      over: () => over,
      late: () => late,
    }
  }

  private onPluginChanged(p: Plugin): void {
    const before = this.signature()
    this.recompute()
    this.emit(before, [p.file])
  }

  private recompute(): void {
    const plugins = this.slots.map((s) => s.plugin)
    // a disabled plugin (every hook off) keeps its prompts listed, failing with why, as when one hook is off
    const running = plugins.filter(loaded)
    // a file whose last working version had a route hook stays a policy while it fails to load, and
    // so does one that loaded with a route hook and was then refused (a plugin name another file
    // already uses): its rules exist and cannot run, so they refuse calls instead of going unapplied
    const policies = new Set<string>()
    for (const p of plugins) {
      if (p.declares("route") || (p.state === "failed" && (this.policyFiles.has(p.file) || p.routeLaneFailed))) policies.add(p.file)
    }
    this.policyFiles = policies
    // a file not loaded yet (start budget spent) may hold rules: it refuses calls until it has loaded,
    // and becomes a policy only if it turns out to have a route hook
    this.routeChain = plugins.filter((p) => p.state === "loading" || policies.has(p.file))
    this.toolsChain = running.filter((p) => p.has("tools"))
    const entries: PromptEntry[] = this.opts.builtinPrompts === false ? [] : BUILTIN_PROMPTS.map((b) => ({ info: promptInfo(b), source: "builtin", origin: "the built-in prompt", render: b.render }))
    for (const p of running) {
      for (const def of p.manifest?.prompts ?? []) {
        const info: PromptInfo = { name: def.name }
        if (def.title !== undefined) info.title = def.title
        if (def.description !== undefined) info.description = def.description
        if (def.arguments !== undefined) info.arguments = def.arguments
        entries.push({ info, source: p.name, origin: `plugin "${p.name}" (${p.shown})`, render: (args) => p.renderPrompt(def.name, args) })
      }
    }
    this.prompts.set(entries)
    // name clashes between plugins (or with a built-in prompt): the first in composition order
    // serves the name, the later one is never reached; said once per clash, naming both files
    for (const s of this.prompts.shadowed) {
      this.warnClash(`prompt|${s.prompt}|${s.hidden}|${s.by}`, "prompt hidden by an earlier one with the same name; it is never served", {
        prompt: s.prompt,
        hidden: s.hidden,
        servedBy: s.by,
        remedy: "rename one of them (plugins compose in file order: directories as configured, files by name)",
      })
    }
    const parserOwner = new Map<string, Plugin>()
    for (const p of running) {
      for (const kind of Object.keys(p.manifest?.parsers ?? {})) {
        const first = parserOwner.get(kind)
        if (!first) {
          parserOwner.set(kind, p)
          continue
        }
        this.warnClash(`parser|${kind}|${p.file}|${first.file}`, "parser override hidden by an earlier plugin's for the same kind; it never runs", {
          kind,
          hidden: `plugin "${p.name}" (${p.shown})`,
          servedBy: `plugin "${first.name}" (${first.shown})`,
          remedy: "one plugin per output kind: remove one of them, or merge them (return undefined for text a parser does not recognise)",
        })
      }
    }
  }

  /** Warn about a name clash once per clash (recompute runs on every reload and fault). */
  private warnClash(key: string, msg: string, fields: Record<string, unknown>): void {
    if (this.clashesWarned.has(key)) return
    this.clashesWarned.add(key)
    this.opts.log.warn(msg, fields)
  }

  private signature(): { prompts: string; tools: string; route: string; parsers: string } {
    const files = (ps: Plugin[]): string => ps.map((p) => `${p.file}#${this.slots.find((s) => s.plugin === p)?.code.length}`).join("|")
    return {
      prompts: this.prompts.signature(),
      tools: files(this.toolsChain),
      route: files(this.routeChain),
      parsers: this.slots
        .filter((s) => loaded(s.plugin) && s.plugin.declares("parse"))
        .map((s) => `${s.plugin.file}:${s.plugin.info().parsers.join(",")}`)
        .join("|"),
    }
  }

  private emit(before: ReturnType<PluginHost["signature"]>, files: string[]): void {
    if (files.length === 0) return
    const after = this.signature()
    const touchedChain = (chain: Plugin[]): boolean => chain.some((p) => files.includes(p.file))
    const e: PluginChange = {
      prompts: before.prompts !== after.prompts,
      tools: before.tools !== after.tools || touchedChain(this.toolsChain),
      route: before.route !== after.route || touchedChain(this.routeChain),
      parsers: before.parsers !== after.parsers,
      files,
    }
    for (const l of this.listeners) {
      try {
        l(e)
      } catch (err) {
        this.opts.log.error("plugin change listener failed", { error: (err as Error).message })
      }
    }
  }
}

function fileDirHas(fileDir: Map<string, string>, dir: string): boolean {
  for (const d of fileDir.values()) if (d === dir) return true
  return false
}

function promptInfo(p: PromptInfo): PromptInfo {
  const info: PromptInfo = { name: p.name }
  if (p.title !== undefined) info.title = p.title
  if (p.description !== undefined) info.description = p.description
  if (p.arguments !== undefined) info.arguments = p.arguments
  return info
}

function failedInfo(file: string, message: string): PluginInfo {
  return { name: visiblePath(basename(file)), file, hooks: [], prompts: [], parsers: [], state: "failed", lastError: `${visiblePath(file)}: ${message}`, calls: 0, faults: 0 }
}

/** The plugin file loaded (its hooks may be off, each or all: state "disabled"). */
function loaded(p: Plugin): boolean {
  return p.state === "active" || p.state === "disabled"
}

/** Why a file stands as not loaded when the process stopped before its turn. */
const STOPPED = "not loaded: the orchestrator was shutting down"

/** Why a file stands in as "loading": the start budget ran out before its load ended. */
function notYet(budgetMs: number): string {
  return `not loaded within plugins.loadBudget (${formatMs(budgetMs)}) at start; it loads in the background, and until it has, tool calls are refused (its route rules may exist)`
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

/** Why a policy plugin that cannot run (failed to load, or its route hook killed by the watchdog) refuses a call: which file, what broke, what to do. */
function refusedBy(p: Plugin): string {
  const why = p.lastError ? `: ${p.lastError.message}` : ""
  const off = p.offReason("route")
  if (p.state === "loading") {
    return `plugin file ${p.shown} has not loaded yet: the plugins took longer to load than plugins.loadBudget at start, and it may hold route rules, so calls are refused until it has loaded (or failed to load); it loads in the background (\`mcp-orchestrator plugins list\` shows the slow or failing files)`
  }
  const what =
    p.state === "failed" ? `its file does not load${why}` : p.state === "disabled" ? `it is disabled${off ? `: ${off}` : why}` : `its route hook is off: ${off ?? "not loaded"}`
  // a route hook the watchdog turned off is tried again at its retry time, without an edit
  const retry = p.retryAt("route")
  const until = retry === undefined ? "" : `, or until ${new Date(retry).toISOString()} when the hook is tried again`
  return `the route rules of plugin "${p.name}" (${p.shown}) cannot run (${what}), so calls are refused until the file is fixed (it reloads when saved) or removed${until}`
}
