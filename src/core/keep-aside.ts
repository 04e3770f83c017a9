/**
 * @module core/keep-aside
 * A damaged state file (one that could not be read as what it should hold) is renamed aside as
 * `<name>.corrupt` before a new one replaces it, so what it held stays for the user to look at or
 * restore by hand: only the orchestrator's own writes replace a file, never silently a damaged one.
 */
import { lstatSync, renameSync } from "node:fs"
import { specialKind } from "./special-file.ts"

const CORRUPT_SUFFIX = ".corrupt"

/**
 * Renames `path` to `<path>.corrupt` (or `<path>.<n>.corrupt` when that is taken: an earlier
 * damaged copy is never overwritten). Returns the new path, or undefined when `path` is gone, is
 * a device, a FIFO or a socket, or could not be moved. Never throws.
 */
export function keepAside(path: string): string | undefined {
  // a device, FIFO or socket is no damaged file of ours: never moved (core/special-file)
  if (specialKind(path) !== undefined) return undefined
  for (let n = 0; n < 20; n++) {
    const target = n === 0 ? `${path}${CORRUPT_SUFFIX}` : `${path}.${n}${CORRUPT_SUFFIX}`
    try {
      lstatSync(target)
      continue // taken
    } catch {
      // free
    }
    try {
      renameSync(path, target)
      return target
    } catch {
      return undefined
    }
  }
  return undefined
}
