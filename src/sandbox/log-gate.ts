/**
 * @module sandbox/log-gate
 * A per-plugin rate limit on guest console lines. Each call is held to MAX_LOG_LINES (engine.ts),
 * but a hook that logs on every call (a route hook under a busy agent, a tools hook on every list)
 * wrote 50 lines per call without end: stderr is the MCP client's log, and each line costs the host
 * a JSON write. A token bucket lets a burst through (the first lines an author needs: a load and
 * the first calls are never cut), then a steady rate; the lines past it are counted, and the count
 * is said once, in one warning, when lines pass again or a little after the flood ends.
 */
import type { LogLevelName } from "./types.ts"

/** Lines a plugin may write at once (a fresh gate, or one idle for BURST / RATE seconds). */
export const GUEST_LOG_BURST = 200
/** Lines per second a plugin may write past its burst. */
export const GUEST_LOG_PER_SECOND = 20
/** A count of dropped lines is said at most this long after the first of them (if no line passed since). */
const SUMMARY_AFTER_MS = 5000

export type GuestLogEmit = (level: LogLevelName, msg: string) => void

export class GuestLogGate {
  private tokens: number
  private last: number
  private dropped = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly emit: GuestLogEmit,
    private readonly burst = GUEST_LOG_BURST,
    private readonly perSecond = GUEST_LOG_PER_SECOND,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst
    this.last = now()
  }

  /** One guest console line: written, or counted when the plugin is over its rate. */
  line(level: LogLevelName, msg: string): void {
    const t = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond)
    this.last = t
    if (this.tokens < 1) {
      this.dropped++
      // said a little later even if the plugin never logs again (unref: it keeps no process alive)
      this.timer ??= unref(setTimeout(() => this.flush(), SUMMARY_AFTER_MS))
      return
    }
    this.tokens--
    this.flush()
    this.emit(level, msg)
  }

  /** Say the count of lines dropped since the last summary (nothing when none was). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.dropped === 0) return
    const n = this.dropped
    this.dropped = 0
    this.emit("warn", `${n} console lines dropped: this plugin logs more than ${this.burst} lines at once or ${this.perSecond} per second (log less, e.g. once per call or only on errors)`)
  }
}

function unref<T>(t: T): T {
  ;(t as { unref?: () => void }).unref?.()
  return t
}

/** Files whose console budget is kept (a plugin directory loads at most 256; room for renames). */
const MAX_KEPT_GATES = 1024

/**
 * The console budget of each plugin file, kept across its reloads. A gate made per loaded version
 * started full again at each reload: a plugin that floods its console and is reloaded (an edit, a
 * config change of `plugins.dirs`, SIGHUP, a file that fails and comes back) flooded again, 200 lines
 * per reload. Bounded: past MAX_KEPT_GATES files the least recently used gate is let go (its count
 * said first); an idle gate is full again anyway, so dropping it loses nothing.
 */
export class GuestLogGates {
  private readonly gates = new Map<string, GuestLogGate>()

  constructor(private readonly max = MAX_KEPT_GATES) {}

  /** The gate of `file`, made with `make` the first time (or after it was let go). */
  for(file: string, make: () => GuestLogGate): GuestLogGate {
    let gate = this.gates.get(file)
    if (gate) this.gates.delete(file)
    else gate = make()
    this.gates.set(file, gate) // last in the map's order: the most recently used
    while (this.gates.size > this.max) {
      const [oldest, g] = this.gates.entries().next().value as [string, GuestLogGate]
      this.gates.delete(oldest)
      g.flush()
    }
    return gate
  }

  get size(): number {
    return this.gates.size
  }
}
