/**
 * @module core/stream-edges
 * A configured value cut in two across two messages of one stream: a tool that streams its output
 * as progress messages or log notifications in pieces of N characters cuts a key by accident, and
 * the client shows the pieces one after the other. Each message goes out before the next is known,
 * so the seam cannot be checked on both sides (as core/split-items does within one answer); instead
 * each streamed text is masked at its edges: an end that is the start of a registered value, a
 * start that is the end of one, of `edgeMin` characters or more (`…KEY=[REDACTED]`,
 * `[REDACTED] HOME=…`). A cut leaves at most `edgeMin - 1` characters of a value shown, on one side
 * (a 22-character key cut after its 3rd: those 3). A message that is wholly a piece of a value (of
 * `edgeMin` characters or more: the middle of a key streamed in three or more pieces) is masked
 * whole (qa277). Values under MIN_ENCODED characters are not
 * looked for (their pieces are too short to tell from words).
 */
import { MIN_ENCODED, REDACTED, secrets } from "./secrets.ts"

/** Shortest piece of a value masked at an edge: 6 characters, or half of a shorter value. */
function edgeMin(value: string): number {
  return Math.min(6, Math.ceil(value.length / 2))
}

let memo: { generation: number; values: string[] } | undefined

/** The registered values looked for at edges: as held, upper- and lower-cased. */
function edgeValues(): string[] {
  if (memo?.generation !== secrets.generation) {
    const out = new Set<string>()
    for (const v of secrets.plainValues()) if (v.length >= MIN_ENCODED && v.length <= 1024 && !/[\r\n]/.test(v)) out.add(v).add(v.toUpperCase()).add(v.toLowerCase())
    memo = { generation: secrets.generation, values: [...out] }
  }
  return memo.values
}

/** `text` (one message of a stream) with a piece of a registered value at its end or start masked; itself when none is. */
export function maskStreamEdges(text: string): string {
  if (secrets.empty || text.length === 0) return text
  let from = text.length
  let to = 0
  for (const v of edgeValues()) {
    const k = edgeMin(v)
    if (text.length < k) continue
    // a middle piece: the whole message inside the value (a key streamed in three or more pieces)
    if (text.length < v.length && v.includes(text)) return REDACTED
    from = Math.min(from, endPiece(text, v, k))
    to = Math.max(to, startPiece(text, v, k))
  }
  if (from === text.length && to === 0) return text
  if (to >= from) return REDACTED
  return (to > 0 ? REDACTED : "") + text.slice(to, from) + (from < text.length ? REDACTED : "")
}

/** Where a start of `v` (k+ characters, not all of it) that `text` ends with begins; `text.length` when none. */
function endPiece(text: string, v: string, k: number): number {
  const tail = text.slice(Math.max(0, text.length - (v.length - 1)))
  const head = v.slice(0, k)
  for (let at = tail.indexOf(head); at !== -1; at = tail.indexOf(head, at + 1)) if (v.startsWith(tail.slice(at))) return text.length - tail.length + at
  return text.length
}

/** Where an end of `v` (k+ characters, not all of it) that `text` starts with ends; 0 when none. */
function startPiece(text: string, v: string, k: number): number {
  const head = text.slice(0, v.length - 1)
  const end = v.slice(-k)
  for (let at = head.lastIndexOf(end); at !== -1; at = at === 0 ? -1 : head.lastIndexOf(end, at - 1)) if (v.endsWith(head.slice(0, at + k))) return at + k
  return 0
}
