/**
 * @module plugin
 * User plugins (prompts, routing rules, tool-list filters, Toolkit parser overrides) running in the
 * QuickJS sandbox, composed in a documented order, hot-reloaded. app/ wires a `PluginHost`.
 */
export { PluginHost, DEFAULT_LOAD_BUDGET_MS, type PluginHostOptions, type PluginChange, type ParserBinding } from "./host.ts"
export { lazyProxyHooks, bindParserRegistry, type ParserTarget, type PluginProxyHooks } from "./seams.ts"
export { observePluginHooks, type HookEvent, DEFAULT_PLUGIN_LIMITS, LOAD_DEADLINE_MS, MAX_CONSECUTIVE_FAULTS, WATCHDOG_KILLS_TO_OFF, WATCHDOG_KILL_WINDOW_MS, type PluginInfo, type PluginLimits, type PluginState } from "./limits.ts"
export { discoverPlugins, defaultPluginDir, resolvePluginDirs, type Discovered } from "./discover.ts"
export { isOverCap, MAX_PLUGIN_FILES } from "./file-cap.ts"
export { BUILTIN_PROMPTS } from "./builtin-prompts.ts"
export { PromptManager } from "./prompts.ts"
export { visiblePath, visibleText } from "../sandbox/visible.ts"
export {
  HOOKS,
  PARSER_KINDS,
  type HookName,
  type ParserContext,
  type ParserKind,
  type PromptInfo,
  type PromptResult,
  type RouteCall,
  type RouteDecision,
  type ToolLike,
} from "./contract.ts"
