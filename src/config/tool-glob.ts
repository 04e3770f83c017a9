/**
 * @module config/tool-glob
 * Tool-name globs of the `tools: { allow, deny }` filters, the syntax a shell and .gitignore users
 * write: `*` any run of characters, `?` one, `[abc]` / `[a-z]` / `[!a]` (or `[^a]`) one of / none of,
 * `{read,list}_*` one of the alternatives; the name characters (A-Z a-z 0-9 _ . - /) literal.
 * Checked at load (`globProblem`: what is wrong, for a message naming the key and file:line) and
 * compiled by the proxy (`globToRegExp`). A glob that cannot be read is never taken as some other
 * glob: a deny filter read wrong would show tools meant to be hidden.
 */

/** The syntax, as an error message says what was expected. */
export const GLOB_EXPECTED = "a glob of A-Z a-z 0-9 _ . - / with * (any run), ? (one character), [abc] [a-z] [!a] (one of / none of) and {a,b} (alternatives)"

const LITERAL = /[A-Za-z0-9_.\-/]/

type Parsed = { re: string } | { problem: string }

/** What is wrong with `glob` (undefined: it reads). */
export function globProblem(glob: string): string | undefined {
  const p = parse(glob)
  return "problem" in p ? p.problem : undefined
}

/** The anchored RegExp of a glob that `globProblem` accepts; throws on one it refuses. */
export function globToRegExp(glob: string): RegExp {
  const p = parse(glob)
  if ("problem" in p) throw new Error(`tool glob ${JSON.stringify(glob)}: ${p.problem}`)
  return new RegExp(`^${p.re}$`)
}

function parse(glob: string): Parsed {
  let re = ""
  let i = 0
  let inBraces = false
  while (i < glob.length) {
    const c = glob[i]!
    if (c === "*") re += ".*"
    else if (c === "?") re += "."
    else if (c === "[") {
      const cls = charClass(glob, i)
      if ("problem" in cls) return cls
      re += cls.re
      i = cls.end
      continue
    } else if (c === "{") {
      if (inBraces) return { problem: `{…} inside {…} at character ${i + 1} (alternatives do not nest)` }
      inBraces = true
      re += "(?:"
    } else if (c === "," && inBraces) re += "|"
    else if (c === "}" && inBraces) {
      inBraces = false
      re += ")"
    } else if (LITERAL.test(c)) re += esc(c)
    else return { problem: `${JSON.stringify(c)} at character ${i + 1} is not part of a tool glob` }
    i++
  }
  if (inBraces) return { problem: "a { is not closed by }" }
  return { re }
}

/** `[…]` starting at `at`: its RegExp and the index after its `]`. */
function charClass(glob: string, at: number): { re: string; end: number } | { problem: string } {
  let i = at + 1
  let re = "["
  if (glob[i] === "!" || glob[i] === "^") {
    re += "^"
    i++
  }
  let items = 0
  while (i < glob.length && glob[i] !== "]") {
    const c = glob[i]!
    if (!LITERAL.test(c)) return { problem: `${JSON.stringify(c)} at character ${i + 1} is not a name character (inside [ ])` }
    if (glob[i + 1] === "-" && glob[i + 2] !== undefined && glob[i + 2] !== "]") {
      const to = glob[i + 2]!
      if (!LITERAL.test(to) || to < c) return { problem: `the range ${c}-${to} at character ${i + 1} is not a range of name characters` }
      re += `${esc(c)}-${esc(to)}`
      i += 3
    } else {
      re += esc(c)
      i++
    }
    items++
  }
  if (i >= glob.length) return { problem: `the [ at character ${at + 1} is not closed by ]` }
  if (items === 0) return { problem: `[] at character ${at + 1} is empty` }
  return { re: `${re}]`, end: i + 1 }
}

/** A name character as a RegExp literal (`.`, `-`, `/` escaped). */
function esc(c: string): string {
  return /[A-Za-z0-9_]/.test(c) ? c : `\\${c}`
}
