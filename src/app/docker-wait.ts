/**
 * Looking for Docker again after serve started while it was down. Docker Desktop is often opened
 * minutes after the editor: one background try (the driver's 1+2+4 s of waits) left the Toolkit's
 * servers out until the next restart. Tries are spaced 2 s, 4 s, 8 s … at most a minute apart, for
 * at most `toolkit.waitForDocker`; they stop at the first success, and only the first and last are
 * logged at info (a closed Docker Desktop costs one `docker` command a minute, not a log line each).
 */
import { isOrchestratorError, type Logger } from "../core/index.ts"

/** The codes of a Docker that may come up by itself or when the user opens Desktop. */
const DOCKER_DOWN = new Set(["DAEMON_DOWN", "DESKTOP_STARTING", "DESKTOP_NOT_RUNNING"])

export function dockerMayComeUp(e: unknown): boolean {
  return isOrchestratorError(e) && DOCKER_DOWN.has(e.code)
}

export const DOCKER_WAIT_FIRST_MS = 2_000
export const DOCKER_WAIT_MAX_MS = 60_000

export class DockerWait {
  private timer: ReturnType<typeof setTimeout> | undefined
  private startedAt: number | undefined
  private tries = 0
  private over = false

  /** `forMs`: the whole budget (0: never look again). `what`: the logs' subject. */
  constructor(
    private readonly forMs: number,
    private readonly log: Logger,
    private readonly what: string,
  ) {}

  /** Whether tries are scheduled (or one runs) now. */
  get waiting(): boolean {
    return this.startedAt !== undefined && !this.over
  }

  /**
   * Docker was down at a try: `run` again after the next delay; false (and a warning, once) when
   * the budget is spent or the wait was stopped.
   */
  later(run: () => void, error: string): boolean {
    if (this.over || this.forMs <= 0) return false
    const now = performance.now()
    if (this.startedAt === undefined) {
      this.startedAt = now
      this.log.info(`${this.what}: Docker is not up; looking for it again in the background`, { error, for: `${Math.round(this.forMs / 1000)}s` })
    }
    const spent = now - this.startedAt
    if (spent >= this.forMs) {
      this.over = true
      this.log.warn(`${this.what}: Docker did not come up; no longer looking for it`, {
        error,
        tries: this.tries,
        remedy: "Start Docker Desktop (or the engine), then call toolkit_status or servers_list, or restart the MCP server in the editor: the Toolkit's servers are read again then. toolkit.waitForDocker sets how long a start looks for Docker.",
      })
      return false
    }
    const delay = Math.min(DOCKER_WAIT_MAX_MS, DOCKER_WAIT_FIRST_MS * 2 ** Math.min(this.tries, 10), this.forMs - spent)
    this.tries++
    this.log.debug(`${this.what}: Docker still not up, next try in ${Math.round(delay / 1000)}s`, { error, tries: this.tries })
    this.timer = setTimeout(run, delay)
    // a pending try never keeps the process alive on its own
    ;(this.timer as { unref?: () => void }).unref?.()
    return true
  }

  /** A try got through (or something else synced): no more tries. */
  done(): void {
    if (this.startedAt !== undefined && !this.over) this.log.info(`${this.what}: Docker came up`, { tries: this.tries, after: `${Math.round((performance.now() - this.startedAt) / 1000)}s` })
    this.stop()
  }

  stop(): void {
    this.over = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }
}
