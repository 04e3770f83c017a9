/**
 * @module plugin/plugin
 * One plugin file: loaded into its own sandbox, export validated, hooks called with deadlines and
 * their results validated. Faults are counted per hook: a `tools`, `prompt` or `parse` hook that
 * faults too often in a row is turned off on its own; a `route` fault fails only its own call. A
 * watchdog kill fails its call and the worker restarts for the next; WATCHDOG_KILLS_TO_OFF kills of
 * one hook within WATCHDOG_KILL_WINDOW_MS turn that hook off (a route hook off fails closed) until a
 * retry time (bounded backoff) or the file changes; the plugin is "disabled" while kills leave none
 * of its hooks on.
 */
import type { Stats } from "node:fs"
import { constants as fsc, open, readlink, realpath, stat, type FileHandle } from "node:fs/promises"
import { basename, dirname, isAbsolute, relative } from "node:path"
import type { z } from "zod"
import { OnceKeys, PluginError, cutText, collectSettingsTextSecrets, errorMessage, registerSecret, secrets, type Logger } from "../core/index.ts"
import { GuestLogGate, GuestLogGates, Sandbox, SandboxFault, SandboxStopped, SandboxUnavailable, transpiledFrom, visiblePath, type ExportPath, type SandboxThread, type Transpiled } from "../sandbox/index.ts"
import type { PluginCheckCache } from "./check-cache.ts"
import {
  HOOKS,
  PluginExportSchema,
  RenderResultSchema,
  RouteResultSchema,
  ToolsResultSchema,
  toolEntries,
  formatIssues,
  resultIssues,
  type HookName,
  type ParserContext,
  type ParserKind,
  type PluginExport,
  type RenderResult,
  type RouteCall,
  type RouteDecision,
  type ToolLike,
} from "./contract.ts"
import { loadHint } from "./load-hints.ts"
import { endsEarly, exportLine, lineForPath } from "./source-lines.ts"
import { HOOK_DEADLINE_KEY, LOAD_DEADLINE_MS, MAX_CONSECUTIVE_FAULTS, MAX_PLUGIN_BYTES, reportHook, WATCHDOG_KILL_WINDOW_MS, WATCHDOG_KILLS_TO_OFF, watchdogOffMs, type PluginInfo, type PluginLimits, type PluginState } from "./limits.ts"

/** How long past its longest hook deadline a retired plugin waits for the calls still under way. */
const RETIRE_GRACE_MS = 1000
/** What a hook whose result is checked must return, for the error when it returned nothing. */
const RESULT_EXPECTED: Partial<Record<HookName, string>> = {
  tools: "the tool list (`return tools` keeps it unchanged)",
  prompt: "a string (one user message) or an array of messages",
}

/**
 * Read a plugin file, bounded whatever is at its path by now (the directory scan looked at it
 * earlier, and the file may have changed since): opened without blocking (a FIFO swapped in must
 * not hang the reload, and every later one queued behind it), refused unless the open file is a
 * regular file (a device such as /dev/zero reached through a swapped symlink), refused by its size
 * before anything is read (a sparse 3 GB file once cost 13 s and 3 GB of memory to be refused), and
 * never more than MAX_PLUGIN_BYTES + 1 bytes read (a file that grows while read). Refusals throw
 * `refused: …`; a file gone throws ENOENT.
 */
export async function readPluginFile(file: string, opts: { withinDir?: boolean } = {}): Promise<string> {
  // the directory as it is now (resolved before the open: a file is inside the directory it is read from)
  const root = opts.withinDir ? await realpath(dirname(file)) : undefined
  const fh = await open(file, fsc.O_RDONLY | fsc.O_NONBLOCK | fsc.O_NOCTTY)
  try {
    const st = await fh.stat()
    if (root !== undefined) await checkOpenedInside(fh, st, file, root)
    if (!st.isFile()) throw new Error(`refused: not a regular file (${st.isDirectory() ? "a directory" : st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : "a device or special file"})`)
    if (st.size > MAX_PLUGIN_BYTES) throw new Error(`refused: file is ${st.size} bytes (limit ${MAX_PLUGIN_BYTES})`)
    const buf = Buffer.alloc(MAX_PLUGIN_BYTES + 1)
    let n = 0
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n)
      if (bytesRead === 0) break
      n += bytesRead
    }
    if (n > MAX_PLUGIN_BYTES) throw new Error(`refused: file is over ${MAX_PLUGIN_BYTES} bytes (limit ${MAX_PLUGIN_BYTES}; it grew while being read)`)
    return utf8Text(buf.subarray(0, n))
  } finally {
    await fh.close()
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true })

/**
 * The file's text, refused when it is not UTF-8 (a file saved as Latin-1 or UTF-16): decoded
 * leniently, each bad byte would become U+FFFD, and a rule comparing with text the author wrote
 * (`call.args.city === "café"`, a deny list of names) would silently never match.
 */
function utf8Text(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes)
  } catch {
    const at = firstInvalidUtf8(bytes)
    const before = Buffer.from(bytes.subarray(0, at)).toString("utf8")
    const line = before.split("\n").length
    const column = before.length - before.lastIndexOf("\n")
    throw new Error(`refused: not UTF-8 text (byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, "0")} at line ${line}, column ${column}); save the file as UTF-8`)
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0
  while (i < b.length) {
    const c = b[i]!
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0
    if (len === 0) return i
    for (let k = 1; k < len; k++) {
      const d = b[i + k]
      if (d === undefined || (d & 0xc0) !== 0x80) return i
    }
    // overlong, surrogate and out-of-range forms
    const d1 = b[i + 1] ?? 0
    if ((c === 0xe0 && d1 < 0xa0) || (c === 0xed && d1 > 0x9f) || (c === 0xf0 && d1 < 0x90) || (c === 0xf4 && d1 > 0x8f)) return i
    i += len
  }
  return Math.max(0, b.length - 1)
}

/**
 * The directory scan refuses a symlink that resolves outside its plugin directory, but the link can
 * be swapped between the scan and the read: the file actually opened is checked. On Linux its real
 * path is read from the open descriptor (/proc/self/fd: race-free); elsewhere the path is resolved
 * again and must lead to the very file opened (same device and inode), inside the directory.
 */
async function checkOpenedInside(fh: FileHandle, st: Stats, file: string, root: string): Promise<void> {
  let real: string | undefined
  try {
    real = await readlink(`/proc/self/fd/${fh.fd}`)
    if (!real.startsWith("/")) real = undefined
  } catch {
    real = undefined
  }
  if (real === undefined) {
    try {
      real = await realpath(file)
      const again = await stat(real)
      if (again.dev !== st.dev || again.ino !== st.ino) throw new Error("moved")
    } catch {
      throw new Error("refused: the file changed while it was opened (a symlink re-pointed between the directory scan and the read)")
    }
  }
  if (!isInside(root, real)) throw new Error(`refused: resolves outside the plugin directory when read (${visiblePath(real)}): a symlink swapped after the directory scan`)
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))
}

/** Fault accounting of one hook. */
interface HookFaults {
  faults: number
  /** Faults since the hook last succeeded. */
  consecutive: number
  /**
   * Set when the hook got turned off: the fault that did it, and whether it was a watchdog kill
   * (then `until`: when it is tried again, epoch ms).
   */
  off?: { error: PluginError; what: string; line: number | undefined; killed: boolean; until?: number; message?: string }
  /** Times of its watchdog kills within WATCHDOG_KILL_WINDOW_MS (epoch ms). */
  kills: number[]
  /** Times the watchdog turned it off since the file loaded (the next off period doubles). */
  killedOff: number
  /** Turns it on again at `off.until`. */
  retry?: ReturnType<typeof setTimeout>
}

export class Plugin implements AsyncDisposable {
  state: PluginState = "failed"
  manifest: PluginExport | undefined
  lastError: PluginError | undefined
  /**
   * Called once when the plugin gets disabled (a watchdog kill left none of its hooks on), or
   * fails after its load returned (its route hook could not be evaluated on the route lane).
   */
  onDisabled: ((p: Plugin) => void) | undefined
  /**
   * Its route hook could not be evaluated on the route lane (after the plugin had loaded on the
   * main one): the plugin failed, and it counts as a policy that cannot run (calls are refused,
   * naming it) whether or not the host had seen it loaded.
   */
  routeLaneFailed = false
  /** The route lane's evaluation of the module (started by the load, not awaited by it). */
  private routeLoad: Promise<void> | undefined
  /** Called once per hook turned off (MAX_CONSECUTIVE_FAULTS faults in a row, or repeated watchdog kills) while others stay on. */
  onHookOff: ((p: Plugin, hook: HookName) => void) | undefined
  /** Called when a hook the watchdog turned off is on again (its off period ended). */
  onHookOn: ((p: Plugin, hook: HookName) => void) | undefined
  /** Where `tools`, `prompt` and `parse` run (for a plugin with only a route hook: the route sandbox). */
  private sandbox: Sandbox | undefined
  /**
   * The route hook's own sandbox (same module, evaluated again) on the route lane: a route call is
   * on every tools/call and must never queue behind a prompt render or a parser run, and a watchdog
   * kill on one lane leaves the hooks of the other running. Dropped, each, once none of its hooks is on.
   */
  private routeSandbox: Sandbox | undefined
  private transpiled: Transpiled | undefined
  private source = ""
  private calls = 0
  /** Hook calls under way (async ones): a retired plugin waits for them before its sandboxes go. */
  private running = 0
  private onIdle: (() => void) | undefined
  private faults = 0
  private readonly perHook = new Map<HookName, HookFaults>()
  /** Its sandboxes went (retired, disposed, a failed load): an off period that ends turns nothing on. */
  private retired = false
  /**
   * The file's path as every message shows it (errors to the client and the model, lastError,
   * `plugins list`): control, bidi and invisible characters escaped (sandbox visiblePath), so a
   * file named with ESC sequences or a newline cannot drive a terminal or forge a line.
   */
  readonly shown: string
  /** The rate limit of this plugin's console lines, shared by its sandboxes (sandbox/log-gate). */
  private readonly logGate: GuestLogGate

  private constructor(
    readonly file: string,
    private readonly limits: PluginLimits,
    private readonly log: Logger,
    private readonly thread?: SandboxThread,
    private readonly routeThread?: SandboxThread,
    private readonly checks?: PluginCheckCache,
    logGates?: GuestLogGates,
  ) {
    this.shown = visiblePath(file)
    // per file, not per version (logGates): a reload must not hand a flooding plugin a fresh burst
    const make = (): GuestLogGate => new GuestLogGate((level, msg) => log[level](msg, { sandbox: file, guest: true }))
    this.logGate = logGates ? logGates.for(file, make) : make()
  }

  /**
   * Load and validate `file` (or `opts.code` as its content). Never throws: a broken file gives a
   * plugin in state "failed". `opts.thread`: run on a worker shared with other plugins;
   * `opts.routeThread`: where a route hook runs (default: a worker of this plugin's own);
   * `opts.checks`: verdicts of earlier loads of the same content (plugin/check-cache);
   * `opts.logGates`: the console budget of each file, kept across its versions (sandbox/log-gate).
   */
  static async load(
    file: string,
    limits: PluginLimits,
    log: Logger,
    opts: { code?: string; thread?: SandboxThread; routeThread?: SandboxThread; replaces?: Plugin; checks?: PluginCheckCache | undefined; logGates?: GuestLogGates } = {},
  ): Promise<Plugin> {
    const p = new Plugin(file, limits, log, opts.thread, opts.routeThread, opts.checks, opts.logGates)
    try {
      await p.init(opts.code, opts.replaces)
      p.state = "active"
    } catch (e) {
      p.lastError = e instanceof PluginError ? e : p.loadError(1, visiblePath(errorMessage(e)))
      await p.dropSandbox()
    }
    return p
  }

  /**
   * A plugin file whose load has not ended when the start budget ran out (state "loading", no
   * sandbox): a stand-in until its load ends, `why` saying so.
   */
  static loading(file: string, why: string, limits: PluginLimits, log: Logger): Plugin {
    const p = new Plugin(file, limits, log)
    p.state = "loading"
    p.lastError = new PluginError("PLUGIN_LOADING", `${p.shown}: ${why}`, { details: { file } })
    return p
  }

  /** A plugin file that is there but cannot be loaded (refused before reading, or unreadable): a failed plugin with that error. */
  static refused(file: string, message: string, limits: PluginLimits, log: Logger): Plugin {
    const p = new Plugin(file, limits, log)
    p.lastError = p.loadError(1, visiblePath(message))
    return p
  }

  get name(): string {
    return this.manifest?.name ?? visiblePath(basename(this.file))
  }

  /** The plugin is active, declares the hook, and the hook is not turned off. */
  has(hook: HookName): boolean {
    return this.state === "active" && this.declares(hook) && !this.isOff(hook)
  }

  /**
   * Where the author's file defines the export at `path` (`<file>:<line>`, e.g. the line of
   * `route(call) {`): for an error that blames the hook when no fault of the guest places it (a
   * route result the proxy refuses, ROUTE_INVALID). Found once per path (the source does not change
   * for this object: a new version of the file is a new Plugin).
   */
  definedAt(path: ExportPath): string {
    const key = path.join("\u0000")
    let at = this.definedAtCache.get(key)
    if (at === undefined) this.definedAtCache.set(key, (at = this.source ? `${this.shown}:${lineForPath(this.source, path)}` : this.shown))
    return at
  }
  private readonly definedAtCache = new Map<string, string>()

  /** The hook was turned off: MAX_CONSECUTIVE_FAULTS faults in a row (never `route`), or killed by the watchdog. */
  isOff(hook: HookName): boolean {
    return this.perHook.get(hook)?.off !== undefined
  }

  /** Why the hook is off (as in `info().hooksOff`), or undefined while it is on. */
  offReason(hook: HookName): string | undefined {
    const off = this.perHook.get(hook)?.off
    if (!off) return undefined
    return off.killed ? `${killedOffWhy(this.killsToOff, off.until)}: ${off.message ?? off.error.message}` : `${MAX_CONSECUTIVE_FAULTS} faults in a row; the last: ${off.error.message}`
  }

  /** When a hook the watchdog turned off is tried again (epoch ms); undefined while on or off for good. */
  retryAt(hook: HookName): number | undefined {
    return this.perHook.get(hook)?.off?.until
  }

  /** The hook is in the plugin's export, whatever its state now (a disabled plugin still declares its hooks). */
  declares(hook: HookName): boolean {
    const m = this.manifest
    if (!m) return false
    if (hook === "prompt") return (m.prompts?.length ?? 0) > 0
    if (hook === "parse") return Object.keys(m.parsers ?? {}).length > 0
    return m[hook] !== undefined
  }

  info(): PluginInfo {
    const m = this.manifest
    const info: PluginInfo = {
      name: this.name,
      file: this.file,
      hooks: (["route", "tools", "prompt", "parse"] as const).filter((h) => m && (h === "prompt" ? (m.prompts?.length ?? 0) > 0 : h === "parse" ? Object.keys(m.parsers ?? {}).length > 0 : m[h] !== undefined)),
      prompts: m?.prompts?.map((p) => p.name) ?? [],
      parsers: Object.keys(m?.parsers ?? {}),
      state: this.state,
      calls: this.calls,
      faults: this.faults,
    }
    if (m?.version !== undefined) info.version = m.version
    if (this.lastError) info.lastError = this.lastError.message
    for (const [hook, h] of this.perHook) {
      if (h.faults > 0) (info.hookFaults ??= {})[hook] = h.faults
      const why = this.offReason(hook)
      if (why) (info.hooksOff ??= {})[hook] = why
      if (h.off?.until !== undefined) (info.hooksRetry ??= {})[hook] = new Date(h.off.until).toISOString()
      const kills = recentKills(h.kills, Date.now())
      if (!h.off && kills.length > 0) (info.hookKills ??= {})[hook] = kills.length
    }
    return info
  }

  /**
   * Keep this version's sandboxes while a call that will reach it is under way (PluginHost.route
   * holds every plugin of its chain for the whole chain): a hot reload that retires it meanwhile
   * waits for `release`, as for a hook call in progress (bounded the same way, see `retire`).
   */
  hold(): void {
    this.running++
  }

  release(): void {
    if (--this.running === 0) this.onIdle?.()
  }

  async route(call: RouteCall): Promise<RouteDecision> {
    return this.hook("route", ["route"], [call], this.limits.routeDeadline, RouteResultSchema)
  }

  /**
   * The hook's list, each entry that cannot be listed left out with a warning (once per entry and
   * reason: lists are answered often; at most ONCE_PER_PASS one by one per list, the rest in one
   * line: a hook listing 10 000 bad entries must not write 10 000 lines per list).
   */
  async filterTools(tools: readonly ToolLike[]): Promise<ToolLike[]> {
    const { tools: out, left } = toolEntries(await this.hook("tools", ["tools"], [tools], this.limits.toolsDeadline, ToolsResultSchema))
    const pass = this.leftWarned.pass()
    for (const l of left) {
      // a name that is no valid one may be megabytes long: quoted in part
      const name = l.name === undefined ? undefined : cutText(l.name, 80) + (l.name.length > 80 ? "…" : "")
      pass.say(`${l.name ?? `#${l.index}`}\u0000${l.why}`, () =>
        this.log.warn("a plugin tools hook listed an entry that is no tool; left out of the list", { plugin: this.name, at: this.definedAt(["tools"]), entry: l.index, ...(name !== undefined ? { tool: name } : {}), why: l.why }),
      )
    }
    if (pass.more > 0) this.log.warn("a plugin tools hook listed more entries that are no tool; left out of the list, not logged one by one", { plugin: this.name, at: this.definedAt(["tools"]), more: pass.more, loggedOneByOne: pass.limit })
    return out
  }
  /** Entries of the tools hook's result warned about (plugin/contract `toolEntries`). */
  private readonly leftWarned = new OnceKeys()

  async renderPrompt(name: string, args: Record<string, string>): Promise<RenderResult> {
    const i = this.manifest?.prompts?.findIndex((p) => p.name === name) ?? -1
    if (i < 0) throw new PluginError("PLUGIN_NO_SUCH_PROMPT", `Plugin "${this.name}" has no prompt "${name}"`)
    return this.hook("prompt", ["prompts", i, "render"], [args], this.limits.renderDeadline, RenderResultSchema)
  }

  async parse(kind: ParserKind, text: string, ctx: ParserContext): Promise<unknown> {
    return this.hook("parse", ["parsers", kind], parserArgs(kind, text, ctx), this.limits.parseDeadline)
  }

  /** Blocking variant for synchronous callers (the Toolkit parser registry). */
  parseSync(kind: ParserKind, text: string, ctx: ParserContext): unknown {
    const args = parserArgs(kind, text, ctx)
    const sb = this.active("parse")
    let out: unknown
    try {
      out = sb.callSync(["parsers", kind], args, this.limits.parseDeadline)
    } catch (e) {
      throw this.fault("parse", e, ["parsers", kind])
    }
    this.succeeded("parse")
    return out
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dropSandbox()
  }

  /**
   * Replaced by a new version of its file (or its file removed): calls already under way finish
   * under this version (a save of a valid file never fails a call in flight), then its sandboxes
   * go. Bounded by the longest hook deadline and a grace: a call stuck past it is ended with them.
   */
  async retire(): Promise<void> {
    if (this.running > 0) {
      const l = this.limits
      const bound = Math.max(l.routeDeadline, l.toolsDeadline, l.renderDeadline, l.parseDeadline) + RETIRE_GRACE_MS
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, bound)
        this.onIdle = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.onIdle = undefined
    }
    await this.dropSandbox()
  }

  // --- internals ---

  /**
   * The load failed only because the plugins of its lane together hold too much sandbox memory
   * (not for anything in the file): a hot reload keeps the version it was to replace serving.
   */
  get failedForLaneMemory(): boolean {
    return this.state === "failed" && this.lastError?.details?.laneMemory === true
  }

  private async init(code?: string, replaces?: Plugin): Promise<void> {
    if (code === undefined) {
      try {
        code = await readPluginFile(this.file)
      } catch (e) {
        throw this.loadError(1, visiblePath(errorMessage(e)).replace(/^refused: /, ""))
      }
    }
    this.source = code
    // the module's name in guest stacks and errors: shown escaped, as the path is
    const filename = visiblePath(basename(this.file))
    // unchanged since an earlier load (plugin/check-cache): its JavaScript passed the compile
    // estimate then, so neither the stripping of its types nor the estimate is paid again
    const reused = await this.checks?.get(code, filename)
    this.log.debug("plugin compile check", { file: this.file, check: reused ? "reused" : "checked" })
    // a file that had nothing but a route hook is evaluated on the route lane alone (else it was
    // evaluated on the main lane, then again on the route lane, and the first copy dropped); only
    // a hint: the export decides (routeOnly below), a wrong one costs the evaluation it saved
    const routeFirst = reused?.routeOnly === true
    this.sandbox = this.newSandbox(routeFirst ? this.routeThread : this.thread)
    try {
      // on the sandbox's worker: nothing proportional to the file's size runs on the main thread
      this.transpiled = reused ? transpiledFrom(reused) : await this.sandbox.transpile(code, filename)
    } catch (e) {
      if (!(e instanceof SandboxFault)) throw e
      throw this.loadError(e.line ?? 1, e.kind === "guest" ? `${e.errorName ?? "SyntaxError"}: ${e.message}` : `transpiling failed: ${e.message}`)
    }
    let shape: unknown
    try {
      shape = await this.sandbox.load(this.transpiled.code, filename, this.loadDeadline, { replaces: routeFirst ? replaces?.routeSandbox : replaces?.sandbox, checked: reused !== undefined })
    } catch (e) {
      if (!(e instanceof SandboxFault)) throw e
      const at = this.sourceAt(e)
      // an import, a CommonJS file, named exports only: say why and what to write (plugin/load-hints)
      const hint = loadHint(e.message, code)
      const line = at?.line ?? hint.line ?? (e.message.includes("default export") ? exportLine(code) : 1)
      // a module that does not finish evaluating (a loop at top level) says which limit stopped it
      const limit = e.kind === "timeout" || e.kind === "watchdog" ? ` (evaluating the module took longer than the ${this.loadDeadline / 1000} s load deadline: does top-level code loop?)` : ""
      // no room on the route lane for a file that had a route hook: a policy that cannot run, as
      // when its route lane's load fails after a main one (failRouteLane), never a file let through
      if (routeFirst && isLaneMemoryFault(e)) this.routeLaneFailed = true
      throw this.loadError(line, `${e.errorName ? `${e.errorName}: ` : ""}${e.message}${endsEarly(e, this.transpiled.code)}${limit}${hint.suffix}`, isLaneMemoryFault(e) ? { laneMemory: true } : undefined, at?.column)
    }
    if (isFunctionShape(shape)) {
      throw new PluginError("PLUGIN_INVALID_EXPORT", `${this.shown}:${exportLine(code)}: invalid plugin export: the default export is a function, but a plugin exports an object: \`export default { name: "my-plugin", route(call) { … } }\``, {
        remedy: "See docs/plugins.md for the contract (default export { name, version?, prompts?, route?, tools?, parsers? }).",
        details: { file: this.file, line: exportLine(code), issues: ["(export): expected an object, got a function"] },
      })
    }
    const r = PluginExportSchema.safeParse(shape)
    if (!r.success) {
      const first = r.error.issues[0]
      const line = lineForPath(code, first?.path ?? [])
      throw new PluginError("PLUGIN_INVALID_EXPORT", `${this.shown}:${line}: invalid plugin export:\n${formatIssues(r.error, "(export)", PluginExportSchema).map((l) => `  - ${l}`).join("\n")}`, {
        remedy: "See docs/plugins.md for the contract (default export { name, version?, prompts?, route?, tools?, parsers? }).",
        details: { file: this.file, line, issues: formatIssues(r.error, "(export)", PluginExportSchema) },
      })
    }
    this.manifest = r.data
    if (!HOOKS.some((h) => this.declares(h))) {
      // valid, but it does nothing: most often methods the description could not see (a class
      // instance keeps them on its prototype; only own enumerable properties are read)
      this.log.warn("plugin declares no route, tools, prompts or parsers; it does nothing", {
        plugin: r.data.name,
        file: this.file,
        remedy: "export a plain object literal (`export default { name, route(call) { … } }`): methods of a class instance live on its prototype and are not seen",
      })
    }
    const routeOnly = r.data.route !== undefined && !r.data.tools && !r.data.prompts?.length && Object.keys(r.data.parsers ?? {}).length === 0
    // the load passed the estimate (a sandbox without native guards takes none: nothing to keep)
    if ((!reused || reused.routeOnly !== routeOnly) && this.sandbox.limits.nativeGuards !== false) this.checks?.put(code, filename, { ...this.transpiled, routeOnly })
    if (routeFirst) return this.settleRouteFirst(routeOnly, filename, replaces)
    if (r.data.route !== undefined) {
      this.openRouteLane(this.transpiled.code, filename, replaces?.routeSandbox)
      // a plugin with nothing but a route hook needs no second copy of its module
      if (routeOnly) {
        const main = this.sandbox
        this.sandbox = this.routeSandbox
        void main[Symbol.asyncDispose]()
      }
    }
  }

  /**
   * Evaluated on the route lane first (its entry said it had only a route hook): that sandbox is
   * its route sandbox. When the export has other hooks after all (a hint that no longer holds), the
   * module is evaluated on the main lane too, as any plugin with them (a sandbox of its own there).
   */
  private async settleRouteFirst(routeOnly: boolean, filename: string, replaces: Plugin | undefined): Promise<void> {
    const onRoute = this.sandbox!
    if (routeOnly) {
      this.routeSandbox = onRoute
      return
    }
    if (this.manifest?.route !== undefined) this.routeSandbox = onRoute
    else void onRoute[Symbol.asyncDispose]()
    this.sandbox = this.newSandbox(this.thread)
    try {
      await this.sandbox.load(this.transpiled!.code, filename, this.loadDeadline, { replaces: replaces?.sandbox, checked: true })
    } catch (e) {
      if (!(e instanceof SandboxFault)) throw e
      const at = this.sourceAt(e)
      throw this.loadError(at?.line ?? 1, `${e.errorName ? `${e.errorName}: ` : ""}${e.message}`, isLaneMemoryFault(e) ? { laneMemory: true } : undefined, at?.column)
    }
  }

  /**
   * Evaluate the module again on the route lane. Not awaited: loading (and startup) does not wait
   * for the second worker; the first route call queues behind this load on its lane.
   */
  private get loadDeadline(): number {
    return this.limits.loadDeadline ?? LOAD_DEADLINE_MS
  }

  private openRouteLane(code: string, filename: string, replaces: Sandbox | undefined): void {
    const sb = this.newSandbox(this.routeThread)
    this.routeSandbox = sb
    // the main sandbox loaded the same code: it passed the compile estimate there
    this.routeLoad = sb.load(code, filename, this.loadDeadline, { replaces, checked: true }).then(
      () => undefined,
      (e: unknown) => {
        // (a plugin retired meanwhile has nothing to report)
        if (this.routeSandbox !== sb || e instanceof SandboxStopped) return
        if (e instanceof SandboxFault && isLaneMemoryFault(e)) return this.failRouteLane(e)
        this.log.warn("route lane load failed; the route call will report it", { plugin: this.name, error: errorMessage(e) })
      },
    )
  }

  /**
   * The route hook found no room on the route lane (the lane's sandbox memory budget): before, the
   * plugin stayed "active" in `plugins list` and doctor while every tool call failed on its route
   * hook. Now the plugin fails to load, saying why; as a policy that cannot run it refuses calls
   * (fail closed), naming its file and the error, like a policy file an edit broke.
   */
  private failRouteLane(e: SandboxFault): void {
    if (this.state !== "active") return
    this.state = "failed"
    this.routeLaneFailed = true
    this.lastError = this.loadError(1, `route hook: ${e.message}`, { laneMemory: true })
    this.log.error("plugin failed to load: its route hook found no room on the route lane", { plugin: this.name, file: this.file, error: this.lastError.message })
    void this.dropSandbox()
    this.onDisabled?.(this)
  }

  /** Settles once everything its load started has ended (the route lane's evaluation of the module). */
  whenLoaded(): Promise<void> {
    return this.routeLoad ?? Promise.resolve()
  }

  /** A sandbox for this plugin's module under its limits, on `thread` (default: a worker of its own). */
  private newSandbox(thread: SandboxThread | undefined): Sandbox {
    return new Sandbox({
      label: this.file,
      log: this.log,
      logGate: this.logGate,
      limits: { memoryBytes: this.limits.memoryLimit * 1024 * 1024, stackBytes: this.limits.stackLimit * 1024 },
      ...(thread ? { thread } : {}),
    })
  }

  private loadError(line: number, message: string, extra?: Record<string, unknown>, column?: number): PluginError {
    return new PluginError("PLUGIN_LOAD_FAILED", `${this.shown}:${line}${column ? `:${column}` : ""}: ${message}`, {
      remedy: `Fix the file, then run \`mcp-orchestrator plugins check ${this.shown}\`.`,
      details: { file: this.file, line, ...(column ? { column } : {}), ...extra },
    })
  }

  /**
   * Where a guest fault points in the author's file: its line, and its column when the code
   * evaluated is the file itself (JavaScript; stripping a TypeScript file's types moved its columns).
   */
  private sourceAt(e: SandboxFault): { line: number; column?: number } | undefined {
    const t = this.transpiled
    if (!e.line || !t) return undefined
    return { line: t.sourceLine(e.line), ...(e.column && t.lines.length === 0 ? { column: e.column } : {}) }
  }

  /** The sandbox `hook` runs in, or a PLUGIN_DISABLED error saying why it does not run. */
  private active(hook: HookName): Sandbox {
    const off = this.perHook.get(hook)?.off
    if (off) {
      const where = off.line ? `${this.shown}:${off.line}` : this.shown
      const why = off.killed ? `(${killedOffWhy(this.killsToOff, off.until)}); the fault: ${off.what}` : `after ${MAX_CONSECUTIVE_FAULTS} faults in a row, until the file changes; the last: ${off.what}`
      const fix = off.killed ? "it was stuck in one native call (a sort, a join, a regular expression…) past its deadline" : `reproduce with \`mcp-orchestrator plugins test ${this.shown} --hook ${hook} --input '…'\``
      throw new PluginError("PLUGIN_DISABLED", `Plugin "${this.name}" (${where}): its ${hook} hook is off ${why}`, {
        remedy: `Fix the hook (${fix}) and save the file: it reloads with every hook on.${off.until !== undefined ? " A hook the watchdog turned off is also tried again at its retry time." : ""}`,
        details: { plugin: this.name, file: this.file, hook, off: true, ...(off.killed ? { killed: true } : {}), ...(off.line ? { line: off.line } : {}) },
        cause: off.error,
      })
    }
    const sb = this.sandboxOf(hook)
    if (this.state !== "active" || !sb) {
      // (active without a sandbox: unloaded by a hot reload while this call waited its turn)
      const what = this.state !== "active" ? `is ${this.state}${this.lastError ? `: ${this.lastError.message}` : ""}` : "was unloaded (its file changed or was removed)"
      throw new PluginError("PLUGIN_DISABLED", `Plugin "${this.name}" (${this.shown}) ${what}`, {
        details: { plugin: this.name, file: this.file, hook },
      })
    }
    return sb
  }

  /** The sandbox a hook runs in: `route` on the route lane, the others on the main one. */
  private sandboxOf(hook: HookName): Sandbox | undefined {
    return hook === "route" ? this.routeSandbox : this.sandbox
  }

  private record(hook: HookName): HookFaults {
    let h = this.perHook.get(hook)
    if (!h) this.perHook.set(hook, (h = { faults: 0, consecutive: 0, kills: [], killedOff: 0 }))
    return h
  }

  private succeeded(hook: HookName): void {
    const h = this.perHook.get(hook)
    if (h) h.consecutive = 0
  }

  private async hook<T>(hook: HookName, path: ExportPath, args: unknown[], deadlineMs: number, schema?: z.ZodType<T>): Promise<T> {
    const sb = this.active(hook)
    this.running++
    try {
      return await this.runHook(sb, hook, path, args, deadlineMs, schema)
    } finally {
      if (--this.running === 0) this.onIdle?.()
    }
  }

  private async runHook<T>(sb: Sandbox, hook: HookName, path: ExportPath, args: unknown[], deadlineMs: number, schema?: z.ZodType<T>): Promise<T> {
    this.calls++
    let out: unknown
    const started = performance.now()
    // the fault is recorded on the thread's turn, so a call queued behind a watchdog kill of this
    // hook finds the hook off when its turn comes, and is refused instead of spinning again
    let recorded: PluginError | undefined
    try {
      out = await sb.call(path, args, deadlineMs, {
        admit: () => void this.active(hook),
        failed: (f) => void (recorded = this.fault(hook, f, path)),
      })
    } catch (e) {
      if (recorded === undefined && e instanceof PluginError && e.code === "PLUGIN_DISABLED") throw e // refused at its turn: not run
      const err = recorded ?? this.fault(hook, e, path)
      reportHook({ plugin: this.name, hook, durationMs: performance.now() - started, fault: err.code })
      throw err
    }
    reportHook({ plugin: this.name, hook, durationMs: performance.now() - started })
    if (!schema) {
      this.succeeded(hook)
      return out as T
    }
    const r = schema.safeParse(out)
    if (!r.success) {
      const why = out === undefined ? `returned nothing, but a ${hook} hook must return ${RESULT_EXPECTED[hook] ?? "a value"}` : `returned an invalid ${hook} result: ${resultIssues(hook, out, r.error).slice(0, 5).join("; ")}`
      throw this.fault(hook, new PluginError("PLUGIN_INVALID_RESULT", why), path)
    }
    this.succeeded(hook)
    return r.data
  }

  /**
   * The `plugins test` command that reruns this hook: each hook takes its input its own way (a
   * parser a file of saved output and its kind, a prompt its name), so the remedy is a command that
   * runs (it said `--hook parse --input '…'`, which asks for a kind and reads no file).
   */
  private reproduce(hook: HookName, path: ExportPath | undefined): string {
    const run = (args: string): string => `Reproduce with \`mcp-orchestrator plugins test ${this.shown} ${args}\``
    if (hook === "parse") return `${run(`--hook parse --kind ${String(path?.[1] ?? "KIND")} --input-file out.txt`)}, out.txt holding the Toolkit output it was given (run the command the error names, redirected to it).`
    if (hook === "prompt") {
      // a prompt's name is 1-64 letters, digits, _ . - (checked at load): safe in a command line
      const prompt = typeof path?.[1] === "number" ? this.manifest?.prompts?.[path[1]]?.name : undefined
      return `${run(`--hook prompt --prompt ${prompt ?? "NAME"} --input '{…the arguments…}'`)}.`
    }
    if (hook === "route") return `${run(`--hook route --input '{"server":"…","tool":"…","args":{…}}'`)}.`
    return `${run(`--hook ${hook} --input '[…the tool list…]'`)}.`
  }

  /**
   * Record a fault and build the error for the caller. Its consequences stay with what caused it:
   * a `route` fault fails its own call and nothing more (the arguments were chosen by the model);
   * a `tools`, `prompt` or `parse` hook that faults MAX_CONSECUTIVE_FAULTS times in a row is turned
   * off on its own (its input came from a downstream, a client or the Toolkit). A watchdog kill (a
   * worker stuck in native code, which may go on spinning) turns off the hook it killed at once, and
   * only that hook, so it cannot spin again before the file changes; the others run on (each in its
   * lane: the route sandbox and the main one never share a thread). A killed `route` hook stays in
   * the chain and refuses every call (fail closed, see PluginHost.route).
   */
  private fault(hook: HookName, e: unknown, path?: ExportPath): PluginError {
    const live = this.state === "active"
    const h = this.record(hook)
    // no worker could start (stopped threads, maybe another plugin's, fill the cap): that call
    // fails, but it is not the hook's fault and never turns it off
    // nor is a call its sandbox was stopped under (a shutdown): said at debug, counted nowhere
    const stopped = e instanceof SandboxStopped
    const unavailable = e instanceof SandboxUnavailable || stopped
    if (!unavailable) {
      this.faults++
      h.faults++
      h.consecutive++
    }
    let at: { line: number; column?: number } | undefined
    let what: string
    let code = "PLUGIN_FAULT"
    if (e instanceof SandboxFault) {
      at = this.sourceAt(e)
      what = `${e.kind === "guest" ? (e.errorName ?? "error") : e.kind}: ${e.message}`
      // which limit it ran past, and the key that sets it
      if (e.kind === "timeout") what += `; a ${hook} hook may run ${this.limits[HOOK_DEADLINE_KEY[hook]]} ms (plugins.${HOOK_DEADLINE_KEY[hook]})`
    } else if (e instanceof PluginError) {
      code = e.code
      what = e.message
    } else {
      what = errorMessage(e)
    }
    // a fault the guest's stack places nowhere (a result of the wrong shape, one that cannot be
    // written, a kill in native code) names the line that defines the hook
    if (!at && !unavailable && path && this.source) at = { line: lineForPath(this.source, path) }
    const line = at?.line
    const where = at ? `${this.shown}:${at.line}${at.column ? `:${at.column}` : ""}` : this.shown
    // a watchdog kill: counted toward turning the hook off (WATCHDOG_KILLS_TO_OFF within the window)
    const kill = e instanceof SandboxFault && e.kind === "watchdog" && live && !h.off ? this.countKill(h) : undefined
    const message = `Plugin "${this.name}" (${where}) failed in hook ${hook}: ${what}`
    const err = new PluginError(code, message + (kill?.note ?? ""), {
      remedy: this.reproduce(hook, path),
      details: { plugin: this.name, file: this.file, hook, ...(at ? at : {}), ...(e instanceof SandboxFault ? { fault: e.kind } : {}) },
      cause: e,
    })
    // a call in flight when the plugin got disabled fails too, but keeps the reason it was disabled
    if (live) this.lastError = err
    this.log[stopped ? "debug" : "warn"]("plugin hook failed", { plugin: this.name, file: this.file, hook, error: err.message, consecutive: h.consecutive })
    if (!live || unavailable) return err
    if (h.off) return err
    // A watchdog kill fails its call; the thread restarts its worker for the next (the killed one
    // may spin on until its native step ends: bounded, sandbox/spawn). Only repeated kills turn the
    // hook off, for a while: its input may be the model's, and one call must not disable it for
    // everyone. The plugin's other hooks are not to blame.
    if (kill) {
      if (kill.until === undefined) {
        this.log.error("plugin hook killed by the watchdog; its worker is restarted for the next call", { plugin: this.name, file: this.file, hook, kills: h.kills.length, offAfter: this.killsToOff, windowMs: WATCHDOG_KILL_WINDOW_MS, lastError: err.message })
        return err
      }
      h.off = { error: err, what, line, killed: true, until: kill.until, message }
      h.retry = setTimeout(() => this.hookOn(hook), kill.until - Date.now())
      h.retry.unref?.()
      this.log.error("plugin hook turned off: killed by the watchdog repeatedly", { plugin: this.name, file: this.file, hook, kills: this.killsToOff, windowMs: WATCHDOG_KILL_WINDOW_MS, retryAt: new Date(kill.until).toISOString(), lastError: err.message })
      this.hookOff(hook)
    } else if (hook !== "route" && h.consecutive >= MAX_CONSECUTIVE_FAULTS) {
      h.off = { error: err, what, line, killed: false }
      this.log.error("plugin hook turned off after repeated faults (until the file changes)", { plugin: this.name, file: this.file, hook, faults: h.consecutive, lastError: err.message })
      this.hookOff(hook)
    }
    return err
  }

  /**
   * One more watchdog kill of the hook: its kills within the window, and, when they reach
   * WATCHDOG_KILLS_TO_OFF, when the hook (then off) is tried again; `note` ends the call's error.
   */
  private countKill(h: HookFaults): { note: string; until?: number } {
    const now = Date.now()
    h.kills = recentKills(h.kills, now)
    h.kills.push(now)
    const window = `${WATCHDOG_KILL_WINDOW_MS / 60_000} min`
    if (h.kills.length < this.killsToOff) {
      return { note: `; the worker was restarted and the next call runs the hook again (kill ${h.kills.length} of ${this.killsToOff} within ${window} that turn it off)` }
    }
    const until = now + watchdogOffMs(h.killedOff++, this.limits.watchdogOffMs)
    h.kills = []
    return { until, note: `; ${killedOffWhy(this.killsToOff, until)}` }
  }

  private get killsToOff(): number {
    return Math.max(1, this.limits.watchdogKillsToOff ?? WATCHDOG_KILLS_TO_OFF)
  }

  /** The off period of a hook the watchdog turned off ended: it runs again (a new kill counts afresh). */
  private hookOn(hook: HookName): void {
    const h = this.perHook.get(hook)
    if (!h?.off?.killed || this.retired) return
    h.off = undefined
    h.retry = undefined
    h.consecutive = 0
    if (this.state === "disabled") this.state = "active"
    this.log.info("plugin hook on again after its watchdog off period", { plugin: this.name, file: this.file, hook })
    this.onHookOn?.(this, hook)
  }

  /**
   * After `hook` went off: drop a sandbox none of whose hooks is on any more or will be (a hook the
   * watchdog turned off comes back at its retry time, in the same sandbox); when kills left no hook
   * of the plugin on, the plugin is disabled.
   */
  private hookOff(hook: HookName): void {
    const on = (h: HookName): boolean => this.declares(h) && !this.isOff(h)
    const back = (h: HookName): boolean => on(h) || (this.declares(h) && this.perHook.get(h)?.off?.until !== undefined)
    const idle = (sb: Sandbox | undefined): boolean => sb !== undefined && !HOOKS.some((h) => this.sandboxOf(h) === sb && back(h))
    const drop = new Set<Sandbox>()
    if (idle(this.sandbox)) drop.add(this.sandbox!)
    if (idle(this.routeSandbox)) drop.add(this.routeSandbox!)
    if (this.sandbox && drop.has(this.sandbox)) this.sandbox = undefined
    if (this.routeSandbox && drop.has(this.routeSandbox)) this.routeSandbox = undefined
    for (const sb of drop) void sb[Symbol.asyncDispose]()
    if (!HOOKS.some(on) && [...this.perHook.values()].some((h) => h.off?.killed)) {
      this.state = "disabled"
      this.log.error("plugin disabled: no hook of it is left on after watchdog kills (until a hook's retry time or the file changes)", { plugin: this.name, file: this.file, hook, lastError: this.lastError?.message })
      this.onDisabled?.(this)
    } else this.onHookOff?.(this, hook)
  }

  private async dropSandbox(): Promise<void> {
    this.retired = true
    for (const h of this.perHook.values()) clearTimeout(h.retry)
    const sb = this.sandbox
    const route = this.routeSandbox
    this.sandbox = undefined
    this.routeSandbox = undefined
    await Promise.all([sb?.[Symbol.asyncDispose](), route?.[Symbol.asyncDispose]()])
  }
}

/** The kill times (epoch ms) still within WATCHDOG_KILL_WINDOW_MS of `now`. */
function recentKills(kills: readonly number[], now: number): number[] {
  return kills.filter((t) => now - t < WATCHDOG_KILL_WINDOW_MS)
}

/** Why a hook the watchdog turned off is off, and until when. */
function killedOffWhy(kills: number, until: number | undefined): string {
  const retry = until === undefined ? "until the file changes" : `off until ${new Date(until).toISOString()} (tried again then) or the file changes`
  return `killed by the watchdog ${kills === 1 ? "once" : `${kills} times within ${WATCHDOG_KILL_WINDOW_MS / 60_000} min`}, ${retry}`
}

/** The lane's budget refused the load (sandbox worker.ts: "plugins together hold too much sandbox memory"). */
function isLaneMemoryFault(e: SandboxFault): boolean {
  return e.kind === "memory" && e.message.startsWith("plugins together hold too much sandbox memory")
}

/** The export shape the sandbox gives for a function (`{"$fn": true}`, sandbox/types FN_MARK). */
function isFunctionShape(shape: unknown): boolean {
  return typeof shape === "object" && shape !== null && !Array.isArray(shape) && Object.keys(shape).length === 1 && (shape as Record<string, unknown>).$fn === true
}

/** Toolkit output kinds that print servers' settings (values included); catalogs, tool and server lists do not. */
const SETTINGS_KINDS: ReadonlySet<ParserKind> = new Set(["config", "profile", "profiles", "inspect"])

/**
 * What a parser plugin is handed: the Toolkit's output with every secret value it holds replaced
 * by `[REDACTED]` (docs/plugins.md *Parsers*). The text holds what the built-in parser would have
 * registered for redaction only after parsing (`docker mcp config read`: tokens, API keys), so
 * those are registered first, from the raw text; then every registered value (these, the
 * orchestrator's own configured secrets) is taken out. A plugin never sees a secret, so nothing it
 * returns, logs, throws or keeps for a later hook (a prompt, a tool list, a route decision) can
 * carry one in any encoding: redacting its output could only catch the spellings redaction knows
 * (a parser that hex-encodes or reverses a token passed them all). No parser needs the values:
 * the driver reads a config only to register them, to show it masked and to tell set from unset
 * keys; a parser that returns nothing falls back to the built-in one on the real text.
 */
function parserArgs(kind: ParserKind, text: string, ctx: ParserContext): [string, ParserContext] {
  if (SETTINGS_KINDS.has(kind)) {
    const found: string[] = []
    collectSettingsTextSecrets(text, found)
    for (const v of found) registerSecret(v, "plugin-parser-input")
  }
  return [secrets.redact(text), { ...ctx, command: secrets.redact(ctx.command) }]
}
