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

/** Sets (adds or replaces) the value at `path`; only the new text is formatted. */
export function setJsonc(text: string, path: JSONPath, value: unknown): string {
  const fo = formattingOf(text)
  if (!text.trim()) return stringify(path.reduceRight<unknown>((v, k) => ({ [k]: v }), value), "", fo) + fo.eol!
  const root = parseTree(text, [], { allowTrailingComma: true })
  const parent = root && path.length > 1 ? findNodeAtLocation(root, path.slice(0, -1)) : root
  if (root && parent?.type === "object" && !findNodeAtLocation(root, path)) {
    const key = String(path.at(-1))
    const last = parent.children?.at(-1)
    const added = last ? appendProperty(text, last, key, value, fo) : fillEmpty(text, parent, key, value, fo)
    if (added !== undefined) return added
  }
  const edits = modify(text, path, value, {})
  const out = applyEdits(text, edits)
  // A file written on one line stays on one line.
  if (edits.length !== 1 || !text.trimEnd().includes("\n")) return out
  // Format exactly the inserted text, in the file's own indentation; nothing else moves.
  const e = edits[0]!
  return applyEdits(out, format(out, { offset: e.offset, length: e.content.length }, fo))
}

/**
 * A new property after the object's last one, on a line of its own with that one's indentation:
 * a comma goes right after the last value (before a comment that trails it), the new line after
 * the comment. Undefined when the last property does not end its line (the caller falls back).
 */
function appendProperty(text: string, last: Node, key: string, value: unknown, fo: FormattingOptions): string | undefined {
  const end = last.offset + last.length
  const lineStart = text.lastIndexOf("\n", last.offset - 1) + 1
  const nl = text.indexOf("\n", end)
  const lineEnd = nl < 0 ? text.length : text[nl - 1] === "\r" ? nl - 1 : nl
  const indent = text.slice(lineStart, last.offset)
  const rest = text.slice(end, lineEnd)
  if (indent.trim() || !/^[ \t]*,?[ \t]*(\/\/.*|\/\*.*?\*\/[ \t]*)?$/.test(rest)) return undefined
  const edits = []
  if (!rest.trimStart().startsWith(",")) edits.push({ offset: end, length: 0, content: "," })
  edits.push({ offset: lineEnd, length: 0, content: `${fo.eol}${indent}${JSON.stringify(key)}: ${stringify(value, indent, fo)}` })
  return applyEdits(text, edits)
}

/** The first property of an empty `{}`: on its own line, one unit deeper than the line the object is on. */
function fillEmpty(text: string, obj: Node, key: string, value: unknown, fo: FormattingOptions): string | undefined {
  if (text.slice(obj.offset, obj.offset + obj.length).replace(/\s/g, "") !== "{}") return undefined
  const lineStart = text.lastIndexOf("\n", obj.offset - 1) + 1
  const base = /^[ \t]*/.exec(text.slice(lineStart))![0]
  const indent = base + (fo.insertSpaces ? " ".repeat(fo.tabSize ?? 2) : "\t")
  const body = `{${fo.eol}${indent}${JSON.stringify(key)}: ${stringify(value, indent, fo)}${fo.eol}${base}}`
  return applyEdits(text, [{ offset: obj.offset, length: obj.length, content: body }])
}

/** JSON in the file's indentation unit, continuation lines starting at `indent`. */
function stringify(value: unknown, indent: string, fo: FormattingOptions): string {
  const unit = fo.insertSpaces ? " ".repeat(fo.tabSize ?? 2) : "\t"
  return JSON.stringify(value, null, unit).split("\n").join(fo.eol + indent)
}

/** Removes the property at `path` (no-op when absent). */
export function removeJsonc(text: string, path: JSONPath): string {
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
