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

/**
 * What to add to a syntax error the parser met at the end of the code (QuickJS says only
 * `unexpected token in expression: ''`, at a line past the last one written): that the file ends
 * before its code does.
 */
export function endsEarly(e: { errorName?: string; line?: number; column?: number }, code: string): string {
  if (e.errorName !== "SyntaxError" || !e.line) return ""
  // start of the error's line (the end of the code for a line past the last)
  let i = 0
  for (let l = 1; l < e.line && i < code.length; l++) {
    const n = code.indexOf("\n", i)
    i = n < 0 ? code.length : n + 1
  }
  const rest = code.slice(Math.min(code.length, i + Math.max(0, (e.column ?? 1) - 1)))
  return rest.trim() === "" ? " (the file ends before its code does: a bracket, brace, parenthesis or string is left open, or an expression is cut short)" : ""
}
