/**
 * @module plugin/plugin
 * One plugin file: loaded into its own sandbox, export validated, hooks called with deadlines and
 * their results validated. Faults are counted per hook: a `tools`, `prompt` or `parse` hook that
 * faults too often in a row is turned off on its own; a `route` fault fails only its own call. Only
 * a watchdog kill disables the whole plugin.
 */
import { readFile } from "node:fs/promises"
import { basename } from "node:path"
import type { z } from "zod"
import { PluginError, errorMessage, type Logger } from "../core/index.ts"
import { Sandbox, SandboxFault, transpileModule, type ExportPath, type SandboxThread, type Transpiled } from "../sandbox/index.ts"
import {
  PluginExportSchema,
  RenderResultSchema,
  RouteResultSchema,
  ToolsResultSchema,
  formatIssues,
  type HookName,
  type ParserContext,
  type ParserKind,
  type PluginExport,
  type RenderResult,
  type RouteCall,
  type RouteDecision,
  type ToolLike,
} from "./contract.ts"
import { exportLine, lineForPath } from "./source-lines.ts"

/** One hook call, for metrics: which plugin and hook, how long, and the fault code if it failed. */
export interface HookEvent {
  plugin: string
  hook: string
  durationMs: number
  fault?: string
}
let hookObserver: ((e: HookEvent) => void) | undefined

/** Observe every plugin hook call (process-wide; one observer, e.g. the metrics registry). */
export function observePluginHooks(fn: ((e: HookEvent) => void) | undefined): void {
  hookObserver = fn
}

export type PluginState = "active" | "failed" | "disabled"

/** Limits from `config.plugins` (memory MiB, stack KiB, deadlines ms). */
export interface PluginLimits {
  memoryLimit: number
  stackLimit: number
  routeDeadline: number
  /** Largest arguments (bytes of JSON) route hooks are given; a larger call is refused unchecked. */
  routeArgsLimit: number
  parseDeadline: number
  renderDeadline: number
  toolsDeadline: number
}

export const DEFAULT_PLUGIN_LIMITS: PluginLimits = { memoryLimit: 32, stackLimit: 512, routeDeadline: 50, routeArgsLimit: 1024 * 1024, parseDeadline: 1000, renderDeadline: 200, toolsDeadline: 200 }
/** Time allowed to evaluate a plugin module and describe its export. */
export const LOAD_DEADLINE_MS = 2000
/**
 * A `tools`, `prompt` or `parse` hook that faults this many times in a row is turned off (that hook
 * alone) until the file changes. `route` faults never count: each fails only its own call.
 */
export const MAX_CONSECUTIVE_FAULTS = 3
/** Plugin files larger than this are refused. */
export const MAX_PLUGIN_BYTES = 1024 * 1024

export interface PluginInfo {
  name: string
  file: string
  version?: string
  hooks: HookName[]
  prompts: string[]
  parsers: string[]
  state: PluginState
  lastError?: string
  calls: number
  faults: number
  /** Faults per hook since the file loaded (only hooks that faulted); they add up to `faults`. */
  hookFaults?: Partial<Record<HookName, number>>
  /**
   * Hooks turned off after MAX_CONSECUTIVE_FAULTS faults in a row, until the file changes (the
   * plugin stays "active", its other hooks run): hook → why, with the last fault and its file:line.
   */
  hooksOff?: Partial<Record<HookName, string>>
}

/** Fault accounting of one hook. */
interface HookFaults {
  faults: number
  /** Faults since the hook last succeeded. */
  consecutive: number
  /** Set when the hook got turned off: the fault that did it. */
  off?: { error: PluginError; what: string; line: number | undefined }
}

export class Plugin implements AsyncDisposable {
  state: PluginState = "failed"
  manifest: PluginExport | undefined
  lastError: PluginError | undefined
  /** Called once when the plugin gets disabled (killed by the watchdog). */
  onDisabled: ((p: Plugin) => void) | undefined
  /** Called once per hook turned off after MAX_CONSECUTIVE_FAULTS faults in a row. */
  onHookOff: ((p: Plugin, hook: HookName) => void) | undefined
  private sandbox: Sandbox | undefined
  /**
   * The route hook's own sandbox (same module, evaluated again) on the route lane: a route call is
   * on every tools/call and must never queue behind a prompt render or a parser run.
   */
  private routeSandbox: Sandbox | undefined
  private transpiled: Transpiled | undefined
  private source = ""
  private calls = 0
  private faults = 0
  private readonly perHook = new Map<HookName, HookFaults>()

  private constructor(
    readonly file: string,
    private readonly limits: PluginLimits,
    private readonly log: Logger,
    private readonly thread?: SandboxThread,
    private readonly routeThread?: SandboxThread,
  ) {}

  /**
   * Load and validate `file` (or `opts.code` as its content). Never throws: a broken file gives a
   * plugin in state "failed". `opts.thread`: run on a worker shared with other plugins;
   * `opts.routeThread`: where a route hook runs (default: a worker of this plugin's own).
   */
  static async load(file: string, limits: PluginLimits, log: Logger, opts: { code?: string; thread?: SandboxThread; routeThread?: SandboxThread } = {}): Promise<Plugin> {
    const p = new Plugin(file, limits, log, opts.thread, opts.routeThread)
    try {
      await p.init(opts.code)
      p.state = "active"
    } catch (e) {
      p.lastError = e instanceof PluginError ? e : p.loadError(1, errorMessage(e))
      await p.dropSandbox()
    }
    return p
  }

  get name(): string {
    return this.manifest?.name ?? basename(this.file)
  }

  /** The plugin is active, declares the hook, and the hook is not turned off. */
  has(hook: HookName): boolean {
    return this.state === "active" && this.declares(hook) && !this.isOff(hook)
  }

  /** The hook was turned off after MAX_CONSECUTIVE_FAULTS faults in a row (never `route`). */
  isOff(hook: HookName): boolean {
    return this.perHook.get(hook)?.off !== undefined
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
      if (h.off) (info.hooksOff ??= {})[hook] = `${MAX_CONSECUTIVE_FAULTS} faults in a row; the last: ${h.off.error.message}`
    }
    return info
  }

  async route(call: RouteCall): Promise<RouteDecision> {
    return this.hook("route", ["route"], [call], this.limits.routeDeadline, RouteResultSchema)
  }

  async filterTools(tools: readonly ToolLike[]): Promise<ToolLike[]> {
    return (await this.hook("tools", ["tools"], [tools], this.limits.toolsDeadline, ToolsResultSchema)) as ToolLike[]
  }

  async renderPrompt(name: string, args: Record<string, string>): Promise<RenderResult> {
    const i = this.manifest?.prompts?.findIndex((p) => p.name === name) ?? -1
    if (i < 0) throw new PluginError("PLUGIN_NO_SUCH_PROMPT", `Plugin "${this.name}" has no prompt "${name}"`)
    return this.hook("prompt", ["prompts", i, "render"], [args], this.limits.renderDeadline, RenderResultSchema)
  }

  async parse(kind: ParserKind, text: string, ctx: ParserContext): Promise<unknown> {
    return this.hook("parse", ["parsers", kind], [text, ctx], this.limits.parseDeadline)
  }

  /** Blocking variant for synchronous callers (the Toolkit parser registry). */
  parseSync(kind: ParserKind, text: string, ctx: ParserContext): unknown {
    const sb = this.active("parse")
    let out: unknown
    try {
      out = sb.callSync(["parsers", kind], [text, ctx], this.limits.parseDeadline)
    } catch (e) {
      throw this.fault("parse", e)
    }
    this.succeeded("parse")
    return out
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dropSandbox()
  }

  // --- internals ---

  private async init(code?: string): Promise<void> {
    if (code === undefined) {
      const buf = await readFile(this.file)
      if (buf.byteLength > MAX_PLUGIN_BYTES) throw this.loadError(1, `file is ${buf.byteLength} bytes (limit ${MAX_PLUGIN_BYTES})`)
      code = buf.toString("utf8")
    }
    this.source = code
    const filename = basename(this.file)
    try {
      this.transpiled = transpileModule(code, filename)
    } catch (e) {
      const f = e as SandboxFault
      throw this.loadError(f.line ?? 1, `${f.errorName ?? "SyntaxError"}: ${f.message}`)
    }
    this.sandbox = this.newSandbox(this.thread)
    let shape: unknown
    try {
      shape = await this.sandbox.load(this.transpiled.code, filename, LOAD_DEADLINE_MS)
    } catch (e) {
      if (!(e instanceof SandboxFault)) throw e
      const line = e.line ? this.transpiled.sourceLine(e.line) : e.message.includes("default export") ? exportLine(code) : 1
      throw this.loadError(line, `${e.errorName ? `${e.errorName}: ` : ""}${e.message}`)
    }
    const r = PluginExportSchema.safeParse(shape)
    if (!r.success) {
      const first = r.error.issues[0]
      const line = lineForPath(code, first?.path ?? [])
      throw new PluginError("PLUGIN_INVALID_EXPORT", `${this.file}:${line}: invalid plugin export:\n${formatIssues(r.error).map((l) => `  - ${l}`).join("\n")}`, {
        remedy: "See docs/plugins.md for the contract (default export { name, version?, prompts?, route?, tools?, parsers? }).",
        details: { file: this.file, line, issues: formatIssues(r.error) },
      })
    }
    this.manifest = r.data
    if (r.data.route !== undefined) {
      this.openRouteLane(this.transpiled.code, filename)
      // a plugin with nothing but a route hook needs no second copy of its module
      if (!r.data.tools && !r.data.prompts?.length && Object.keys(r.data.parsers ?? {}).length === 0) {
        const main = this.sandbox
        this.sandbox = this.routeSandbox
        void main[Symbol.asyncDispose]()
      }
    }
  }

  /**
   * Evaluate the module again on the route lane. Not awaited: loading (and startup) does not wait
   * for the second worker; the first route call queues behind this load on its lane.
   */
  private openRouteLane(code: string, filename: string): void {
    const sb = this.newSandbox(this.routeThread)
    this.routeSandbox = sb
    sb.load(code, filename, LOAD_DEADLINE_MS).catch((e: unknown) => {
      // (a plugin retired meanwhile has nothing to report)
      if (this.routeSandbox === sb) this.log.warn("route lane load failed; the route call will report it", { plugin: this.name, error: errorMessage(e) })
    })
  }

  /** A sandbox for this plugin's module under its limits, on `thread` (default: a worker of its own). */
  private newSandbox(thread: SandboxThread | undefined): Sandbox {
    return new Sandbox({
      label: this.file,
      log: this.log,
      limits: { memoryBytes: this.limits.memoryLimit * 1024 * 1024, stackBytes: this.limits.stackLimit * 1024 },
      ...(thread ? { thread } : {}),
    })
  }

  private loadError(line: number, message: string): PluginError {
    return new PluginError("PLUGIN_LOAD_FAILED", `${this.file}:${line}: ${message}`, {
      remedy: `Fix the file, then run \`mcp-orchestrator plugins check ${this.file}\`.`,
      details: { file: this.file, line },
    })
  }

  private active(hook: HookName): Sandbox {
    if (this.state !== "active" || !this.sandbox) {
      throw new PluginError("PLUGIN_DISABLED", `Plugin "${this.name}" (${this.file}) is ${this.state}${this.lastError ? `: ${this.lastError.message}` : ""}`, {
        details: { plugin: this.name, file: this.file, hook },
      })
    }
    const off = this.perHook.get(hook)?.off
    if (off) {
      const where = off.line ? `${this.file}:${off.line}` : this.file
      throw new PluginError("PLUGIN_DISABLED", `Plugin "${this.name}" (${where}): its ${hook} hook is off after ${MAX_CONSECUTIVE_FAULTS} faults in a row, until the file changes; the last: ${off.what}`, {
        remedy: `Fix the hook (reproduce with \`mcp-orchestrator plugins test ${this.file} --hook ${hook} --input '…'\`) and save the file: it reloads with every hook on.`,
        details: { plugin: this.name, file: this.file, hook, off: true, ...(off.line ? { line: off.line } : {}) },
        cause: off.error,
      })
    }
    return this.sandbox
  }

  private record(hook: HookName): HookFaults {
    let h = this.perHook.get(hook)
    if (!h) this.perHook.set(hook, (h = { faults: 0, consecutive: 0 }))
    return h
  }

  private succeeded(hook: HookName): void {
    const h = this.perHook.get(hook)
    if (h) h.consecutive = 0
  }

  private async hook<T>(hook: HookName, path: ExportPath, args: unknown[], deadlineMs: number, schema?: z.ZodType<T>): Promise<T> {
    const main = this.active(hook)
    const sb = hook === "route" ? (this.routeSandbox ?? main) : main
    this.calls++
    let out: unknown
    const started = performance.now()
    try {
      out = await sb.call(path, args, deadlineMs)
    } catch (e) {
      const err = this.fault(hook, e)
      hookObserver?.({ plugin: this.name, hook, durationMs: performance.now() - started, fault: err.code })
      throw err
    }
    hookObserver?.({ plugin: this.name, hook, durationMs: performance.now() - started })
    if (!schema) {
      this.succeeded(hook)
      return out as T
    }
    const r = schema.safeParse(out)
    if (!r.success) {
      throw this.fault(hook, new PluginError("PLUGIN_INVALID_RESULT", `returned an invalid ${hook} result: ${formatIssues(r.error).slice(0, 5).join("; ")}`))
    }
    this.succeeded(hook)
    return r.data
  }

  /**
   * Record a fault and build the error for the caller. Its consequences stay with what caused it:
   * a `route` fault fails its own call and nothing more (the arguments were chosen by the model);
   * a `tools`, `prompt` or `parse` hook that faults MAX_CONSECUTIVE_FAULTS times in a row is turned
   * off on its own (its input came from a downstream, a client or the Toolkit); only a watchdog kill
   * (a worker stuck in native code) disables the whole plugin.
   */
  private fault(hook: HookName, e: unknown): PluginError {
    const live = this.state === "active"
    const h = this.record(hook)
    this.faults++
    h.faults++
    h.consecutive++
    let line: number | undefined
    let what: string
    let code = "PLUGIN_FAULT"
    if (e instanceof SandboxFault) {
      line = e.line && this.transpiled ? this.transpiled.sourceLine(e.line) : undefined
      what = `${e.kind === "guest" ? (e.errorName ?? "error") : e.kind}: ${e.message}`
    } else if (e instanceof PluginError) {
      code = e.code
      what = e.message
    } else {
      what = errorMessage(e)
    }
    const where = line ? `${this.file}:${line}` : this.file
    const err = new PluginError(code, `Plugin "${this.name}" (${where}) failed in hook ${hook}: ${what}`, {
      remedy: `Reproduce with \`mcp-orchestrator plugins test ${this.file} --hook ${hook} --input '…'\`.`,
      details: { plugin: this.name, file: this.file, hook, ...(line ? { line } : {}), ...(e instanceof SandboxFault ? { fault: e.kind } : {}) },
      cause: e,
    })
    // a call in flight when the plugin got disabled fails too, but keeps the reason it was disabled
    if (live) this.lastError = err
    this.log.warn("plugin hook failed", { plugin: this.name, file: this.file, hook, error: err.message, consecutive: h.consecutive })
    if (!live) return err
    // A watchdog kill leaves the worker thread spinning until its native operation ends: never twice.
    if (e instanceof SandboxFault && e.kind === "watchdog") {
      this.state = "disabled"
      this.log.error("plugin disabled: killed by the watchdog", { plugin: this.name, file: this.file, hook, lastError: err.message })
      void this.dropSandbox()
      this.onDisabled?.(this)
    } else if (hook !== "route" && h.consecutive >= MAX_CONSECUTIVE_FAULTS && !h.off) {
      h.off = { error: err, what, line }
      this.log.error("plugin hook turned off after repeated faults (until the file changes)", { plugin: this.name, file: this.file, hook, faults: h.consecutive, lastError: err.message })
      this.onHookOff?.(this, hook)
    }
    return err
  }

  private async dropSandbox(): Promise<void> {
    const sb = this.sandbox
    const route = this.routeSandbox
    this.sandbox = undefined
    this.routeSandbox = undefined
    await Promise.all([sb?.[Symbol.asyncDispose](), route?.[Symbol.asyncDispose]()])
  }
}
