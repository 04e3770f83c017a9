/**
 * @module core/user-file
 * The bytes of a file a user names (`--config`, an `envFile`), read without ever blocking for good.
 * Before, `open(2)` of a FIFO no program had opened for writing waited for a writer forever, in the
 * synchronous config load at the start: the process answered nothing, and ignored SIGTERM, SIGINT,
 * SIGHUP and stdin EOF alike (their handlers run on the event loop it held), so a client that
 * stopped it left it running. Now the open never waits (O_NONBLOCK), and by what the path is:
 * - a regular file: read as before (at most `maxBytes`);
 * - a pipe (`--config <(sops -d c.yaml)`, `/dev/stdin` from `cat c.yaml |`): read to its end; a
 *   named FIFO gets a bounded wait for a writer and for its end (FIFO_WAIT_MS), then fails;
 * - /dev/null: empty (the usual way to say "no file");
 * - another device (a terminal, /dev/zero, a disk) or a socket: refused, code ENOTREG.
 * While it waits with nothing of ours running, SIGTERM, SIGINT and SIGHUP keep their default
 * action (the process ends at once: no child, no downstream left behind).
 */
import { closeSync, constants as fsc, fstatSync, openSync, readlinkSync, readSync, statSync } from "node:fs"
import { liveChildren } from "./children.ts"
import { endStartIfDue } from "./start-end.ts"
import { NOT_REGULAR } from "./special-file.ts"

/** How long a named FIFO is waited for: a writer to open it, and to close it once it wrote. */
export const FIFO_WAIT_MS = 5_000
/** The error code of a FIFO no program wrote to (or did not finish writing) within FIFO_WAIT_MS. */
export const NO_WRITER = "ENOWRITER"

const NULL_RDEV = process.platform === "linux" ? (1 << 8) | 3 : -1
const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const
const NAP = new Int32Array(new SharedArrayBuffer(4))

/** The file's bytes, read in pieces: more than `maxBytes` throws (EFBIG) without reading on; see the module comment for what is refused. */
export function readUserFile(path: string, maxBytes: number, waitMs = FIFO_WAIT_MS): Uint8Array {
  // before the open: a signal that comes once the FIFO is open must find the default action
  const fifo = isFifo(path)
  // nothing of ours runs yet: a client gone (stdin's end, a held SIGTERM) ends the wait and the process
  const endable = fifo && liveChildren() === 0
  const restore = fifo ? signalsEndProcess() : undefined
  try {
    return readOpened(path, maxBytes, waitMs, endable)
  } finally {
    restore?.()
  }
}

function readOpened(path: string, maxBytes: number, waitMs: number, endable: boolean): Uint8Array {
  let fd: number
  try {
    fd = openSync(path, fsc.O_RDONLY | fsc.O_NONBLOCK | fsc.O_NOCTTY)
  } catch (e) {
    // a socket cannot be opened at all (ENXIO): said as what it is
    if ((e as NodeJS.ErrnoException).code === "ENXIO" && isSocket(path)) throw notAFile(path, "a socket")
    throw e
  }
  try {
    const st = fstatSync(fd)
    if (st.isFile() || st.isDirectory()) return readAll(fd, maxBytes, undefined) // a directory: EISDIR, as before
    if (st.isCharacterDevice() && st.rdev === NULL_RDEV) return new Uint8Array(0)
    if (!st.isFIFO()) throw notAFile(path, st.isSocket() ? "a socket" : st.isBlockDevice() ? "a block device (a disk)" : "a character device (a terminal, /dev/zero…)")
    // an anonymous pipe (process substitution, a `|` into /dev/stdin): no writer later if none now
    const named = !/^pipe:/.test(ownLink(fd))
    return readAll(fd, maxBytes, { path, named, until: Date.now() + waitMs, waitMs, endable })
  } finally {
    closeSync(fd)
  }
}

interface PipeWait {
  path: string
  /** A named FIFO: a read of 0 bytes before anything came may be "no writer yet", not its end. */
  named: boolean
  until: number
  waitMs: number
  /** Does a client gone end the wait (core/start-end)? */
  endable: boolean
}

function readAll(fd: number, maxBytes: number, pipe: PipeWait | undefined): Uint8Array {
  const chunks: Buffer[] = []
  let total = 0
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total))
    let n: number
    try {
      n = readSync(fd, chunk, 0, chunk.length, null)
    } catch (e) {
      if (pipe === undefined || (e as NodeJS.ErrnoException).code !== "EAGAIN") throw e
      n = -1 // a writer holds it open, nothing to read yet
    }
    if (n > 0) {
      chunks.push(chunk.subarray(0, n))
      total += n
      if (total > maxBytes) throw Object.assign(new Error(`larger than ${maxBytes} bytes`), { code: "EFBIG" })
      continue
    }
    // the end: of a file, of a pipe whose writers are gone, of a FIFO that already gave bytes
    if (n === 0 && (pipe === undefined || !pipe.named || total > 0)) break
    if (Date.now() >= pipe!.until) throw noWriter(pipe!, total)
    if (pipe!.endable) endStartIfDue(pipe!.path)
    Atomics.wait(NAP, 0, 0, 10)
  }
  return Buffer.concat(chunks, total)
}

/**
 * While a read waits (the event loop held), a signal's handler could not run: with nothing of ours
 * running yet (no child), the signals get their default action back, and a client's SIGTERM ends
 * the process at once. With children running they stay held (the wait is bounded) so that the
 * orderly shutdown stops them. Returns what puts the handlers back.
 */
function signalsEndProcess(): () => void {
  if (liveChildren() > 0) return () => {}
  const saved = SIGNALS.map((sig) => [sig, process.listeners(sig)] as const)
  for (const [sig] of saved) process.removeAllListeners(sig)
  return () => {
    for (const [sig, hs] of saved) for (const h of hs) process.on(sig, h as NodeJS.SignalsListener)
  }
}

function noWriter(pipe: PipeWait, total: number): NodeJS.ErrnoException {
  const s = pipe.waitMs / 1000
  const why = total > 0 ? `a FIFO its writer did not close within ${s} s (${total} bytes read)` : `a FIFO no program wrote to within ${s} s`
  return Object.assign(new Error(`${pipe.path} is ${why}`), { code: NO_WRITER, path: pipe.path, detail: why })
}

function notAFile(path: string, kind: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${path} is ${kind}, not a file`), { code: NOT_REGULAR, path, detail: `${kind}, not a file` })
}

/** What /proc says our descriptor is ("pipe:[123]" for an anonymous pipe); "" where there is no /proc. */
function ownLink(fd: number): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`)
  } catch {
    return ""
  }
}

function isFifo(path: string): boolean {
  try {
    return statSync(path).isFIFO()
  } catch {
    return false
  }
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket()
  } catch {
    return false
  }
}
