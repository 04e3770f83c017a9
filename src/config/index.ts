/**
 * @module config
 * Configuration: zod schemas, the layered loader (defaults < file < env < flags) and env bindings.
 */
export * from "./schema.ts"
export { loadConfig, deepMerge, type LoadOptions, type LoadedConfig } from "./load.ts"
export { envBindings, knownEnvNames, OTHER_ENV_VARS, unknownEnvWarnings, type EnvBinding } from "./env.ts"
export { cacheHome, chooseConfigFile, configHome, DEFAULT_NAMES, expandHome, homeDir, parseConfigText, pinsFile, stateHome } from "./file.ts"
export { suggest } from "./suggest.ts"
export { checkListen, isLoopbackHost, LISTEN_EXPECTED, NON_LOOPBACK_REMEDY, parseListenAddress, type ListenAddress } from "./listen.ts"
export { description, objectShape, unwrap, leafKind } from "./zod-walk.ts"
export { checkToolsets, unknownToolset } from "./toolsets.ts"
export { interpolate, workspaceFolder, KNOWN_FORMS, type InterpolationContext } from "./interpolate.ts"
export { envAtStart, envFileFailure, parseDotenv, type EnvFileFailure, type StartEnv } from "./env-file.ts"
export { runsOrchestrator, selfBinary, servesArgs } from "./self-entry.ts"
export { envFilePath } from "./server-vars.ts"
export { defaultPluginDir, isPluginFile, PLUGIN_FILE_RE, resolvePluginDirs } from "./plugin-dirs.ts"
export { commandLineHint, commandLineWarnings, splitCommandLine, type CommandLineHint } from "./command-line.ts"
export { namesPath, startProblem, type StartProblem } from "./stdio-paths.ts"
export { durationWarnings, plausibleMs, PLAUSIBLE_MS } from "./duration-hints.ts"
export { protoKeyIssues, PROTO_KEY } from "./proto-keys.ts"
export { serverEntryProblems } from "./issues.ts"
export { readJsonc } from "./jsonc-lines.ts"
export { bareVarNames, bareVarWarning } from "./bare-vars.ts"
