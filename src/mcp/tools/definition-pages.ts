/**
 * @module mcp/tools/definition-pages
 * describe_tools' size bound: one answer carries at most ANSWER_MAX_CHARS of definitions, and a
 * definition larger than PAGE_CHARS (a 3 000-property schema was 728 KB in one answer) comes in
 * pages. A page is the definition with a run of the entries of its schemas' `properties`, `$defs`
 * and `definitions` (input schema first, then output schema), each entry whole; `required` lists the
 * required names on that page. Pages depend only on the definition (not on what else was asked), so
 * `page: 2` is the same text in every answer. One entry larger than a page on its own is shown with
 * its long lists and texts cut, or as a note of its size. The note in `cut` says what is left out
 * and the call that gives the rest.
 */
import { cutText, isRecord } from "../../core/index.ts"

/** Characters of definitions one describe_tools answer carries (≈ 25 000 tokens). */
export const ANSWER_MAX_CHARS = 100_000
/** Characters of one page of a large definition. */
export const PAGE_CHARS = 40_000
/** Longest array (an `enum`, `examples`) kept whole inside an entry that is too large for a page. */
const LIST_KEPT = 100
/** Longest string kept whole inside an entry that is too large for a page. */
const TEXT_KEPT = 2000

type Json = Record<string, unknown>
/** The maps of a schema whose entries are paged. */
const MAPS = ["properties", "$defs", "definitions"] as const
const SCHEMAS = ["inputSchema", "outputSchema"] as const

interface Entry {
  schema: (typeof SCHEMAS)[number]
  map: (typeof MAPS)[number]
  key: string
  value: unknown
  /** Characters it adds to a page. */
  size: number
  /** Set when the entry alone was larger than a page: what was cut of it. */
  shrunk?: string
}

/** A definition as one answer shows it: whole, or one page of it with a note of what is left out. */
export interface Shown {
  def: Json
  /** Set when only part of the definition is shown: what is left out and how to get it. */
  cut?: string
  /** Pages the definition has (1 when whole). */
  pages: number
}

const size = (v: unknown): number => JSON.stringify(v)?.length ?? 0

/** `def` whole when it fits a page, else its page `page` (1-based; past the last: the last), with `callAs` in the note's call. */
export function showDefinition(def: Json, page: number, callAs: string): Shown {
  const whole = size(def)
  if (whole <= PAGE_CHARS) return { def, pages: 1 }
  const base: Json = { ...def }
  const entries: Entry[] = []
  for (const s of SCHEMAS) {
    const schema = def[s]
    if (!isRecord(schema)) continue
    const rest: Json = { ...schema }
    for (const m of MAPS) {
      const map = schema[m]
      if (!isRecord(map)) continue
      delete rest[m]
      for (const [key, value] of Object.entries(map)) entries.push(entryOf(s, m, key, value))
    }
    // `required` is given per page (the names on it): 3 000 names are not repeated on every page
    if (Array.isArray(rest.required)) delete rest.required
    base[s] = rest
  }
  const baseSize = size(base)
  // pages of entries, filled in order
  const pages: Entry[][] = [[]]
  let used = baseSize
  for (const e of entries) {
    const last = pages[pages.length - 1]!
    if (last.length > 0 && used + e.size > PAGE_CHARS) {
      pages.push([e])
      used = baseSize + e.size
    } else {
      last.push(e)
      used += e.size
    }
  }
  const n = Math.min(Math.max(1, Math.floor(page)), pages.length)
  const on = pages[n - 1]!
  const shown: Json = { ...base }
  for (const s of SCHEMAS) {
    if (!isRecord(def[s])) continue
    const schema: Json = { ...(shown[s] as Json) }
    for (const m of MAPS) {
      const mine = on.filter((e) => e.schema === s && e.map === m)
      if (isRecord((def[s] as Json)[m])) schema[m] = Object.fromEntries(mine.map((e) => [e.key, e.value]))
    }
    const required = (def[s] as Json).required
    if (Array.isArray(required)) {
      const here = new Set(on.filter((e) => e.schema === s && e.map === "properties").map((e) => e.key))
      schema.required = required.filter((k) => typeof k === "string" && here.has(k))
    }
    shown[s] = schema
  }
  const shrunk = on.filter((e) => e.shrunk !== undefined).map((e) => `${e.schema}.${e.map}.${e.key}: ${e.shrunk}`)
  const cut =
    pages.length === 1
      ? `${callAs}: its definition is ${whole.toLocaleString("en")} characters; shown with parts cut: ${shrunk.join("; ")} (the server checks arguments against its whole schema).`
      : `${callAs}: its definition is ${whole.toLocaleString("en")} characters, shown in ${pages.length} pages; this is page ${n} of ${pages.length}: ${span(on, entries)}; \`required\` lists the required names on this page only.${shrunk.length ? ` Cut: ${shrunk.join("; ")}.` : ""} ${n < pages.length ? `describe_tools {"names":[${JSON.stringify(callAs)}],"page":${n + 1}} gives the next page.` : `${page > pages.length ? `There is no page ${Math.floor(page)}: this` : "This"} is the last page (page 1 is the first).`}`
  return { def: shown, cut, pages: pages.length }
}

/** `inputSchema.properties p0000–p0272 (273 of 3000)` for each map a page covers. */
function span(on: readonly Entry[], all: readonly Entry[]): string {
  const parts: string[] = []
  for (const s of SCHEMAS) {
    for (const m of MAPS) {
      const mine = on.filter((e) => e.schema === s && e.map === m)
      const total = all.filter((e) => e.schema === s && e.map === m).length
      if (mine.length === 0) continue
      const range = mine.length === 1 ? mine[0]!.key : `${mine[0]!.key} … ${mine[mine.length - 1]!.key}`
      parts.push(`${s}.${m} ${range} (${mine.length} of ${total})`)
    }
  }
  return parts.join(", ") || "the definition without its entries"
}

function entryOf(schema: Entry["schema"], map: Entry["map"], key: string, value: unknown): Entry {
  const overhead = JSON.stringify(key).length + 2
  const s = size(value)
  if (s + overhead <= PAGE_CHARS / 2) return { schema, map, key, value, size: s + overhead }
  // too large to share a page: its long lists and texts cut, or only its size said
  const cuts: string[] = []
  const small = shrink(value, cuts, 0)
  const after = size(small)
  if (after + overhead <= PAGE_CHARS / 2) return { schema, map, key, value: small, size: after + overhead, shrunk: `${s.toLocaleString("en")} characters, ${cuts.slice(0, 3).join(", ")}${cuts.length > 3 ? ` and ${cuts.length - 3} more cuts` : ""}` }
  const note = { $comment: `left out: ${s.toLocaleString("en")} characters of schema, too large to show; the server checks the value` }
  return { schema, map, key, value: note, size: size(note) + overhead, shrunk: `${s.toLocaleString("en")} characters, left out` }
}

/** `v` with arrays over LIST_KEPT items and strings over TEXT_KEPT characters cut (each cut described in `cuts`). */
function shrink(v: unknown, cuts: string[], depth: number, at = ""): unknown {
  if (depth > 64) return v
  if (typeof v === "string") {
    if (v.length <= TEXT_KEPT) return v
    cuts.push(`text ${at || "(value)"} cut to ${TEXT_KEPT} of ${v.length} characters`)
    return `${cutText(v, TEXT_KEPT)}…`
  }
  if (Array.isArray(v)) {
    const kept = v.length > LIST_KEPT ? v.slice(0, LIST_KEPT) : v
    if (kept !== v) cuts.push(`${at || "list"}: ${LIST_KEPT} of ${v.length} items shown`)
    return kept.map((x, i) => shrink(x, cuts, depth + 1, `${at}[${i}]`))
  }
  if (isRecord(v)) {
    const out: Json = {}
    for (const [k, x] of Object.entries(v)) out[k] = shrink(x, cuts, depth + 1, at ? `${at}.${k}` : k)
    return out
  }
  return v
}
