/**
 * @module plugin/watch
 * Watch plugin directories (fs.watch, not recursive) and call back once per burst of changes.
 * A directory that does not exist yet is not watched (restart to pick it up).
 */
import { watch, type FSWatcher } from "node:fs"
import type { Logger } from "../core/index.ts"

export const RELOAD_DEBOUNCE_MS = 150

export class DirWatcher {
  private readonly watchers: FSWatcher[] = []
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(dirs: readonly string[], onChange: () => void, log: Logger, debounceMs = RELOAD_DEBOUNCE_MS) {
    const fire = (): void => {
      if (this.timer) clearTimeout(this.timer)
      this.timer = setTimeout(() => {
        this.timer = undefined
        onChange()
      }, debounceMs)
    }
    for (const dir of dirs) {
      try {
        const w = watch(dir, { persistent: false }, fire)
        w.on("error", (e) => log.warn("plugin directory watch failed", { dir, error: e.message }))
        this.watchers.push(w)
      } catch (e) {
        const code = (e as { code?: string }).code
        if (code !== "ENOENT") log.warn("cannot watch plugin directory", { dir, error: (e as Error).message })
      }
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    for (const w of this.watchers) w.close()
    this.watchers.length = 0
  }
}
