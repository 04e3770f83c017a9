/**
 * @module app/reload
 * Live config: the config file in use, and the `envFile`s its servers read, are watched (their
 * directories, so editors that write a new file and rename it over the old one are seen too;
 * debounced) and re-read on SIGHUP. A file that is a symlink is watched at every hop to its real
 * file too (dotfile managers link the config into place), and a re-pointed link is followed.
 * Watches follow the paths, not the directories' inodes (core/path-watch): a directory deleted or
 * renamed away and created again (a backup restored, `stow -R`, `git checkout`) is watched again,
 * and the files are read again when it is. A new config is loaded and validated exactly as at
 * start; an invalid or unreadable one (a directory or a dangling symlink where the file was, bytes
 * that are not UTF-8, YAML cut mid-edit) leaves the running config in place and is reported (one log
 * line per problem, naming key and file:line, once while the same problems last, and in
 * orchestrator_status until a good file is applied; that reload's line says the file is good again); a valid one is applied as a diff
 * against the RUNNING config (app/config-diff, app/config-apply); the secrets of the config it
 * replaces stay masked until the servers it stops have closed. A server entry that is invalid on
 * its own leaves the rest of the file to be applied: a running server whose entry became invalid
 * keeps its last valid definition running, a new invalid entry is left out (app/invalid-servers);
 * both are error lines and in orchestrator_status.
 * A file that became empty (0 bytes, whitespace or comments only: an editor truncates before it
 * writes) is refused like an invalid one, unless the file was already empty at start: read as a
 * config it would remove every server.
 * A file that parses but would stop servers (remove, rename or restart them) is held until the
 * watched files' text has held still for a settle time (`reload.settle`, default 2 s): a file written in pieces with
 * pauses (a slow drive, `echo >>` from a script, an editor's non-atomic save) is otherwise applied
 * half-way, and the servers missing from the first piece are killed and come back with the rest.
 * A reload that adds servers is held the same way (a new entry may be half-written), unless a call
 * waits for it (settled); one that only changes settings applies at once; SIGHUP applies at once.
 * Reloads run one at a time, in order. What the running config was loaded from is what later
 * events are compared with: a write that lands while a reload loads the file loads it again, one
 * that lands while it applies is seen by the check that ends every reload, and one made before
 * the watch began by the check at start. Once edits stop, the files' last content runs.
 */
import { statSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { DEFAULT_NAMES, envFilePath, UnknownServersError, type Config, type LoadedConfig } from "../config/index.ts"
import { Burst, ConfigError, errorMessage, isOrchestratorError, PathWatch, readPlainText, registerConfigSecrets, secrets, specialKindOf, type LogHub, type Logger } from "../core/index.ts"
import type { Proxy } from "../proxy/index.ts"
import { applyDiff, stopsServers } from "./config-apply.ts"
import { diffConfig, isEmptyDiff, type ConfigDiff } from "./config-diff.ts"
import { renamedGlobWarnings, renameHints } from "./reload-renames.ts"
import { keepRunning, logInvalidServers, unreadableEnvFiles } from "./invalid-servers.ts"

export interface ReloadStatus {
  /** The file watched (null when only SIGHUP reloads). */
  watching: string | null
  /**
   * Directories of watched files that do not exist now (deleted or renamed away): each is waited
   * for from its nearest existing parent, and the files are read again when it reappears.
   */
  waitingFor?: string[]
  /** Reloads applied since start. */
  applied: number
  lastAt?: string
  last?: "applied" | "unchanged" | "rejected"
  /**
   * A reload that would stop servers, held until the files have held still for the settle time
   * (a file written in pieces is not applied half-way): the servers it would stop, and why.
   */
  held?: string
  /** Problems of the last rejected file (the running config stayed); cleared by the next good one. */
  errors?: string[]
  /** Set with `errors`: what to do about them (the config error's own remedy, else how to find and fix the lines). */
  remedy?: string
  /** Changed settings that keep their running value until a restart. */
  restartNeeded?: string[]
}

export interface ReloaderOptions {
  /** The running config; updated in place as reloads are applied. */
  loaded: LoadedConfig
  /** Loads the config again from the same sources (file, environment, flags). */
  load: () => LoadedConfig
  proxy: Pick<Proxy, "addServer" | "removeServer" | "refilter" | "pool">
  logHub: LogHub
  log: Logger
  /** An orchestrator nested too deep runs no downstream servers: reloads leave servers alone. */
  nested: boolean
  /** After a diff is applied: the orchestrator re-applies the live keys it owns (surfaces, plugin dirs). */
  reapply?: (keys: readonly string[]) => void
  /** Watch the file (default true). */
  watch?: boolean
  /**
   * No config file at start (nothing in the default location): these paths (the default names, the
   * first watched as "the file") are watched, so a config written there after the start is applied.
   */
  defaultFiles?: readonly string[]
  debounceMs?: number
  /** How long the files must hold still before a reload that stops servers applies (default: the running config's `reload.settle`). */
  settleMs?: number
}

/** Editors write in bursts (truncate, write, rename): one reload per burst. */
const DEBOUNCE_MS = 150
/**
 * A burst that never ends (the file rewritten many times a second by a tool) still reloads this
 * often, as plugin directories do (plugin/watch): reloads in the middle of a burst apply over
 * servers still starting from the last one, which end with their process groups (pool/session).
 */
const MAX_WAIT_MS = 1000
/** Loads of one reload while the files keep changing under it; then the next event goes on. */
const MAX_LOADS = 5
/**
 * How a file that cannot be read counts in the fingerprint, with why (its error code): a file that
 * turns from one unreadable thing into another (a directory where it was, then a dangling symlink)
 * is a change, and is looked at again; the same one again is not.
 */
const MISSING = "\u0000missing"

/** The watch of the default location when the config started without a file (SIGHUP then stops, it does not reload). */
const NO_FILE_MESSAGES = {
  gone: "",
  cannotWatch: "cannot watch the default config location; a config file written there is read at the next start",
  failed: "the default config location's watch failed; a config file written there is read at the next start",
}

export class ConfigReloader implements AsyncDisposable {
  private readonly o: ReloaderOptions
  private readonly file: string
  /** The files' paths, watched (undefined: only SIGHUP reloads). */
  private readonly paths: PathWatch | undefined
  private readonly burst: Burst
  private queue: Promise<void> = Promise.resolve()
  /**
   * The watched files' text the running config was loaded from (by the last reload; "" until the
   * check at start has read it: the config was loaded before the watch began).
   */
  private lastText = ""
  private closed = false
  /** The files' text as last seen by a reload, and since when (performance.now()) it held still. */
  private seen: { text: string; since: number } | undefined
  /** The held reload only adds servers: a call waiting for them (settled) applies it at once. */
  private heldStarts = false
  /** A held reload's re-check, once the files have held still for the settle time. */
  private settleTimer: ReturnType<typeof setTimeout> | undefined
  /** The text of the last held reload logged (one line per held text). */
  private logged: string | undefined
  /** Reloads queued or running (`run`). */
  private running = 0
  /** Told once no reload is due, queued, running or held (`settled`). */
  private idle: PromiseWithResolvers<void> | undefined
  /** The file was empty at start: an empty file is then no surprise, and is applied. */
  private readonly startedEmpty: boolean
  private readonly st: ReloadStatus
  /** The other default-location names watched when the config started without a file. */
  private readonly alsoWatched: string[]

  constructor(o: ReloaderOptions) {
    this.o = o
    const [first, ...others] = o.loaded.file ? [o.loaded.file.path] : (o.defaultFiles ?? [])
    if (first === undefined) throw new Error("ConfigReloader: a config file or the default location's names are needed")
    this.file = resolve(first)
    // in the default location every name is watched: one written there (config.json next to a
    // config.yaml removed) is the config once it is the first that exists
    const inDefault = o.loaded.file?.via === "default location" ? DEFAULT_NAMES.map((n) => join(dirname(this.file), n)).filter((f) => f !== this.file) : []
    this.alsoWatched = [...others, ...inDefault].map((f) => resolve(f))
    this.st = { watching: null, applied: 0 }
    this.burst = new Burst(() => void this.reload("file changed", true).catch(() => {}), o.debounceMs ?? DEBOUNCE_MS, Math.max(o.debounceMs ?? DEBOUNCE_MS, MAX_WAIT_MS))
    // no file at start: its folder not existing yet is the usual case, not worth a warning (status says it)
    this.paths = o.watch !== false ? new PathWatch(() => this.schedule(), o.log, o.loaded.file ? {} : NO_FILE_MESSAGES) : undefined
    // without a file the running config has no servers of a file to lose: an empty file is no surprise
    this.startedEmpty = o.loaded.fileEmpty === true || !o.loaded.file
    this.syncWatches()
    // The running config was loaded a while ago (the orchestrator was built since): a write made
    // before the watch began is applied now, and when there was none nothing is logged or counted.
    void this.run(() => this.reloadNow("file changed before the watch started", false, true)).catch(() => {})
  }

  status(): ReloadStatus {
    const waiting = this.paths?.waiting() ?? []
    return {
      ...this.st,
      watching: this.paths?.follows(this.file) ? this.file : null,
      ...(waiting.length ? { waitingFor: waiting.map((g) => `${g.dir} (watching ${g.watching} until it appears)`) } : {}),
    }
  }

  /**
   * The watched files differ from what the running config was loaded from (a config file written
   * in the default location since a start without one, its watch event not yet applied): SIGHUP
   * then reloads rather than stops.
   */
  changedSinceApplied(): boolean {
    return !this.closed && this.read() !== this.lastText
  }

  /** Re-read the config now (SIGHUP: even when no watched file changed). */
  reload(trigger: string, onlyIfChanged = false): Promise<void> {
    return this.run(() => this.reloadNow(trigger, onlyIfChanged))
  }

  /**
   * Settles once no reload is due (a file change within its debounce), queued, running or held (it
   * would stop servers: applied once the file holds still), at most the settle time and a debounce
   * burst's longest wait (and a second) from now; undefined when none is. The files are read to
   * see a change whose watch event has not come in yet. A call of a name not known
   * yet (and search_tools' catalog) waits on it, so a server the file added a moment ago (an agent
   * that wrote it and calls its tool next) is reachable instead of "Unknown tool".
   */
  settled(): Promise<void> | undefined {
    // a change whose watch event has not come in yet (a call sent right after the write) is one too
    if (this.quiet() && !this.closed && this.paths !== undefined && this.read() !== this.lastText) this.schedule()
    if (this.quiet()) return undefined
    const idle = (this.idle ??= Promise.withResolvers<void>())
    // held only for servers it adds: the call is for one of them (or may be), so they start now
    // (reload() counts as running before the timer is cleared: this stays not quiet)
    if (this.heldStarts) {
      void this.reload("a call waits for a server the file adds", true).catch(() => {})
      this.unhold()
    }
    const boundMs = (this.o.settleMs ?? this.o.loaded.config.reload.settle) + MAX_WAIT_MS + 1000
    let timer: ReturnType<typeof setTimeout> | undefined
    const bound = new Promise<void>((r) => {
      timer = setTimeout(r, boundMs)
      timer.unref?.()
    })
    return Promise.race([idle.promise, bound]).finally(() => clearTimeout(timer))
  }

  private quiet(): boolean {
    return this.closed || (this.running === 0 && !this.burst.pending && this.settleTimer === undefined)
  }

  /** Tells those waiting on `settled` when no reload is due any more. */
  private checkIdle(): void {
    if (this.idle === undefined || !this.quiet()) return
    this.idle.resolve()
    this.idle = undefined
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.closed = true
    clearTimeout(this.settleTimer)
    this.burst.close()
    this.paths?.close()
    this.checkIdle()
  }

  // --- Internal ---

  /** Reloads run one at a time, in order. */
  private run(job: () => Promise<void>): Promise<void> {
    this.running++
    const run = this.queue.then(job).finally(() => {
      this.running--
      this.checkIdle()
    })
    this.queue = run.catch(() => {})
    return run
  }

  /** The config file and the env files of a config's servers (relative ones from the config's directory); by default the running config's. */
  private files(config: Config = this.o.loaded.config, read: readonly string[] = this.o.loaded.envFiles ?? []): string[] {
    const base = dirname(this.file)
    const envFiles = Object.values(config.servers)
      .map((s) => ("command" in s ? s.envFile : undefined))
      .filter((f): f is string => !!f)
      .map((f) => envFilePath(f, base))
    // `read`: every envFile the load read, a left-out entry's too (fixed, it makes the entry valid)
    return [this.file, ...new Set([...this.alsoWatched, ...envFiles, ...read])]
  }

  /**
   * Watches the paths of files(), and of every file a symlink among them leads to (editing the
   * link's target changes nothing in the link's directory); drops watches no longer needed.
   */
  private syncWatches(): void {
    if (!this.closed) this.paths?.sync(this.files())
  }

  private schedule(): void {
    if (this.closed) return
    this.burst.poke()
  }

  /** The text of every watched file (a change to any of them is a change). */
  private read(): string {
    const files = this.files()
    return fingerprint(readAll(files), files)
  }

  /** `quiet`: a load that changes nothing is neither logged nor counted (the check at start). */
  private async reloadNow(trigger: string, onlyIfChanged: boolean, quiet = false): Promise<void> {
    if (this.closed) return
    // a directory that came back is watched again before its file is read
    this.syncWatches()
    let held = false
    try {
      held = this.reloadOnce(trigger, onlyIfChanged, quiet)
    } finally {
      // a re-pointed symlink, env files that came or went, a directory gone or back: the watches follow
      this.syncWatches()
      // a write that landed while the new config was applied (its event may have been spent on
      // this reload), or while a directory that is watched again was not: looked at once this
      // burst is over (a held reload is looked at again by its settle timer, or the next event)
      if (!held && !this.closed && this.read() !== this.lastText) this.schedule()
    }
  }

  /**
   * Loads the config from files that held still while it was read: the files (the running
   * config's, and those the new one reads) are read before and after the load, and a write in
   * between loads again. Returns the load (or why it failed) and the text of the files as read
   * before it (fingerprint() over the files that end up running).
   */
  private loadSettled(): { next?: LoadedConfig; error?: unknown; read: Map<string, string> } {
    let paths = this.files()
    for (let loads = 1; ; loads++) {
      const before = readAll(paths)
      let next: LoadedConfig | undefined
      let error: unknown
      try {
        next = this.o.load()
      } catch (e) {
        error = e
      }
      // the files the loaded config reads (its env files), or the running ones when it failed
      const used = next ? this.files(next.config, next.envFiles) : paths
      const after = readAll(new Set([...paths, ...used]))
      const settled = used.every((p) => before.has(p)) && paths.every((p) => before.get(p) === after.get(p))
      // unsettled after MAX_LOADS (a file rewritten without pause): what is recorded is not the
      // files' last text, so the check after this reload loads them again
      if (settled || loads >= MAX_LOADS) return { ...(next ? { next } : { error }), read: before }
      paths = [...new Set([...paths, ...used])]
    }
  }

  /** The `${…}` secrets of the running config once a reload applied one (else the start's: `loaded.varSecrets`). */
  private runningVarSecrets: string[] | undefined
  /** The config of the last file applied whose settings need a restart (undefined: none do). */
  private restartTold: Config | undefined
  /** Reloads applied (names each one's group of closing secrets). */
  private reloads = 0

  /** Returns true when the reload was held (it would stop servers and the files are not settled). */
  private reloadOnce(trigger: string, onlyIfChanged: boolean, quiet: boolean): boolean {
    // A config read from a FIFO or a pipe (`--config <(sops -d c.yaml)`) was read once, at the start:
    // read again, it waited for a writer with the event loop held (every request, every signal), or
    // found the pipe drained (an empty config)
    const kind = statKind(this.file)
    if (kind !== undefined) {
      this.lastText = this.read()
      if (!quiet) this.rejected([`${this.file} is ${kind}, read once at the start: a reload cannot read it again`], trigger, "Restart the orchestrator to apply another config, or name a regular file with --config (it is then watched and reloaded on a change).")
      return false
    }
    // A watch event without a change (an editor touching the file, a rename of the same text).
    if (onlyIfChanged && this.read() === this.lastText) {
      // the file went back to what runs (the rest of a file written in pieces came): nothing is held
      this.unhold()
      return false
    }
    const { log } = this.o
    const running = this.o.loaded.config
    // The running config's secrets stay redacted whatever the new file holds (its servers may
    // still log while they close); loading registers the new file's values.
    registerConfigSecrets(running, "config-running", this.runningVarSecrets ?? this.o.loaded.varSecrets)
    const loaded = this.loadSettled()
    const next = loaded.next
    // refused, the running config (and its files) stay
    const kept = (): void => void (this.lastText = fingerprint(loaded.read, this.files()))
    if (!next) {
      kept()
      const e = loaded.error
      const problems = e instanceof UnknownServersError ? renameHints(running, e) : e instanceof ConfigError ? [...e.problems] : [errorMessage(e)]
      this.rejected(problems, trigger, isOrchestratorError(e) ? e.remedy : undefined)
      return false
    }
    if (this.closed) return false
    if (next.fileEmpty && !this.startedEmpty) {
      kept()
      const problem = `${next.file?.path ?? this.file}: the config file is empty (no value, only whitespace or comments; an editor may be half-way through writing it); refusing to remove every server. To run without servers, write \`servers: {}\` (JSON: {"servers": {}})`
      this.rejected([problem], trigger, 'Finish saving the file, or write `servers: {}` (JSON: {"servers": {}}) to run without servers.')
      return false
    }
    // a running server whose entry became invalid, or whose envFile cannot be read, keeps its last
    // valid definition (app/invalid-servers)
    unreadableEnvFiles(running, next)
    keepRunning(running, next.config, next.invalidServers)
    const diff = diffConfig(running, next.config)
    // settings that need a restart keep their running value, so they differ from every later file
    // too: one whose value is still what an earlier reload said needs a restart is no news (a
    // comment-only edit then is "unchanged", not "applied" again with the same warning)
    const told = this.restartTold
    const news: ConfigDiff = told === undefined ? diff : { ...diff, restartNeeded: diffConfig(told, next.config).restartNeeded.filter((k) => diff.restartNeeded.includes(k)) }
    if (this.hold(diff, loaded.read, trigger)) return true
    // what orchestrator_status says about invalid entries follows the file, as do the envFiles read
    if (next.invalidServers?.length) this.o.loaded.invalidServers = next.invalidServers
    else delete this.o.loaded.invalidServers
    if (next.envFiles?.length) this.o.loaded.envFiles = next.envFiles
    else delete this.o.loaded.envFiles
    // from here on the running config is the one loaded from these files (its env files included)
    // the file in use (one written after a start without any, or another default name): status says it
    if (next.file) this.o.loaded.file = next.file
    this.lastText = fingerprint(loaded.read, this.files(next.config, next.envFiles))
    // the check at start reloaded what serve has just loaded (and logged the warnings of): nothing to say
    if (quiet && isEmptyDiff(news)) return false
    // unknown MCPO_* variables were logged at start; the environment has not changed since
    const fromEnv = new Set(next.envWarnings ?? [])
    for (const w of next.warnings ?? []) if (!fromEnv.has(w)) log.warn("config", { problem: w })
    logInvalidServers(log, next.invalidServers, trigger)
    // the file was refused last (unreadable, invalid): this line says it is good again
    const fixed = this.refused !== undefined ? { fixed: `the config file reads and is valid again (it was refused: ${this.refused.join("; ")})` } : {}
    this.refused = undefined
    this.restartTold = diff.restartNeeded.length ? next.config : undefined
    if (isEmptyDiff(news)) {
      log.info("config reloaded: nothing changed", { trigger, ...fixed })
      this.done("unchanged", diff.restartNeeded.length ? { restartNeeded: diff.restartNeeded } : {})
      return false
    }
    // The servers this reload stops still log while they close (a stubborn child takes its grace
    // periods): the secrets of the config they ran from stay masked until all of them are gone,
    // however many reloads come meanwhile ("config-running" holds only the last reload's).
    const closingGroup = `config-closing-${++this.reloads}`
    registerConfigSecrets(running, closingGroup, this.runningVarSecrets ?? this.o.loaded.varSecrets)
    // the running config is the new one now (applied in place): so are its `${…}` secrets
    this.runningVarSecrets = next.varSecrets ?? []
    const closing = applyDiff(running, next.config, diff, this.o)
    for (const p of closing) {
      // Sessions close in the background; at exit the child registry kills whatever is left.
      void p.catch((e: unknown) => log.warn("closing a server after a reload failed", { error: errorMessage(e) }))
    }
    void Promise.allSettled(closing).then(() => secrets.delete(closingGroup))
    if (diff.live.length) {
      try {
        this.o.reapply?.(diff.live)
      } catch (e) {
        log.error("re-applying settings after a reload failed", { keys: diff.live, error: errorMessage(e) })
      }
    }
    if (news.restartNeeded.length)
      log.warn("config change needs a restart to take effect; the running value stays", {
        keys: diff.restartNeeded,
        remedy: "Restart mcp-orchestrator to apply these keys: in Cursor, turn its server off and on in the MCP settings; the other changes of this file are applied already.",
      })
    for (const w of renamedGlobWarnings(next.config, diff.renamed)) log.warn("config", { problem: w })
    log.info("config reloaded", {
      trigger,
      ...fixed,
      added: diff.added,
      removed: diff.removed,
      ...(Object.keys(diff.renamed).length ? { renamed: diff.renamed } : {}),
      changed: diff.changed.map((c) => `${c.name} (${c.fields.join(", ")})`),
      ...(diff.live.length ? { settings: diff.live } : {}),
      ...(diff.warm.added.length || diff.warm.removed.length ? { warm: running.warm } : {}),
    })
    this.st.applied++
    this.done("applied", diff.restartNeeded.length ? { restartNeeded: diff.restartNeeded } : {})
    return false
  }

  /**
   * A diff that stops servers is held until the files' text has held still for the settle time
   * (SIGHUP applies at once): returns true when held, and re-checks once the time is up.
   */
  private hold(diff: ConfigDiff, read: ReadonlyMap<string, string>, trigger: string): boolean {
    const text = [...read.entries()].map(([p, t]) => `${p}\u0000${t}`).join("\u0000")
    const now = performance.now()
    if (this.seen?.text !== text) this.seen = { text, since: now }
    const stops = stopsServers(diff)
    // a new entry may be half-written too (`fs:` and `command: node` now, its `args` a moment
    // later): started once, as finally written, when the file holds still; unless a call waits
    // for it (settled), which would otherwise wait out the settle time
    const renamedTo = new Set(Object.values(diff.renamed))
    const starts = this.idle === undefined ? diff.added.filter((a) => !renamedTo.has(a)) : []
    const left = this.seen.since + (this.o.settleMs ?? this.o.loaded.config.reload.settle) - now
    this.unhold()
    if ((!stops.length && !starts.length) || trigger === "SIGHUP" || left <= 0) return false
    const settleS = (this.o.settleMs ?? this.o.loaded.config.reload.settle) / 1000
    this.heldStarts = !stops.length
    this.st.held = stops.length
      ? `would stop ${stops.join(", ")}; applied once the config has not changed for ${settleS} s (a file written in pieces is not applied half-way)`
      : `would start ${starts.join(", ")}; applied once the config has not changed for ${settleS} s (a new entry may be half-written), or at once when a call of its tools comes`
    if (this.logged !== text) {
      this.logged = text
      if (stops.length) this.o.log.info("config reload held until the file holds still: it would stop servers", { stops, settleSeconds: settleS, trigger })
      else this.o.log.info("config reload held until the file holds still: it adds servers, whose entries may be half-written", { starts, settleSeconds: settleS, trigger })
    }
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined
      void this.reload("file settled", true).catch(() => {})
    }, left)
    this.settleTimer.unref?.()
    return true
  }

  /** The problems of the file refused last (undefined: the last load was good). */
  private refused: string[] | undefined

  /**
   * The file is refused, the running config stays: its problems are logged once while they last
   * (an editor saving the same broken file again, a watch event per keystroke's save, says nothing
   * new), and are in orchestrator_status until a good file is applied.
   */
  private rejected(problems: string[], trigger: string, remedy: string | undefined): void {
    const same = this.refused !== undefined && this.refused.join("\u0000") === problems.join("\u0000")
    this.refused = problems
    // what to do is said with the problems (status, log), not left to the docs: before, config.reload.errors listed them bare
    const fix = `${(remedy ?? REJECTED_REMEDY).replace(/\.?\s*$/, ".")} ${RUNNING_STAYS}`
    for (const problem of problems) {
      if (same) this.o.log.debug("config reload rejected again (same problem); the running config stays", { problem, trigger })
      else this.o.log.error("config reload rejected; the running config stays", { problem, trigger, remedy: fix })
    }
    this.done("rejected", { errors: problems, remedy: fix })
  }

  private unhold(): void {
    this.heldStarts = false
    delete this.st.held
    clearTimeout(this.settleTimer)
    this.settleTimer = undefined
  }

  private done(last: NonNullable<ReloadStatus["last"]>, extra: Pick<ReloadStatus, "errors" | "remedy" | "restartNeeded">): void {
    this.st.last = last
    this.st.lastAt = new Date().toISOString()
    // a held reload is over: this file is what the running config was compared with last
    this.unhold()
    delete this.st.errors
    delete this.st.remedy
    if (last !== "rejected") delete this.st.restartNeeded
    Object.assign(this.st, extra)
  }
}

/** A rejected reload's remedy when its error has none of its own. */
export const REJECTED_REMEDY = "Fix what each problem names (its key and file:line; `mcp-orchestrator doctor` checks the file) and save the file again."
/** Said after every rejected reload's remedy. */
const RUNNING_STAYS = "The running config stays until a good file is applied (these errors clear then)."

/**
 * Each file's text (a file that cannot be read: MISSING). A FIFO, a pipe or a device (`--config
 * <(cmd)`, an envFile that is a FIFO) is not opened: a blocking open of a FIFO with no writer held
 * the whole serve (every request, every signal) for good; what it holds is read once, by a load.
 */
function readAll(paths: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>()
  for (const p of paths) {
    try {
      const kind = statKind(p)
      out.set(p, kind === undefined ? readPlainText(p) : `${MISSING}:${kind}`)
    } catch (e) {
      out.set(p, `${MISSING}:${(e as NodeJS.ErrnoException).code ?? "?"}`)
    }
  }
  return out
}

/** `specialKindOf` what `path` leads to (a FIFO, a pipe, a device, a socket); undefined for a file, a directory or nothing there. */
function statKind(path: string): string | undefined {
  try {
    return specialKindOf(statSync(path))
  } catch {
    return undefined
  }
}

/** The files' texts as one string, in the order given. */
function fingerprint(texts: ReadonlyMap<string, string>, paths: readonly string[]): string {
  return paths.map((p) => texts.get(p) ?? MISSING).join("\u0000")
}
