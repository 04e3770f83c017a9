/**
 * @module docker/search
 * Catalog search done on our side (the CLI has none). A query's words (filler words left out) are
 * looked for in each server's name, title, description, tags/category and its tools' names and
 * descriptions; servers are ranked by how many words hit, then by where they hit (name > title,
 * tags, description > tools), then by name. A server that hits fewer than half the words (or not
 * both of two) is left out, so an unrelated query still finds nothing.
 */
import type { CatalogServer } from "./types.ts"

export const MAX_SEARCH_LIMIT = 100

/**
 * Words a model puts in a request ("I want to search the web", "a server for my databases") that say
 * nothing about a server. A query of only such words finds nothing: every server's tools say "the".
 */
const STOP_WORDS = new Set(
  (
    "a about all an and any are as at be by can could do does for from get help how i i'd i'm in into is it it's just let like me my need of on or our please server servers should so some something that the there this to tool tools use want we what which with would you your"
  ).split(" "),
)

/** Weights of a word's hit, per field. */
const W = { nameExact: 16, name: 8, title: 4, tags: 4, description: 3, toolName: 2, toolDescription: 1 } as const

/** One field of a server: its text, and the same in lower case (what is searched). */
interface Field {
  text: string
  lower: string
}

/** A server's searchable fields; the name is searched as it is (lower case), the others word by word. */
interface Prepared {
  name: string
  title: Field
  tags: Field
  description: Field
  toolNames: Field
  toolDescriptions: Field
}

function field(text: string): Field {
  return { text, lower: text.toLowerCase() }
}

/** Per server object: a catalog is read once and searched many times (the cache hands out the same frozen value). */
const prepared = new WeakMap<CatalogServer, Prepared>()

function prepare(s: CatalogServer): Prepared {
  let p = prepared.get(s)
  if (p) return p
  const tools = s.tools ?? []
  p = {
    name: s.name.toLowerCase(),
    title: field(s.title ?? ""),
    tags: field([...(s.tags ?? []), s.category ?? ""].join(" ")),
    description: field(s.description ?? ""),
    toolNames: field(tools.map((t) => (t.title ? `${t.name} ${t.title}` : t.name)).join(" ")),
    toolDescriptions: field(tools.map((t) => t.description ?? "").join(" ")),
  }
  prepared.set(s, p)
  return p
}

/** A query word and the stem looked for at the start of a text's words (`reading` → `read`, `queries` → `query`, `automate` → `automat`). */
interface Term {
  word: string
  stem: string
}

function stem(w: string): string {
  const cut = (n: number, add = ""): string | undefined => (w.length - n + add.length >= 3 ? w.slice(0, w.length - n) + add : undefined)
  let s: string | undefined
  if (w.endsWith("ies")) s = cut(3, "y")
  else if (/(ches|shes|sses|xes)$/.test(w)) s = cut(2)
  else if (w.endsWith("s") && !w.endsWith("ss")) s = cut(1)
  else if (w.endsWith("ing")) s = w.length > 5 ? cut(3) : undefined
  else if (w.endsWith("ed")) s = w.length > 4 ? cut(2) : undefined
  else if (w.endsWith("e")) s = w.length > 4 ? cut(1) : undefined
  return s ?? w
}

/** A letter or digit (any letter past ASCII counts). */
function wordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c >= 0xaa
}

const upper = (c: number): boolean => c >= 65 && c <= 90

/**
 * `t` at the start of a word of `f`: after a non-letter (`read_file`, `web-search`) or at a
 * lower-to-upper change (`readFile`); a stem under 3 letters only as a whole word.
 */
function inWords(f: Field, t: Term): boolean {
  const whole = t.stem.length < 3
  const needle = whole ? t.word : t.stem
  const camel = f.text.length === f.lower.length
  for (let i = f.lower.indexOf(needle); i !== -1; i = f.lower.indexOf(needle, i + 1)) {
    const start = i === 0 || !wordChar(f.lower.charCodeAt(i - 1)) || (camel && upper(f.text.charCodeAt(i)) && !upper(f.text.charCodeAt(i - 1)))
    if (!start) continue
    if (!whole) return true
    const end = i + needle.length
    if (end === f.lower.length || !wordChar(f.lower.charCodeAt(end)) || (camel && upper(f.text.charCodeAt(end)))) return true
  }
  return false
}

/** Number of words hit and their weighted score. */
function score(p: Prepared, terms: readonly Term[]): { hits: number; weight: number } {
  let hits = 0
  let weight = 0
  for (const t of terms) {
    const w =
      (p.name === t.word ? W.nameExact : t.stem.length >= 3 && p.name.includes(t.stem) ? W.name : 0) +
      (inWords(p.title, t) ? W.title : 0) +
      (inWords(p.tags, t) ? W.tags : 0) +
      (inWords(p.description, t) ? W.description : 0) +
      (inWords(p.toolNames, t) ? W.toolName : 0) +
      (inWords(p.toolDescriptions, t) ? W.toolDescription : 0)
    if (w > 0) {
      hits++
      weight += w
    }
  }
  return { hits, weight }
}

/** The fewest words a server must hit: all of one or two, half of more (rounded up). */
function minHits(terms: number): number {
  return terms <= 2 ? terms : Math.ceil(terms / 2)
}

/** The query's meaningful words: lower case, punctuation around a word and a trailing `'s` dropped, filler words left out, at most 16. */
function queryWords(query: string): string[] {
  const all = query
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/^["'(\[]+|["')\],.;:!?]+$/g, "").replace(/['’]s$/, ""))
    .filter(Boolean)
  return [...new Set(all.filter((w) => !STOP_WORDS.has(w)))].slice(0, 16)
}

/**
 * Servers matching `query`, best first: those hitting more of its words first, then by where the
 * words hit (name, then title/tags/description, then tools), then by name. All servers (by name)
 * for an empty query; none for a query of only filler words, or whose words hit no server.
 */
export function searchCatalog(servers: readonly CatalogServer[], query: string, limit = 20): CatalogServer[] {
  const max = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(limit)))
  if (query.trim() === "") return [...servers].sort((a, b) => a.name.localeCompare(b.name)).slice(0, max)
  const terms = queryWords(query).map((word) => ({ word, stem: stem(word) }))
  if (terms.length === 0) return []
  const need = minHits(terms.length)
  const found: Array<{ s: CatalogServer; hits: number; weight: number }> = []
  for (const s of servers) {
    const r = score(prepare(s), terms)
    if (r.hits >= need) found.push({ s, ...r })
  }
  return found
    .sort((a, b) => b.hits - a.hits || b.weight - a.weight || a.s.name.localeCompare(b.s.name))
    .slice(0, max)
    .map((x) => x.s)
}
