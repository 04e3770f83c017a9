/**
 * @module app/snapshot-marks
 * The "superseded" marks of a stored first answer (app/tool-snapshot): one small file per server
 * and window, in a directory beside the answer (`tools-<key>.snapshot.json.superseded/`), written
 * synchronously before a server's changed tool list is stored. While the directory exists, the
 * answer is served neither by the real face nor by the early face (its index names the directory as
 * absent); it goes with its last mark.
 *
 * Per server: a server whose stored list is dropped (a crash after it listed) takes its marks with
 * it; the stores then know nothing newer of it than the answer does. Before, one mark stood for the
 * whole answer: a server whose changed list was stored and then dropped, and that never listed
 * again, kept every later start from the stored answer and waiting for it.
 *
 * Per window: two orchestrators sharing the cache (two editor windows, one config) write the same
 * answer. A complete answer a window writes clears its own marks, and those made before it started
 * (its lists came from the stores after them, or from its own servers), never another window's mark
 * made since: that window's changed list may be missing from this answer. Before, a window whose
 * servers still listed the old tools cleared the mark of the window that stored the new ones, and
 * the next start served the old first answer.
 */
import { mkdirSync, readdirSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"

/** The marks' directory beside a stored answer. */
export const marksDir = (answerPath: string): string => `${answerPath}.superseded`

/** A server's part of a mark's name (a server name may hold any character). */
const serverPart = (server: string): string => Bun.hash(server).toString(16)

/** This process's part of its marks' names. */
export const windowId = (): string => `${process.pid}-${Math.floor(Math.random() * 0xffffffff).toString(16)}`

/** Whether the answer at `answerPath` is marked (a legacy single mark file counts too). */
export function isMarked(answerPath: string): boolean {
  try {
    const st = statSync(marksDir(answerPath))
    if (!st.isDirectory()) return true
    if (readdirSync(marksDir(answerPath)).length > 0) return true
    removeIfEmpty(answerPath)
    return false
  } catch {
    return false
  }
}

/** Marks the answer superseded by `server`'s list, stored by window `win` (synchronous; throws when it cannot). */
export function mark(answerPath: string, server: string, win: string): void {
  const dir = marksDir(answerPath)
  const file = join(dir, `${serverPart(server)}.${win}`)
  let last: unknown
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      mkdirSync(dir, { recursive: true })
      writeFileSync(file, "")
      return
    } catch (e) {
      last = e
      const code = (e as NodeJS.ErrnoException).code
      // a single mark file of an earlier version in the way: it goes (this mark stands for it)
      if (code === "EEXIST" || code === "ENOTDIR") unlinkQuiet(dir)
      // else removed by another window between mkdir and write (its last mark went): made again
      else if (code !== "ENOENT") throw e
    }
  }
  throw last
}

/** Whether the answer at `answerPath` is marked superseded by `server` (by any window). */
export function markedBy(answerPath: string, server: string): boolean {
  const prefix = `${serverPart(server)}.`
  let found = false
  eachMark(answerPath, (name) => {
    if (name.startsWith(prefix)) found = true
  })
  return found
}

/** `server`'s stored list was dropped: its marks (of every window) go, the directory with its last one. */
export function unmarkServer(answerPath: string, server: string): void {
  const prefix = `${serverPart(server)}.`
  eachMark(answerPath, (name, path) => {
    if (name.startsWith(prefix)) unlinkQuiet(path)
  })
  removeIfEmpty(answerPath)
}

/**
 * A complete answer was written by window `win` (started at `startedAt`, epoch ms): its own marks go,
 * and those made before it started; another window's made since stay.
 */
export function clearMarks(answerPath: string, win: string, startedAt: number): void {
  const dir = marksDir(answerPath)
  try {
    if (!statSync(dir).isDirectory()) unlinkQuiet(dir)
  } catch {
    return
  }
  eachMark(answerPath, (name, path) => {
    if (name.endsWith(`.${win}`)) return unlinkQuiet(path)
    try {
      if (statSync(path).mtimeMs < startedAt) unlinkQuiet(path)
    } catch {
      // gone meanwhile
    }
  })
  removeIfEmpty(answerPath)
}

function eachMark(answerPath: string, f: (name: string, path: string) => void): void {
  let names: string[]
  try {
    names = readdirSync(marksDir(answerPath))
  } catch {
    return
  }
  for (const name of names) f(name, join(marksDir(answerPath), name))
}

function removeIfEmpty(answerPath: string): void {
  try {
    rmdirSync(marksDir(answerPath))
  } catch {
    // not empty (a mark of another server or window), or gone
  }
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // gone already
  }
}
