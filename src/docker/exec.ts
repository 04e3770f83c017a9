/**
 * @module docker/exec
 * The driver's engine: runs argv through a Runner, classifies failures, detects and caches the era
 * (re-probing after an "obsolete command" error) and parses output through the parser registry.
 */
import { ToolkitError, silentLogger, type Logger } from "../core/index.ts"
import { common } from "./argv.ts"
import { asksForJson, classifyEmptyOutput, classifyRun } from "./classify.ts"
import { eraFromVersion, makeEraInfo, parseVersion, type EraInfo } from "./era.ts"
import type { ParserRegistry } from "./registry.ts"
import { DEFAULT_TIMEOUT_MS, commandLabel, type RunResult, type Runner } from "./runner.ts"
import type { KindResult, ParseKind } from "./types.ts"

export interface CallOptions {
  signal?: AbortSignal
  /** Called for long operations (catalog pull, enable). */
  progress?: (progress: number, total?: number, message?: string) => void | Promise<void>
}


/**
 * The CLI no longer matches the detected era: a legacy command is "obsolete" (profiles were switched
 * on, or the Toolkit was upgraded past v0.41), or a profiles-era command is unknown (profiles were
 * switched off again on v0.28–v0.41: `unknown command "profile" for "docker mcp"`).
 */
function eraChanged(e: unknown, info: EraInfo): boolean {
  if (!(e instanceof ToolkitError)) return false
  if (e.code === "OBSOLETE_COMMAND") return true
  if (info.era !== "profiles" || e.code !== "COMMAND_FAILED") return false
  return /unknown command "(profile|catalog-next|workingset)" for "docker mcp"/.test(e.message)
}

/** Commands that start servers or pull images get at least this long. */
export const SLOW_COMMAND_TIMEOUT_MS = 120_000

export class ToolkitExec {
  private era: Promise<EraInfo> | undefined
  constructor(
    readonly runner: Runner,
    readonly parsers: ParserRegistry,
    readonly timeoutMs: number = DEFAULT_TIMEOUT_MS,
    readonly log: Logger = silentLogger,
  ) {}

  /** Runs argv; throws the classified ToolkitError on failure. */
  async run(args: readonly string[], opts: CallOptions = {}, timeoutMs = this.timeoutMs): Promise<RunResult> {
    const started = performance.now()
    const res = await this.runner({ args, timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) })
    const err = classifyRun(args, res, timeoutMs, timeoutMs > this.timeoutMs ? SLOW_COMMAND_TIMEOUT_MS : undefined)
    this.log.debug("docker command", { command: commandLabel(args), exitCode: res.exitCode, timedOut: res.timedOut, ms: Math.round(performance.now() - started) })
    if (err) throw err
    return res
  }

  /** Runs argv and parses stdout as `kind` for the current era. */
  async parsed<K extends ParseKind>(kind: K, args: readonly string[], info: EraInfo, opts: CallOptions = {}, timeoutMs = this.timeoutMs): Promise<KindResult<K>> {
    const res = await this.run(args, opts, timeoutMs)
    // An empty answer to a JSON command is a failure, not an empty list (the parsers read Go's
    // `null` as []; Go never prints nothing for JSON). Legacy `config read` may be empty: not JSON.
    if (res.stdout.trim() === "" && asksForJson(args)) throw classifyEmptyOutput(args, res, { version: info.version, era: info.era })
    return this.parsers.parseAsync(kind, res.stdout, { version: info.version, era: info.era, command: commandLabel(args) })
  }

  /** The era, detected once per process (a failed detection is not cached). */
  info(opts: CallOptions = {}): Promise<EraInfo> {
    if (!this.era) {
      const p = this.detect(opts)
      this.era = p
      p.catch(() => {
        if (this.era === p) this.era = undefined
      })
    }
    return this.era
  }

  invalidate(): void {
    this.era = undefined
  }

  /** Timeout for `tools ls` (starts every enabled server) and catalog pulls. */
  get slowTimeoutMs(): number {
    return Math.max(this.timeoutMs, SLOW_COMMAND_TIMEOUT_MS)
  }

  /**
   * Runs `op` with the current era; when the CLI answers "This command is obsolete" (profiles were
   * switched on since detection), re-detects the era once and runs `op` again.
   */
  async withEra<T>(op: (info: EraInfo) => Promise<T>, opts: CallOptions = {}): Promise<T> {
    const info = await this.info(opts)
    try {
      return await op(info)
    } catch (e) {
      if (!eraChanged(e, info)) throw e
      this.log.info("docker mcp no longer answers like the detected CLI era; re-detecting it", { version: info.version, era: info.era, code: (e as ToolkitError).code })
      this.invalidate()
      const fresh = await this.info(opts)
      return op(fresh)
    }
  }

  private async detect(opts: CallOptions): Promise<EraInfo> {
    const res = await this.run(common.version(), opts)
    const version = res.stdout.trim().split("\n")[0] ?? ""
    const semver = parseVersion(version)
    const byVersion = eraFromVersion(semver)
    if (byVersion) return this.done(makeEraInfo(version, byVersion))
    // v0.28–v0.41 (or an unreadable version): profiles are on iff `profile list` answers JSON.
    const probe = await this.runner({ args: common.profileProbe(), timeoutMs: this.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) })
    const err = classifyRun(common.profileProbe(), probe, this.timeoutMs)
    if (err && err.code !== "COMMAND_FAILED" && err.code !== "UNKNOWN_FLAG") throw err
    // `profile list --format json` prints `[]` at least; nothing at all is a failure, not "profiles on".
    if (!err && probe.stdout.trim() === "") throw classifyEmptyOutput(common.profileProbe(), probe, { version, era: "undetermined" })
    let profilesOn = false
    if (!err) {
      try {
        profilesOn = Array.isArray(JSON.parse(probe.stdout.trim() || "null") ?? [])
      } catch {
        profilesOn = false
      }
    }
    return this.done(makeEraInfo(version, profilesOn ? "profiles" : "legacy"))
  }

  private done(info: EraInfo): EraInfo {
    this.log.info("docker mcp detected", { version: info.version, era: info.era, generation: info.generation })
    return info
  }
}
