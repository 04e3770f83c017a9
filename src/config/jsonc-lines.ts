/**
 * @module config/jsonc-lines
 * A config file named `.json` or `.jsonc` is read as JSON with comments, like Cursor's mcp.json:
 * `//` and `/* *\/` comments and trailing commas are allowed; anything else that is not JSON is a
 * syntax error naming file:line:column. Keeps what the YAML reader gives: the line of every key
 * path (for validation errors) and duplicate keys as errors (a parser would keep the last one).
 */
import type { Node, ParseError } from "jsonc-parser"
import { isSecretName, looksLikeSecret, secrets } from "../core/index.ts"
import { lineLookup, readJson, SEP } from "./json-lines.ts"

/** jsonc-parser is loaded on first use only: a config in plain JSON (most) never pays for it. */
function jsonc(): typeof import("jsonc-parser") {
  // the ESM build by path: require() of the package name picks its UMD build, whose inner requires
  // a compiled binary cannot resolve
  return require("jsonc-parser/lib/esm/main.js") as typeof import("jsonc-parser")
}

export interface JsoncLines {
  /** undefined for a document with no value (empty, whitespace or comments only). */
  values: unknown
  /** Line (1-based) of the deepest node on `path` that exists. */
  lineOf(path: readonly (string | number)[]): number | undefined
  /** The first duplicate key: its path, its line and the line where it was first set. */
  duplicate?: { path: string[]; line: number; firstLine: number }
}

export interface JsoncSyntaxError {
  line: number
  column: number
  /** What is wrong, in words. */
  message: string
}

/** Values and key lines of `text`, or its first syntax error. */
export function readJsonc(text: string): JsoncLines | { errors: JsoncSyntaxError[] } {
  // plain JSON (no comment, no trailing comma): JSON.parse and one pass for lines and duplicates
  const plain = readJson(text)
  if (plain) return plain
  const errors: ParseError[] = []
  const root = jsonc().parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true })
  const starts = lineStarts(text)
  const pos = (offset: number): { line: number; column: number } => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 }
  }
  // the first error only: those after it are mostly its echoes ("expected }" at the end of the file)
  if (errors.length) return { errors: errors.slice(0, 1).map((e) => ({ ...pos(e.offset), message: describe(e, text) })) }
  const lines = new Map<string, number>()
  let duplicate: JsoncLines["duplicate"]
  const value = (node: Node, path: string[]): unknown => {
    switch (node.type) {
      case "object": {
        const out: Record<string, unknown> = {}
        const first = new Map<string, number>()
        for (const prop of node.children ?? []) {
          const [k, v] = prop.children ?? []
          if (!k || !v) continue
          const key = String(k.value)
          const at = [...path, key]
          const line = pos(k.offset).line
          const seen = first.get(key)
          if (seen !== undefined) duplicate ??= { path: at, line, firstLine: seen }
          else first.set(key, line)
          lines.set(at.join(SEP), line)
          // defined, not assigned: a "__proto__" key is data, as with JSON.parse
          Object.defineProperty(out, key, { value: value(v, at), enumerable: true, writable: true, configurable: true })
        }
        return out
      }
      case "array":
        return (node.children ?? []).map((c, i) => {
          const at = [...path, String(i)]
          lines.set(at.join(SEP), pos(c.offset).line)
          return value(c, at)
        })
      default:
        return node.value
    }
  }
  const values = root ? value(root, []) : undefined
  const rootLine = root ? pos(root.offset).line : 1
  return { values, ...(duplicate ? { duplicate } : {}), lineOf: lineLookup(lines, rootLine) }
}

// --- Internal helpers ---

/** A token as written, in backticks (JSON.stringify would escape its quotes). */
function show(token: string): string {
  return `\`${token.replace(/[\u0000-\u001f`]/g, (c) => JSON.stringify(c).slice(1, -1))}\``
}

/**
 * Why the token at a syntax error is not quoted when it may be a secret, else undefined (it is
 * quoted): a value under a secret-named key (`"DB_PASSWORD": hunter2` without quotes), one that
 * looks like a credential, or a registered value. A file that does not parse registers nothing, so
 * no later redaction would catch it in the error (stderr, doctor, a rejected reload in
 * orchestrator_status).
 */
function hidden(text: string, offset: number): string | undefined {
  const word = /^"?([^\s",:{}[\]]+)/.exec(text.slice(offset, offset + 4096))?.[1]
  if (word === undefined) return undefined
  const before = /([:{,[]?)\s*"((?:[^"\\\n]|\\.){1,128})"\s*:?\s*$/.exec(text.slice(Math.max(0, offset - 300), offset))
  const key = before?.[2]
  // a string after a colon is a value (`"TOKEN": "…" "X": 1`), maybe the secret itself: never quoted
  if (key !== undefined && isSecretName(key)) return before?.[1] === ":" ? "not shown: it follows a value that may be a secret" : `not shown: "${key}" names a secret`
  if (looksLikeSecret(word) || secrets.test(word)) return "not shown: it looks like a credential"
  return undefined
}

function lineStarts(text: string): number[] {
  const out = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1)
  return out
}

/** jsonc-parser's error codes, in words (the token found is quoted when there is one). */
function describe(e: ParseError, text: string): string {
  const found = text.slice(e.offset, e.offset + Math.max(1, Math.min(e.length, 20)))
  const secret = hidden(text, e.offset)
  const token = secret ? `a value (${secret})` : show(found)
  const got = e.offset < text.length ? `, found ${token}` : ", found the end of the file"
  // ParseErrorCode is a const enum (not importable here): its names are what printParseErrorCode gives
  const name = jsonc().printParseErrorCode(e.error)
  switch (name) {
    case "InvalidSymbol":
      return secret ? `a value is not in double quotes (${secret})` : `unexpected ${token} (strings and keys need double quotes)`
    case "InvalidNumberFormat":
      return `invalid number ${token}`
    case "PropertyNameExpected":
      return `expected a key in double quotes${got}`
    case "ValueExpected":
      return `expected a value${got}`
    case "ColonExpected":
      return `expected ":" after the key${got}`
    case "CommaExpected":
      return `expected "," between entries${got}`
    case "CloseBraceExpected":
      return `expected "}"${got}`
    case "CloseBracketExpected":
      return `expected "]"${got}`
    case "EndOfFileExpected":
      return `expected the end of the file after the top-level value${got}`
    case "InvalidCommentToken":
    case "UnexpectedEndOfComment":
      return "unterminated /* comment"
    case "UnexpectedEndOfString":
      return "unterminated string"
    case "UnexpectedEndOfNumber":
      return "unterminated number"
    case "InvalidUnicode":
      return "invalid \\u escape"
    case "InvalidEscapeCharacter":
      return "invalid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
    case "InvalidCharacter":
      return "control character in a string (write it as an escape such as \\n or \\t)"
    default:
      return name
  }
}
