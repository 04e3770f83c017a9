/**
 * @module auth/refresh-lock
 * One refresh at a time per server across processes. Editor windows each run an orchestrator with
 * the same token store: when their access token is refused (or due) at once, each would present the
 * same refresh token. Authorization servers rotate refresh tokens and treat a replayed one as theft
 * (revoking the whole grant), so every window would end logged out. The refresh is made under a
 * lock file next to the record (`<server>.refresh.lock`, created exclusively, holding the pid), and
 * the process that waited reads the record again: tokens another process stored meanwhile are used
 * as its answer, without a request. The lock is held until the new tokens are stored (auth/provider
 * `saveTokens`), at most `HOLD_MS`.
 * A lock whose holder is gone (killed mid-refresh; also a previous process that had our pid, as a
 * container's orchestrator has the same pid on every start) or older than `STALE_MS` is taken over; a lock
 * that cannot be had within `WAIT_MS` (or at all: a read-only directory) is gone without: the
 * refresh is made as before.
 */
import { closeSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from "node:fs"
import { dirname } from "node:path"
import { readPlainText } from "../core/index.ts"

/** The most a lock file is read (it holds a pid and a mark): a larger one is not ours. */
const MAX_LOCK_BYTES = 4096

/** A lock older than this is a holder that hangs (or lives in another pid namespace): taken over. */
const STALE_MS = 30_000
/** Waited for a lock at most this long, then the refresh goes without it. */
const WAIT_MS = 15_000
/** After the token endpoint answered, the lock is held until the tokens are stored, at most this long. */
const HOLD_MS = 5_000
const POLL_MS = 25

/** Lock files this process holds now (one naming our pid that is not among them is a previous process's: a container's pid 1 again). */
const ours = new Set<string>()

export class RefreshLock {
  private held: { release(): void; timer: ReturnType<typeof setTimeout> } | undefined

  constructor(readonly path: string) {}

  /** Resolves with the release once the lock is ours (or once it cannot be had: the release does nothing then). */
  async acquire(): Promise<() => void> {
    const until = Date.now() + WAIT_MS
    for (;;) {
      const got = this.tryTake()
      if (got !== "busy") return got ?? (() => {})
      if (Date.now() >= until) return () => {}
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  }

  /** The token endpoint answered: `release` when the tokens are stored (`stored`), or after `HOLD_MS`. */
  holdUntilStored(release: () => void): void {
    this.stored()
    const timer = setTimeout(() => this.stored(), HOLD_MS)
    timer.unref?.()
    this.held = { release, timer }
  }

  /** The tokens of the refresh are stored (or will not be): the lock goes. */
  stored(): void {
    const h = this.held
    this.held = undefined
    if (!h) return
    clearTimeout(h.timer)
    h.release()
  }

  /** The release when the lock is now ours, "busy" when another live holder has it, undefined when there is no lock to be had. */
  private tryTake(): (() => void) | "busy" | undefined {
    const mark = `${process.pid} ${Date.now()} ${Math.random().toString(36).slice(2)}`
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 })
      const fd = openSync(this.path, "wx", 0o600)
      try {
        writeSync(fd, mark)
      } finally {
        closeSync(fd)
      }
    } catch (e) {
      if ((e as { code?: unknown }).code !== "EEXIST") return undefined
      if (ours.has(this.path) || !this.abandoned()) return "busy"
      try {
        unlinkSync(this.path)
      } catch {
        // taken over by another waiter meanwhile
      }
      return "busy"
    }
    ours.add(this.path)
    let released = false
    return () => {
      if (released) return
      released = true
      ours.delete(this.path)
      try {
        // only our own lock (one taken over from us as stale is another's now)
        if (readPlainText(this.path, MAX_LOCK_BYTES) === mark) unlinkSync(this.path)
      } catch {
        // gone already
      }
    }
  }

  /** The lock's holder is gone, or it is older than `STALE_MS`. */
  private abandoned(): boolean {
    try {
      const pid = Number(holderText(this.path).split(" ")[0])
      if (Date.now() - statSync(this.path).mtimeMs > STALE_MS) return true
      if (!Number.isInteger(pid) || pid <= 0) return false
      // our pid, and not held here: a previous process's that had it (killed mid-refresh)
      if (pid === process.pid) return true
      process.kill(pid, 0)
      return false
    } catch (e) {
      return (e as { code?: unknown }).code === "ESRCH"
    }
  }
}

/** The lock file's text; one larger than a pid and a mark (a runaway write, a sparse file) holds none: "". */
function holderText(path: string): string {
  try {
    return readPlainText(path, MAX_LOCK_BYTES)
  } catch (e) {
    if ((e as { code?: unknown }).code === "EFBIG") return ""
    throw e
  }
}
