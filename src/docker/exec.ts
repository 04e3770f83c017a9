/**
 * @module docker/exec
 * The driver's engine: runs argv through a Runner, classifies failures, detects and caches the era
 * (re-probing after an "obsolete command" error; the version read again after its TTL, by status,
 * and after a failure that suggests another CLI; listeners hear of every change) and parses output
 * through the parser registry.
 */
import { ToolkitError, cutText, errorMessage, isRecord, silentLogger, type Logger } from "../core/index.ts"
import { cliText, decodeText } from "./parsers/common.ts"
import { common } from "./argv.ts"
import { DB_BUSY, asksForJson, classifyEmptyOutput, classifyRun, errorOnStdout, failedEmptyRead, maskToolkitText } from "./classify.ts"
import { eraFromVersion, makeEraInfo, parseVersion, withCatalogCommand, type EraInfo } from "./era.ts"
import { leftOutOf, unparseable, type ParserRegistry } from "./registry.ts"
import { withPartial } from "./partial.ts"
import { eraLacksCommand, unknownSubcommand } from "./unknown-command.ts"
import { DEFAULT_TIMEOUT_MS, commandLabel, type RunResult, type Runner } from "./runner.ts"
import type { KindResult, ParseKind } from "./types.ts"

export interface CallOptions {
  signal?: AbortSignal
  /**
   * Do not wait for Docker Desktop or its engine to come up (DESKTOP_STARTING, DAEMON_DOWN): fail at
   * the first refusal. For a probe a first answer waits on (serve's start); it leaves no memo that
   * would keep a later, waiting try from waiting.
   */
  noWait?: boolean
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
  return ["profile", "catalog-next", "workingset"].includes(unknownSubcommand(e.message) ?? "")
}

/**
 * A failure that may come from another CLI than the one detected (an in-place upgrade or downgrade):
 * a flag or command it does not know, or output no parser of the detected version reads. Only these
 * make the driver read `docker mcp version` again before giving up.
 */
function suggestsOtherCli(e: unknown): boolean {
  if (!(e instanceof ToolkitError)) return false
  if (e.code === "UNKNOWN_FLAG" || e.code === "OUTPUT_UNPARSEABLE") return true
  return e.code === "COMMAND_FAILED" && /\bunknown (shorthand flag|flag|command)\b/.test(e.message)
}

/** The detected CLI changed: another era, generation or version (an upgrade in place, profiles switched). */
export interface EraChange {
  from: EraInfo
  to: EraInfo
  /** What made the driver look again, e.g. `version changed`, `command obsolete`. */
  reason: string
}

function sameCli(a: EraInfo, b: EraInfo): boolean {
  return a.era === b.era && a.generation === b.generation && a.version === b.version && a.ociCatalogCommand === b.ociCatalogCommand
}

/**
 * A line that is a notice about something else (`WARNING: Docker Desktop 4.62.0 is available`,
 * `Tip: …`, the engine's or Go's version): its numbers are not the plugin's version.
 */
const NOTICE_LINE = /^(?:warn(?:ing)?|tip|hint|note|notice|info|deprecat\w*|update|error|go)\b/i
/** A line about Docker Desktop or the engine, whose bare `X.Y.Z` is theirs (a `vX.Y.Z` on it is still the plugin's). */
const OTHER_PRODUCT = /docker desktop|docker engine/i
/**
 * A line announcing another version than the one running (`A new version of docker-mcp is
 * available: v0.44.0`, `Update available: v0.43.3 → v0.44.0`, `upgrade to v0.44.0`): its `vX.Y.Z`
 * is the offered one, whatever the line opens with.
 */
const ANNOUNCES_VERSION = /\b(?:available|newer|new (?:version|release)|latest|upgrade|update|released|out now|is out|download|install)\b/i
/** The whole line is a version (`v0.43.3`, `v0.43.3-6-g2bd20fe8-dirty`, `v0.43.3 (go1.24.1)`): what `docker mcp version` prints. */
const BARE_VERSION_LINE = /^v?\d+\.\d+\.\d+[\w.+-]*(?:\s+\([^()]*\))?$/

function isNotice(line: string): boolean {
  return NOTICE_LINE.test(line) || ANNOUNCES_VERSION.test(line) || (OTHER_PRODUCT.test(line) && !/(?<![\w.])v\d+\.\d+\.\d+/.test(line))
}

/** What a terminal shows as nothing: a BOM or zero-width mark anywhere on the line, control bytes (NUL, a lone CR). */
const INVISIBLE = /[\uFEFF\u200B-\u200D\u2060\u0000-\u0008\u000B-\u001F\u007F]/g

/**
 * The line of `docker mcp version`'s output that holds the version: the first that is a version
 * alone, else the first that reads as one and is no notice about something else (an update notice
 * names the version offered, not the one running; a Desktop hint, with the Desktop's own version,
 * may come before it on stdout; ANSI colours and a redrawn progress line are read as
 * a terminal shows them); the plugin's metadata JSON gives its `Version`. When only notices hold
 * a version, none is taken (`""`: the era is probed), never the Desktop's number for the plugin's.
 */
export function versionLineOf(stdout: string): string {
  const text = cliText(stdout).trim()
  const meta = versionOfMetadata(text)
  if (meta !== undefined) return meta
  const lines = text.split(/\r?\n/).map((l) => l.replace(INVISIBLE, "").trim()).filter(Boolean)
  const withVersion = lines.filter((l) => parseVersion(l) !== null)
  if (withVersion.length === 0) return lines[0] ?? ""
  return withVersion.find((l) => BARE_VERSION_LINE.test(l)) ?? withVersion.find((l) => !isNotice(l)) ?? ""
}

/** `{"SchemaVersion":"0.1.0","Vendor":"Docker Inc.","Version":"v0.43.3",…}` (the plugin metadata) → its Version. */
function versionOfMetadata(text: string): string | undefined {
  if (!text.startsWith("{")) return undefined
  try {
    const v: unknown = JSON.parse(text)
    if (!isRecord(v)) return undefined
    const version = v.Version ?? v.version
    return typeof version === "string" ? version : undefined
  } catch {
    return undefined
  }
}

/** `docker mcp version` printed as the driver keeps it (`v0.43.3`, or `unknown`). */
function normalVersion(line: string): string {
  const v = parseVersion(line)
  return v ? `v${v.major}.${v.minor}.${v.patch}` : "unknown"
}

/**
 * How long a detected version is trusted before an operation reads `docker mcp version` again
 * (one cheap command: it skips the Desktop check). Failures that suggest another CLI and
 * `status()` check at once, whatever the TTL.
 */
export const DEFAULT_VERSION_TTL_MS = 5 * 60_000

/**
 * The waits (ms) before running a command again while Docker Desktop is still starting its engine:
 * four more tries over 15 s, then DESKTOP_STARTING is reported (a start that takes longer is
 * stuck, or a minute away: the user is told to wait and retry).
 */
export const STARTING_RETRY_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000]

/**
 * How long a failed `docker mcp version` (exit 1, a panic, a timeout) is not run again for the same
 * CLI (`ToolkitExec.cliStamp`): before, every Toolkit call asked it again, twice (the cache key and
 * the era check), a timing-out one holding each call for the whole timeout. The engine's own
 * failures (DAEMON_DOWN, DESKTOP_*) have their waits and memo instead; a cancel is no answer.
 */
export const VERSION_FAIL_HOLD_MS = 15_000
const NOT_HELD: ReadonlySet<string> = new Set(["DAEMON_DOWN", "DESKTOP_NOT_RUNNING", "DESKTOP_STARTING", "CANCELLED"])

/**
 * The waits (ms) before running a command again while the Docker engine cannot be reached at all
 * (DAEMON_DOWN: its socket or pipe missing, the connection refused): right after login or a Docker
 * Desktop (re)start the engine's socket appears seconds after Desktop itself. Three more tries over
 * 7 s, shorter than STARTING_RETRY_MS: a daemon that is simply stopped costs each call this wait.
 */
export const DAEMON_RETRY_MS: readonly number[] = [1_000, 2_000, 4_000]

/**
 * The waits before running a command again whose Toolkit database was busy ("database is locked",
 * the migration lock: another `docker mcp` held it past the CLI's own 5 s busy_timeout; the
 * transaction was rolled back, so nothing changed and a change is safe to run again). Short and
 * bounded: a gateway starting or a second window's write ends within seconds; a process stuck on
 * the database does not, and the user is told "busy, try again" after these.
 */
export const DB_BUSY_RETRY_MS: readonly number[] = [500, 1_500]

/**
 * After the engine stayed unreachable through every wait, commands within this long report
 * DAEMON_DOWN at once (one try each): a stopped daemon is not waited for again on every call.
 */
export const DAEMON_DOWN_MEMO_MS = 30_000

/** DAEMON_DOWN because nothing answers at the engine's address (not permission denied, not a missing context): may be an engine still booting. */
function engineUnreachable(err: ToolkitError | null): boolean {
  return err?.code === "DAEMON_DOWN" && /^The Docker (?:daemon|engine) is not reachable/.test(err.message)
}

/** Waits `ms`, or less when `signal` fires: true when the whole wait passed. */
function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (full: boolean): void => {
      clearTimeout(timer)
      signal?.removeEventListener("abort", onAbort)
      resolve(full)
    }
    const onAbort = (): void => done(false)
    const timer = setTimeout(() => done(true), ms)
    signal?.addEventListener("abort", onAbort, { once: true })
  })
}

/** Commands that start servers or pull images get at least this long. */
export const SLOW_COMMAND_TIMEOUT_MS = 120_000

/** The era probe (`profile list --format json`) exited 0: its output must be a list of profiles. */
function probeSaysProfiles(stdout: string, version: string): true {
  let value: unknown
  let why = "it is not a list of profiles"
  try {
    value = decodeText(stdout)
  } catch (e) {
    why = errorMessage(e)
  }
  if (value === null || Array.isArray(value)) return true
  if (isRecord(value) && Object.values(value).some((v) => Array.isArray(v))) return true
  const err = unparseable("profiles", stdout, { version: normalVersion(version), era: undefined, command: commandLabel(common.profileProbe()) }, why)
  throw new ToolkitError("OUTPUT_UNPARSEABLE", `${err.message}. It exited 0, so the Toolkit has profiles, but the driver cannot tell which era to use`, { remedy: `${err.remedy ?? ""} Or run \`docker mcp profile list --format json\` by hand: it should print a JSON list.`.trim(), ...(err.details ? { details: err.details } : {}) })
}

/**
 * The era probe's failure is the CLI lacking the `profile` command (`unknown command "profile" for
 * "docker mcp"`, or docker's own wordings of it): a legacy CLI, or v0.28–v0.41 with profiles off.
 */
function saysNoProfileCommand(err: ToolkitError): boolean {
  return (err.code === "COMMAND_FAILED" || err.code === "UNKNOWN_FLAG") && err.details?.crashed !== true && unknownSubcommand(err.message) === "profile"
}

/**
 * The era probe failed (Docker Desktop not running, the daemon down, the Toolkit off): the error
 * names the version read before it, as every later command's does (`[Toolkit v0.35.0, era not
 * detected]`), since no era was detected for `located` to name.
 */
function probeFailed(err: ToolkitError, version: string): ToolkitError {
  if (err.message.includes("[Toolkit ")) return err
  return new ToolkitError(err.code, `${err.message} [Toolkit ${version}, era not detected: v0.28–v0.41 need this probe]`, {
    ...(err.remedy !== undefined ? { remedy: err.remedy } : {}),
    details: { ...err.details, version, era: "undetermined" },
    cause: err,
  })
}

/**
 * `e` naming the CLI it came from (`… [Toolkit v0.43.3, profiles era]`), as every Toolkit error
 * does: a command's failure, and as much the driver's own refusals made on the CLI's answers (a
 * server not in the catalog, not enabled, a profile not created). An error that names the version
 * already is returned as it is.
 */
export function toolkitLocated(e: ToolkitError, version: string, era: string): ToolkitError {
  if (e.message.includes(`Toolkit ${version}`) || e.message.includes("[Toolkit ")) return e
  return new ToolkitError(e.code, `${e.message} [Toolkit ${version}, ${era} era]`, {
    ...(e.remedy !== undefined ? { remedy: e.remedy } : {}),
    details: { ...e.details, version, era },
    cause: e,
  })
}

/** A parsed answer with nothing in it: an empty list, a catalog without servers, an empty config map. */
function isEmptyAnswer(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0
  if (value === null || value === undefined) return true
  if (typeof value !== "object") return false
  const servers = (value as { servers?: unknown }).servers
  if (Array.isArray(servers)) return servers.length === 0
  return Object.keys(value).length === 0
}

/** The start of a command's output, for a message (one line, bounded). */
function firstChars(text: string): string {
  const t = text.trim().replace(/\s+/g, " ")
  return t.length > 40 ? `${cutText(t, 40)}…` : t
}

export class ToolkitExec {
  private era: Promise<EraInfo> | undefined
  /** The last detection's outcome (kept across `invalidate`, so the next one can tell a change). */
  private current: EraInfo | undefined
  /** performance.now() of the last detection or version check that confirmed `current`. */
  private checkedAt = 0
  private versionCheck: Promise<EraInfo> | undefined
  private readonly listeners = new Set<(change: EraChange) => void>()
  /** How many detections have completed (a caller can tell whether one ran just now). */
  detections = 0
  /** Why the next detection runs (said to the listeners when it finds a change). */
  private why = "re-detected"
  constructor(
    readonly runner: Runner,
    readonly parsers: ParserRegistry,
    readonly timeoutMs: number = DEFAULT_TIMEOUT_MS,
    readonly log: Logger = silentLogger,
    readonly versionTtlMs: number = DEFAULT_VERSION_TTL_MS,
    /** What a failure really is, where the CLI's own words hide it (a broken plugin read as "not installed"). */
    readonly explain: (err: ToolkitError) => Promise<ToolkitError> = async (err) => err,
    /** The waits before running a command again while Docker Desktop is starting (DESKTOP_STARTING). */
    readonly startingRetryMs: readonly number[] = STARTING_RETRY_MS,
    /** The waits before running a command again while the Docker engine cannot be reached (DAEMON_DOWN). */
    readonly daemonRetryMs: readonly number[] = DAEMON_RETRY_MS,
    /** The waits before running a command again whose Toolkit database was busy (DB_BUSY). */
    readonly dbBusyRetryMs: readonly number[] = DB_BUSY_RETRY_MS,
  ) {}
  /** When the engine was last found unreachable after every wait (DAEMON_DOWN_MEMO_MS). */
  private daemonDownAt: number | undefined

  /** Called (synchronously, after the new era is in place) whenever a detection finds another CLI than the last one. */
  onChange(listener: (change: EraChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Runs argv; throws the classified ToolkitError on failure. */
  async run(args: readonly string[], opts: CallOptions = {}, timeoutMs = this.timeoutMs): Promise<RunResult> {
    const { res, err } = await this.attempt(args, opts, timeoutMs, timeoutMs > this.timeoutMs ? SLOW_COMMAND_TIMEOUT_MS : undefined)
    if (err) throw await this.explain(err)
    return res
  }

  /**
   * Runs argv and classifies the result; while Docker Desktop is still starting its engine
   * (DESKTOP_STARTING: a few seconds to a minute after login or a Desktop update), waits and runs it
   * again, `startingRetryMs` apart. The CLI refused before doing anything (its Desktop and engine
   * checks come first), so running it again, a change included, is safe. The last error says how
   * long the driver waited.
   */
  private async attempt(args: readonly string[], opts: CallOptions, timeoutMs: number, floorMs?: number): Promise<{ res: RunResult; err: ToolkitError | null }> {
    let waited = 0
    for (let i = 0; ; i++) {
      const started = performance.now()
      const res = await this.runner({ args, timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) })
      const err = classifyRun(args, res, timeoutMs, floorMs)
      this.log.debug("docker command", { command: commandLabel(args), exitCode: res.exitCode, timedOut: res.timedOut, ms: Math.round(performance.now() - started) })
      const down = engineUnreachable(err)
      // the database busy: the CLI rolled back, nothing changed (a failure exit only)
      const busy = err?.code === "COMMAND_FAILED" && DB_BUSY.test(res.stderr)
      // a command that exited 0 ran (a change said failed on stderr may still have been made): never run again
      if ((err?.code !== "DESKTOP_STARTING" && !down && !busy) || res.exitCode === 0) {
        if (!err || err.code !== "DAEMON_DOWN") this.daemonDownAt = undefined
        return { res, err }
      }
      // an engine found unreachable through every wait a moment ago is not waited for again
      const recent = down && i === 0 && this.daemonDownAt !== undefined && Date.now() - this.daemonDownAt < DAEMON_DOWN_MEMO_MS
      if (recent) {
        const ago = Math.round((Date.now() - (this.daemonDownAt as number)) / 1000)
        return { res, err: new ToolkitError(err!.code, `${err!.message} (nor was it ${ago} s ago, after the waits; not waited for again)`, { ...(err!.remedy !== undefined ? { remedy: err!.remedy } : {}), details: { ...err!.details, tries: 1 } }) }
      }
      const wait = opts.noWait === true && !busy ? undefined : (busy ? this.dbBusyRetryMs : down ? this.daemonRetryMs : this.startingRetryMs)[i]
      if (wait === undefined || opts.signal?.aborted || !(await pause(wait, opts.signal))) {
        if (down && wait === undefined && opts.noWait !== true) this.daemonDownAt = Date.now()
        if (i === 0) return { res, err }
        return {
          res,
          err: new ToolkitError(err!.code, `${err!.message}; still so after ${i + 1} tries over ${Math.round(waited / 1000)} s`, {
            ...(err!.remedy !== undefined ? { remedy: err!.remedy } : {}),
            details: { ...err!.details, tries: i + 1, waitedMs: waited },
          }),
        }
      }
      waited += wait
      this.log.info(busy ? "The Toolkit's database is busy (another docker mcp holds it); running the command again" : down ? "The Docker engine is not reachable yet (Docker Desktop may be starting); running the command again" : "Docker Desktop is still starting; running the command again", { command: commandLabel(args), try: i + 2, waitedMs: waited })
    }
  }

  /** Runs argv and parses stdout as `kind` for the current era. */
  async parsed<K extends ParseKind>(kind: K, args: readonly string[], info: EraInfo, opts: CallOptions = {}, timeoutMs = this.timeoutMs, read: { failedEmpty?: boolean } = {}): Promise<KindResult<K>> {
    const res = await this.run(args, opts, timeoutMs)
    // An empty answer to a JSON command is a failure, not an empty list (the parsers read Go's
    // `null` as []; Go never prints nothing for JSON). Legacy `config read` may be empty: not JSON,
    // but an empty read whose stderr says it failed is that failure (`failedEmpty`).
    // (nothing as a terminal shows it: colour codes, a BOM or a `What's next:` block alone print no answer)
    // Every read but legacy `config read` (raw YAML, an empty file is empty) prints JSON, flag or not
    // (legacy `server inspect -- NAME` has none): nothing is a failure, quoted from stderr.
    if (cliText(res.stdout).trim() === "" && (asksForJson(args) || kind !== "config")) throw classifyEmptyOutput(args, res, { version: info.version, era: info.era })
    const failed = read.failedEmpty ? failedEmptyRead(args, res, { version: info.version, era: info.era }) : null
    if (failed) throw failed
    try {
      const command = commandLabel(args)
      let left: readonly string[] = []
      const ctx = { version: info.version, era: info.era, command }
      const value = await this.parsers.parseAsync(kind, res.stdout, {
        ...ctx,
        onSkipped: (notes) => {
          left = notes
          this.partlyRead(command, info, notes)
        },
      })
      // an empty answer (`null`, `[]`, no servers) whose stderr says the command failed is that failure
      const failedEmpty = isEmptyAnswer(value) ? failedEmptyRead(args, res, { version: info.version, era: info.era }, `an empty result (${JSON.stringify(maskToolkitText(firstChars(res.stdout)))})`) : null
      if (failedEmpty) throw failedEmpty
      // the value carries what its read left out (cached with it: the answer says so in every
      // process, hours later): a catalog or inspect result in its `leftOut` field, a list beside it
      if (left.length === 0) return value
      const l = leftOutOf(kind, left, ctx)
      if (kind === "catalog" || kind === "inspect") return { ...(value as KindResult<"catalog" | "inspect">), leftOut: l } as KindResult<K>
      // a list or a configuration map: the note rides beside it (docker/partial)
      return typeof value === "object" && value !== null ? withPartial(value, l) : value
    } catch (e) {
      // unreadable output that is a known error text: the CLI printed its error on stdout, exit 0
      if (e instanceof ToolkitError && e.code === "OUTPUT_UNPARSEABLE") throw errorOnStdout(args, res, { version: info.version, era: info.era }) ?? e
      throw e
    }
  }

  /**
   * A command's output was read but some of its entries were not (a shape the driver does not
   * know): a warning naming the command, the CLI and what was left out (masked: entry names come
   * from the CLI), so the partial answer is never taken for the whole.
   */
  private partlyRead(command: string, info: EraInfo, notes: readonly string[]): void {
    this.log.warn("docker mcp output only partly read: entries of a shape the driver does not know were left out", {
      command,
      version: info.version,
      era: info.era,
      leftOut: notes.length,
      first: notes.slice(0, 5).map((n) => maskToolkitText(n)),
      remedy: "Update mcp-orchestrator, or handle the new format with a parser plugin (docs/toolkit-driver.md).",
    })
  }

  /**
   * The era, detected once (a failed detection is not cached) and trusted for `versionTtlMs`; past
   * that, `docker mcp version` is read again first, and another version means a new detection. A
   * version check that fails keeps the era (the operation then says what is wrong).
   */
  info(opts: CallOptions = {}): Promise<EraInfo> {
    if (this.era && this.current && performance.now() - this.checkedAt >= this.versionTtlMs) {
      const known = this.era
      return this.checkVersion(opts, "version changed (checked after its TTL)").catch(() => known)
    }
    if (!this.era) {
      const p = this.detect(opts)
      this.era = p
      p.catch(() => {
        if (this.era === p) this.era = undefined
      })
    }
    return this.era
  }

  /** Forget the era: the next operation detects it again (and tells the listeners if it changed). */
  invalidate(why = "re-detected"): void {
    this.era = undefined
    this.versionCheck = undefined
    // "detect again now": a version read before is not this detection's
    this.lineRead = undefined
    this.why = why
  }

  /** Detects the era again now (version, and the profile probe where the version cannot tell). */
  recheck(opts: CallOptions = {}, why = "re-checked"): Promise<EraInfo> {
    this.invalidate(why)
    return this.info(opts)
  }

  /**
   * Probes the era again for the version known (no new `docker mcp version`): the profiles flag of
   * v0.28–v0.41; `whateverTheVersion`: for any version (the CLI contradicted the era it says).
   */
  reprobe(opts: CallOptions = {}, why = "re-probed", whateverTheVersion = false): Promise<EraInfo> {
    const v = this.current?.version
    this.invalidate(why)
    const p = this.detect(opts, v === undefined || v === "unknown" ? undefined : v, whateverTheVersion)
    this.era = p
    p.catch(() => {
      if (this.era === p) this.era = undefined
    })
    return p
  }

  /**
   * The era as the CLI is now: a first detection, else `docker mcp version` read again (a new
   * detection when it changed). Unlike the TTL check, a failing version command is thrown.
   */
  verified(opts: CallOptions = {}, why = "version changed"): Promise<EraInfo> {
    if (!this.current || !this.era) return this.info(opts)
    return this.checkVersion(opts, why)
  }

  /** Reads `docker mcp version` (one at a time): the same ⇒ the era stays; another ⇒ detected anew. */
  private checkVersion(opts: CallOptions, why: string): Promise<EraInfo> {
    if (this.versionCheck) return this.versionCheck
    // assigned below, read in its own finally (after the first await)
    let check!: Promise<EraInfo>
    check = (async () => {
      try {
        const known = this.era
        const line = await this.sharedLine(opts, false)
        const current = this.current
        if (known && current && this.era === known && normalVersion(line) === current.version) {
          this.checkedAt = performance.now()
          return known
        }
        // not invalidate(): callers meanwhile share this check, and with it the detection
        this.why = why
        const p = this.detect(opts, line)
        this.era = p
        p.catch(() => {
          if (this.era === p) this.era = undefined
        })
        return await p
      } finally {
        // a recheck meanwhile may have started another check: only this one is forgotten
        if (this.versionCheck === check) this.versionCheck = undefined
      }
    })()
    this.versionCheck = check
    return check
  }

  /**
   * The last `docker mcp version` read (and when, and whether it skipped the Desktop waits), shared:
   * by concurrent callers while it runs, by `cliVersion` while the version is trusted, and by the
   * first detection after it (one read per process where there were two: `cliVersion` keyed the
   * cache, then the detection read the same line again). `invalidate` forgets it.
   */
  private lineRead: { at: number; line: Promise<string>; noWait: boolean } | undefined
  /** The CLI's files (docker/cli-stamp): a failed version read is held off only while they stay as they were. */
  cliStamp: () => string = () => ""
  /** How long a failed version read is held off (`VERSION_FAIL_HOLD_MS`; 0: never). */
  versionHoldMs = VERSION_FAIL_HOLD_MS
  /** The last failed `docker mcp version` (when, for which CLI files, what it threw). */
  private versionFailed: { at: number; stamp: string; err: unknown } | undefined

  /**
   * The failed version read still held off (same CLI files, within `versionHoldMs`), as an error
   * saying so; undefined: read it.
   */
  private heldVersionError(): ToolkitError | undefined {
    const f = this.versionFailed
    if (!f) return undefined
    const ago = performance.now() - f.at
    if (ago >= this.versionHoldMs || this.cliStamp() !== f.stamp) {
      this.versionFailed = undefined
      return undefined
    }
    const e = f.err instanceof ToolkitError ? f.err : new ToolkitError("COMMAND_FAILED", `docker mcp version failed: ${errorMessage(f.err)}`)
    const held = `\`docker mcp version\` failed ${Math.round(ago / 1000)} s ago and is not run again for ${Math.ceil((this.versionHoldMs - ago) / 1000)} s (sooner if the docker-mcp plugin or the docker config changes)`
    return new ToolkitError(e.code, `${e.message} [${held}]`, { ...(e.remedy !== undefined ? { remedy: e.remedy } : {}), details: { ...e.details, versionHeldOff: true, retryInMs: Math.ceil(this.versionHoldMs - ago) } })
  }

  /** What toolkit_status and doctor say while a failed version read is held off (undefined: none is). */
  versionHoldOff(): { error: string; retryInMs: number } | undefined {
    const e = this.heldVersionError()
    return e ? { error: e.message, retryInMs: Number(e.details?.retryInMs ?? 0) } : undefined
  }
  /** The version read or detected last in this process (what `cliVersion` says when a read fails). */
  private lastVersion: string | undefined

  /** `docker mcp version`'s line: the shared read while it is trusted (`reuse`), else a new one, kept for the next caller. */
  private sharedLine(opts: CallOptions, reuse: boolean): Promise<string> {
    const now = performance.now()
    if (reuse && this.lineRead && now - this.lineRead.at < this.versionTtlMs) return this.lineRead.line
    const held = this.heldVersionError()
    if (held) return Promise.reject(held)
    const stamp = this.cliStamp()
    const entry = { at: now, line: this.versionLine(opts), noWait: opts.noWait === true }
    this.lineRead = entry
    // a failed read is not kept as the line: the next caller reads again, once the hold-off is over
    // (or the CLI's files changed)
    entry.line.then(
      () => {
        this.versionFailed = undefined
      },
      (e: unknown) => {
        if (this.lineRead === entry) this.lineRead = undefined
        if (this.versionHoldMs > 0 && !opts.signal?.aborted && !(e instanceof ToolkitError && NOT_HELD.has(e.code))) this.versionFailed = { at: performance.now(), stamp, err: e }
      },
    )
    return entry.line
  }

  /**
   * The CLI's version as it is now, for keying what it answered (app/cached-toolkit): the detected
   * one while it is trusted (`versionTtlMs`), else `docker mcp version` read alone (one cheap command
   * that skips Docker Desktop's checks; no era probe, no wait), kept as long and shared with the
   * detection that follows. When that read fails (a deleted docker context, a broken plugin, Desktop
   * restarting), the version read or detected last in this process, else `unread` (the caller may
   * know one from an earlier process; the operation, if it runs, says what is wrong). A version other
   * than the detected one makes the next operation read it again and detect anew, not only after the TTL.
   */
  cliVersion(opts: CallOptions = {}): Promise<string> {
    if (this.current && this.era && performance.now() - this.checkedAt < this.versionTtlMs) return Promise.resolve(this.current.version)
    return this.sharedLine({ ...opts, noWait: true }, true).then(
      (line) => {
        const v = normalVersion(line)
        if (this.current && v !== this.current.version) this.checkedAt = -Infinity
        this.lastVersion = v
        return v
      },
      () => this.lastVersion ?? "unread",
    )
  }

  /** The CLI detected last (kept across `invalidate`), if any. */
  get detected(): EraInfo | undefined {
    return this.current
  }

  /** Timeout for `tools ls` (starts every enabled server) and catalog pulls. */
  get slowTimeoutMs(): number {
    return Math.max(this.timeoutMs, SLOW_COMMAND_TIMEOUT_MS)
  }

  /**
   * Runs `op` with the current era; when the CLI answers "This command is obsolete" (profiles were
   * switched on since detection) or `unknown command "profile"` (switched off), re-detects the era
   * once and runs `op` again. A failure that suggests another version (`suggestsOtherCli`) reads
   * the version again: changed ⇒ `op` runs again for the new one; the same ⇒ the failure stands.
   */
  async withEra<T>(op: (info: EraInfo) => Promise<T>, opts: CallOptions = {}): Promise<T> {
    try {
      return await this.withEraOnce(op, opts)
    } catch (e) {
      throw this.located(e)
    }
  }

  /**
   * A failure of a `docker mcp` command, naming the CLI the driver detected (`Toolkit v0.43.3,
   * profiles era`) when its message does not already: which version printed an unknown error
   * text or refused a flag is what the user (and a parser plugin's author) needs first.
   */
  private located(e: unknown): unknown {
    const info = this.current
    return info && e instanceof ToolkitError ? toolkitLocated(eraLacksCommand(e, info), info.version, info.era) : e
  }

  private async withEraOnce<T>(op: (info: EraInfo) => Promise<T>, opts: CallOptions = {}): Promise<T> {
    const info = await this.info(opts)
    try {
      return await op(info)
    } catch (e) {
      if (eraChanged(e, info)) {
        this.log.info("docker mcp no longer answers like the detected CLI era; re-detecting it", { version: info.version, era: info.era, code: (e as ToolkitError).code })
        const why = `a command failed as the detected era's would not (${(e as ToolkitError).code})`
        let fresh = await this.recheck(opts, why)
        // the version still says the era the CLI just contradicted (a fork or a build with a version
        // of its own, a number from before profiles on a CLI that has them): what the CLI does wins,
        // the profile probe decides
        if (fresh.era === info.era) fresh = await this.reprobe(opts, why, true)
        return op(fresh)
      }
      // an unknown flag or command, or unreadable output: perhaps the Toolkit was upgraded or
      // downgraded in place. One `docker mcp version`; another version ⇒ the operation runs again
      // the new version's way. The same version ⇒ the failure stands.
      // one command crashed: `docker mcp version` says whether the plugin still runs at all (a
      // version that crashes too is the plugin broken, TOOLKIT_BROKEN, and that is what is thrown)
      const crash = e instanceof ToolkitError && e.details?.crashed === true
      if (!suggestsOtherCli(e) && !crash) throw e
      let fresh: EraInfo
      try {
        fresh = await this.verified(opts, `version changed (found after ${(e as ToolkitError).code})`)
      } catch (v) {
        throw crash ? v : e
      }
      if (sameCli(fresh, info)) throw e
      this.log.info("docker mcp changed since it was detected; running the command again for the new version", { from: info.version, to: fresh.version, code: (e as ToolkitError).code })
      return op(fresh)
    }
  }

  /**
   * What `docker mcp version` printed (its version line). A plugin without that command (`unknown
   * command "version"`) has an unknown version: the profile probe decides, as for a version that
   * reads as none. Any other failure is thrown.
   */
  private async versionLine(opts: CallOptions): Promise<string> {
    try {
      return versionLineOf((await this.run(common.version(), opts)).stdout)
    } catch (e) {
      if (e instanceof ToolkitError && e.code === "COMMAND_FAILED" && unknownSubcommand(e.message) === "version") {
        this.log.warn("docker mcp has no `version` command; the era is probed", { error: e.message })
        return ""
      }
      throw e
    }
  }

  /**
   * The version line a detection starts from: the read `cliVersion` shared (no second `docker mcp
   * version` in a row), else a new one. A shared read that failed having skipped the Desktop waits
   * is read again with them (the detection waits for a starting Desktop as any operation does).
   */
  private async detectionLine(opts: CallOptions): Promise<string> {
    const shared = this.lineRead
    if (!shared || performance.now() - shared.at >= this.versionTtlMs) return this.sharedLine(opts, false)
    try {
      return await shared.line
    } catch (e) {
      if (shared.noWait && opts.noWait !== true) return this.sharedLine(opts, false)
      throw e
    }
  }

  /**
   * `versionLine`: what `docker mcp version` printed, when the caller has just read it. `probeAlways`:
   * the profile probe decides even where the version alone would (the CLI contradicted it).
   */
  private async detect(opts: CallOptions, versionLine?: string, probeAlways = false): Promise<EraInfo> {
    const version = versionLine ?? (await this.detectionLine(opts))
    const semver = parseVersion(version)
    const byVersion = probeAlways ? undefined : eraFromVersion(semver)
    const read = semver ? `version ${normalVersion(version)}` : `no readable version (\`docker mcp version\` printed ${version.trim() ? JSON.stringify(maskToolkitText(firstChars(version))) : "nothing usable"})`
    if (byVersion) return this.done(makeEraInfo(version, byVersion, `${read}: ${byVersion === "legacy" ? "before v0.28, no profiles" : "v0.42 or later, profiles always on"}`))
    // v0.28–v0.41 (or an unreadable version): profiles are on iff `profile list` answers JSON.
    const { res: probe, err: failed } = await this.attempt(common.profileProbe(), opts, this.timeoutMs)
    // only the CLI saying it has no `profile` command means legacy: any other failure (a timeout,
    // Desktop or the daemon down, a locked database, a crash, a refused flag) says nothing about the
    // era; it is thrown (a failed detection is not kept: the next call probes again, and a check
    // after the TTL keeps the last verdict)
    const err = failed ? await this.explain(failed) : null
    if (err && !saysNoProfileCommand(err)) throw probeFailed(err, normalVersion(version))
    // `profile list --format json` prints `[]` at least; nothing at all is a failure, not "profiles on".
    if (!err && cliText(probe.stdout).trim() === "") throw classifyEmptyOutput(common.profileProbe(), probe, { version, era: "undetermined" })
    // exit 0: the `profile` command exists, so profiles are on. Its output is read as any output
    // (a BOM, a warning line on stdout, a wrapper object around the list); output that says
    // nothing readable is an error naming the probe, never "legacy": on v0.28–v0.37 the legacy
    // commands still run with profiles on, and their changes would be ignored by the gateway.
    const profilesOn = !err && probeSaysProfiles(probe.stdout, version)
    const why = `${read}${probeAlways ? " (contradicted by what the CLI did)" : semver ? " (v0.28–v0.41 run either era)" : ""}; \`docker mcp profile list\` ${profilesOn ? "answered a list: profiles on" : "is an unknown command: legacy"}`
    const info = makeEraInfo(version, profilesOn ? "profiles" : "legacy", why)
    return this.done(profilesOn && !semver ? await this.catalogCommandOf(info, opts) : info)
  }

  /**
   * No version to say where a profiles-era CLI keeps its OCI catalogs: `docker mcp catalog ls
   * --format json` shows it (`withCatalogCommand`). A failure of another kind decides nothing: the
   * last verdict for a profiles CLI stays, else `catalog-next` (every profiles-era CLI has it, an
   * alias from v0.38).
   */
  private async catalogCommandOf(info: EraInfo, opts: CallOptions): Promise<EraInfo> {
    const args = ["mcp", "catalog", "ls", "--format", "json"] as const
    const { res, err } = await this.attempt(args, opts, this.timeoutMs)
    if (err) {
      if (unknownSubcommand(err.message) === "catalog") return withCatalogCommand(info, "catalog-next", "`docker mcp catalog` is an unknown command: OCI catalogs under `catalog-next`")
      const prev = this.current?.era === "profiles" ? this.current : undefined
      this.log.warn("docker mcp catalog ls failed; which command lists OCI catalogs is not probed", { error: err.message, kept: prev?.ociCatalogCommand ?? "catalog-next" })
      return withCatalogCommand(info, prev?.ociCatalogCommand ?? "catalog-next", `\`docker mcp catalog ls\` failed (${err.code}), so OCI catalogs under \`${prev?.ociCatalogCommand ?? "catalog-next"}\` (${prev ? "as before" : "every profiles-era CLI has it"})`)
    }
    let value: unknown
    try {
      value = decodeText(res.stdout)
    } catch {
      value = undefined
    }
    if (value === null || Array.isArray(value) || (isRecord(value) && Object.values(value).some((v) => Array.isArray(v)))) return withCatalogCommand(info, "catalog", "`docker mcp catalog ls` lists OCI catalogs (as from v0.38)")
    return withCatalogCommand(info, "catalog-next", `\`docker mcp catalog ls\` ${isRecord(value) && isRecord(value.catalogs) ? "lists the legacy catalogs (as before v0.38)" : "printed no list"}: OCI catalogs under \`catalog-next\``)
  }

  private done(info: EraInfo): EraInfo {
    this.detections++
    const prev = this.current
    // a version read that said nothing usable (`unknown`) where a real one is known, with the probe
    // finding the same era: drift of that one read (a garbled pipe, a notice alone), not another CLI.
    // Taken as a change it restarted the gateway and dropped the cached answers, and the next read,
    // back to the real version, did both again. The known CLI stays; another era is a change.
    // (only where what the CLI did agrees with it: a profiles CLI whose OCI catalogs are elsewhere
    // now is another CLI, a build from other code, whatever the version read)
    if (prev && info.version === "unknown" && prev.version !== "unknown" && prev.era === info.era && (info.era === "legacy" || prev.ociCatalogCommand === info.ociCatalogCommand)) {
      this.checkedAt = performance.now()
      this.why = "re-detected"
      this.log.warn("docker mcp version printed no readable version; the known one is kept (the era probe agrees)", { version: prev.version, era: prev.era })
      return prev
    }
    this.current = info
    this.lastVersion = info.version
    this.checkedAt = performance.now()
    const why = this.why
    this.why = "re-detected"
    if (!prev || sameCli(prev, info)) {
      if (!prev) this.log.info("docker mcp detected", { version: info.version, era: info.era, generation: info.generation })
      return info
    }
    this.log.info("docker mcp changed", { from: { version: prev.version, era: prev.era, generation: prev.generation }, to: { version: info.version, era: info.era, generation: info.generation }, reason: why })
    for (const l of [...this.listeners]) {
      try {
        l({ from: prev, to: info, reason: why })
      } catch (e) {
        this.log.warn("a listener for docker mcp changes failed", { error: e instanceof Error ? e.message : String(e) })
      }
    }
    return info
  }
}
