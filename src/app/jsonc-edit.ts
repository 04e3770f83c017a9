/**
 * @module app/jsonc-edit
 * Edits of a JSON-with-comments file (Cursor's mcp.json) that leave everything outside the edited
 * property byte for byte as it was: comments, blank lines, key order, indentation, odd spacing.
 * jsonc-parser computes the edits; only the inserted text is formatted (in the file's own
 * indentation), and a removed property takes its whole line(s) with it (its own trailing comment
 * included) rather than jsonc-parser's removal, which also drops comments between siblings.
 */
import { applyEdits, findNodeAtLocation, format, modify, parse, parseTree, printParseErrorCode, type FormattingOptions, type JSONPath, type Node, type ParseError } from "jsonc-parser"

/** JSONC text → value; comments, trailing commas and a leading UTF-8 BOM allowed. Throws with line:column on bad input. */
export function parseJsonc(text: string): unknown {
  if (text.startsWith("\uFEFF")) text = text.slice(1)
  const errors: ParseError[] = []
  const options = { allowTrailingComma: true, disallowComments: false }
  const v = parse(text, errors, options)
  if (errors.length) {
    const e = errors[0]!
    const { line, column } = lineColumn(text, e.offset)
    throw new SyntaxError(`${printParseErrorCode(e.error)} at line ${line}, column ${column}`)
  }
  // parse() assigns keys: a "__proto__" server would become the map's prototype and vanish from it
  if (!text.includes("__proto__")) return v
  const root = parseTree(text, [], options)
  return root ? ownValue(root) : v
}

/** A node's value with every key defined as an own property ("__proto__" too, as JSON.parse does). */
function ownValue(node: Node): unknown {
  if (node.type === "array") return (node.children ?? []).map(ownValue)
  if (node.type !== "object") return node.value
  const out: Record<string, unknown> = {}
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children ?? []
    if (k && v) Object.defineProperty(out, String(k.value), { value: ownValue(v), enumerable: true, writable: true, configurable: true })
  }
  return out
}

/** The file's own indentation and line ending (two spaces and \n for an empty file). */
export function formattingOf(text: string): FormattingOptions {
  const eol = text.includes("\r\n") ? "\r\n" : "\n"
  const indents = [...text.matchAll(/\n([ \t]+)\S/g)].map((m) => m[1]!)
  if (indents.some((i) => i.startsWith("\t"))) return { insertSpaces: false, tabSize: 1, eol }
  const sizes = indents.map((i) => i.length).filter((n) => n > 0)
  return { insertSpaces: true, tabSize: sizes.length ? Math.min(...sizes) : 2, eol }
}

/**
 * Sets (adds or replaces) the value at `path`; only the new text is formatted. `comments` (lines of
 * text, from `entryComments`) go above a property that is added: as `//` lines, or one block comment
 * before its key where it does not start a line of its own.
 */
export function setJsonc(text: string, path: JSONPath, value: unknown, comments: readonly string[] = []): string {
  const fo = formattingOf(text)
  if (!text.trim() && !comments.length) return stringify(path.reduceRight<unknown>((v, k) => ({ [k]: v }), value), "", fo) + fo.eol!
  const root = parseTree(text, [], { allowTrailingComma: true })
  const parent = root && path.length > 1 ? findNodeAtLocation(root, path.slice(0, -1)) : root
  const adding = !(root && findNodeAtLocation(root, path))
  if (root && adding && parent?.type === "object") {
    const key = String(path.at(-1))
    const last = parent!.children?.at(-1)
    const added = last ? appendProperty(text, last, key, value, fo, comments) : fillEmpty(text, parent!, key, value, fo, comments)
    if (added !== undefined) return added
  }
  const edits = modify(text, path, value, {})
  let out = applyEdits(text, edits)
  // A file written on one line stays on one line.
  if (edits.length === 1 && text.trimEnd().includes("\n")) {
    // Format exactly the inserted text, in the file's own indentation; nothing else moves.
    const e = edits[0]!
    out = applyEdits(out, format(out, { offset: e.offset, length: e.content.length }, fo))
  }
  if (!adding || !comments.length) return out
  const prop = findNodeAtLocation(parseTree(out, [], { allowTrailingComma: true })!, path)?.parent
  return prop ? applyEdits(out, [{ offset: prop.offset, length: 0, content: `${blockComment(comments)} ` }]) : out
}

/** `lines` as `//` lines at `indent`, each followed by the file's line ending. */
function lineComments(lines: readonly string[], indent: string, eol: string): string {
  return lines.map((l) => `${indent}//${l ? ` ${l}` : ""}${eol}`).join("")
}

function blockComment(lines: readonly string[]): string {
  return `/* ${lines.map((l) => l.replace(/\*\//g, "* /")).join(" ")} */`
}

/**
 * The comments that belong to the property at `path`: the comment lines right above it (no blank
 * line between) and a comment after it on its last line, as lines of text without their `//`, `/*`
 * markers. Empty when it has none, is absent, or shares its line with something else.
 */
export function entryComments(text: string, path: JSONPath): string[] {
  const span = commentSpan(text, path)
  if (!span) return []
  const out: string[] = []
  for (const c of span.leading) out.push(...commentText(c))
  if (span.trailing) out.push(...commentText(span.trailing))
  return out
}

/** The raw leading comment lines (with their `//` or block markers) and the trailing comment of the property at `path`. */
function commentSpan(text: string, path: JSONPath): { start: number; lineStart: number; leading: string[]; trailing?: string } | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true })
  const prop = root ? findNodeAtLocation(root, path)?.parent : undefined
  if (!prop || prop.type !== "property") return undefined
  const lineStart = text.lastIndexOf("\n", prop.offset - 1) + 1
  if (text.slice(lineStart, prop.offset).trim()) return undefined
  // the comment lines right above it
  const lines = text.slice(0, lineStart).split("\n")
  lines.pop() // the empty piece after the last newline
  let i = lines.length
  const leading: string[] = []
  while (i > 0) {
    const t = lines[i - 1]!.trim()
    if (t.startsWith("//")) {
      leading.unshift(t)
      i--
      continue
    }
    if (!t.endsWith("*/")) break
    // a block comment: back to the line it opens on, which holds nothing before it
    let j = i
    while (j > 0 && !lines[j - 1]!.includes("/*")) j--
    const block = lines.slice(j - 1, i).join("\n").trim()
    // one comment, opening its first line and closing on its last
    if (j === 0 || !block.startsWith("/*") || block.indexOf("*/") !== block.length - 2) break
    leading.unshift(block)
    i = j - 1
  }
  const start = lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0)
  // a comment after it on its last line (after its comma)
  let end = prop.offset + prop.length
  const comma = nextSignificant(text, end)
  if (text[comma] === ",") end = comma + 1
  const nl = text.indexOf("\n", end)
  const rest = text.slice(end, nl < 0 ? text.length : nl).replace(/\r$/, "").trim()
  const trailing = /^(\/\/.*|\/\*.*\*\/)$/.test(rest) ? rest : undefined
  return { start, lineStart, leading, ...(trailing ? { trailing } : {}) }
}

/** A comment's lines of text, without its markers (and a block comment's ` * ` line starts). */
function commentText(c: string): string[] {
  if (c.startsWith("//")) return [c.replace(/^\/\/ ?/, "").trimEnd()]
  const body = c.replace(/^\/\*+/, "").replace(/\*+\/$/, "")
  const lines = body.split(/\r?\n/).map((l) => l.replace(/^[ \t]*\*?[ \t]?/, "").trimEnd())
  while (lines.length && !lines[0]) lines.shift()
  while (lines.length && !lines.at(-1)) lines.pop()
  return lines
}

/**
 * A new property after the object's last one, on a line of its own with that one's indentation:
 * a comma goes right after the last value (before a comment that trails it), the new line after
 * the comment. Undefined when the last property does not end its line (the caller falls back).
 */
function appendProperty(text: string, last: Node, key: string, value: unknown, fo: FormattingOptions, comments: readonly string[] = []): string | undefined {
  const end = last.offset + last.length
  const lineStart = text.lastIndexOf("\n", last.offset - 1) + 1
  const nl = text.indexOf("\n", end)
  const lineEnd = nl < 0 ? text.length : text[nl - 1] === "\r" ? nl - 1 : nl
  const indent = text.slice(lineStart, last.offset)
  const rest = text.slice(end, lineEnd)
  if (indent.trim() || !/^[ \t]*,?[ \t]*(\/\/.*|\/\*.*?\*\/[ \t]*)?$/.test(rest)) return undefined
  const edits = []
  if (!rest.trimStart().startsWith(",")) edits.push({ offset: end, length: 0, content: "," })
  edits.push({ offset: lineEnd, length: 0, content: `${fo.eol}${lineComments(comments, indent, fo.eol!)}${indent}${JSON.stringify(key)}: ${stringify(value, indent, fo)}` })
  return applyEdits(text, edits)
}

/**
 * The first property of an empty object: on its own line, one unit deeper than the line the object
 * is on. An object holding only comments, its `}` on a line of its own, keeps them: the property
 * goes after them.
 */
function fillEmpty(text: string, obj: Node, key: string, value: unknown, fo: FormattingOptions, comments: readonly string[] = []): string | undefined {
  const lineStart = text.lastIndexOf("\n", obj.offset - 1) + 1
  const base = /^[ \t]*/.exec(text.slice(lineStart))![0]
  const indent = base + (fo.insertSpaces ? " ".repeat(fo.tabSize ?? 2) : "\t")
  const property = `${lineComments(comments, indent, fo.eol!)}${indent}${JSON.stringify(key)}: ${stringify(value, indent, fo)}`
  const close = obj.offset + obj.length - 1
  if (text.slice(obj.offset, obj.offset + obj.length).replace(/\s/g, "") !== "{}") {
    // comments only, the closing brace starting its line: the property goes on the line before it
    if (nextSignificant(text, obj.offset + 1) !== close) return undefined
    const closeLine = text.lastIndexOf("\n", close - 1) + 1
    if (text.slice(closeLine, close).trim() || closeLine <= obj.offset) return undefined
    return applyEdits(text, [{ offset: closeLine, length: 0, content: `${property}${fo.eol}` }])
  }
  const body = `{${fo.eol}${property}${fo.eol}${base}}`
  return applyEdits(text, [{ offset: obj.offset, length: obj.length, content: body }])
}

/** JSON in the file's indentation unit, continuation lines starting at `indent`. */
function stringify(value: unknown, indent: string, fo: FormattingOptions): string {
  const unit = fo.insertSpaces ? " ".repeat(fo.tabSize ?? 2) : "\t"
  return JSON.stringify(value, null, unit).split("\n").join(fo.eol + indent)
}

/**
 * Removes the property at `path` (no-op when absent). With `withComments`, the comment lines right
 * above it go too (the ones `entryComments` reads; its trailing comment goes in any case).
 */
export function removeJsonc(text: string, path: JSONPath, withComments = false): string {
  const span = withComments ? commentSpan(text, path) : undefined
  // the lines from the comments' start to the property's line hold only those comments
  return removeProperty(span ? text.slice(0, span.start) + text.slice(span.lineStart) : text, path)
}

function removeProperty(text: string, path: JSONPath): string {
  const root = parseTree(text, [], { allowTrailingComma: true })
  const value = root && findNodeAtLocation(root, path)
  const prop = value?.parent
  const obj = prop?.parent
  if (!prop || prop.type !== "property" || !obj?.children) return text
  const i = obj.children.indexOf(prop)
  let start = prop.offset
  let end = prop.offset + prop.length
  const edits: Array<{ offset: number; length: number }> = []
  const comma = nextSignificant(text, end)
  if (text[comma] === ",") end = comma + 1
  else if (i > 0) {
    // The last property goes: the comma after the one before it goes too (its comments stay).
    const prev = obj.children[i - 1]!
    const c = nextSignificant(text, prev.offset + prev.length)
    if (text[c] === ",") edits.push({ offset: c, length: 1 })
  }
  const lineStart = text.lastIndexOf("\n", start - 1) + 1
  const nl = text.indexOf("\n", end)
  const lineEnd = nl < 0 ? text.length : nl
  if (!text.slice(lineStart, start).trim() && /^[ \t]*(\/\/[^\n]*)?\r?$/.test(text.slice(end, lineEnd))) {
    // On lines of its own: the lines go, with the property's trailing comment.
    start = lineStart
    end = nl < 0 ? text.length : nl + 1
  }
  edits.push({ offset: start, length: end - start })
  return applyEdits(text, edits.map((e) => ({ ...e, content: "" })))
}

/** Index of the next character that is not whitespace or inside a comment. */
function nextSignificant(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++
    if (text.startsWith("//", i)) {
      const nl = text.indexOf("\n", i)
      i = nl < 0 ? text.length : nl + 1
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2)
      i = end < 0 ? text.length : end + 2
    } else return i
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split("\n").length
  return { line, column: offset - before.lastIndexOf("\n") }
}
