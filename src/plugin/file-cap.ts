/**
 * @module plugin/file-cap
 * At most MAX_PLUGIN_FILES plugin files are loaded, in composition order; the files past them are
 * refused unread (a failed plugin each, no sandbox built). Every file costs a sandbox to evaluate
 * (~10 ms on a busy 2-core machine, a WASM module with its own memory), and the sandboxes of at
 * most about 64 plugins fit in a lane's memory anyway: `plugins.dirs` pointed at a directory of
 * 10 000 `.js` files (a library, a build output) held every tool call for about two minutes at each
 * start ("has not loaded yet") and wrote two error lines per file. A refused file follows the rule
 * of every refused file: a policy only if a working version of it had a route hook.
 */
import type { ReconcileItem } from "./reconcile.ts"

export const MAX_PLUGIN_FILES = 256

/** The refusal of a file past the cap; `files`: how many plugin files the directories hold. */
export const overCapMessage = (files: number): string =>
  `refused: not loaded, the plugin directories hold ${files} plugin files and at most ${MAX_PLUGIN_FILES} are loaded (in composition order); point plugins.dirs at the directory of your plugins, or move files out`

/** `items` with the files past the cap refused; `over`: how many were (held plugins of a gone directory are kept). */
export function capItems(items: ReconcileItem[]): { items: ReconcileItem[]; over: number } {
  if (items.length <= MAX_PLUGIN_FILES) return { items, over: 0 }
  const message = overCapMessage(items.length)
  let over = 0
  const out = items.map((it, i) => {
    if (i < MAX_PLUGIN_FILES || it.held || it.refused !== undefined) return it
    over++
    return { file: it.file, refused: message }
  })
  return { items: out, over }
}

/** The refusal is the cap's (its files are summed up in one warning, not logged one by one). */
export function isOverCap(message: string | undefined): boolean {
  return message !== undefined && message.includes(`at most ${MAX_PLUGIN_FILES} are loaded (in composition order)`)
}
