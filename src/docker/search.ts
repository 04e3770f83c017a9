/**
 * @module docker/search
 * Catalog search done on our side (the CLI has none): case-insensitive token match over name,
 * title, description, tags and category, ranked by where the tokens hit; stop words left out, a
 * plural also matches its singular.
 */
import type { CatalogServer } from "./types.ts"

export const MAX_SEARCH_LIMIT = 100

/**
 * Words a model puts in a request ("search the web", "a server for my databases") that say nothing
 * about a server: every token must hit, so one of them would leave no match at all.
 */
const STOP_WORDS = new Set(
  "a an and any are as at be by can do for from get i in into is it let me my of on or our please server servers some that the this to tool tools use want we with you your".split(" "),
)

/** Where `t` occurs in `text`; a plural (`databases`, `queries`) also as its singular. */
function has(text: string, t: string): boolean {
  if (text.includes(t)) return true
  if (t.length > 4 && t.endsWith("ies")) return text.includes(`${t.slice(0, -3)}y`)
  return t.length > 3 && t.endsWith("s") && !t.endsWith("ss") && text.includes(t.slice(0, -1))
}

function score(s: CatalogServer, tokens: readonly string[]): number {
  const name = s.name.toLowerCase()
  const title = (s.title ?? "").toLowerCase()
  const desc = (s.description ?? "").toLowerCase()
  const tags = [...(s.tags ?? []), s.category ?? ""].join(" ").toLowerCase()
  let total = 0
  for (const t of tokens) {
    const hit = (name === t ? 8 : has(name, t) ? 4 : 0) + (has(title, t) ? 2 : 0) + (has(tags, t) ? 2 : 0) + (has(desc, t) ? 1 : 0)
    if (hit === 0) return 0
    total += hit
  }
  return total
}

/**
 * Servers matching every token of `query` (all servers for an empty query), best first. Stop words
 * ("the", "for", "server"…) are left out unless the query has nothing else; punctuation around a
 * word is not part of it.
 */
export function searchCatalog(servers: readonly CatalogServer[], query: string, limit = 20): CatalogServer[] {
  const words = query.toLowerCase().split(/\s+/).map((w) => w.replace(/^["'(\[]+|["')\],.;:!?]+$/g, "")).filter(Boolean)
  const meaningful = words.filter((w) => !STOP_WORDS.has(w))
  const tokens = (meaningful.length > 0 ? meaningful : words).slice(0, 16)
  const max = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(limit)))
  if (tokens.length === 0) return [...servers].sort((a, b) => a.name.localeCompare(b.name)).slice(0, max)
  return servers
    .map((s) => ({ s, n: score(s, tokens) }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n || a.s.name.localeCompare(b.s.name))
    .slice(0, max)
    .map((x) => x.s)
}
