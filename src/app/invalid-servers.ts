/**
 * @module app/invalid-servers
 * Server entries left out of the config because they are invalid (config/invalid-servers): one
 * error line each at start and on a reload (key, file:line, each problem, the fix), and their rows
 * in orchestrator_status, so the model learns why a server's tools are missing. A reload that finds
 * a running server's entry invalid keeps the last valid definition running (`keepRunning`), as does
 * one whose `envFile` a reload cannot read (`unreadableEnvFiles`).
 */
import { cannotRead, envFileFailure, invalidServerLines, invalidServerSummary, type Config, type InvalidServer, type LoadedConfig } from "../config/index.ts"
import type { Logger } from "../core/index.ts"
import type { Status } from "../mcp/index.ts"

type ServerRow = Status["servers"][number]

/** The state of a left-out entry's row in orchestrator_status. */
export const INVALID_STATE = "invalid-config"

export function logInvalidServers(log: Logger, invalid: readonly InvalidServer[] | undefined, trigger?: string): void {
  for (const s of invalid ?? []) {
    const what = s.running
      ? "config: server entry is invalid; its last valid definition keeps running"
      : s.disabled
        ? "config: a disabled server entry is invalid (it is not started anyway; fix it before enabling it)"
        : "config: server entry is invalid and left out; the other servers run"
    log[s.disabled && !s.running ? "warn" : "error"](what, {
      server: s.name,
      entry: s.entry,
      source: s.source,
      problems: invalidServerLines([s]),
      remedy: s.remedy,
      ...(trigger ? { trigger } : {}),
    })
  }
}

/**
 * Status rows for left-out entries that do not run (one that a reload kept running, or a second
 * entry of a name that is served, has its session's row; `config.invalidServers` names it): state
 * invalid-config, the problems as the error.
 */
export function invalidServerRows(invalid: readonly InvalidServer[] | undefined, configured: Readonly<Record<string, unknown>>): ServerRow[] {
  return (invalid ?? [])
    .filter((s) => !s.running && !Object.hasOwn(configured, s.name))
    .map((s) => ({
      name: s.name,
      source: "config" as const,
      state: INVALID_STATE,
      tools: 0,
      inFlight: 0,
      queued: 0,
      calls: 0,
      failures: 0,
      lastError: `not started: ${s.disabled ? "disabled, and its config entry is invalid" : "its config entry is invalid"}: ${invalidServerSummary(s)}`,
      remedy: s.remedy,
    }))
}

/**
 * A reload whose file has a running server's entry invalid: that server keeps its running
 * definition (put into `next.servers`, so the diff leaves it alone; warm if the file says so) and is
 * marked `running`. An entry that never ran stays out. Returns the names kept.
 */
export function keepRunning(running: Config, next: Config, invalid: readonly InvalidServer[] | undefined): string[] {
  const kept: string[] = []
  for (const s of invalid ?? []) {
    // an entry cut down to `disabled: true` (no command left) says stop it, however invalid
    if (s.disabled) continue
    const spec = Object.hasOwn(running.servers, s.name) ? running.servers[s.name] : undefined
    // a valid entry of that name in the other map (servers / mcpServers) is the one that runs
    if (!spec || spec.disabled || Object.hasOwn(next.servers, s.name)) continue
    next.servers[s.name] = spec
    if (s.warm && !next.warm.includes(s.name)) next.warm.push(s.name)
    s.running = true
    kept.push(s.name)
  }
  return kept
}

/**
 * A reload that cannot read a running server's `envFile` (deleted, its folder removed or renamed
 * away, a `git checkout` or an editor's save under way, a permission change): the server is not
 * restarted into a start that fails; its entry is listed as invalid (the file named, with the fix)
 * for `keepRunning` to keep its last valid definition running, as for an entry that became invalid.
 * A server that was not running from a readable file (new, disabled, its file already unreadable)
 * is left to fail its start as at start. Moves those entries out of `next.config.servers` into
 * `next.invalidServers`, drops the load's "will fail to start" warning for them, returns their names.
 */
export function unreadableEnvFiles(running: Config, next: LoadedConfig): string[] {
  const moved: string[] = []
  for (const [name, spec] of Object.entries(next.config.servers)) {
    const failure = envFileFailure(spec)
    const was = Object.hasOwn(running.servers, name) ? running.servers[name] : undefined
    if (!failure || spec.disabled || !was || was.disabled || envFileFailure(was)) continue
    const problem = `${cannotRead(failure.path, failure.code)}; its last valid definition keeps running until the file can be read again`
    const at = failure.where.replace(/ \(.*$/, "")
    const source = /\((.*)\)$/.exec(failure.where)?.[1] ?? ""
    delete next.config.servers[name]
    next.invalidServers = [
      ...(next.invalidServers ?? []),
      {
        name,
        entry: at.replace(/\.envFile$/, ""),
        source,
        problems: [{ at, source, problem }],
        remedy: `Restore ${failure.path} (dotenv lines: KEY=VALUE), or change or remove the envFile named at ${failure.where}; the file is read again when it changes.`,
        ...(next.config.warm.includes(name) ? { warm: true } : {}),
      },
    ]
    next.warnings = next.warnings?.filter((w) => !w.startsWith(`${failure.where}: `))
    moved.push(name)
  }
  return moved
}
