/**
 * @module config/invalid-servers
 * One bad server entry does not take the others down: each entry of `servers` and `mcpServers` is
 * judged on its own (its schema problems, its `${…}` variables, its `envFile`'s lines), and one that
 * fails is left out of the loaded config with its problems (key, file:line, what was expected) and a
 * remedy; serve logs it and orchestrator_status shows it, doctor fails on it. Problems anywhere else
 * (a top-level key, proxy, cache…) stay an error of the whole file, as does a file whose every
 * server entry is invalid (nothing would be served: most likely a shape pasted wrong).
 */
import { issueLine, type IssuePart } from "./issues.ts"
import type { EntryVarProblem } from "./server-vars.ts"
import type { Config } from "./schema.ts"

export const SERVER_MAPS = ["servers", "mcpServers"] as const

/** A server entry left out of the loaded config. */
export interface InvalidServer {
  /** The entry's name (its tools would be `name__…`). */
  name: string
  /** `servers.NAME` or `mcpServers.NAME` (not `key`: a field so named is redacted). */
  entry: string
  /** Where the entry is written (file:line). */
  source: string
  /** Each problem: key path relative to the config (`servers.a.args`), its source, what was expected. */
  problems: { at: string; source: string; problem: string }[]
  /** What to do about it. */
  remedy: string
  /** Named in `warm` (taken out of it while the entry is left out; a reload that keeps the server running keeps it warm). */
  warm?: boolean
  /** Set by a config reload: the entry was valid before, and its last valid definition keeps running. */
  running?: boolean
  /** The entry says `disabled: true`: it would not start anyway, so it is a warning, not an error (serve, doctor). */
  disabled?: boolean
}

const SCHEMA_REMEDY = "Fix the keys named (see docs/config.md), or run `mcp-orchestrator doctor`; the other servers run meanwhile."
export const VAR_REMEDY = "Use a known variable (${env:NAME}, ${NAME:-default}, ${userHome}, ${workspaceFolder}…) or write $${ for a literal ${."
export const ENV_FILE_REMEDY =
  "Fix the envFile: it must hold dotenv lines: KEY=VALUE, `export KEY=VALUE`, # comments, values bare, 'single-' or \"double-quoted\" (no ${…} expansion)."

/** The server entry a key path lies in (`["servers", "a", "args"]`: servers.a), if any. */
function entryOf(path: readonly PropertyKey[]): [string, string] | undefined {
  return path.length >= 2 && (SERVER_MAPS as readonly string[]).includes(String(path[0])) ? [String(path[0]), String(path[1])] : undefined
}

/**
 * The problems of a load split into those of server entries (by entry, in the order met) and the
 * rest (an error of the whole file).
 */
export function splitEntryProblems(
  issues: readonly IssuePart[],
  vars: readonly EntryVarProblem[],
  sourceOf: (path: readonly PropertyKey[]) => string,
): { invalid: InvalidServer[]; rest: IssuePart[] } {
  const byEntry = new Map<string, { at: [string, string]; parts: IssuePart[]; remedies: Set<string> }>()
  const add = (at: [string, string], part: IssuePart, remedy: string): void => {
    const k = at.join("\u0000")
    const e = byEntry.get(k) ?? { at, parts: [], remedies: new Set<string>() }
    e.parts.push(part)
    e.remedies.add(remedy)
    byEntry.set(k, e)
  }
  for (const v of vars) add(v.at, v, v.envFile ? ENV_FILE_REMEDY : VAR_REMEDY)
  const rest: IssuePart[] = []
  for (const part of issues) {
    const at = entryOf(part.path)
    if (at) add(at, part, SCHEMA_REMEDY)
    else rest.push(part)
  }
  const invalid = [...byEntry.values()].map(({ at, parts, remedies }) => ({
    name: at[1],
    entry: at.join("."),
    source: sourceOf(at),
    problems: parts.map((p) => ({ at: p.path.map(String).join("."), source: p.source, problem: p.problem })),
    remedy: [...remedies].join(" "),
  }))
  return { invalid, rest }
}

/** Every problem of left-out entries as `key (source): what` lines (for an error of the whole file). */
export function invalidServerLines(invalid: readonly InvalidServer[]): string[] {
  return invalid.flatMap((s) => s.problems.map((p) => issueLine({ path: p.at.split("."), source: p.source, problem: p.problem })))
}

/** The entry's problems in one line: `servers.a.args (file:4): expected …; servers.a.type (file:5): …` */
export function invalidServerSummary(s: InvalidServer): string {
  return invalidServerLines([s]).join("; ")
}

/**
 * `warm` and `toolsets.*.servers` naming a left-out server: a warning (the entry is the error), not
 * an error of the whole file. The names are taken out of `config.warm` (marked `warm` on the entry);
 * a toolset keeps naming it (it shows no tools of it until the entry is fixed).
 */
export function leftOutReferences(config: Config, invalid: readonly InvalidServer[], sourceOf: (path: readonly PropertyKey[]) => string): string[] {
  const out = new Set(invalid.map((s) => s.name))
  const why = (name: string): string => {
    const s = invalid.find((i) => i.name === name)!
    return `"${name}" is left out: its entry ${s.entry} (${s.source}) is invalid`
  }
  const warnings: string[] = []
  for (const w of config.warm) {
    if (!out.has(w) || Object.hasOwn(config.servers, w)) continue
    warnings.push(`warm (${sourceOf(["warm"])}): ${why(w)}; it is not started from this entry until the entry is fixed (a server already running when a reload found the entry invalid keeps its last valid definition)`)
    for (const s of invalid) if (s.name === w) s.warm = true
  }
  config.warm = config.warm.filter((w) => !out.has(w) || Object.hasOwn(config.servers, w))
  for (const [name, ts] of Object.entries(config.toolsets)) {
    for (const [i, s] of (ts.servers ?? []).entries()) {
      if (out.has(s) && !Object.hasOwn(config.servers, s)) warnings.push(`toolsets.${name}.servers.${i} (${sourceOf(["toolsets", name, "servers", i])}): ${why(s)}; the toolset shows its tools once the entry is fixed`)
    }
  }
  return warnings
}
