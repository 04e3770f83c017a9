/**
 * @module app/cursor-yaml
 * Adds entries to a top-level mapping of the orchestrator's YAML config (`servers`, `toolkit`) for
 * `cursor connect --import`, leaving every other byte of the file as the user wrote it: the new
 * entries are inserted as block-style text after the mapping's last entry (or a new top-level key is
 * appended). Re-printing the whole document would fold long strings, re-space flow collections and
 * comments, and turn a new file into one flow mapping. The result is parsed again and must hold
 * exactly the old values plus the new entries; when it does not (an odd layout: a flow mapping, a
 * key with no value), the document is edited through the YAML library instead, printed without
 * line folding.
 */
import { isDeepStrictEqual } from "node:util"
import { Document, isMap, isScalar, parseDocument, type Node, type Pair, type YAMLMap } from "yaml"
import { isRecord } from "../core/index.ts"

/**
 * `text` with `entries` added under the top-level key `key` (a mapping, created when absent);
 * `comments` (lines of text by entry name: the ones it had in mcp.json) go above each as `#` lines.
 */
export function addYamlEntries(text: string, key: string, entries: Record<string, unknown>, comments: Record<string, readonly string[]> = {}): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n"
  const doc = parseDocument(text)
  const before = (doc.toJS() ?? {}) as Record<string, unknown>
  const current = before[key]
  const expected = { ...before, [key]: { ...(isRecord(current) ? current : {}), ...entries } }
  const edited = insertText(text, doc, key, entries, comments, eol)
  if (edited !== undefined && sameValues(edited, expected)) return edited
  // fallback: through the document (values exact; the layout re-printed, never folded)
  const noted = (name: string): Node => {
    const k = doc.createNode(name)
    const c = comments[name]
    if (c?.length) k.commentBefore = c.map((l) => (l ? ` ${l}` : "")).join("\n")
    return k
  }
  const map = doc.get(key, true)
  if (isMap(map)) for (const [name, value] of Object.entries(entries)) map.set(noted(name), doc.createNode(value))
  else {
    const fresh = doc.createNode(isRecord(current) ? current : {}) as YAMLMap
    for (const [name, value] of Object.entries(entries)) fresh.set(noted(name), doc.createNode(value))
    if (doc.contents === null) doc.contents = doc.createNode({}) as never
    doc.set(key, fresh)
  }
  const out = doc.toString({ lineWidth: 0 })
  return eol === "\n" ? out : out.replace(/\r?\n/g, eol)
}

/** `entries` as block YAML at `indent`, each after its comments as `#` lines. */
function entriesBlock(entries: Record<string, unknown>, comments: Record<string, readonly string[]>, unit: number, indent: string): string {
  return Object.entries(entries)
    .map(([name, value]) => (Object.hasOwn(comments, name) ? comments[name]! : []).map((l) => `${indent}#${l ? ` ${l}` : ""}\n`).join("") + block({ [name]: value }, unit, indent))
    .join("")
}

/** `key:` at `indent` with `entries` under it. */
function keyBlock(key: string, entries: Record<string, unknown>, comments: Record<string, readonly string[]>, unit: number, indent: string): string {
  return `${block({ [key]: null }, unit, indent).replace(/ null\n$/, "").replace(/\n$/, "")}\n${entriesBlock(entries, comments, unit, indent + " ".repeat(unit))}`
}

/** The textual insertion, or undefined when the layout is not one it handles. */
function insertText(text: string, doc: Document, key: string, entries: Record<string, unknown>, comments: Record<string, readonly string[]>, eol: string): string | undefined {
  if (doc.errors.length) return undefined
  const root = doc.contents
  if (root === null || (isScalar(root) && root.value === null)) {
    // empty, or comments only: the mapping starts the document's values
    return appendBlock(text, keyBlock(key, entries, comments, 2, ""), eol)
  }
  if (isMap(root) && root.flow && root.items.length === 0) return replaceEmpty(text, root, keyBlock(key, entries, comments, 2, ""), eol, false)
  if (!isMap(root) || root.flow) return undefined
  const unit = indentUnit(text)
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<unknown, unknown> | undefined
  if (!pair) return appendBlock(text, keyBlock(key, entries, comments, unit, " ".repeat(column(text, rangeStart(root)))), eol)
  const map = pair.value
  // `servers:` with no value (or `~`, `null`, `{}`): the entries go on the lines after the key
  if (map === null || (isScalar(map) && map.value === null) || (isMap(map) && map.flow && map.items.length === 0)) {
    const keyAt = rangeStart(pair.key)
    if (keyAt === undefined) return undefined
    return replaceEmpty(text, map, entriesBlock(entries, comments, unit, " ".repeat(column(text, keyAt) + unit)), eol, true, rangeEnd(pair.key))
  }
  if (!isMap(map) || map.flow || map.items.length === 0) return undefined
  const last = map.items.at(-1)!
  const end = rangeEnd(last.value) ?? rangeEnd(last.key)
  if (end === undefined) return undefined
  const indent = " ".repeat(column(text, rangeStart(map.items[0]!.key)))
  const nl = text.indexOf("\n", Math.max(0, end - 1))
  const at = nl < 0 ? text.length : nl + 1
  const lines = entriesBlock(entries, comments, unit, indent).split("\n").join(eol)
  return nl < 0 ? `${text}${eol}${lines}` : `${text.slice(0, at)}${lines}${text.slice(at)}`
}

/**
 * Removes an empty value (`{}`, `~`, `null`, or nothing) and puts `lines` on the lines after it
 * (`afterKey`: after the line of the key that ends at `keyEnd`; else in its place, a whole document).
 */
function replaceEmpty(text: string, value: unknown, lines: string, eol: string, afterKey: boolean, keyEnd?: number): string | undefined {
  let range = (value as { range?: [number, number, number] } | null)?.range
  let out = text
  let from = keyEnd ?? 0
  if (range && range[1] > range[0]) {
    if (!/^(\{\s*\}|~|null|Null|NULL)$/.test(text.slice(range[0], range[1]))) return undefined
    // the spaces before it go too when nothing follows on its line (`servers: {}` → `servers:`)
    const rest = text.slice(range[1])
    const start = /^[ \t]*(\r?\n|$)/.test(rest) ? text.slice(0, range[0]).replace(/[ \t]+$/, "").length : range[0]
    out = text.slice(0, start) + rest
    range = [start, start, start]
    if (!afterKey) return out.slice(0, range[0]) + lines.split("\n").join(eol).replace(new RegExp(`${eol}$`), "") + out.slice(range[0])
    from = Math.min(from, range[0])
  } else if (!afterKey) return undefined
  const nl = out.indexOf("\n", from)
  const body = lines.split("\n").join(eol)
  return nl < 0 ? `${out}${eol}${body}` : `${out.slice(0, nl + 1)}${body}${out.slice(nl + 1)}`
}

/** Block-style YAML of `value` (no line folding), every line starting with `indent`, ending with a newline. */
function block(value: Record<string, unknown>, unit: number, indent: string): string {
  const out = new Document(value).toString({ indent: unit, lineWidth: 0 })
  return out
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => indent + l)
    .join("\n") + "\n"
}

/** `text` followed by `lines` on lines of their own (after a blank line when the file has content). */
function appendBlock(text: string, lines: string, eol: string): string {
  const body = lines.split("\n").join(eol)
  if (!text.trim()) return text + body
  const sep = text.endsWith("\n") ? "" : eol
  return `${text}${sep}${body}`
}

/** The file's indentation step (the smallest indentation of a line holding a key), 2 when unknown. */
function indentUnit(text: string): number {
  const sizes = [...text.matchAll(/\n( +)[^\s#-]/g)].map((m) => m[1]!.length)
  const n = sizes.length ? Math.min(...sizes) : 2
  return n >= 1 && n <= 8 ? n : 2
}

function column(text: string, offset: number | undefined): number {
  if (offset === undefined) return 0
  return offset - (text.lastIndexOf("\n", offset - 1) + 1)
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null)?.range?.[0]
}

function rangeEnd(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null)?.range?.[1]
}

function sameValues(text: string, expected: unknown): boolean {
  const d = parseDocument(text)
  return d.errors.length === 0 && isDeepStrictEqual(JSON.parse(JSON.stringify(d.toJS() ?? {})), JSON.parse(JSON.stringify(expected)))
}

