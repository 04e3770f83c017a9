/**
 * @module core/split-items
 * A configured value split across strings a client reads one after the other: the items of a tool
 * result's `content` (a server paging a long output into items of N characters, an env dump written
 * line by line in pieces), a prompt's `messages`, a read's `contents`, and the string fields of a
 * `structuredContent` (the model reads its JSON, `{"head":"…QaSec","rest":"retTok…"}`), the values of
 * a `completion/complete` answer (suggestions listed one after the other, qa338). Neither
 * string holds the value, and each passed the scan of its own text (qa262). The strings are read
 * joined, around each seam (`SecretRegistry.seamMatches`): a value found across one or more seams
 * is masked in each string it has a part in (`…[REDACTED]`, `[REDACTED]`, `[REDACTED]…`), however
 * many parts (qa277: before, only two adjacent items were, so a key paged at a third of its length
 * went out). A string that spells its text with JSON's `\u` escapes or `\/` (JSON text a tool
 * returns as its text, each part escaped) is read decoded and masked in its own spelling.
 *
 * A value in more parts than it has pieces of 6 characters (parts under 6 characters: the scan
 * that decides whether a result is parsed looks for a whole piece) is found when the raw text holds
 * two or more item texts under 6 characters (`holdsTinyItems`, qa310). Not found (docs/proxy.md
 * *Redaction*): such parts in `structuredContent` strings; one split across two answers (each goes out before the next exists, and what the
 * model makes of two answers is its own); an escape itself cut across two strings.
 */
import { REDACTED, secrets } from "./secrets.ts"
import { maskStreamEdges } from "./stream-edges.ts"

/**
 * An item's text of 1 to 5 characters in raw JSON: `"text":"ab12"` (`"text": "ab12"` as Python
 * writes it). Two of them in an answer mean it may hold a value in parts under 6 characters, which
 * the pieces scan (`testHalves`) cannot see (qa310: a tool relaying a model's token stream, an item
 * per token, showed a configured key whole across its items). A text with escapes is looked for
 * only when the JSON holds one (`TINY_ESCAPED`: a `\u` escape counts as one character): the plain
 * pattern reads 1 MiB of JSON records in 0.2 ms, the one with escapes in 0.8 (2.2 with `\s*`).
 */
const TINY_TEXT = /"text": ?"[^"\\]{1,5}"/g
const TINY_ESCAPED = /"text": ?"(?:[^"\\]|\\u[0-9a-fA-F]{4}|\\[^u]){1,5}"/g

/** How many item texts under 6 characters `s` holds, counting to `enough` at most; only those starting before `before`. */
function countTiny(s: string, enough: number, before = s.length): number {
  const re = s.includes("\\") ? TINY_ESCAPED : TINY_TEXT
  re.lastIndex = 0
  let count = 0
  for (let m = re.exec(s); m !== null && m.index < before; m = re.exec(s)) if (++count >= enough) break
  return count
}

/** Whether raw JSON text holds two or more item texts under 6 characters: then it is parsed and its items' seams read. */
export function holdsTinyItems(json: string): boolean {
  return countTiny(json, 2) >= 2
}

/** `holdsTinyItems` of UTF-8 bytes held as `chunks` (a large answer): each chunk read as Latin-1, with the start of the next (a text cut by the seam). */
export function holdsTinyItemsChunks(chunks: readonly Uint8Array[]): boolean {
  let count = 0
  const reach = 48
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!
    const buf = Buffer.from(c.buffer, c.byteOffset, c.byteLength)
    const next = chunks[i + 1]
    const text = next === undefined ? buf.toString("latin1") : Buffer.concat([buf, Buffer.from(next.buffer, next.byteOffset, Math.min(next.byteLength, reach))]).toString("latin1")
    // only texts starting in this chunk: the next chunk counts its own
    count += countTiny(text, 2 - count, buf.length)
    if (count >= 2) return true
  }
  return false
}

/** The arrays whose items a client reads as one text. */
const ITEM_ARRAYS = ["content", "messages", "contents"] as const

/** `value` (a result) with a value split across its strings masked; the input itself when none is. */
export function redactSplitItems<T>(value: T): T {
  if (secrets.empty || value === null || typeof value !== "object" || Array.isArray(value)) return value
  const src = value as Record<string, unknown>
  let out: Record<string, unknown> | undefined
  for (const k of ITEM_ARRAYS) {
    const items = src[k]
    if (!Array.isArray(items) || items.length < 2) continue
    const fixed = splitItems(items)
    if (fixed !== items) (out ??= { ...src })[k] = fixed
  }
  // a completion's values: the client shows them as a list of suggestions, one after the other
  // (a downstream completing from a paged env dump cuts a key across two of them)
  const completion = src.completion as { values?: unknown } | null | undefined
  if (completion !== null && typeof completion === "object" && Array.isArray(completion.values) && completion.values.length >= 2) {
    const fixed = splitItems(completion.values)
    if (fixed !== completion.values) (out ??= { ...src }).completion = { ...completion, values: fixed }
  }
  const structured = src.structuredContent
  if (structured !== null && typeof structured === "object") {
    const fixed = splitStrings(structured)
    if (fixed !== structured) (out ??= { ...src }).structuredContent = fixed
  }
  // and within one string, across its line breaks (a tool folding its output at a column)
  return walkStrings((out ?? value) as T, maskWrapped)
}

/**
 * `text` with a value wrapped across its line breaks (`…Ab3dEf\n6hIj…`: a tool that folds its
 * output at 76 or 80 columns, a dump of a long token) masked in each line it has a part in: its
 * lines checked as a chain of items is (qa359: before, only a downstream's stderr was, and a
 * result, prompt or read so folded showed the value whole to a model reading past the break).
 * Read only when the text holds a piece of a value (`testHalves`). Also the last step of
 * `redactString` (core/redact): an error's message, a notification's text, a log line.
 */
export function maskWrapped(text: string): string {
  if (!text.includes("\n") || !secrets.testHalves(text)) return text
  const lines = text.split("\n")
  const cr = lines.map((l) => l.endsWith("\r"))
  // a continuation's indentation (a wrapped table cell, an indented block) is not part of the value
  const indent = lines.map((l, i) => (i === 0 ? "" : /^[ \t]*/.exec(l)![0]))
  const masked = maskChain(lines.map((l, i) => l.slice(indent[i]!.length, cr[i] ? -1 : undefined)))
  return masked === undefined ? text : masked.map((l, i) => indent[i]! + l + (cr[i] ? "\r" : "")).join("\n")
}

/** Items as runs of adjacent text-carrying items (an image between two breaks the text): each run's texts masked as one chain. */
function splitItems(items: readonly unknown[]): readonly unknown[] {
  let copy: unknown[] | undefined
  let i = 0
  while (i < items.length) {
    const texts: string[] = []
    let j = i
    for (let t = textOf(items[j]); t !== undefined; t = textOf(items[++j])) texts.push(t)
    if (texts.length >= 2) {
      const masked = maskChain(texts)
      if (masked !== undefined) {
        copy ??= items.slice()
        for (let k = 0; k < texts.length; k++) if (masked[k] !== texts[k]) copy[i + k] = withText(copy[i + k], masked[k]!)
      }
    }
    i = Math.max(j, i + 1)
  }
  return copy ?? items
}

/** A JSON value with a value split across its strings (in document order, keys aside) masked; itself when none is. */
function splitStrings(value: object): object {
  const texts: string[] = []
  walkStrings(value, (s) => (texts.push(s), s))
  if (texts.length < 2) return value
  const masked = maskChain(texts)
  if (masked === undefined) return value
  let i = 0
  return walkStrings(value, (s) => masked[i++] ?? s)
}

/**
 * `value` with each string (document order) replaced by `fn`'s; copied only where one changed.
 * `only`: just the strings that are the value of one of these keys (the others stay as they are).
 */
function walkStrings<T>(value: T, fn: (s: string) => string, only?: ReadonlySet<string>, depth = 0): T {
  if (typeof value === "string") return only === undefined ? (fn(value) as T) : value
  if (value === null || typeof value !== "object" || depth > 64) return value
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const r = walkStrings(value[i] as unknown, fn, only, depth + 1)
      if (r !== value[i]) (copy ??= value.slice())[i] = r
    }
    return (copy ?? value) as T
  }
  const src = value as Record<string, unknown>
  let copy: Record<string, unknown> | undefined
  for (const k of Object.keys(src)) {
    const v = src[k]
    const r = typeof v === "string" && only !== undefined ? (only.has(k) ? fn(v) : v) : walkStrings(v, fn, only, depth + 1)
    if (r !== v) Object.defineProperty((copy ??= { ...src }), k, { value: r, enumerable: true, writable: true, configurable: true })
  }
  return (copy ?? value) as T
}

/**
 * `texts` (read one after the other) with each registered value that crosses a seam between two of
 * them masked in every text it has a part in; undefined when none does. Texts are read with their
 * `\u` escapes and `\/` decoded (`decodedView`), and masked in their own spelling.
 */
export function maskChain(texts: readonly string[]): string[] | undefined {
  const views = texts.map(decodedView)
  const seams: number[] = []
  let joined = ""
  for (let k = 0; k < views.length; k++) {
    if (k > 0) seams.push(joined.length)
    joined += views[k]!.text
  }
  const spans = secrets.seamMatches(joined, seams)
  if (spans.length === 0) return undefined
  const out = texts.slice()
  let offset = 0
  for (let k = 0; k < views.length; k++) {
    const view = views[k]!
    const from = offset
    const to = offset + view.text.length
    offset = to
    // this text's parts of the spans, as [start, end) in its own spelling, merged
    const cuts: Array<[number, number]> = []
    for (const [s, e] of spans) {
      if (e <= from || s >= to) continue
      const a = view.at(Math.max(s, from) - from)
      const b = view.at(Math.min(e, to) - from)
      const last = cuts[cuts.length - 1]
      if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], b)
      else cuts.push([a, b])
    }
    let text = texts[k]!
    for (let c = cuts.length - 1; c >= 0; c--) text = text.slice(0, cuts[c]![0]) + REDACTED + text.slice(cuts[c]![1])
    out[k] = text
  }
  return out
}

/** A text as read with its `\uXXXX` and `\/` escapes decoded, and where each decoded position starts in the text. */
interface View {
  text: string
  at(i: number): number
}

const ESCAPE = /\\(?:u[0-9a-fA-F]{4}|\/|\\)/

function decodedView(text: string): View {
  if (!ESCAPE.test(text)) return { text, at: (i) => i }
  const starts: number[] = []
  let out = ""
  for (let i = 0; i < text.length; ) {
    starts.push(i)
    if (text.charCodeAt(i) === 0x5c) {
      const next = text[i + 1]
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16))
        i += 6
        continue
      }
      if (next === "/") {
        out += "/"
        i += 2
        continue
      }
      // an escaped backslash stays as written (its second backslash escapes nothing)
      if (next === "\\") {
        out += "\\"
        starts.push(i + 1)
        out += "\\"
        i += 2
        continue
      }
    }
    out += text[i]
    i++
  }
  starts.push(text.length)
  return { text: out, at: (i) => starts[i] ?? text.length }
}

/** The text an item carries: a text block, an embedded resource's text, a prompt message's text, a read's text contents. */
function textOf(item: unknown): string | undefined {
  if (typeof item === "string") return item
  if (item === null || typeof item !== "object") return undefined
  const o = item as { text?: unknown; content?: unknown; resource?: unknown }
  if (typeof o.text === "string") return o.text
  for (const inner of [o.content, o.resource]) if (inner !== null && typeof inner === "object" && typeof (inner as { text?: unknown }).text === "string") return (inner as { text: string }).text
  return undefined
}

function withText(item: unknown, text: string): unknown {
  if (typeof item === "string") return text
  const o = item as Record<string, unknown>
  if (typeof o.text === "string") return { ...o, text }
  for (const k of ["content", "resource"]) {
    const inner = o[k] as Record<string, unknown> | null | undefined
    if (inner !== null && typeof inner === "object" && typeof inner.text === "string") return { ...o, [k]: { ...inner, text } }
  }
  return item
}

/**
 * `text` (lines a downstream wrote to stderr) with a value wrapped across line breaks masked in
 * each line it has a part in (a tool that folds its output at 76 or 80 columns, a dump of a long
 * token): the lines checked as a chain of items is. The first line's start and the last line's end
 * meet lines logged before and after: masked at their edges (core/stream-edges). Parsed only when
 * the text holds a piece of a configured value (`testHalves`).
 */
export function redactLineSeams(text: string): string {
  if (secrets.empty || !secrets.testHalves(text)) return text
  const lines = text.split("\n")
  const cr = lines.map((l) => l.endsWith("\r"))
  const bare = lines.map((l, i) => (cr[i] ? l.slice(0, -1) : l))
  const masked = lines.length >= 2 ? (maskChain(bare) ?? bare) : bare
  masked[0] = maskStreamEdges(masked[0]!)
  let last = masked.length - 1
  while (last > 0 && masked[last]!.trim() === "") last--
  masked[last] = maskStreamEdges(masked[last]!)
  return masked.map((l, i) => l + (cr[i] ? "\r" : "")).join("\n")
}

/** Keys whose strings a reader reads as prose, one after the other (a request's texts, not its types or names). */
const PROSE_KEYS = new Set(["text", "message", "systemPrompt", "title", "description"])

/**
 * A request relayed to the client (a downstream's `sampling/createMessage`, whose messages the
 * client's model reads one after the other; an `elicitation/create`, whose message and field
 * titles and descriptions the user reads): a value split across its prose strings (in document
 * order: `text`, `message`, `systemPrompt`, `title`, `description`) masked in each part; itself when
 * none is (qa333: each part passed the scan of its own string, and both went out).
 */
export function redactSplitProse<T>(value: T): T {
  if (secrets.empty || value === null || typeof value !== "object") return value
  const texts: string[] = []
  walkStrings(value, (s) => (texts.push(s), s), PROSE_KEYS)
  if (texts.length < 2) return value
  const masked = maskChain(texts)
  if (masked === undefined) return value
  let i = 0
  return walkStrings(value, (s) => masked[i++] ?? s, PROSE_KEYS)
}

