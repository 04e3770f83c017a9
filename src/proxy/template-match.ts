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

/**
 * States moved, over all the templates one URI is matched against, at most (proxy/resource-route
 * `routeResource`): linear is not cheap when both sides are large — a server listing thousands of
 * templates of thousands of expressions each, and linking to a URI of a megabyte that keeps them
 * all alive. Past it, the templates not yet checked are taken as not matching (a real template dies
 * within its first literal characters, or fits in a few thousand steps).
 */
export const MATCH_BUDGET = 5_000_000

/** What is left of a MATCH_BUDGET; `spent` once it ran out. */
export interface MatchBudget {
  left: number
  spent?: boolean
}

/** A template's matcher: `test(uri)` is whether the whole URI matches the whole template (false once `budget` runs out). */
export interface TemplateMatcher {
  test(uri: string, budget?: MatchBudget): boolean
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
  return { test: (uri, budget) => matches(pieces, uri, budget ?? { left: MATCH_BUDGET }) }
}

/**
 * States: 2·i is "at the start of piece i" (2·pieces.length: the end, matched), 2·i+1 "inside piece
 * i" (an `opt`'s or a `repeat`'s value, after its leading character). Each character moves every
 * live state at once (the live ones only: a template that does not fit dies within a few
 * characters); no state is visited twice for one position.
 */
function matches(pieces: readonly Piece[], uri: string, budget: MatchBudget): boolean {
  if (budget.spent) return false
  const size = 2 * pieces.length + 2
  const end = 2 * pieces.length
  let inNow = new Uint8Array(size)
  let inNext = new Uint8Array(size)
  let now: number[] = []
  let next: number[] = []
  /** Adds state `s` and every state reached from it without a character. */
  const add = (set: Uint8Array, list: number[], s: number): void => {
    while (!set[s]) {
      set[s] = 1
      list.push(s)
      if (s === end) return
      const i = s >> 1
      const p = pieces[i]!
      if (p.kind === "char") return
      // inside a repeat: its value may end here and another start; inside an opt: it may end here;
      // at the start of a star, opt or repeat: it may take nothing
      s = s % 2 === 1 && p.kind === "repeat" ? 2 * i : 2 * (i + 1)
    }
  }
  add(inNow, now, 0)
  for (let k = 0; k < uri.length; k++) {
    budget.left -= now.length
    if (budget.left < 0) {
      budget.spent = true
      return false
    }
    const c = uri.charCodeAt(k)
    for (const s of now) {
      if (s === end) continue
      const p = pieces[s >> 1]!
      if (p.kind === "char") {
        if (c === p.code) add(inNext, next, s + 2)
      } else if (p.kind === "star" || s % 2 === 1) {
        if (p.take(c)) add(inNext, next, s)
      } else if (c === p.lead) add(inNext, next, s + 1)
    }
    if (next.length === 0) return false
    for (const s of now) inNow[s] = 0
    ;[inNow, inNext] = [inNext, inNow]
    now = next
    next = []
  }
  return inNow[end] === 1
}
