/**
 * @module app/shutdown
 * The one way a serving process ends. The first trigger (stdin EOF, a signal, the parent gone, a
 * startup failure) runs the graceful steps under a hard budget; when the budget runs out, or a
 * second signal comes, every child process group (and whatever the children left running outside
 * their groups) is killed and the process exits at once, whatever the graceful steps are still
 * waiting for (a promise that never settles cannot hold it): only the last answers owed to the
 * clients get `FINAL_MS` to go out first.
 */
import { errorMessage, killAllChildren, markExiting, waitAtMost, type Logger } from "../core/index.ts"

/** On an exit at once, how long the answers `final` wrote get to reach their clients, at most. */
export const FINAL_MS = 100

export interface ShutdownOptions {
  log: Logger
  /** From the first trigger to the process exit, at most. */
  budgetMs: number
  /** The graceful steps (answer what was asked, close faces, close downstreams). */
  steps: (why: string) => Promise<void>
  /**
   * Last words before an exit at once (budget spent, second signal): the answers still owed to the
   * clients, written now; the promise it may return (they went out) is waited for at most `finalMs`.
   */
  final?: (why: string) => Promise<unknown> | void
  /** See `final`; default `FINAL_MS`. */
  finalMs?: number
  /** Ends the process at once; default `process.exit`. */
  exit?: (code: number) => void
  /**
   * Enforces the deadline from outside the event loop (app/exit-guard: a worker thread kills the
   * process a little after it, should the main thread be held then); default none.
   */
  guard?: (ms: number, why: string) => unknown
  /** The process-wide side of stopping (core/children: mark the process exiting, kill every child); replaced in tests only. */
  children?: { markExiting(why: string, deadline: number): void; killAll(): number }
}

/** An exit at once past the deadline (a blocked event loop fired the timer late) still gives the last answers this long. */
const LATE_FINAL_MS = 10

export class Shutdown {
  /** Resolves with the exit code once the graceful steps finished. */
  readonly done: Promise<number>
  private resolve!: (code: number) => void
  private started = false
  private ending = false
  private timer: ReturnType<typeof setTimeout> | undefined
  /** When the process must have exited (`performance.now()` time), once shutdown began. */
  private deadline: number | undefined
  private readonly o: ShutdownOptions

  constructor(opts: ShutdownOptions) {
    this.o = opts
    this.done = new Promise<number>((r) => (this.resolve = r))
  }

  get stopping(): boolean {
    return this.started
  }

  /** Starts the graceful shutdown once; later calls are ignored. */
  trigger(why: string, code = 0): void {
    if (this.started) return
    this.started = true
    this.deadline = performance.now() + this.o.budgetMs
    // the downstreams' close graces shrink to fit what is left of it (core/children exitGrace)
    const mark = this.o.children?.markExiting ?? markExiting
    mark(why, this.deadline)
    this.o.log.info("shutting down", { reason: why })
    // (the timer below cannot fire while the main thread is held: this one can)
    this.o.guard?.(this.o.budgetMs, why)
    // the exit at once (the last answers get finalMs) ends within the budget, not finalMs after it
    // (before, it started at the budget's end: under load every such exit came late)
    const at = Math.max(0, this.o.budgetMs - (this.o.finalMs ?? FINAL_MS))
    this.timer = setTimeout(() => this.now(`shutdown budget of ${this.o.budgetMs} ms exceeded`, code), at)
    this.o
      .steps(why)
      .catch((e: unknown) => this.o.log.error("error during shutdown", { error: errorMessage(e) }))
      .then(() => {
        clearTimeout(this.timer)
        this.resolve(code)
      })
  }

  /** A signal: the first starts the graceful shutdown, a second one ends the process at once. */
  signal(sig: string): void {
    if (this.started) this.now(`${sig} while shutting down`, 0)
    else this.trigger(sig)
  }

  /**
   * Kills every child process group (and what the children left outside them), lets the last
   * answers go out (at most `finalMs`), then exits: no path out leaves one behind. Called again
   * meanwhile (yet another signal), it exits at once.
   */
  now(why: string, code: number): void {
    const exit = (): void => (this.o.exit ?? process.exit)(code)
    if (this.ending) return exit()
    this.ending = true
    clearTimeout(this.timer)
    let sent: Promise<unknown> | void = undefined
    try {
      sent = this.o.final?.(why)
    } catch (e) {
      this.o.log.error("error during shutdown", { error: errorMessage(e) })
    }
    const killed = this.o.children ? this.o.children.killAll() : killAllChildren("SIGKILL")
    this.o.log.warn("exiting now", { reason: why, killedChildren: killed })
    // the last answers' wait ends by the deadline (a second signal near it, or a timer fired late by a busy event loop)
    const final = this.o.finalMs ?? FINAL_MS
    const left = this.deadline === undefined ? final : this.deadline - performance.now()
    if (sent instanceof Promise) void waitAtMost(sent, Math.max(LATE_FINAL_MS, Math.min(final, left))).then(exit)
    else exit()
  }
}

/**
 * Calls `onGone` when this process is re-parented (its parent died without closing our stdin, as
 * editors do on window reloads). Polls `getppid()` once a second; keeps nothing alive.
 */
export function watchParent(onGone: () => void, everyMs = PARENT_POLL_MS, parent: number = startParent()): () => void {
  // Started by init (or a container's pid 1): there is no parent to outlive.
  if (parent <= 1) return () => {}
  let gone = false
  const check = (): void => {
    if (gone || process.ppid === parent) return
    gone = true
    clearInterval(t)
    onGone()
  }
  const t = setInterval(check, everyMs)
  t.unref?.()
  // the parent may have died while we started (we were re-parented before anyone watched)
  setTimeout(check, 0).unref?.()
  return () => {
    gone = true
    clearInterval(t)
  }
}

/** How often `watchParent` looks at the parent. */
export const PARENT_POLL_MS = 1000

/** The parent at process start (main.ts records it before anything else), else the current one. */
export function startParent(): number {
  return (globalThis as { __mcpoParentPid?: number }).__mcpoParentPid ?? process.ppid
}
