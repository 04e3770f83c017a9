/**
 * @module plugin/reconcile
 * One reload step: compare the files found with the plugins loaded, keep unchanged ones (warm),
 * load new and changed ones, retire the rest, and fail later files that reuse a plugin name.
 * A file that is there but refused (too large, a symlink out of its directory, not a regular
 * file, unreadable) is a load failure, not a removal: its slot holds a failed plugin with the
 * refusal as its error (a policy plugin keeps failing calls closed). Only a file that is gone
 * (ENOENT) is retired. A `held` file (its directory is gone or unreadable) keeps its slot as is.
 */
import { PluginError } from "../core/index.ts"
import { visiblePath } from "../sandbox/visible.ts"
import { readPluginFile, type Plugin } from "./plugin.ts"

export interface Slot {
  plugin: Plugin
  code: string
  /** Failed only because its name was taken: retried on every reload. */
  duplicate?: boolean
}

export interface Reconciled {
  /** Plugins in composition order. */
  next: Slot[]
  /** Replaced or removed plugins, to dispose. */
  retired: Slot[]
  /** Files added, changed or removed. */
  touched: string[]
  /** Files that are there but could not be loaded (refused or unreadable). */
  problems: Array<{ path: string; message: string }>
  /** Files whose new version found no room in its lane's sandbox memory: the loaded version serves on. */
  kept: Array<{ file: string; error: string }>
}

/** A file to reconcile: `refused` (it is there but cannot be loaded), `held` (its directory is unavailable: keep the loaded plugin). */
export interface ReconcileItem {
  file: string
  refused?: string
  held?: boolean
}

/** The slot code of a refused file: never equal to a file's text, so the file loads again once it is fine. */
const REFUSED = "\u0000refused\u0000"

export async function reconcile(
  items: readonly (string | ReconcileItem)[],
  current: readonly Slot[],
  /** `replaces`: the loaded version of the file, which the new one replaces (hot reload). */
  load: (file: string, code: string, replaces?: Plugin) => Promise<Plugin>,
  refuse: (file: string, message: string) => Plugin,
  /** Told of each slot as soon as it is settled, in composition order (the start budget follows progress with it). */
  onSlot?: (s: Slot) => void,
): Promise<Reconciled> {
  const old = new Map(current.map((s) => [s.plugin.file, s]))
  const out: Reconciled = { next: [], retired: [], touched: [], problems: [], kept: [] }
  const put = (s: Slot): void => {
    out.next.push(s)
    onSlot?.(s)
  }
  for (const item of items) {
    const { file, refused, held } = typeof item === "string" ? { file: item } : item
    if (held) {
      const prev = old.get(file)
      old.delete(file)
      if (prev) put(prev)
      continue
    }
    let code = ""
    let why = refused
    if (why === undefined) {
      try {
        // read confined to its directory: a symlink re-pointed out of it since the scan is refused
        code = await readPluginFile(file, { withinDir: true })
      } catch (e) {
        // gone since the directory was listed: removed (retired below, like any file not found)
        if ((e as { code?: string }).code === "ENOENT") continue
        const msg = (e as Error).message
        why = msg.startsWith("refused: ") ? msg : `unreadable: ${msg}`
      }
    }
    const prev = old.get(file)
    old.delete(file)
    if (why !== undefined) {
      out.problems.push({ path: file, message: why })
      if (prev && prev.code === REFUSED + why) {
        put(prev)
        continue
      }
      if (prev) out.retired.push(prev)
      out.touched.push(file)
      put({ plugin: refuse(file, why), code: REFUSED + why })
      continue
    }
    if (prev && prev.code === code && !prev.duplicate) {
      put(prev)
      continue
    }
    const live = prev && (prev.plugin.state === "active" || prev.plugin.state === "disabled") ? prev.plugin : undefined
    const next = await load(file, code, live)
    if (live && next.failedForLaneMemory) {
      // refused for the memory the other plugins of its lane hold, not for anything in the file:
      // the version loaded before serves on (a policy keeps applying), saying why; the file is
      // loaded again on its next change or reload (its slot keeps the old text)
      live.lastError = new PluginError("PLUGIN_LOAD_FAILED", `${live.shown}: its new version was not loaded, the previous one serves on until it can be: ${next.lastError?.message ?? "no room in the sandbox memory of its lane"}`, {
        remedy: "load fewer plugins, or keep less state in module variables; the file is loaded again when it changes (or on SIGHUP)",
        details: { file, kept: true },
      })
      out.kept.push({ file, error: live.lastError.message })
      put(prev!)
      continue
    }
    if (prev) out.retired.push(prev)
    out.touched.push(file)
    put({ plugin: next, code })
  }
  for (const s of old.values()) {
    out.touched.push(s.plugin.file)
    out.retired.push(s)
  }
  // one name, one plugin: a later file with a name already taken fails
  const names = new Map<string, string>()
  for (const s of out.next) {
    const p = s.plugin
    if (p.state !== "active") continue
    const taken = names.get(p.name)
    if (!taken) {
      names.set(p.name, p.file)
      continue
    }
    p.state = "failed"
    p.lastError = new PluginError("PLUGIN_DUPLICATE", `${p.shown}:1: plugin name "${p.name}" is already used by ${visiblePath(taken)}`, { details: { file: p.file } })
    s.duplicate = true
    await p[Symbol.asyncDispose]()
  }
  return out
}
