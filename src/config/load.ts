/**
 * @module config/load
 * defaults < config file < environment < CLI flags, validated once with zod. Every problem is one
 * line naming the key path, where the value came from (file:line, env var, flag) and what was expected.
 * A server entry with problems of its own is left out (`invalidServers`) and the others load
 * (config/invalid-servers); any other problem, or every entry invalid, fails the whole load.
 */
import { ConfigError, registerConfigSecrets } from "../core/index.ts"
import { readEnv, unknownEnvWarnings } from "./env.ts"
import { chooseConfigFile, expandHome, homeDir, parseConfigText, readConfigFile, type FileChoice, type FileLayer } from "./file.ts"
import { ConfigSchema, type Config } from "./schema.ts"
import { formatIssueParts, issueLine } from "./issues.ts"
import { invalidServerLines, leftOutReferences, SERVER_MAPS, splitEntryProblems, type InvalidServer } from "./invalid-servers.ts"
import { checkListen } from "./listen.ts"
import { suggest } from "./suggest.ts"
import { checkToolsets } from "./toolsets.ts"
import { UnknownServersError, type MissingServer } from "./server-refs.ts"
import { workspaceFolder } from "./interpolate.ts"
import { resolveServerVars } from "./server-vars.ts"
import { markEnvFileUnreadable } from "./env-file.ts"
import { runsOrchestrator } from "./self-entry.ts"
import { argvSecretWarnings } from "./argv-secrets.ts"
import { protoKeyIssues } from "./proto-keys.ts"
import { durationWarnings } from "./duration-hints.ts"
import { argPathWarnings } from "./arg-paths.ts"
import { digitStartWarnings } from "./name-start.ts"
import { unresolvedVarProblems } from "./unresolved-vars.ts"
import { commandLineWarnings } from "./command-line.ts"
import { caseCollisions } from "./name-case.ts"
import { adoptClientKeys } from "./client-keys.ts"
import { dirname, isAbsolute, resolve } from "node:path"

export interface LoadOptions {
  /** `--config FILE` */
  configPath?: string
  /** Overrides from CLI flags, as a partial config, with the flag that set each path. */
  flags?: { values: Record<string, unknown>; sources: Map<string, string> }
  env?: Record<string, string | undefined>
  /** Use this text instead of reading a file (the embedded demo config). */
  inline?: { text: string; name: string }
  /**
   * A reload of a config read from this file in the default location: its absence is an unreadable
   * file (ENOENT), not "no config file" (the defaults, no servers), which would stop every server.
   */
  readFrom?: FileChoice
  /** How long an envFile that is a FIFO is waited for (a reload: SERVING_FIFO_WAIT_MS; the start: 5 s). */
  fifoWaitMs?: number
}

export interface LoadedConfig {
  config: Config
  /** The file used, if any, and how it was found. */
  file?: FileChoice
  /** Where each explicitly set leaf came from (dot path → "file:line" | "env X" | "flag --x"). */
  sources: Map<string, string>
  /**
   * Things worth a log line that do not stop loading (a referenced variable that is not set, an
   * unknown MCPO_* variable); serve logs them at start, doctor shows them.
   */
  warnings?: string[]
  /** The unknown MCPO_* variables among `warnings` (the environment does not change on a reload). */
  envWarnings?: string[]
  /** The config file holds no value (0 bytes, whitespace or comments only): a reload refuses such a file. */
  fileEmpty?: boolean
  /** Values of secret `${…}` variables put in (registered with the config's; again for the running config on a reload). */
  varSecrets?: string[]
  /**
   * Server entries left out because they are invalid (config/invalid-servers), with their problems:
   * the other servers run. Empty or absent when every entry is valid.
   */
  invalidServers?: InvalidServer[]
  /**
   * Every `envFile` loading read or tried (absolute paths), a left-out entry's included: fixing
   * one changes the config (a reload watches them, the early tool index is keyed by them).
   */
  envFiles?: string[]
  /** Loads the config again from the same sources (a config reload). */
  reload?: () => LoadedConfig
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env
  let file: FileLayer | undefined
  let choice: FileChoice | undefined
  if (opts.inline) {
    file = parseConfigText(opts.inline.text, opts.inline.name)
    choice = { path: opts.inline.name, via: "embedded", explicit: true }
  } else {
    // deleted, its folder removed or renamed away, a dotfile link left dangling (`stow -D`, a
    // `git checkout` of a config repo): mid-edit as often as not, so refused as an unreadable file
    choice = chooseConfigFile(opts.configPath, env) ?? opts.readFrom
    if (choice) file = readConfigFile(choice)
  }
  const envLayer = readEnv(env)
  const flags = opts.flags ?? { values: {}, sources: new Map() }

  const merged = deepMerge(deepMerge(structuredClone(file?.values ?? {}), envLayer.values), flags.values)
  const sources = new Map<string, string>()
  if (file) collectLeaves(file.values, [], (p) => sources.set(p.join("."), `${file!.path}:${file!.lineOf(p) ?? 1}`))
  for (const [k, v] of envLayer.sources) sources.set(k, v)
  for (const [k, v] of flags.sources) sources.set(k, v)

  const sourceOf = (path: readonly PropertyKey[]): string => {
    const parts = path.map(String)
    for (let n = parts.length; n > 0; n--) {
      const key = parts.slice(0, n).join(".")
      const f = flags.sources.get(key)
      if (f) return f
      const e = envLayer.sources.get(key)
      if (e) return e
    }
    if (file) return `${file.path}:${file.lineOf(path.map((p) => (typeof p === "number" ? p : String(p)))) ?? 1}`
    return "defaults"
  }

  // other clients' keys in server entries (Cline's autoApprove, Gemini CLI's excludeTools…): read, not refused (config/client-keys);
  // before the variables: a `serverUrl` holding ${…} is resolved as the `url` it becomes
  const clientKeyWarnings = SERVER_MAPS.flatMap((m) =>
    isPlainObject(merged[m]) ? Object.entries(merged[m]).flatMap(([name, entry]) => (isPlainObject(entry) ? adoptClientKeys(entry, `${m}.${name}`, (k) => sourceOf([m, name, k])) : [])) : [],
  )
  // Cursor's ${…} variables and envFile in server entries, resolved before validation (a URL
  // written with a variable validates as the URL it becomes; resolved secrets get registered below).
  const baseDir = choice && !opts.inline ? dirname(resolve(choice.path)) : process.cwd()
  const vars = resolveServerVars(merged, { env, workspace: workspaceFolder(env), baseDir, sourceOf, ...(opts.fifoWaitMs !== undefined ? { fifoWaitMs: opts.fifoWaitMs } : {}) })
  // …and nowhere else: a `${…}` in another setting of the file is an error, not the text taken as written
  const unresolved = file ? unresolvedVarProblems(file.values, sourceOf) : []
  if (unresolved.length) throw new ConfigError(unresolved, { remedy: "Write the value itself; variables (${…}) are resolved in server entries only. Each setting also has an MCPO_* environment variable (docs/config.md)." })
  // Every secret value (env, headers, URL userinfo, flag values, http.token) is redacted wherever
  // text leaves the process; registered before validation, so no config error can echo one.
  registerConfigSecrets(merged, "config", vars.secrets)
  const noteOf = (path: readonly PropertyKey[]): string | undefined => {
    const unset = vars.unsetAt.get(path.map(String).join("."))
    return unset ? `${unset.map((u) => `\${${u}}`).join(", ")} ${unset.length > 1 ? "are" : "is"} not set in the environment and resolved to ""` : undefined
  }
  // `servers:` whose entries are all commented out, or Cursor's `"mcpServers": null`: no servers, said in a note
  const nullNotes: string[] = []
  for (const key of ["servers", "mcpServers"] as const) {
    if (!Object.hasOwn(merged, key) || merged[key] !== null) continue
    merged[key] = {}
    nullNotes.push(`${key} (${sourceOf([key])}): has no value (null); read as no servers. Add entries under it, or remove the key`)
  }
  const issueCtx = { sourceOf, valueAt: (p: readonly PropertyKey[]) => valueAt(merged, p), noteOf }
  const problemsOf = (): ReturnType<typeof formatIssueParts> => {
    const r = ConfigSchema.safeParse(merged, { reportInput: true })
    // a `__proto__` key, which zod's records skip without a word (config/proto-keys)
    return formatIssueParts([...protoKeyIssues(merged), ...(r.error?.issues ?? [])], issueCtx)
  }
  // each server entry on its own: a bad one is left out, the others load (config/invalid-servers)
  const { invalid, rest } = splitEntryProblems(problemsOf(), vars.errors, sourceOf)
  // in the file's order
  const order = SERVER_MAPS.flatMap((m) => (isPlainObject(merged[m]) ? Object.keys(merged[m]).map((n) => `${m}.${n}`) : []))
  invalid.sort((x, y) => order.indexOf(x.entry) - order.indexOf(y.entry))
  const whole = (lines: string[], remedy: string): ConfigError => new ConfigError(lines, { remedy })
  const entryRemedies = (): string => [...new Set(invalid.map((s) => s.remedy))].join(" ")
  if (rest.length) throw whole([...rest.map(issueLine), ...invalidServerLines(invalid)], `Fix the keys named above (see docs/config.md), or run \`mcp-orchestrator doctor\`.${invalid.length ? ` ${entryRemedies()}` : ""}`)
  for (const s of invalid) {
    const map = merged[s.entry.split(".")[0]!] as Record<string, unknown>
    const raw = map[s.name]
    if (isPlainObject(raw) && raw.disabled === true) s.disabled = true
    delete map[s.name]
  }
  // nothing left to serve because of entries that are not disabled: most likely a shape pasted wrong
  if (invalid.some((s) => !s.disabled) && SERVER_MAPS.every((m) => !isPlainObject(merged[m]) || Object.keys(merged[m]).length === 0)) {
    throw whole(invalidServerLines(invalid), `Every server entry is invalid, so there is nothing to serve: fix them (a server is {command, args?, env?} or {url, headers?}). ${entryRemedies()}`)
  }
  const parsed = ConfigSchema.safeParse(merged, { reportInput: true })
  // with the bad entries out the rest validates (their problems were theirs alone); said as before if not
  if (!parsed.success) throw whole(problemsOf().map(issueLine), "Fix the keys named above (see docs/config.md), or run `mcp-orchestrator doctor`.")
  const config = parsed.data
  // VS Code's prompts: read (its mcp.json loads as pasted), never used (an ${input:ID} was refused above)
  delete config.inputs
  // `~/…` in the path settings is the home directory, as in a shell (plugins.dirs: [~/.config/…])
  const home = homeDir(env)
  // a relative one written in the file starts at the file's directory, as a server's cwd does (the
  // directory we run in is the editor's pick); from a flag or MCPO_* it is the shell's, as typed
  const settingPath = (key: string, p: string): string => {
    const inFile = file && !opts.inline && !flags.sources.has(key) && !envLayer.sources.has(key)
    const expanded = expandHome(p, home)
    return inFile && !isAbsolute(expanded) ? resolve(baseDir, expanded) : expanded
  }
  if (config.plugins.dirs) config.plugins.dirs = config.plugins.dirs.map((d) => settingPath("plugins.dirs", d))
  if (config.cache.dir) config.cache.dir = settingPath("cache.dir", config.cache.dir)
  if (config.proxy.pinsFile) config.proxy.pinsFile = settingPath("proxy.pinsFile", config.proxy.pinsFile)
  // an envFile that could not be read fails its own server when it starts (config/env-file), not the whole config
  for (const { at, failure } of vars.unreadable) {
    const spec = (config as unknown as Record<string, Record<string, object> | undefined>)[at[0]]?.[at[1]]
    if (spec) markEnvFileUnreadable(spec, failure)
  }
  const selfWarnings = selfEntryWarnings(config, sourceOf, env)
  // after the secrets were registered (above): a registered value on a command line
  const argvWarnings = argvSecretWarnings(config, sourceOf)
  // `timeout: 60` (seconds in Cline/Roo, 60 ms here) and `command: "npx -y pkg"`: valid, but surely not meant
  // `args: [./srv.js]` or `[~/dir]`: no shell, so neither is what a terminal would make of it
  const stdioMaps = { servers: config.servers, mcpServers: config.mcpServers }
  const hintWarnings = [
    ...durationWarnings(merged, sourceOf),
    ...commandLineWarnings(stdioMaps, sourceOf, env),
    ...argPathWarnings(stdioMaps, sourceOf, choice && !opts.inline ? baseDir : undefined),
    ...(config.proxy.passthrough ? [] : digitStartWarnings(stdioMaps, sourceOf, config.proxy.separator)),
  ]
  const listenProblems = checkListen(config.http, sourceOf)
  if (listenProblems.length) throw new ConfigError(listenProblems, { remedy: "Fix http.listen (see docs/config.md); loopback needs no opt-in." })
  // `GitHub` and `github`: one server to a client that folds tool names, and to a case-insensitive file system
  // …and a name in both servers and mcpServers: the later entry is left out (one bad paste), the first serves
  const clashes = caseCollisions(
    SERVER_MAPS.flatMap((map) => Object.keys(config[map] ?? {}).map((name) => ({ map, name }))),
    sourceOf,
  ).map((c) => ({ ...c, remedy: `Rename one of the two (server names are the prefix of their tools' names, \`name__tool\`), or remove one; ${c.map}.${c.name} is left out meanwhile.` }))
  for (const d of Object.keys(config.mcpServers ?? {}).filter((k) => Object.hasOwn(config.servers, k))) {
    clashes.push({ map: "mcpServers", name: d, problem: `defined in servers too (${sourceOf(["servers", d])}); keep one`, remedy: `Remove one of the two entries; servers.${d} is the one served meanwhile.` })
  }
  for (const c of clashes) {
    const entry = `${c.map}.${c.name}`
    const source = sourceOf([c.map, c.name])
    delete (config[c.map as "servers"] as Record<string, unknown>)[c.name]
    invalid.push({ name: c.name, entry, source, problems: [{ at: entry, source, problem: c.problem }], remedy: c.remedy })
  }
  // Cursor's `mcpServers` map is accepted as is and merged into `servers`.
  if (config.mcpServers) {
    config.servers = { ...config.servers, ...config.mcpServers }
    delete config.mcpServers
  }
  const leftOut = new Set(invalid.map((s) => s.name))
  const leftOutWarnings = leftOutReferences(config, invalid, sourceOf)
  // toolsets and warm checked together: a server renamed in the file is named by both at once
  const missing: MissingServer[] = []
  const toolsetProblems = checkToolsets(config, sourceOf, leftOut, missing)
  const warmProblems = config.warm
    .filter((w) => !Object.hasOwn(config.servers, w) && w !== "toolkit")
    .map((w) => {
      const s = suggest(w, Object.keys(config.servers))
      const problem = `warm (${sourceOf(["warm"])}): "${w}" is not a configured server${s ? `; did you mean "${s}"?` : ""}`
      missing.push({ key: "warm", name: w, problem })
      return problem
    })
  if (toolsetProblems.length || warmProblems.length) {
    const remedy = toolsetProblems.length ? "Fix toolsets/toolset (see docs/config.md); `serve --toolset NAME` takes a key of toolsets." : "Name keys of servers in warm (see docs/config.md)."
    throw new UnknownServersError([...toolsetProblems, ...warmProblems], missing, config.servers, { remedy })
  }
  // a disabled server named in warm is not started (pool): said at load, so doctor shows it too
  const disabledWarm = config.warm
    .filter((w) => config.servers[w]?.disabled === true)
    .map((w) => `warm (${sourceOf(["warm"])}): "${w}" is disabled (servers.${w}.disabled), so it is not started at boot; remove it from warm, or enable the server`)
  const envWarnings = unknownEnvWarnings(env)
  return {
    config,
    ...(choice ? { file: choice } : {}),
    sources,
    warnings: [...nullNotes, ...clientKeyWarnings, ...vars.warnings, ...leftOutWarnings, ...selfWarnings, ...argvWarnings, ...hintWarnings, ...disabledWarm, ...envWarnings],
    ...(invalid.length ? { invalidServers: invalid } : {}),
    ...(vars.envFiles.length ? { envFiles: [...new Set(vars.envFiles)] } : {}),
    envWarnings,
    ...(file?.empty ? { fileEmpty: true } : {}),
    ...(vars.secrets.length ? { varSecrets: vars.secrets } : {}),
    // a file found in the default location stays the config's source: its going is refused (above)
    reload: () => loadConfig(choice && choice.via === "default location" ? { ...opts, readFrom: { path: choice.path, via: choice.via, explicit: false } } : opts),
  }
}

/**
 * Entries (enabled) that run mcp-orchestrator itself: a nested copy behind this one starts every
 * other server a second time and lists each tool twice (config/self-entry).
 */
function selfEntryWarnings(config: Config, sourceOf: (path: readonly PropertyKey[]) => string, env: Record<string, string | undefined>): string[] {
  const out: string[] = []
  for (const key of ["servers", "mcpServers"] as const) {
    for (const [name, spec] of Object.entries(config[key] ?? {})) {
      if (spec.disabled || !runsOrchestrator(spec, undefined, env)) continue
      const s = spec as { command: string; args: string[] }
      out.push(
        `${key}.${name} (${sourceOf([key, name])}): runs mcp-orchestrator itself (${[s.command, ...s.args].join(" ")}); the nested copy would start every other server a second time and list every tool twice. Remove this entry (Cursor starts the orchestrator; it does not belong in the orchestrator's own config).`,
      )
    }
  }
  return out
}

// --- Internal helpers ---

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/** Objects merge key by key; anything else (arrays, scalars) replaces. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue
    const cur = Object.hasOwn(base, k) ? base[k] : undefined
    // defined, not assigned: a "__proto__" key stays a key (and is reported), never the prototype
    Object.defineProperty(base, k, { value: isPlainObject(cur) && isPlainObject(v) ? deepMerge({ ...cur }, v) : v, enumerable: true, writable: true, configurable: true })
  }
  return base
}

function collectLeaves(v: unknown, path: string[], visit: (p: string[]) => void): void {
  if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) collectLeaves(x, [...path, k], visit)
  } else visit(path)
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root
  for (const k of path) {
    if (typeof v !== "object" || v === null) return undefined
    v = (v as Record<string, unknown>)[String(k)]
  }
  return v
}
