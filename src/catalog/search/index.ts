/**
 * @module catalog/search
 * `createToolIndex()`: the tool search index (BM25F over weighted fields, see bm25.ts and
 * fields.ts), kept per server so a list change re-indexes only that server's tools.
 */
import { Bm25Index } from "./bm25.ts"
import { documentFields } from "./fields.ts"
import { expandQuery } from "./query.ts"
import type { IndexedTool, SearchHit, SearchOptions, ToolIndex } from "./types.ts"

export type { IndexedTool, SearchHit, SearchOptions, ToolIndex } from "./types.ts"

export const DEFAULT_LIMIT = 8
export const MAX_LIMIT = 50

function clampLimit(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n)) return DEFAULT_LIMIT
  return Math.max(1, Math.min(MAX_LIMIT, Math.floor(n)))
}

function byName(a: IndexedTool, b: IndexedTool): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

export function createToolIndex(): ToolIndex {
  const bm = new Bm25Index()
  const tools = new Map<string, IndexedTool>()
  const byServer = new Map<string, Set<string>>()

  const dropName = (name: string): void => {
    const old = tools.get(name)
    if (!old) return
    byServer.get(old.server)?.delete(name)
    tools.delete(name)
    bm.remove(name)
  }

  const removeServer = (server: string): void => {
    const names = byServer.get(server)
    if (!names) return
    for (const n of [...names]) dropName(n)
    byServer.delete(server)
  }

  return {
    setServer(server, list) {
      removeServer(server)
      const names = new Set<string>()
      for (const t of list) {
        // A tool is indexed under the server it is being set for, whatever it claims.
        const doc: IndexedTool = t.server === server ? t : { ...t, server }
        dropName(doc.name)
        tools.set(doc.name, doc)
        names.add(doc.name)
        bm.add(doc.name, documentFields(doc))
      }
      if (names.size) byServer.set(server, names)
    },
    removeServer,
    search(query, opts: SearchOptions = {}) {
      const limit = clampLimit(opts.limit)
      const accept = (name: string): boolean => {
        const t = tools.get(name)
        if (!t) return false
        if (opts.server !== undefined && t.server !== opts.server) return false
        return opts.filter ? opts.filter(t) : true
      }
      const terms = expandQuery(query, bm)
      let hits: SearchHit[]
      if (terms.length === 0) {
        // Nothing to rank by (empty or only stop words): the tools in name order, so a query by
        // server alone still lists that server's tools.
        hits = [...tools.values()].filter((t) => accept(t.name)).map((tool) => ({ tool, score: 0 }))
      } else {
        hits = []
        for (const [name, score] of bm.score(terms, accept)) hits.push({ tool: tools.get(name)!, score })
      }
      hits.sort((a, b) => b.score - a.score || byName(a.tool, b.tool))
      return hits.slice(0, limit)
    },
    get: (name) => tools.get(name),
    get size() {
      return tools.size
    },
  }
}
