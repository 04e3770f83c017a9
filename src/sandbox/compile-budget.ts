/**
 * @module sandbox/compile-budget
 * A linear estimate of the work QuickJS does compiling a source, checked before it compiles it.
 * QuickJS resolves every identifier of a function by scanning the declarations of that function
 * and of the functions around it, one by one, and checks each new declaration the same way: time
 * quadratic in the names of one scope, in one native call that never reaches the interrupt handler
 * (measured here: 20 000 `let` in one function 1.4 s, 80 000 about 70 s; 200 000 uses of a name
 * among 5 000 declarations 10 s; 300 000 uses of 50 000 global names 43 s). A watchdog kill cannot
 * stop that thread (it spins on, holding a core, until the compile ends), so such source is refused
 * before it is compiled: plugin files (Sandbox.load), run_code scripts (runCode), and source the
 * guest compiles at run time (`eval`, `Function` and its async and generator kinds, prelude.ts).
 *
 * The estimate is an upper bound of that scan: each function body (and the top level) is a frame;
 * t(f) counts the identifier tokens in f itself (not in functions nested in it; property names
 * after `.` and keys before `:` excluded, they are never looked up), d(f) its distinct names plus
 * its declaration keywords (`{ let b }` a thousand times declares a thousand variables of one
 * name; a private `#name` counts three). A use of a name f surely declares (a parameter of
 * `name( … ) {` on one line or of an arrow, the names of a `let`/`const`/`var` list at f's own
 * level, a function or class declaration starting a statement there) costs d(f): QuickJS finds it
 * in f. Any other use costs d(f) + d of every frame around f out to the innermost one seen
 * declaring the name (all of them for a global, or a name declared later). Unsure cases (blocks,
 * `for` heads, patterns, function expression names, a `( … )` then a line break then `{`) count
 * as not declared: over-estimated, never under. Strings, comments, template text and regular
 * expression literals are skipped, so names hidden there cost nothing; a string or regular
 * expression the scan would end at a line break was misread, and is scanned as code instead;
 * after a `/` that follows `}` or `++` (a division or a regular expression: only a parser knows)
 * the rest is counted blind, word by word, so a quote QuickJS reads inside a regular expression
 * cannot hide code from the estimate.
 */

/**
 * Estimated lookup steps one compile may cost. The slowest shapes within it, measured on a busy
 * 2-core machine (load average 10): 5 000 `let` in one function 0.4–0.7 s, 5 000 private class
 * fields ≈ 0.5–1 s, 2 500 `let` used 40 000 times ≈ 1 s. Real code: 5 000 small functions in one
 * file 50 M, zod + ajv + diff in one 940 KB bundle 47 M, fast-check 16 M; 5 000 top-level functions
 * each calling three others 200 M (refused, though they compile in 0.1–0.6 s: the worst over-estimate).
 */
export const MAX_COMPILE_WORK = 100_000_000

/** Characters of source the guest may compile at run time in one `eval` or `Function` call. */
export const MAX_EVAL_SOURCE_CHARS = 1024 * 1024

export interface CompileWork {
  /** Estimated lookup steps (see the module comment). */
  work: number
  /** The frame contributing most: its identifier tokens and the 1-based line where it opens. */
  worst: { names: number; line: number }
}

/** Keywords after which `/` starts a regular expression literal (after other words it divides). */
const REGEX_AFTER = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"])
/** Keywords whose `( … )` is followed by a block, not a function body. */
const BLOCK_HEADS = new Set(["if", "for", "while", "switch", "catch", "with", "await"])
/** Words that are never looked up as names. */
const KEYWORDS = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "export", "extends", "finally",
  "for", "function", "if", "import", "in", "instanceof", "new", "return", "super", "switch", "this", "throw", "try", "typeof", "var",
  "void", "while", "with", "null", "true", "false",
])

interface Frame {
  /** Identifier tokens. */
  names: number
  /** Distinct names. */
  distinct: Set<string>
  /** Declaration keywords (let, const, var, function, class, catch). */
  decls: number
  line: number
  parent: number
  /** Open brackets (`nest` length) inside its body: its own level, where its `let`/`const`/`var` are seen. */
  depth: number
  /** Names it surely declares (parameters, `let`/`const`/`var` at its own level), so far. */
  declared: Set<string>
  /** Uses of names it declares: each looked up among its own names only. */
  local: number
  /** Other uses, by the innermost frame around it seen declaring the name (-1: none, a global). */
  outer: Map<number, number>
}

const newFrame = (line: number, parent: number, depth: number): Frame => ({ names: 0, distinct: new Set(), decls: 0, line, parent, depth, declared: new Set(), local: 0, outer: new Map() })
const addOuter = (fr: Frame, target: number, k: number): void => {
  fr.outer.set(target, (fr.outer.get(target) ?? 0) + k)
}
/** A word that may be a parameter, where it was charged (target -2: as a local use). */
interface Candidate {
  word: string
  frame: number
  target: number
}

/** Tokens after which a `function` or `class` on the same line starts a declaration. */
const STATEMENT_START = new Set(["", ";", "{", "}", "export", "default"])
const DECLARES = new Set(["let", "const", "var", "function", "class", "catch"])

const isIdStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95 || c === 92 || c >= 128
const isIdPart = (c: number): boolean => isIdStart(c) || (c >= 48 && c <= 57)
const isDigit = (c: number): boolean => c >= 48 && c <= 57

/** Count every name-like word of `src` from `from` on into `fr` (strings, comments and all). */
function countBlind(src: string, from: number, fr: Frame): void {
  const n = src.length
  let i = from
  while (i < n) {
    const c = src.charCodeAt(i)
    if (!(isIdStart(c) || c === 35)) {
      i++
      continue
    }
    const start = i
    i++
    while (i < n && isIdPart(src.charCodeAt(i))) i++
    const word = src.slice(start, i)
    fr.names++
    fr.distinct.add(word)
    addOuter(fr, -1, 1)
    if (DECLARES.has(word)) fr.decls++
    if (c === 35) fr.decls += 2
  }
}

/** The estimated compile work of `src` (one pass, linear in its length). */
export function compileWork(src: string): CompileWork {
  const frames: Frame[] = [newFrame(1, -1, 0)]
  /** Open braces: the frame a `{` opened (its index), or -1 for a plain block, -2 for a template `${`. */
  const braces: number[] = []
  /** Open parentheses: the word before each `(`, and the words that may be parameters in it. */
  const parens: string[] = []
  const groups: Candidate[][] = []
  /** Every open bracket, innermost last: a brace's `braces` value, -3 for `(`, -4 for `[`. */
  const nest: number[] = []
  /** Frames declaring each name, innermost last (popped when the frame closes). */
  const declaredIn = new Map<string, number[]>()
  /** The parameters of the next body: the words of the last `( … )` (or the one word before `=>`). */
  let pending: Candidate[] = []
  /** A `let`/`const`/`var` list open at this `nest` depth (-1: none): a word after its `,` is declared. */
  let declList = -1
  /** A line break (or a comment holding one) since the last token. */
  let newline = false
  /** Count a use of `word` in the current frame: local if it declares it, else where it was seen declared. */
  const charge = (word: string): number => {
    const fr = frames[frame]!
    fr.names++
    fr.distinct.add(word)
    if (word === "let" || fr.declared.has(word)) {
      fr.local++
      return -2
    }
    const around = declaredIn.get(word)
    const target = around !== undefined && around.length > 0 ? around[around.length - 1]! : -1
    addOuter(fr, target, 1)
    return target
  }
  const declare = (f: number, word: string): void => {
    const fr = frames[f]!
    if (fr.declared.has(word)) return
    fr.declared.add(word)
    const around = declaredIn.get(word)
    if (around === undefined) declaredIn.set(word, [f])
    else around.push(f)
  }
  /** Open a function body frame; `params` (charged where they were read) become its local uses. */
  const openFrame = (params: Candidate[]): void => {
    braces.push(frames.length)
    nest.push(frames.length)
    frames.push(newFrame(line, frame, nest.length))
    frame = frames.length - 1
    const fr = frames[frame]!
    for (const p of params) {
      const was = frames[p.frame]!
      if (p.target === -2) was.local--
      else addOuter(was, p.target, -1)
      was.names--
      declare(frame, p.word)
      fr.names++
      fr.distinct.add(p.word)
      fr.local++
    }
  }
  /** `function` or `class` starting a declaration (the name after it is declared), else "". */
  let declaration = ""
  /** The last word, had it been a parameter (for `x => {`). */
  let wordCandidate: Candidate | undefined
  /** The words of the last closed `( … )`. */
  let lastGroup: Candidate[] = []
  /** A line break ends a `let`/`const`/`var` list at its level unless a `,` just came (ASI may end it there). */
  const lineBreak = (): void => {
    newline = true
    if (declList === nest.length && last !== ",") declList = -1
  }
  const closeFrame = (f: number): void => {
    for (const word of frames[f]!.declared) declaredIn.get(word)!.pop()
  }
  let frame = 0
  let line = 1
  /** The last significant token: a word, a punctuator, or "" (start); `lastParen` the head of a `)`. */
  let last = ""
  let lastParenHead = ""
  let lastWasValue = false
  const n = src.length
  let i = 0
  const skipTemplate = (): void => {
    // inside a template literal: up to its end or a `${`
    while (i < n) {
      const c = src.charCodeAt(i)
      if (c === 92) i += 2
      else if (c === 96) {
        i++
        last = "`"
        lastWasValue = true
        return
      } else if (c === 36 && src.charCodeAt(i + 1) === 123) {
        i += 2
        braces.push(-2)
        nest.push(-2)
        last = "${"
        lastWasValue = false
        return
      } else {
        if (c === 10) line++
        i++
      }
    }
  }
  while (i < n) {
    const c = src.charCodeAt(i)
    if (c === 10) {
      line++
      i++
      lineBreak()
      continue
    }
    if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029) {
      i++
      continue
    }
    if (c === 47 && src.charCodeAt(i + 1) === 47) {
      while (i < n && src.charCodeAt(i) !== 10) i++
      continue
    }
    if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const end = src.indexOf("*/", i + 2)
      const stop = end < 0 ? n : end + 2
      for (let j = i; j < stop; j++)
        if (src.charCodeAt(j) === 10) {
          line++
          lineBreak()
        }
      i = stop
      continue
    }
    const brokeLine = newline
    newline = false
    const lastWord = wordCandidate
    wordCandidate = undefined
    if (c === 39 || c === 34) {
      // a string never holds a raw line break: one that reaches it was misread (a quote inside a
      // regular expression taken for a division), and is scanned as code instead of skipped
      const start = i
      let closed = false
      i++
      while (i < n) {
        const d = src.charCodeAt(i)
        if (d === 92) i += 2
        else if (d === 10) break
        else {
          i++
          if (d === c) {
            closed = true
            break
          }
        }
      }
      if (!closed) i = start + 1
      last = "'"
      lastWasValue = closed
      continue
    }
    if (c === 96) {
      i++
      skipTemplate()
      continue
    }
    if (c === 47 && (last === "}" || last === "++" || last === "--")) {
      // after `}` (a block, or an object literal) or `++`, a `/` may divide or start a regular
      // expression, and only a parser knows which: misread, a quote in it would hide the code after
      // it. The rest of the source is counted blind instead: every name-like word, wherever it is,
      // in this frame (never less than QuickJS could see; rare in real code)
      countBlind(src, i, frames[frame]!)
      break
    }
    if (c === 47 && !lastWasValue) {
      // a regular expression literal: ends at an unescaped `/` outside a class, or the line
      const start = i
      let closed = false
      i++
      let inClass = false
      while (i < n) {
        const d = src.charCodeAt(i)
        if (d === 10) break
        if (d === 92) i += 2
        else {
          i++
          if (d === 91) inClass = true
          else if (d === 93) inClass = false
          else if (d === 47 && !inClass) {
            closed = true
            break
          }
        }
      }
      if (closed) {
        while (i < n && isIdPart(src.charCodeAt(i))) i++
        last = "/re/"
        lastWasValue = true
        continue
      }
      // not a regular expression after all (it would end on its line): a division, scanned as code
      i = start + 1
      last = "/"
      lastWasValue = false
      continue
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      i++
      while (i < n && (isIdPart(src.charCodeAt(i)) || src.charCodeAt(i) === 46)) i++
      last = "0"
      lastWasValue = true
      continue
    }
    if (isIdStart(c) || c === 35) {
      const start = i
      i++
      while (i < n && isIdPart(src.charCodeAt(i))) i++
      const word = src.slice(start, i)
      const property = last === "." || last === "?."
      // the next significant character: a key before `:` is never looked up (`?:` is a conditional)
      let j = i
      while (j < n && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9)) j++
      const key = src.charCodeAt(j) === 58 && last !== "?"
      const fr = frames[frame]!
      if (!property && !key && !KEYWORDS.has(word)) {
        // declared here for sure: the first name after `let`/`const`/`var` at the frame's own level
        // (not in a block, a `for` head or a pattern), or one after a `,` of that list
        const ownLevel = nest.length === fr.depth
        // or the name of a function or class declaration: one at the start of a statement at that
        // level (a function expression's name is declared in its own scope only)
        if (((last === "let" || last === "const" || last === "var") && ownLevel) || (last === "," && declList === nest.length) || (last === declaration && ownLevel)) declare(frame, word)
        const target = charge(word)
        const candidate = { word, frame, target }
        if (nest[nest.length - 1] === -3 && (last === "(" || last === "," || last === "...")) groups[groups.length - 1]!.push(candidate)
        wordCandidate = candidate
      }
      if (!property && (word === "let" || word === "const" || word === "var") && nest.length === fr.depth) declList = nest.length
      if (!property && DECLARES.has(word)) fr.decls++
      declaration = !property && (word === "function" || word === "class") && (brokeLine || STATEMENT_START.has(last)) ? word : ""
      // a private name costs QuickJS about three times a variable's lookup (measured)
      if (c === 35) fr.decls += 2
      last = property ? "name" : word
      lastWasValue = property || !(KEYWORDS.has(word) || REGEX_AFTER.has(word))
      continue
    }
    // punctuators
    i++
    if (c === 123) {
      // `{`: a function body after `=>` or after `( … )` whose head is not if/for/while/…
      const body = last === "=>" || (last === ")" && !BLOCK_HEADS.has(lastParenHead))
      // its parameters: those of an arrow, or of `name( … ) {` on one line (a call, a line break,
      // then a block is no function: there the words in parentheses are left where they were used)
      if (last === "=>") openFrame(pending)
      else if (body) openFrame(!brokeLine && /^[\w$#\\\u0080-\uffff]/.test(lastParenHead) ? lastGroup : [])
      else {
        braces.push(-1)
        nest.push(-1)
      }
      last = "{"
      lastWasValue = false
      continue
    }
    if (c === 125) {
      const open = braces.pop()
      nest.pop()
      if (declList > nest.length) declList = -1
      if (open === -2) {
        skipTemplate()
        continue
      }
      if (open !== undefined && open >= 0) {
        closeFrame(open)
        frame = frames[open]!.parent
      }
      last = "}"
      lastWasValue = true
      continue
    }
    if (c === 40) {
      parens.push(last)
      groups.push([])
      nest.push(-3)
      last = "("
      lastWasValue = false
      continue
    }
    if (c === 41) {
      lastParenHead = parens.pop() ?? ""
      lastGroup = groups.pop() ?? []
      nest.pop()
      if (declList > nest.length) declList = -1
      last = ")"
      // `if (x) /re/`: after the head of a statement a `/` starts a regular expression
      lastWasValue = !BLOCK_HEADS.has(lastParenHead)
      continue
    }
    if (c === 93) {
      nest.pop()
      if (declList > nest.length) declList = -1
      last = "]"
      lastWasValue = true
      continue
    }
    if (c === 61 && src.charCodeAt(i) === 62) {
      i++
      pending = last === ")" ? lastGroup : lastWord !== undefined && last === lastWord.word ? [lastWord] : []
      last = "=>"
      lastWasValue = false
      continue
    }
    if (c === 46 && src.charCodeAt(i) === 46 && src.charCodeAt(i + 1) === 46) {
      i += 2
      last = "..."
      lastWasValue = false
      continue
    }
    if (c === 63 && src.charCodeAt(i) === 46 && !isDigit(src.charCodeAt(i + 1))) {
      i++
      last = "?."
      lastWasValue = false
      continue
    }
    if ((c === 43 || c === 45) && src.charCodeAt(i) === c) {
      // `++` / `--`: after a value it is postfix (a value still), before one prefix
      i++
      last = c === 43 ? "++" : "--"
      continue
    }
    if (c === 91) nest.push(-4)
    if (c === 59 && declList === nest.length) declList = -1
    last = String.fromCharCode(c)
    lastWasValue = false
  }
  // work: a name a frame declares is looked up among its own names; any other among those of every
  // frame out to the innermost one seen declaring it (all of them for a global)
  const chain: number[] = new Array<number>(frames.length)
  let work = 0
  let worst = frames[0]!
  let worstWork = -1
  for (let f = 0; f < frames.length; f++) {
    const fr = frames[f]!
    const own = fr.distinct.size + fr.decls
    chain[f] = own + (fr.parent >= 0 ? chain[fr.parent]! : 0)
    let w = fr.local * own
    for (const [target, uses] of fr.outer) {
      const beyond = target >= 0 && frames[target]!.parent >= 0 ? chain[frames[target]!.parent]! : 0
      w += uses * (chain[f]! - beyond)
    }
    work += w
    if (w > worstWork) {
      worstWork = w
      worst = fr
    }
  }
  return { work, worst: { names: worst.names, line: worst.line } }
}

/**
 * Time the estimate may take, on top of a deadline, for `chars` characters of source: it runs on
 * the sandbox's worker (never the main thread: a 0.9 MB plugin costs 0.4–1 s there on a busy
 * machine, and a stop or an initialize waited for every file's scan), before the guest's own
 * deadline starts, so the host's watchdog allows for it: 1 ms per 512 characters (1 MiB: +2 s).
 */
export function compileScanAllowanceMs(chars: number): number {
  return Math.ceil(chars / 512)
}

/**
 * Why `src` must not be compiled (undefined: it may be). `what` names the source in the message
 * ("the plugin file", "the script", "eval source").
 */
export function compileBudgetError(src: string, what: string): { message: string; line: number } | undefined {
  const w = compileWork(src)
  if (w.work <= MAX_COMPILE_WORK) return undefined
  return {
    line: w.worst.line,
    message: `${what} is refused before compiling: its names would cost the QuickJS compiler about ${w.work.toLocaleString("en-US")} lookups (limit ${MAX_COMPILE_WORK.toLocaleString("en-US")}; its costliest function uses ${w.worst.names.toLocaleString("en-US")} names). QuickJS compiles in time quadratic in the names of one function, in one step nothing can interrupt: split large functions and tables of variables into smaller functions, or data (an object or JSON)`,
  }
}
