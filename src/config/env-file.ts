/**
 * @module config/env-file
 * A dotenv file (`envFile` of a server entry): `KEY=VALUE` lines, `export ` allowed, `#` comments,
 * values bare (an inline ` #` starts a comment), 'single-quoted' (literal) or "double-quoted" (with
 * \n \r \t \" \\ escapes, may span lines). No variable expansion: values are taken as written.
 */

export interface DotenvResult {
  values: Record<string, string>
  /** `line N: what is wrong` */
  problems: string[]
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/

export function parseDotenv(text: string): DotenvResult {
  const out: DotenvResult = { values: {}, problems: [] }
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/)
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!
    const line = raw.trim()
    if (!line || line.startsWith("#")) continue
    const body = line.startsWith("export ") ? line.slice(7).trimStart() : line
    const eq = body.indexOf("=")
    const key = eq < 0 ? body : body.slice(0, eq).trim()
    if (eq < 0 || !KEY.test(key)) {
      out.problems.push(`line ${n + 1}: expected KEY=VALUE`)
      continue
    }
    let rest = body.slice(eq + 1).trimStart()
    const q = rest[0]
    if (q === '"' || q === "'") {
      // A quoted value may continue on the following lines until its closing quote.
      const start = n
      let value = ""
      let closed = false
      let text = rest.slice(1)
      for (;;) {
        const end = closingQuote(text, q)
        if (end >= 0) {
          value += text.slice(0, end)
          closed = true
          break
        }
        value += text
        if (++n >= lines.length) break
        value += "\n"
        text = lines[n]!
      }
      if (!closed) {
        out.problems.push(`line ${start + 1}: unterminated ${q === '"' ? "double" : "single"}-quoted value`)
        continue
      }
      out.values[key] = q === '"' ? unescape(value) : value
      continue
    }
    const hash = rest.search(/\s#/)
    if (hash >= 0) rest = rest.slice(0, hash)
    out.values[key] = rest.trim()
  }
  return out
}

function closingQuote(text: string, q: string): number {
  for (let i = 0; i < text.length; i++) {
    if (q === '"' && text[i] === "\\") i++
    else if (text[i] === q) return i
  }
  return -1
}

function unescape(v: string): string {
  return v.replace(/\\([nrt"\\])/g, (_m, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c === "t" ? "\t" : c))
}
