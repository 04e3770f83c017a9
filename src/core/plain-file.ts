/**
 * @module core/plain-file
 * The bytes of a file that is only ever a regular file when it is what we expect: our state and
 * cache files (OAuth records, era verdicts, the tool snapshot, lock files), and the files of other
 * programs we read (`~/.docker/config.json`, Cursor's `mcp.json`). `readFileSync` on such a path
 * opened it with a blocking open(2): a FIFO put there (by mistake, a `mkfifo` test, another user
 * in a shared cache dir) held the process in open(2) for good, before it answered anything, deaf to
 * SIGTERM, SIGINT and stdin EOF (their handlers run on the event loop it held). Here the open never
 * waits (O_NONBLOCK), and anything that is not a regular file is refused at once (code ENOTREG),
 * never read: a FIFO, a socket, a device. /dev/null reads as empty; a directory throws EISDIR as
 * before. Files a person names (`--config`, an `envFile`) that may be pipes: core/user-file.
 * Imports nothing of ours: src/early-face.ts reads the cache with it before anything is evaluated.
 */
import { closeSync, constants as fsc, fstatSync, openSync, readSync } from "node:fs"

/** The error code of a path that is no regular file (core/special-file NOT_REGULAR: this module imports nothing). */
const NOT_A_FILE = "ENOTREG"

const NULL_RDEV = process.platform === "linux" ? (1 << 8) | 3 : -1
// O_NONBLOCK is what keeps a FIFO's open from waiting; Windows has neither (nor FIFOs by path)
const FLAGS = fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0) | (fsc.O_NOCTTY ?? 0)

/** The bytes of the regular file at `path` (at most `maxBytes`: more throws EFBIG); anything else throws, see the module comment. */
export function readPlainFile(path: string, maxBytes = Number.MAX_SAFE_INTEGER): Buffer {
  const fd = openSync(path, FLAGS)
  try {
    const st = fstatSync(fd)
    if (st.isCharacterDevice() && st.rdev === NULL_RDEV) return Buffer.alloc(0)
    if (!st.isFile() && !st.isDirectory()) throw notPlain(path, st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : "a device")
    return readToEnd(fd, maxBytes)
  } finally {
    closeSync(fd)
  }
}

/** As `readPlainFile`, as UTF-8 text (as `readFileSync(path, "utf8")`). */
export function readPlainText(path: string, maxBytes?: number): string {
  return readPlainFile(path, maxBytes).toString("utf8")
}

/** Reads `fd` to its end in pieces; more than `maxBytes` throws EFBIG without reading on. */
export function readToEnd(fd: number, maxBytes: number): Buffer {
  const chunks: Buffer[] = []
  let total = 0
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total))
    const n = readSync(fd, chunk, 0, chunk.length, null)
    if (n === 0) break
    chunks.push(chunk.subarray(0, n))
    total += n
    if (total > maxBytes) throw Object.assign(new Error(`larger than ${maxBytes} bytes`), { code: "EFBIG" })
  }
  return Buffer.concat(chunks, total)
}

function notPlain(path: string, kind: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${path} is ${kind}, not a file: remove it (it is re-made when needed) or point the setting elsewhere`), { code: NOT_A_FILE, path, detail: `${kind}, not a file` })
}
