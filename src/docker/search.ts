/**
 * @module docker/search
 * Catalog search done on our side (the CLI has none): case-insensitive token match over name,
 * title, description, tags and category, ranked by where the tokens hit.
 */
import type { CatalogServer } from "./types.ts"

export const MAX_SEARCH_LIMIT = 100

function score(s: CatalogServer, tokens: readonly string[]): number {
  const name = s.name.toLowerCase()
  const title = (s.title ?? "").toLowerCase()
  const desc = (s.description ?? "").toLowerCase()
  const tags = [...(s.tags ?? []), s.category ?? ""].join(" ").toLowerCase()
  let total = 0
  for (const t of tokens) {
    const hit = (name === t ? 8 : name.includes(t) ? 4 : 0) + (title.includes(t) ? 2 : 0) + (tags.includes(t) ? 2 : 0) + (desc.includes(t) ? 1 : 0)
    if (hit === 0) return 0
    total += hit
  }
  return total
}

/** Servers matching every token of `query` (all servers for an empty query), best first. */
export function searchCatalog(servers: readonly CatalogServer[], query: string, limit = 20): CatalogServer[] {
  const tokens = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 16)
  const max = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(limit)))
  if (tokens.length === 0) return [...servers].sort((a, b) => a.name.localeCompare(b.name)).slice(0, max)
  return servers
    .map((s) => ({ s, n: score(s, tokens) }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n || a.s.name.localeCompare(b.s.name))
    .slice(0, max)
    .map((x) => x.s)
}
