/**
 * @module app/reload
 * Live config: the config file in use, and the `envFile`s its servers read, are watched (their
 * directories, so editors that write a new file and rename it over the old one are seen too;
 * debounced) and re-read on SIGHUP. A new config is
 * loaded and validated exactly as at start; an invalid one leaves the running config in place and
 * is reported (one log line per problem, naming key and file:line, and in orchestrator_status); a
 * valid one is applied as a diff against the RUNNING config (app/config-diff, app/config-apply).
 * A file that became empty (0 bytes, whitespace or comments only: an editor truncates before it
 * writes) is refused like an invalid one, unless the file was already empty at start: read as a
 * config it would remove every server.
 * Reloads run one at a time, in order.
 */
import { watch, readFileSync, type FSWatcher } from "node:fs"
import { basename, dirname, resolve } from "node:path"
import { envFilePath, type LoadedConfig } from "../config/index.ts"
import { ConfigError, errorMessage, registerConfigSecrets, type LogHub, type Logger } from "../core/index.ts"
import type { Proxy } from "../proxy/index.ts"
import { applyDiff } from "./config-apply.ts"
import { diffConfig, isEmptyDiff } from "./config-diff.ts"

export interface ReloadStatus {
  /** The file watched (null when only SIGHUP reloads). */
  watching: string | null
  /** Reloads applied since start. */
  applied: number
  lastAt?: string
  last?: "applied" | "unchanged" | "rejected"
  /** Problems of the last rejected file (the running config stayed); cleared by the next good one. */
  errors?: string[]
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
  debounceMs?: number
}

/** Editors write in bursts (truncate, write, rename): one reload per burst. */
const DEBOUNCE_MS = 150

export class ConfigReloader implements AsyncDisposable {
  private readonly o: ReloaderOptions
  private readonly file: string
  /** One watcher per directory, with the file names in it that matter. */
  private readonly watchers = new Map<string, { watcher: FSWatcher; names: Set<string> }>()
  private readonly watching: boolean
  private timer: ReturnType<typeof setTimeout> | undefined
  private queue: Promise<void> = Promise.resolve()
  private lastText: string
  private closed = false
  /** The file was empty at start: an empty file is then no surprise, and is applied. */
  private readonly startedEmpty: boolean
  private readonly st: ReloadStatus

  constructor(o: ReloaderOptions) {
    this.o = o
    this.file = resolve(o.loaded.file!.path)
    this.st = { watching: null, applied: 0 }
    this.watching = o.watch !== false
    this.startedEmpty = o.loaded.fileEmpty === true
    this.lastText = this.read()
    this.syncWatches()
  }

  status(): ReloadStatus {
    return { ...this.st }
  }

  /** Re-read the config now (SIGHUP: even when no watched file changed). */
  reload(trigger: string, onlyIfChanged = false): Promise<void> {
    const run = this.queue.then(() => this.reloadNow(trigger, onlyIfChanged))
    this.queue = run.catch(() => {})
    return run
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    for (const w of this.watchers.values()) w.watcher.close()
    this.watchers.clear()
  }

  // --- Internal ---

  /** The config file and the env files of the running servers (relative ones from the config's directory). */
  private files(): string[] {
    const base = dirname(this.file)
    const envFiles = Object.values(this.o.loaded.config.servers)
      .map((s) => ("command" in s ? s.envFile : undefined))
      .filter((f): f is string => !!f)
      .map((f) => envFilePath(f, base))
    return [this.file, ...new Set(envFiles)]
  }

  /** Watches the directories of files(); drops watches no longer needed. */
  private syncWatches(): void {
    if (!this.watching || this.closed) return
    const want = new Map<string, Set<string>>()
    for (const f of this.files()) {
      const dir = dirname(f)
      want.set(dir, (want.get(dir) ?? new Set()).add(basename(f)))
    }
    for (const [dir, w] of this.watchers) {
      if (want.has(dir)) continue
      w.watcher.close()
      this.watchers.delete(dir)
    }
    for (const [dir, names] of want) {
      const have = this.watchers.get(dir)
      if (have) {
        have.names = names
        continue
      }
      try {
        const entry = {
          names,
          watcher: watch(dir, { persistent: false }, (_event, changed) => {
            if (changed === null || entry.names.has(changed)) this.schedule()
          }),
        }
        entry.watcher.on("error", (e) => this.o.log.warn("config file watch failed; SIGHUP still reloads", { dir, error: errorMessage(e) }))
        this.watchers.set(dir, entry)
      } catch (e) {
        this.o.log.warn("cannot watch a config file's directory; SIGHUP still reloads", { dir, error: errorMessage(e) })
      }
    }
    this.st.watching = this.watchers.has(dirname(this.file)) ? this.file : null
  }

  private schedule(): void {
    if (this.closed) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.reload("file changed", true).catch(() => {}), this.o.debounceMs ?? DEBOUNCE_MS)
  }

  /** The text of every watched file (a change to any of them is a change). */
  private read(): string {
    return this.files()
      .map((f) => {
        try {
          return readFileSync(f, "utf8")
        } catch {
          return "\u0000missing"
        }
      })
      .join("\u0000")
  }

  private async reloadNow(trigger: string, onlyIfChanged: boolean): Promise<void> {
    if (this.closed) return
    const text = this.read()
    // A watch event without a change (an editor touching the file, a rename of the same text).
    if (onlyIfChanged && text === this.lastText) return
    this.lastText = text
    const { log } = this.o
    const running = this.o.loaded.config
    // The running config's secrets stay redacted whatever the new file holds (its servers may
    // still log while they close); loading registers the new file's values.
    registerConfigSecrets(running, "config-running")
    let next: LoadedConfig
    try {
      next = this.o.load()
    } catch (e) {
      const problems = e instanceof ConfigError ? [...e.problems] : [errorMessage(e)]
      for (const problem of problems) log.error("config reload rejected; the running config stays", { problem, trigger })
      this.done("rejected", { errors: problems })
      return
    }
    if (this.closed) return
    if (next.fileEmpty && !this.startedEmpty) {
      const problem = `${next.file?.path ?? this.file}: the config file is empty (no value, only whitespace or comments; an editor may be half-way through writing it); refusing to remove every server. To run without servers, write \`servers: {}\` (JSON: {"servers": {}})`
      log.error("config reload rejected; the running config stays", { problem, trigger })
      this.done("rejected", { errors: [problem] })
      return
    }
    // unknown MCPO_* variables were logged at start; the environment has not changed since
    const fromEnv = new Set(next.envWarnings ?? [])
    for (const w of next.warnings ?? []) if (!fromEnv.has(w)) log.warn("config", { problem: w })
    const diff = diffConfig(running, next.config)
    if (isEmptyDiff(diff)) {
      log.info("config reloaded: nothing changed", { trigger })
      this.done("unchanged", {})
      return
    }
    for (const p of applyDiff(running, next.config, diff, this.o)) {
      // Sessions close in the background (a stubborn child takes its grace periods); at exit the
      // child registry kills whatever is left.
      void p.catch((e: unknown) => log.warn("closing a server after a reload failed", { error: errorMessage(e) }))
    }
    if (diff.live.length) {
      try {
        this.o.reapply?.(diff.live)
      } catch (e) {
        log.error("re-applying settings after a reload failed", { keys: diff.live, error: errorMessage(e) })
      }
    }
    if (diff.restartNeeded.length) log.warn("config change needs a restart to take effect; the running value stays", { keys: diff.restartNeeded })
    log.info("config reloaded", {
      trigger,
      added: diff.added,
      removed: diff.removed,
      changed: diff.changed.map((c) => `${c.name} (${c.fields.join(", ")})`),
      ...(diff.live.length ? { settings: diff.live } : {}),
      ...(diff.warm.added.length || diff.warm.removed.length ? { warm: running.warm } : {}),
    })
    this.st.applied++
    this.done("applied", diff.restartNeeded.length ? { restartNeeded: diff.restartNeeded } : {})
    // env files may have come or gone; the fingerprint then covers the new set
    this.syncWatches()
    this.lastText = this.read()
  }

  private done(last: NonNullable<ReloadStatus["last"]>, extra: Pick<ReloadStatus, "errors" | "restartNeeded">): void {
    this.st.last = last
    this.st.lastAt = new Date().toISOString()
    delete this.st.errors
    if (last !== "rejected") delete this.st.restartNeeded
    Object.assign(this.st, extra)
  }
}
