/**
 * @module plugin/limits
 * What the plugin host and each plugin share without the sandbox: the limits and their defaults,
 * a plugin's state as listed, and the hook-call observer (metrics). A serving session with no
 * plugin file evaluates this, not plugin.ts and the sandbox behind it.
 */
import type { HookName } from "./contract.ts"

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

/** Report one hook call to the observer, if any. */
export function reportHook(e: HookEvent): void {
  hookObserver?.(e)
}

/**
 * `loading`: a file not loaded yet when the start budget (`plugins.loadBudget`) ran out; it loads
 * in the background and, meanwhile, counts as a policy that cannot run (its rules may exist).
 */
export type PluginState = "active" | "failed" | "disabled" | "loading"

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
  /** The first off period after repeated watchdog kills (default WATCHDOG_OFF_FIRST_MS; not a config key: tests shorten it). */
  watchdogOffMs?: number
  /** Watchdog kills within the window that turn a hook off (default WATCHDOG_KILLS_TO_OFF; not a config key: tests of a hook that is off set 1). */
  watchdogKillsToOff?: number
  /** Time allowed to evaluate the module (default LOAD_DEADLINE_MS; not a config key: callers that load very large plugins on purpose, such as tests near the sandbox's memory budget, give more). */
  loadDeadline?: number
}

export const DEFAULT_PLUGIN_LIMITS: PluginLimits = { memoryLimit: 32, stackLimit: 160, routeDeadline: 50, routeArgsLimit: 1024 * 1024, parseDeadline: 1000, renderDeadline: 200, toolsDeadline: 200 }
/** The `plugins.*` key that sets each hook's deadline (named in a timeout fault, so its author knows the limit). */
export const HOOK_DEADLINE_KEY: Readonly<Record<HookName, "routeDeadline" | "toolsDeadline" | "renderDeadline" | "parseDeadline">> = {
  route: "routeDeadline",
  tools: "toolsDeadline",
  prompt: "renderDeadline",
  parse: "parseDeadline",
}
/** Time allowed to evaluate a plugin module and describe its export. */
export const LOAD_DEADLINE_MS = 2000
/**
 * A `tools`, `prompt` or `parse` hook that faults this many times in a row is turned off (that hook
 * alone) until the file changes. `route` faults never count: each fails only its own call.
 */
export const MAX_CONSECUTIVE_FAULTS = 3
/**
 * Watchdog kills of one hook within WATCHDOG_KILL_WINDOW_MS that turn it off. Fewer fail only
 * their own call (the worker is restarted for the next one): the input that got it stuck may be
 * the model's (a route hook's arguments), and one such call must not disable the hook for everyone.
 */
export const WATCHDOG_KILLS_TO_OFF = 3
export const WATCHDOG_KILL_WINDOW_MS = 5 * 60_000
/**
 * How long a hook the watchdog turned off stays off before it is tried again: doubling with each
 * time it went off (since the file loaded), bounded. A file change brings it back at once.
 */
export const WATCHDOG_OFF_FIRST_MS = 60_000
export const WATCHDOG_OFF_MAX_MS = 30 * 60_000

/** The off period after the hook went off `times` times before (0: the first), ms. */
export function watchdogOffMs(times: number, first = WATCHDOG_OFF_FIRST_MS): number {
  return Math.min(first * 2 ** Math.min(times, 20), WATCHDOG_OFF_MAX_MS)
}

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
   * Hooks turned off: until the file changes after MAX_CONSECUTIVE_FAULTS faults in a row, or until
   * a retry time after WATCHDOG_KILLS_TO_OFF watchdog kills (the plugin stays "active" while any
   * hook is on, and its other hooks run): hook → why, with the fault that did it and its file:line.
   */
  hooksOff?: Partial<Record<HookName, string>>
  /** Watchdog kills per hook within the last WATCHDOG_KILL_WINDOW_MS (only hooks killed and still on). */
  hookKills?: Partial<Record<HookName, number>>
  /** When each hook the watchdog turned off is tried again (ISO time). */
  hooksRetry?: Partial<Record<HookName, string>>
}
