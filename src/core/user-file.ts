/**
 * @module core/user-file
 * The bytes of a file a user names (`--config`, an `envFile`), read without ever blocking for good
 * by the one reader (core/plain-file `readPath`), with pipes allowed: a regular file is read as
 * before (at most `maxBytes`); a pipe (`--config <(sops -d c.yaml)`, `/dev/stdin` from
 * `cat c.yaml |`) is read to its end, a named FIFO with a bounded wait for a writer and for its end
 * (FIFO_WAIT_MS), then ENOWRITER; /dev/null is empty; another device or a socket is refused (ENOTREG).
 * While it waits with nothing of ours running, SIGTERM, SIGINT and SIGHUP keep their default
 * action (the process ends at once: no child, no downstream left behind), and a client gone (a
 * signal held before the wait, stdin's end) ends the wait (core/start-end).
 */
import { statSync } from "node:fs"
import { liveChildren } from "./children.ts"
import { endStartIfDue, fifoWaitMayBegin } from "./start-end.ts"
import { signalBeforeFifoWait } from "./test-hooks.ts"
import { readPath } from "./plain-file.ts"

export { NO_WRITER } from "./plain-file.ts"

/** How long a named FIFO is waited for: a writer to open it, and to close it once it wrote. */
export const FIFO_WAIT_MS = 5_000

const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const

/** The file's bytes, read in pieces: more than `maxBytes` throws (EFBIG) without reading on; see the module comment for what is refused. */
export function readUserFile(path: string, maxBytes: number, waitMs = FIFO_WAIT_MS): Uint8Array {
  // before the open: a signal that comes once the FIFO is open must find the default action
  const fifo = isFifo(path)
  // nothing of ours runs yet: a client gone (stdin's end, a held SIGTERM) ends the wait and the process
  const endable = fifo && liveChildren() === 0
  if (endable) {
    signalBeforeFifoWait()
    // a signal queued since the loop's last turn is not seen by the wait: the start turns it first
    fifoWaitMayBegin(path)
  }
  const restore = fifo ? signalsEndProcess() : undefined
  try {
    return readPath(path, { maxBytes, pipes: { waitMs, onNap: endable ? () => endStartIfDue(path) : undefined } })
  } finally {
    restore?.()
  }
}

/**
 * While a read waits (the event loop held), a signal's handler could not run: with nothing of ours
 * running yet (no child), the signals get their default action back, and a client's SIGTERM ends
 * the process at once. With children running they stay held (the wait is bounded) so that the
 * orderly shutdown stops them. Returns what puts the handlers back.
 */
export function signalsEndProcess(): () => void {
  if (liveChildren() > 0) return () => {}
  const saved = SIGNALS.map((sig) => [sig, process.listeners(sig)] as const)
  for (const [sig] of saved) process.removeAllListeners(sig)
  return () => {
    for (const [sig, hs] of saved) for (const h of hs) process.on(sig, h as NodeJS.SignalsListener)
  }
}

function isFifo(path: string): boolean {
  try {
    return statSync(path).isFIFO()
  } catch {
    return false
  }
}
