/**
 * @module proxy/template-match
 * Whether a URI matches a whole resource template (RFC 6570 expressions, read leniently: see
 * proxy/resource-route `TemplateClaim`), in time linear in the URI's length times the template's.
 * The template comes from a downstream. Made into a regular expression, its expressions were
 * adjacent unbounded repetitions (`{a}{b}{c}…` → `[^/?#]*[^/?#]*[^/?#]*…`): matching a URI that
 * almost fits backtracks through every way of splitting it, so one template of 20 expressions and
 * one `resources/read` of a 60-character URI (the client's, or a `resource_link` the server put in
 * a tool result) held the event loop for ever: every server's tools, every session, stalled. Here
 * the template is walked as the automaton it is, all of its states at once (Thompson), never
 * backtracking.
 */

/** What a piece of the template takes. */
type CharTest = (c: number) => boolean

/** One part of a template: a literal character, or an expression's repetition. */
type Piece =
  | { kind: "char"; code: number }
  /** `class*` (`{x}`: `[^/?#]*`; `{+x}`: any). */
  | { kind: "star"; take: CharTest }
  /** `(?:P class*)?` (`{#x}`, `{?x}`, `{&x}`). */
  | { kind: "opt"; lead: number; take: CharTest }
  /** `(?:P class*)*` (`{.x}`, `{/x}`, `{;x}`). */
  | { kind: "repeat"; lead: number; take: CharTest }

const SLASH = 0x2f
const QUESTION = 0x3f
const HASH = 0x23
const ANY: CharTest = () => true
/** `[^/?#]`: a simple expression's value takes no `/`, `?` or `#`. */
const SEGMENT: CharTest = (c) => c !== SLASH && c !== QUESTION && c !== HASH
/** `[^#]`: a query expression's value runs up to the fragment. */
const QUERY: CharTest = (c) => c !== HASH

/** An expression's piece by its operator (its first character; none: a simple `{x}`). */
function expressionPiece(op: string): Piece {
  switch (op) {
    case "+":
      return { kind: "star", take: ANY }
    case "#":
      return { kind: "opt", lead: HASH, take: ANY }
    case ".":
    case "/":
    case ";":
      return { kind: "repeat", lead: op.charCodeAt(0), take: SEGMENT }
    case "?":
    case "&":
      return { kind: "opt", lead: op.charCodeAt(0), take: QUERY }
    default:
      return { kind: "star", take: SEGMENT }
  }
}

const EXPRESSION = /\{([^{}]*)\}/g

/** A template's matcher: `test(uri)` is whether the whole URI matches the whole template. */
export interface TemplateMatcher {
  test(uri: string): boolean
}

export function templateMatcher(template: string): TemplateMatcher {
  const pieces: Piece[] = []
  const literal = (text: string): void => {
    for (let i = 0; i < text.length; i++) pieces.push({ kind: "char", code: text.charCodeAt(i) })
  }
  let at = 0
  for (const m of template.matchAll(EXPRESSION)) {
    literal(template.slice(at, m.index))
    at = m.index + m[0].length
    pieces.push(expressionPiece(m[1]!.charAt(0)))
  }
  literal(template.slice(at))
  return { test: (uri) => matches(pieces, uri) }
}

/**
 * States: 2·i is "at the start of piece i" (2·pieces.length: the end, matched), 2·i+1 "inside piece
 * i" (an `opt`'s or a `repeat`'s value, after its leading character). Each character moves every
 * state at once; no state is visited twice for one position.
 */
function matches(pieces: readonly Piece[], uri: string): boolean {
  const size = 2 * pieces.length + 2
  let now = new Uint8Array(size)
  let next = new Uint8Array(size)
  const end = 2 * pieces.length
  /** Adds state `s` and every state reached from it without a character. */
  const add = (set: Uint8Array, s: number): void => {
    while (!set[s]) {
      set[s] = 1
      if (s === end) return
      const i = s >> 1
      const p = pieces[i]!
      if (p.kind === "char") return
      if (s % 2 === 1) {
        // inside an opt or repeat: its value may end here; a repeat may then start another
        if (p.kind === "repeat") {
          s = 2 * i
          continue
        }
        s = 2 * (i + 1)
        continue
      }
      // at the start of a star, opt or repeat: it may take nothing
      s = 2 * (i + 1)
    }
  }
  add(now, 0)
  for (let k = 0; k < uri.length; k++) {
    const c = uri.charCodeAt(k)
    next.fill(0)
    let any = false
    for (let s = 0; s < end; s++) {
      if (!now[s]) continue
      const p = pieces[s >> 1]!
      const inside = s % 2 === 1
      if (p.kind === "char") {
        if (c === p.code) add(next, s + 2)
      } else if (p.kind === "star") {
        if (p.take(c)) add(next, s)
      } else if (inside) {
        if (p.take(c)) add(next, s)
      } else if (c === p.lead) add(next, s + 1)
    }
    for (let s = 0; s < size && !any; s++) any = next[s] === 1
    if (!any) return false
    const t = now
    now = next
    next = t
  }
  return now[end] === 1
}
