/**
 * @module core/special-file
 * A path a user points a state file at (`proxy.pinsFile: /dev/null` to keep no pins file, a FIFO, a
 * socket) that is no regular file: never replaced, never renamed aside, never opened for a read that
 * could block. Before, a pins file set to /dev/null was read as damaged, renamed to
 * `/dev/null.corrupt` and replaced by a regular file: run as root, that took the system's /dev/null
 * away (every `> /dev/null` of every program then wrote into a file).
 */
import { lstatSync, type Stats } from "node:fs"
import { NOT_A_FILE } from "./plain-file.ts"

/** The error code of a write or read refused because the path is no regular file (the one reader's, core/plain-file). */
export const NOT_REGULAR = NOT_A_FILE

/** What `st` is when it is neither a regular file, a directory nor a symbolic link: "a device", "a FIFO", "a socket". */
export function specialKindOf(st: Stats): string | undefined {
  if (st.isFile() || st.isDirectory() || st.isSymbolicLink()) return undefined
  return st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : "a device"
}

/**
 * `specialKindOf` the path as it is now (lstat: a symbolic link itself is replaced by a write, never
 * what it points to); undefined when there is nothing there or it cannot be looked at.
 */
export function specialKind(path: string): string | undefined {
  try {
    return specialKindOf(lstatSync(path))
  } catch {
    return undefined
  }
}

/** The error for a path that is `kind` (a device, a FIFO, a socket): code ENOTREG. */
export function notRegularFile(path: string, kind: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${path} is ${kind}, not a regular file: it is left as it is`), { code: NOT_REGULAR, path })
}
