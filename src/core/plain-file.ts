/**
 * @module core/plain-file
 * The one reader of a path: every synchronous read of a file goes through `readPath`. `readFileSync`
 * opened with a blocking open(2): a FIFO at the path (by mistake, a `mkfifo` test, another user in a
 * shared cache dir) held the process in open(2) for good, before it answered anything, deaf to
 * SIGTERM, SIGINT and stdin EOF (their handlers run on the event loop it held). Here the open never
 * waits (O_NONBLOCK), and by what the path is:
 * - a regular file: read in pieces, at most `maxBytes` (more throws EFBIG without reading on);
 * - a directory: EISDIR, as `readFileSync` threw;
 * - /dev/null: empty (the usual way to say "no file");
 * - a pipe: refused at once (ENOTREG) unless the caller says it waits for one (`pipes`, what
 *   core/user-file does for `--config <(cmd)`, a `|` into /dev/stdin, a named FIFO a program fills);
 * - another device (a terminal, /dev/zero, a disk) or a socket: refused, code ENOTREG.
 * Two faces: `readPlainFile` (our state and cache files, other programs' files: anything but a
 * regular file is refused, with a remedy) and core/user-file (a file a person names: pipes waited
 * for, a bounded wait that a client gone ends).
 * Imports nothing of ours: src/early-face.ts reads the cache with it before anything is evaluated.
 */
import { closeSync, constants as fsc, fstatSync, openSync, readlinkSync, readSync, statSync } from "node:fs"

/** The error code of a path that is no regular file (re-exported by core/special-file as NOT_REGULAR). */
export const NOT_A_FILE = "ENOTREG"
/** The error code of a FIFO no program wrote to (or did not finish writing) within the wait. */
export const NO_WRITER = "ENOWRITER"

/**
 * The most a state or cache file is read when its reader names no limit. Each is a few KiB to a few
 * MiB; a file past this (a runaway write, a sparse `truncate -s 2G`) is damaged, not read whole at
 * the start (its RSS, the start stalled): EFBIG, which each reader takes as it takes a damaged file.
 */
export const MAX_STATE_FILE_BYTES = 64 << 20

const NULL_RDEV = process.platform === "linux" ? (1 << 8) | 3 : -1
// O_NONBLOCK is what keeps a FIFO's open from waiting; Windows has neither (nor FIFOs by path)
const FLAGS = fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0) | (fsc.O_NOCTTY ?? 0)
const NAP = new Int32Array(new SharedArrayBuffer(4))
const PLAIN_REMEDY = "remove it (it is re-made when needed) or point the setting elsewhere"

/** How a pipe is waited for (`readPath`'s `pipes`): absent, a pipe is refused like a device. */
export interface PipeWaitOptions {
  /** How long a named FIFO is waited for: a writer to open it, and to close it once it wrote. */
  waitMs: number
  /** Called between the wait's naps (it may end the process: a client gone). */
  onNap?: () => void
}

export interface ReadPathOptions {
  /** More bytes than this throws EFBIG without reading on. */
  maxBytes: number
  /** Read a pipe to its end, waiting for a named FIFO's writer; absent: a pipe is refused (ENOTREG). */
  pipes?: PipeWaitOptions
  /** Appended to a refusal's message: what to do. */
  remedy?: string
}

/** The bytes at `path`, by what it is (see the module comment). */
export function readPath(path: string, opts: ReadPathOptions): Buffer {
  let fd: number
  try {
    fd = openSync(path, FLAGS)
  } catch (e) {
    // a socket cannot be opened at all (ENXIO): said as what it is
    if ((e as NodeJS.ErrnoException).code === "ENXIO" && isSocket(path)) throw notAFile(path, "a socket", opts.remedy)
    throw e
  }
  try {
    const st = fstatSync(fd)
    if (st.isFile() || st.isDirectory()) return readPieces(fd, opts.maxBytes, undefined) // a directory: EISDIR, as before
    if (st.isCharacterDevice() && st.rdev === NULL_RDEV) return Buffer.alloc(0)
    if (!st.isFIFO()) throw notAFile(path, st.isSocket() ? "a socket" : st.isBlockDevice() ? "a block device (a disk)" : "a character device (a terminal, /dev/zero…)", opts.remedy)
    if (!opts.pipes) throw notAFile(path, "a FIFO", opts.remedy)
    // an anonymous pipe (process substitution, a `|` into /dev/stdin): no writer later if none now
    const named = !/^pipe:/.test(ownLink(fd))
    return readPieces(fd, opts.maxBytes, { path, named, until: Date.now() + opts.pipes.waitMs, ...opts.pipes })
  } finally {
    closeSync(fd)
  }
}

/** The bytes of the regular file at `path` (at most `maxBytes`, MAX_STATE_FILE_BYTES unless said: more throws EFBIG); anything else throws, see the module comment. */
export function readPlainFile(path: string, maxBytes = MAX_STATE_FILE_BYTES): Buffer {
  return readPath(path, { maxBytes, remedy: PLAIN_REMEDY })
}

/** As `readPlainFile`, as UTF-8 text (as `readFileSync(path, "utf8")`). */
export function readPlainText(path: string, maxBytes?: number): string {
  return readPlainFile(path, maxBytes).toString("utf8")
}

interface PipeWait extends PipeWaitOptions {
  path: string
  /** A named FIFO: a read of 0 bytes before anything came may be "no writer yet", not its end. */
  named: boolean
  until: number
}

/** Reads `fd` to its end in pieces (a named FIFO: waiting for its writer); more than `maxBytes` throws EFBIG without reading on. */
function readPieces(fd: number, maxBytes: number, pipe: PipeWait | undefined): Buffer {
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
    pipe!.onNap?.()
    Atomics.wait(NAP, 0, 0, 10)
  }
  return Buffer.concat(chunks, total)
}

function noWriter(pipe: PipeWait, total: number): NodeJS.ErrnoException {
  const s = pipe.waitMs / 1000
  const why = total > 0 ? `a FIFO its writer did not close within ${s} s (${total} bytes read)` : `a FIFO no program wrote to within ${s} s`
  return Object.assign(new Error(`${pipe.path} is ${why}`), { code: NO_WRITER, path: pipe.path, detail: why })
}

function notAFile(path: string, kind: string, remedy: string | undefined): NodeJS.ErrnoException {
  const detail = `${kind}, not a file`
  return Object.assign(new Error(`${path} is ${detail}${remedy ? `: ${remedy}` : ""}`), { code: NOT_A_FILE, path, detail })
}

/** What /proc says our descriptor is ("pipe:[123]" for an anonymous pipe); "" where there is no /proc. */
function ownLink(fd: number): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`)
  } catch {
    return ""
  }
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket()
  } catch {
    return false
  }
}
