/**
 * Architecture rules for src/ (run by test/architecture/layers.test.ts, or directly:
 * `bun scripts/check-layers.ts`). Imports only go upward in the layer table; same-row folders don't
 * import each other except where listed; other folders are imported only through their index.ts.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative, sep } from "node:path"

/** Row of each top-level folder of src/ (a file directly in src/ is "main"). */
export const LAYERS: Record<string, number> = {
  core: 0,
  config: 1,
  docker: 2,
  cache: 2,
  sandbox: 2,
  auth: 2,
  catalog: 3,
  pool: 3,
  plugin: 3,
  proxy: 4,
  mcp: 5,
  manage: 5,
  http: 5,
  app: 6,
  cli: 7,
  main: 8,
}
/** Same-row imports that are allowed (from → to). */
export const SAME_ROW_ALLOWED = new Set(["pool→catalog", "http→mcp", "manage→mcp"])
/**
 * Entries other folders may import besides a folder's index.ts: a small part a serving session needs
 * without evaluating the rest of that folder (docker/remedy: the gateway's remedy, not the driver; docker/cli-stamp: the Toolkit CLI's files
 * stamped for the first answer's key;
 * sandbox/visible: path and text display for plugin discovery), or a heavy part only some commands
 * load (plugin/loader: what runs plugin files, for `plugins check`/`run`; auth/stored-logins: the
 * stored tokens a start registers before its first answer, not the OAuth client; core/plain-file:
 * the FIFO-safe read of the cache that src/early-face.ts does before anything else is evaluated;
 * core/account-home: the home directory the early face finds the cache under, as the real face does;
 * core/unsafe-text: the escape of unsafe characters, which the code worker uses without evaluating core).
 */
export const PUBLIC_ENTRIES = new Set([join("core", "plain-file.ts"), join("core", "account-home.ts"), join("core", "unsafe-text.ts"), join("docker", "remedy.ts"), join("docker", "cli-stamp.ts"), join("sandbox", "visible.ts"), join("plugin", "loader.ts"), join("auth", "stored-logins.ts")])
/** Lower-row folders a folder may NOT use even though they are below it. */
export const FORBIDDEN: Record<string, string[]> = { plugin: ["docker", "cache"] }

export interface ImportEdge {
  file: string
  line: number
  from: string
  to: string
  target: string
}

const IMPORT_RE = /(?:^|\s|;)(?:import|export)\s[^"'`]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm

export function folderOf(srcRel: string): string {
  const parts = srcRel.split(sep)
  return parts.length === 1 ? "main" : parts[0]!
}

export function importsOf(file: string, text: string, srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = []
  const fromRel = relative(srcDir, file)
  const from = folderOf(fromRel)
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3]
    if (!spec || !spec.startsWith(".")) continue
    const abs = join(file, "..", spec)
    const toRel = relative(srcDir, abs)
    if (toRel.startsWith("..")) continue
    const line = text.slice(0, m.index).split("\n").length
    edges.push({ file: fromRel, line, from, to: folderOf(toRel), target: toRel })
  }
  return edges
}

export function violations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = []
  for (const e of edges) {
    if (e.from === e.to) continue
    const a = LAYERS[e.from]
    const b = LAYERS[e.to]
    const where = `src/${e.file}:${e.line}`
    if (a === undefined) {
      out.push(`${where}: folder "${e.from}" is not in the layer table (scripts/check-layers.ts)`)
      continue
    }
    if (b === undefined) {
      out.push(`${where}: imports folder "${e.to}" which is not in the layer table`)
      continue
    }
    if (b > a) out.push(`${where}: ${e.from} (row ${a}) imports ${e.to} (row ${b}), a higher layer`)
    else if (a === b && !SAME_ROW_ALLOWED.has(`${e.from}→${e.to}`)) out.push(`${where}: ${e.from} imports ${e.to} from the same row`)
    else if (FORBIDDEN[e.from]?.includes(e.to)) out.push(`${where}: ${e.from} may not import ${e.to}`)
    else if (e.to !== "main" && e.target !== join(e.to, "index.ts") && !PUBLIC_ENTRIES.has(e.target)) out.push(`${where}: imports ${e.target}; other folders import only from ${e.to}/index.ts`)
  }
  return out
}

export function scan(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = []
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.(ts|tsx|js|mjs)$/.test(e.name) && !/\.test\.ts$/.test(e.name)) edges.push(...importsOf(p, readFileSync(p, "utf8"), srcDir))
    }
  }
  walk(srcDir)
  return edges
}

if (import.meta.main) {
  const v = violations(scan(join(import.meta.dir, "..", "src")))
  for (const line of v) console.error(line)
  console.error(v.length ? `${v.length} layer violation(s)` : "layers ok")
  process.exit(v.length ? 1 : 0)
}
