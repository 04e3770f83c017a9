/**
 * @module proxy
 * The tool-call pipeline and the `Upstream` contract consumed by mcp/ and http/.
 */
export * from "./types.ts"
export { createProxy, LIST_CHANGE_WINDOW_MS, type Proxy, type ProxyOptions } from "./proxy.ts"
export type { ToolsListing } from "./completeness.ts"
export { notInFirstList, type FirstAnswer } from "./status.ts"
export { shownState, stateSaid, stateShort } from "./state-words.ts"
export { scopeUpstream, scopeCheck, type ToolScope } from "./toolset.ts"
export { compileFilter, globToRegExp, type NameCheck } from "./filters.ts"
export { IndexSync } from "./index-sync.ts"
export { guessToolNames } from "./name-guess.ts"
export { unmasked } from "./masked-uri.ts"
export { listRemedy } from "./list-remedy.ts"
export { previewHookTools, type HookPreviewNote, type HookPreviewOptions } from "./hook-preview.ts"
export { APPS_EXTENSION, declaresApps } from "./app-only.ts"
