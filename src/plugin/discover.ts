/**
 * @module plugin/discover
 * Find plugin files: `*.js`, `*.mjs`, `*.ts`, `*.mts` (not `*.d.ts`, not dot-files) in each
 * plugin directory, in directory order then file-name order (byte order). Symlinks that resolve
 * outside their directory are refused.
 */
import { lstat, readdir, realpath, stat } from "node:fs/promises"
import { join, relative, isAbsolute } from "node:path"
import { isPluginFile } from "../config/index.ts"

export { PLUGIN_FILE_RE, defaultPluginDir, resolvePluginDirs } from "../config/index.ts"

export interface Discovered {
  /** Plugin files, in composition order. */
  files: string[]
  /** Files or directories that were skipped, with the reason. */
  problems: Array<{ path: string; message: string }>
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export async function discoverPlugins(dirs: readonly string[]): Promise<Discovered> {
  const out: Discovered = { files: [], problems: [] }
  const seen = new Set<string>()
  for (const dir of dirs) {
    let root: string
    try {
      root = await realpath(dir)
      if (!(await stat(root)).isDirectory()) throw new Error("not a directory")
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code !== "ENOENT") out.problems.push({ path: dir, message: `plugin directory unreadable: ${(e as Error).message}` })
      continue
    }
    let names: string[]
    try {
      names = (await readdir(root)).filter(isPluginFile).sort(byBytes)
    } catch (e) {
      out.problems.push({ path: dir, message: `plugin directory unreadable: ${(e as Error).message}` })
      continue
    }
    for (const name of names) {
      const path = join(root, name)
      try {
        const st = await lstat(path)
        let target = path
        if (st.isSymbolicLink()) {
          target = await realpath(path)
          if (!inside(root, target)) {
            out.problems.push({ path, message: `refused: symlink points outside the plugin directory (${target})` })
            continue
          }
        }
        if (!(await stat(target)).isFile()) continue
        if (seen.has(target)) continue
        seen.add(target)
        out.files.push(path)
      } catch (e) {
        out.problems.push({ path, message: `unreadable: ${(e as Error).message}` })
      }
    }
  }
  return out
}
