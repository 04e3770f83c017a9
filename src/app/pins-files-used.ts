/**
 * @module app/pins-files-used
 * The pins files runs on this cache have pinned tools in (kind `tools`, key `pins-files-used`), so a
 * pins file missing at start while tool lists are stored can be told apart: one used here before was
 * deleted (a reset leaves a file), one never used here is new (`proxy.pinsFile` points somewhere new,
 * or `proxy.pinTools` just turned on). Both are restored from the stored lists (catalog/pins
 * `restoreFromStored`); only what the log says differs. Before, a new pins file read "deleted?".
 */
import type { TtlCache } from "../cache/index.ts"

const KEY = "pins-files-used"
/** The most recently used ones are kept (one per config a user points at another pins file). */
const MAX_KEPT = 64

function parse(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new Error("pins files used is not a list of paths")
  return value
}

/**
 * Whether `path` was a pins file of an earlier run on this cache (undefined: nothing recorded, a
 * cache from before this record or cleared), and records it for the next runs. `path` undefined:
 * pinning is off in this run (the record is started, empty, so that turning it on later reads as
 * new rather than unknown). Never throws.
 */
export async function notePinsFileUsed(cache: TtlCache, path: string | undefined): Promise<boolean | undefined> {
  const before = await cache.peek<string[]>("tools", KEY, { parse }).then((f) => f?.value, () => undefined)
  if (path === undefined) {
    if (before === undefined) await cache.set("tools", KEY, [], { memory: false }).catch(() => {})
    return undefined
  }
  const used = before?.includes(path) ?? false
  // the latest first; re-written when it is not first already (another config's file used since)
  if (before?.[0] !== path) await cache.set("tools", KEY, [path, ...(before ?? []).filter((p) => p !== path)].slice(0, MAX_KEPT), { memory: false }).catch(() => {})
  return before === undefined ? undefined : used
}
