/**
 * @module app/listen-busy
 * An editor that restarts its MCP server (a config change, a window reload) stops the old process
 * and starts the new one at once. With `http.listen` in the config, the old one still listens
 * while it stops (app/serve answers late requests with SHUTTING_DOWN until the end of its shutdown,
 * up to its 1.8 s budget), so the new one met EADDRINUSE and served the whole session without HTTP.
 * The start is tried again while the address is in use, for a bounded time (longer than another
 * orchestrator's shutdown), and said once in the log; then the error is what it was (a second
 * editor window's orchestrator that keeps running).
 */

/** How long an address in use is waited for, at most (another orchestrator's shutdown budget is 1.8 s). */
export const BUSY_WAIT_MS = 3000
/** How often it is tried again meanwhile. */
export const BUSY_STEP_MS = 100

export interface BusyWait {
  /** Stop trying (the serve is stopping): the last error is thrown. */
  giveUp(): boolean
  /** Called once, at the first EADDRINUSE. */
  onBusy(): void
  waitMs?: number
}

const inUse = (e: unknown): boolean => (e as { code?: unknown } | undefined)?.code === "EADDRINUSE"

/** `start()`, tried again while it throws EADDRINUSE (every BUSY_STEP_MS, for `waitMs` at most). */
export async function startWhileBusy<T>(start: () => T, w: BusyWait): Promise<T> {
  const until = performance.now() + (w.waitMs ?? BUSY_WAIT_MS)
  for (let said = false; ; ) {
    try {
      return start()
    } catch (e) {
      if (!inUse(e) || w.giveUp() || performance.now() >= until) throw e
      if (!said) w.onBusy()
      said = true
      await Bun.sleep(BUSY_STEP_MS)
      // stopped meanwhile: not started at all (the shutdown has no listener to close)
      if (w.giveUp()) throw e
    }
  }
}
