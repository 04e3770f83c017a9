/**
 * @module core/split-items
 * A configured value split across two adjacent items of one answer: a tool result's `content`
 * (a server paging a long output into items of N characters, an env dump written line by line in
 * pieces), a prompt's `messages`, a read's `contents`. The model reads the items one after the
 * other, so `…QaSec` + `retTok…` is the key, though neither string holds it and each passed the
 * scan of its own text (qa262). Each seam between two items that carry text is checked on the
 * joined end and start (`SecretRegistry.splitAcross`); a value found across it is masked on both
 * sides (`…[REDACTED]` and `[REDACTED]…`). A value split across three or more items (a middle
 * item shorter than it) is not found.
 */
import { REDACTED, secrets } from "./secrets.ts"
import { maskStreamEdges } from "./stream-edges.ts"

/** The arrays whose items a client reads as one text. */
const ITEM_ARRAYS = ["content", "messages", "contents"] as const

/** `value` (a result) with a value split across adjacent items masked; the input itself when none is. */
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
  return (out ?? value) as T
}

function splitItems(items: readonly unknown[]): readonly unknown[] {
  let copy: unknown[] | undefined
  for (let i = 0; i + 1 < items.length; i++) {
    const list = copy ?? items
    const a = textOf(list[i])
    const b = textOf(list[i + 1])
    if (a === undefined || b === undefined) continue
    const cut = secrets.splitAcross(a, b)
    if (cut === undefined) continue
    copy ??= items.slice()
    copy[i] = withText(copy[i], a.slice(0, cut.aFrom) + REDACTED)
    copy[i + 1] = withText(copy[i + 1], REDACTED + b.slice(cut.bTo))
  }
  return copy ?? items
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
 * `text` (lines a downstream wrote to stderr) with a value wrapped across a line break masked on
 * both sides (a tool that folds its output at 76 or 80 columns, a dump of a long token): each
 * seam between two lines checked as two items are. The first line's start and the last line's end
 * meet lines logged before and after: masked at their edges (core/stream-edges). Parsed only when
 * the text holds half of a configured value (`testHalves`).
 */
export function redactLineSeams(text: string): string {
  if (secrets.empty || !secrets.testHalves(text)) return text
  const lines = text.split("\n")
  for (let i = 0; i + 1 < lines.length; i++) {
    const cr = lines[i]!.endsWith("\r")
    const a = cr ? lines[i]!.slice(0, -1) : lines[i]!
    const cut = secrets.splitAcross(a, lines[i + 1]!)
    if (cut === undefined) continue
    lines[i] = a.slice(0, cut.aFrom) + REDACTED + (cr ? "\r" : "")
    lines[i + 1] = REDACTED + lines[i + 1]!.slice(cut.bTo)
  }
  lines[0] = maskStreamEdges(lines[0]!)
  let last = lines.length - 1
  while (last > 0 && lines[last]!.trim() === "") last--
  const cr = lines[last]!.endsWith("\r")
  lines[last] = maskStreamEdges(cr ? lines[last]!.slice(0, -1) : lines[last]!) + (cr ? "\r" : "")
  return lines.join("\n")
}
