/**
 * @module docker
 * Public surface of the Docker MCP Toolkit driver: `createToolkitDriver`, the `ToolkitDriver`
 * interface, domain types, argv builders, parser registry, runner and error classification.
 */
export { createToolkitDriver, type ToolkitDriver, type ToolkitDriverOptions, type ToolkitChange, type MutationResult, type CallOptions, type EnableOptions } from "./driver.ts"
export * from "./types.ts"
export { ParserRegistry, defaultParserRegistry, type ParseContext, type ParserOverride } from "./registry.ts"
export { createSpawnRunner, childEnv, commandLabel, resolveDocker, DEFAULT_MAX_STDOUT, ENV_ALLOWLIST, ENV_TOOLKIT_SWITCHES, type Runner, type RunRequest, type RunResult, type SpawnRunnerOptions } from "./runner.ts"
export { classifyRun, gatewayRemedy, maskToolkitText, TOOLKIT_ERROR_CODES, type ToolkitErrorCode } from "./classify.ts"
export { parseVersion, eraFromVersion, makeEraInfo, type EraInfo, type SemVer } from "./era.ts"
export { validateName, isValidName, TOOLKIT_SERVER_RE, PROFILE_ID_RE, CONFIG_KEY_RE, CATALOG_REF_RE, type NameKind } from "./names.ts"
export * as argv from "./argv.ts"
export { DOCKER_CATALOG_REF, LEGACY_DOCKER_CATALOG, DEFAULT_PROFILE } from "./argv.ts"
export { searchCatalog } from "./search.ts"
export { toolkitLocated } from "./exec.ts"
export { explainNotInstalled } from "./plugin-health.ts"
export { partialOf, withPartial, toCachedList, checkCachedList, fromCachedList, toCachedMap, checkCachedMap, fromCachedMap, type CachedList, type CachedMap } from "./partial.ts"
export { ignoredProfileNote } from "./ignored-profile.ts"
