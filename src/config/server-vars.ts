/**
 * @module config/server-vars
 * Applies Cursor's variables and `envFile` to the server entries of the merged, not yet validated
 * config (`servers` and `mcpServers`), in place. Values of the wrong type are left alone for the
 * schema to report. An `envFile` (stdio entries; a path relative to the config file's directory)
 * becomes the entry's `env`, with keys written in `env` winning. One that cannot be read (missing,
 * no permission) is not a config error: it is reported in `unreadable` (its server will fail to
 * start, naming it; config/env-file `envAtStart`) and as a warning; malformed lines, like a bad
 * variable, make that entry invalid (config/invalid-servers: it is left out, the others load).
 * A relative `cwd`, and a relative `command` holding a `/`, start at the same directory
 * (config/stdio-paths).
 */
import { isAbsolute, resolve } from "node:path"
import { isFifoAhead, isRecord } from "../core/index.ts"
import { cannotRead, parseDotenv, readEnvFileText, type EnvFileFailure } from "./env-file.ts"
import { interpolate, type InterpolationContext } from "./interpolate.ts"
import { bareVarNames, bareVarWarning, braceEnvNames, braceEnvWarning } from "./bare-vars.ts"
import { expandHome, homeDir } from "./file.ts"
import { resolveStdioPaths } from "./stdio-paths.ts"
import { shortSecretWarnings } from "./short-secrets.ts"
import type { IssuePart } from "./issues.ts"

export interface ServerVarsContext extends InterpolationContext {
  /** Directory relative `envFile`, `cwd` and `command` paths start from (the config file's). */
  baseDir: string
  sourceOf(path: readonly PropertyKey[]): string
  /** How long an envFile that is a FIFO is waited for (default: core/user-file FIFO_WAIT_MS, the start's). */
  fifoWaitMs?: number
}

/** A problem of one server entry's `${…}` variable, or of its `envFile` that was read (not a dotenv file). */
export interface EntryVarProblem extends IssuePart {
  /** The entry: `[map key, server name]`. */
  at: [string, string]
  envFile?: true
}

export interface ServerVarsResult {
  /** One per problem with a `${…}` variable or an `envFile`'s lines: only that entry is invalid. */
  errors: EntryVarProblem[]
  /** Every envFile read or tried (absolute), an invalid entry's included: a change to one may change the config. */
  envFiles: string[]
  /** Entries whose `envFile` could not be read, by `[map key, server name]`: only that server fails (when it starts). */
  unreadable: Array<{ at: [string, string]; failure: EnvFileFailure }>
  /** Referenced variables that are not set (resolved to ""), and a shell's `$NAME` taken as written. */
  warnings: string[]
  /** Dot path → the unset variables its value was made of (a later "expected a non-empty string" names them). */
  unsetAt: Map<string, string[]>
  /** Values of secret variables put in anywhere (`Interpolated.secrets`): registered with the config's. */
  secrets: string[]
}

const STRING_FIELDS = ["command", "url", "cwd", "envFile"] as const
const MAP_FIELDS = ["env", "headers"] as const

export function resolveServerVars(merged: Record<string, unknown>, ctx: ServerVarsContext): ServerVarsResult {
  const res: ServerVarsResult = { errors: [], envFiles: [], unreadable: [], warnings: [], unsetAt: new Map(), secrets: [] }
  for (const mapKey of ["servers", "mcpServers"]) {
    const map = merged[mapKey]
    if (!isRecord(map)) continue
    for (const [name, entry] of Object.entries(map)) {
      if (isRecord(entry)) resolveEntry(entry, [mapKey, name], ctx, res)
    }
  }
  return res
}

function resolveEntry(entry: Record<string, unknown>, at: string[], ctx: ServerVarsContext, res: ServerVarsResult): void {
  const sub = (value: string, path: (string | number)[]): string => {
    const r = interpolate(value, ctx)
    const where = `${path.join(".")} (${ctx.sourceOf(path)})`
    // a shell's `$NAME`, taken as written: said (config/bare-vars)
    for (const name of bareVarNames(value, ctx.env)) res.warnings.push(bareVarWarning(where, name))
    for (const name of braceEnvNames(value)) res.warnings.push(braceEnvWarning(where, name))
    for (const e of r.errors) res.errors.push({ at: [at[0]!, at[1]!], path, source: ctx.sourceOf(path), problem: e })
    const unset = [...new Set(r.unset)]
    for (const u of unset) res.warnings.push(`${where}: \${${u}} is not set in the environment; it resolves to ""`)
    if (unset.length) res.unsetAt.set(path.join("."), unset)
    res.secrets.push(...r.secrets)
    return r.value
  }
  for (const f of STRING_FIELDS) if (typeof entry[f] === "string") entry[f] = sub(entry[f] as string, [...at, f])
  const args = entry.args
  if (Array.isArray(args)) entry.args = args.map((a, i) => (typeof a === "string" ? sub(a, [...at, "args", i]) : a))
  for (const f of MAP_FIELDS) {
    const m = entry[f]
    if (!isRecord(m)) continue
    const next: Record<string, unknown> = {}
    // defined, not assigned: a "__proto__" key stays a key (config/proto-keys reports it)
    for (const [k, v] of Object.entries(m)) Object.defineProperty(next, k, { value: typeof v === "string" ? sub(v, [...at, f, k]) : v, enumerable: true, writable: true, configurable: true })
    entry[f] = next
  }
  if (typeof entry.command === "string") resolveStdioPaths(entry, ctx.baseDir, homeDir(ctx.env))
  if (typeof entry.envFile === "string" && typeof entry.command === "string") readEnvFile(entry, at, ctx, res)
  if (entry.disabled !== true) res.warnings.push(...shortSecretWarnings(entry, at, ctx.sourceOf))
}

function readEnvFile(entry: Record<string, unknown>, at: string[], ctx: ServerVarsContext, res: ServerVarsResult): void {
  const key = [...at, "envFile"]
  const where = `${key.join(".")} (${ctx.sourceOf(key)})`
  const path = envFilePath(entry.envFile as string, ctx.baseDir, homeDir(ctx.env))
  res.envFiles.push(path)
  let text: string
  try {
    text = readEnvFileText(path, ctx.fifoWaitMs)
  } catch (e) {
    if (isFifoAhead(e)) throw e // the start loads again after a turn of the event loop (core/start-end)
    const code = (e as NodeJS.ErrnoException).code ?? String(e)
    res.unreadable.push({ at: [at[0]!, at[1]!], failure: { where, path, code } })
    if (entry.disabled !== true) res.warnings.push(`${where}: ${cannotRead(path, code)}; server ${at[1]} will fail to start until it can be read (the other servers are not affected)`)
    return
  }
  const parsed = parseDotenv(text)
  for (const p of parsed.problems) res.errors.push({ at: [at[0]!, at[1]!], path: key, source: ctx.sourceOf(key), problem: `${path} ${p}`, envFile: true })
  const env = isRecord(entry.env) ? entry.env : {}
  entry.env = { ...parsed.values, ...env }
}

/** Where an `envFile` is read from: relative paths start at the config file's directory; `~/` is the home directory. */
export function envFilePath(file: string, baseDir: string, home: string = homeDir()): string {
  const f = expandHome(file, home)
  return isAbsolute(f) ? f : resolve(baseDir, f)
}
