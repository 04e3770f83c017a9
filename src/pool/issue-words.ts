/**
 * @module pool/issue-words
 * A schema library's issue list (zod's, as the SDK client prints a result its schema refused:
 * `Invalid result for tools/list: [ { "expected": "string", "code": "invalid_type", "path": [
 * "tools", 0, "name" ], "message": "Invalid input: expected string, received number" } ]`) in
 * words: which field, what was expected, what came ("tools[0].name: expected a string, got a
 * number"), a few issues at most. Before, that dump reached the client raw, twenty lines naming no
 * server and no field in words.
 */

/** Most issues worded; the rest are counted. */
const MAX_ISSUES = 3
/** Longest text read for a dump (a hostile server's answer may make it huge). */
const MAX_TEXT = 20_000

interface Issue {
  path?: unknown
  message?: unknown
  expected?: unknown
  code?: unknown
}

/** `["tools", 0, "name"]` as `tools[0].name`; the result itself as "the result". */
function pathWords(path: unknown): string {
  if (!Array.isArray(path) || path.length === 0) return "the result"
  let out = ""
  for (const k of path) {
    if (typeof k === "number") out += `[${k}]`
    else out += `${out === "" ? "" : "."}${String(k).slice(0, 60)}`
  }
  return out
}

const ARTICLE: Record<string, string> = { string: "a string", number: "a number", object: "an object", array: "a list", boolean: "true or false", int: "a whole number", integer: "a whole number", null: "null", undefined: "nothing" }

/** zod's "Invalid input: expected string, received number" as "expected a string, got a number". */
function messageWords(i: Issue): string {
  const m = typeof i.message === "string" ? i.message.replace(/^Invalid input:\s*/i, "").slice(0, 160) : String(i.code ?? "invalid")
  const typed = /^expected (\w+), received (\w+)$/.exec(m)
  if (typed) {
    const got = typed[2] === "undefined" ? "it is missing" : `got ${ARTICLE[typed[2]!] ?? typed[2]}`
    return `expected ${ARTICLE[typed[1]!] ?? typed[1]}, ${got}`
  }
  return m
}

/** The issue list in `text` (a JSON array of issues, possibly after a prefix), or undefined when there is none. */
function issuesIn(text: string): Issue[] | undefined {
  const at = text.indexOf("[")
  if (at < 0 || text.length > MAX_TEXT) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(text.slice(at))
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined
  const ok = parsed.every((i) => typeof i === "object" && i !== null && "path" in i && ("message" in i || "code" in i))
  return ok ? (parsed as Issue[]) : undefined
}

/**
 * `problem` with a schema issue dump in it worded ("tools[0].name: expected a string, got a
 * number; tools[0].inputSchema: expected an object, got a string"), its prefix kept; `problem` as
 * it is when it holds no such dump.
 */
export function issuesInWords(problem: string): string {
  const issues = issuesIn(problem)
  if (issues === undefined) return problem
  const prefix = problem.slice(0, problem.indexOf("[")).replace(/[\s:]+$/, "")
  const words = issues.slice(0, MAX_ISSUES).map((i) => `${pathWords(i.path)}: ${messageWords(i)}`)
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : ""
  return `${prefix ? `${prefix}: ` : ""}${words.join("; ")}${more}`
}
