/** Newest modification time (ms) of any file below `dir`: is a build output older than its sources? */
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"

export function newestSource(dir: string): number {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs)
  }
  return newest
}
