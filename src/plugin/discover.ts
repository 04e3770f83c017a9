/**
 * @module plugin/discover
 * Find plugin files: `*.js`, `*.mjs`, `*.ts`, `*.mts` (not `*.d.ts`, not dot-files) in each
 * plugin directory, in directory order then file-name order (byte order). A plugin file that is
 * there but refused (a symlink that resolves outside its directory or leads nowhere, a FIFO, a
 * directory) is reported as an entry with the refusal: it fails to load (a policy plugin fails
 * closed), it is not "removed". A plugin directory that is gone or unreadable is reported as
 * unavailable (its plugins keep their last state: see PluginHost).
 */
import { lstat, readdir, realpath, stat } from "node:fs/promises"
import { join, relative, isAbsolute } from "node:path"
import { isPluginFile } from "../config/index.ts"
import { visiblePath } from "../sandbox/visible.ts"

export { PLUGIN_FILE_RE, defaultPluginDir, resolvePluginDirs } from "../config/index.ts"

export interface PluginEntry {
  /** The file's path in its directory (as resolved when scanned). */
  path: string
  /** The plugin directory it was found in, as configured. */
  dir: string
  /** Why the file is there but cannot be loaded (it counts as a load failure). */
  refused?: string
}

export interface Discovered {
  /** Plugin files that can be read, in composition order. */
  files: string[]
  /** Every plugin file found (readable or refused), in composition order. */
  entries: PluginEntry[]
  /** Files refused and directories that could not be read, with the reason. */
  problems: Array<{ path: string; message: string }>
  /** Plugin directories (as configured) that are gone or unreadable now. */
  unavailable: Array<{ dir: string; gone: boolean; message: string }>
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function codeOf(e: unknown): string | undefined {
  return (e as { code?: string }).code
}

/** Why a plugin file that exists cannot be loaded; undefined when it can (or "gone" when it is not there any more). */
async function refusal(root: string, path: string): Promise<{ target?: string; refused?: string } | "gone"> {
  let st
  try {
    st = await lstat(path)
  } catch (e) {
    if (codeOf(e) === "ENOENT") return "gone"
    return { refused: `unreadable: ${visiblePath((e as Error).message)}` }
  }
  let target = path
  if (st.isSymbolicLink()) {
    try {
      target = await realpath(path)
    } catch (e) {
      return { refused: `refused: symlink leads nowhere (${visiblePath((e as Error).message)})` }
    }
    if (!inside(root, target)) return { refused: `refused: symlink points outside the plugin directory (${visiblePath(target)})` }
  }
  try {
    const t = await stat(target)
    if (!t.isFile()) return { refused: `refused: not a regular file (${t.isDirectory() ? "a directory" : t.isFIFO() ? "a FIFO" : t.isSocket() ? "a socket" : "a device or special file"})` }
  } catch (e) {
    if (codeOf(e) === "ENOENT" && target === path) return "gone"
    return { refused: `unreadable: ${visiblePath((e as Error).message)}` }
  }
  return { target }
}

export async function discoverPlugins(dirs: readonly string[]): Promise<Discovered> {
  const out: Discovered = { files: [], entries: [], problems: [], unavailable: [] }
  const seen = new Set<string>()
  for (const dir of dirs) {
    let root: string
    try {
      root = await realpath(dir)
      if (!(await stat(root)).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" })
    } catch (e) {
      const gone = codeOf(e) === "ENOENT"
      const message = `plugin directory unreadable: ${visiblePath((e as Error).message)}`
      out.unavailable.push({ dir, gone, message })
      if (!gone) out.problems.push({ path: dir, message })
      continue
    }
    let names: string[]
    try {
      names = (await readdir(root)).filter(isPluginFile).sort(byBytes)
    } catch (e) {
      const message = `plugin directory unreadable: ${visiblePath((e as Error).message)}`
      out.unavailable.push({ dir, gone: codeOf(e) === "ENOENT", message })
      out.problems.push({ path: dir, message })
      continue
    }
    for (const name of names) {
      const path = join(root, name)
      const r = await refusal(root, path)
      if (r === "gone") continue
      if (r.refused !== undefined) {
        out.problems.push({ path, message: r.refused })
        out.entries.push({ path, dir, refused: r.refused })
        continue
      }
      const target = r.target!
      if (seen.has(target)) continue
      seen.add(target)
      out.files.push(path)
      out.entries.push({ path, dir })
    }
  }
  return out
}
