/**
 * @module plugin/source-lines
 * Best-effort line numbers in a plugin's source for export problems (`prompts.1.name: …`).
 */

function lineOf(source: string, index: number): number {
  let line = 1
  for (let i = 0; i < index && i < source.length; i++) if (source.charCodeAt(i) === 10) line++
  return line
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
}

/** Line of `export default` (1 when absent). */
export function exportLine(source: string): number {
  const i = source.search(/export\s+default\b/)
  return i < 0 ? 1 : lineOf(source, i)
}

/**
 * Line of the property an issue path points at: walks the string keys of the path, each searched
 * after the previous match (`name:`, `"name":`, `name(`), and array indexes as the n-th occurrence
 * of the next key. Falls back to the last match, then to the `export default` line.
 */
export function lineForPath(source: string, path: ReadonlyArray<PropertyKey>): number {
  let from = Math.max(0, source.search(/export\s+default\b/))
  let best = exportLine(source)
  let skip = 0
  for (const key of path) {
    if (typeof key === "number") {
      skip = key
      continue
    }
    if (typeof key !== "string") break
    const re = new RegExp(`(^|[\\s{,])(["']?)${escapeRe(key)}\\2\\s*[:(]`, "gm")
    re.lastIndex = from
    let m: RegExpExecArray | null = null
    for (let n = 0; n <= skip; n++) {
      m = re.exec(source)
      if (!m) break
    }
    skip = 0
    if (!m) break
    from = m.index + m[0].length
    best = lineOf(source, m.index + m[1]!.length)
  }
  return best
}
