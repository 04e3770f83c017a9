/**
 * The recorded tool fleets and the labelled query set, and the retrieval metrics computed over
 * them: shared by `bench search`, `bench surface` and test/catalog/search-quality.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { IndexedTool, ToolIndex } from "../../src/catalog/search/types.ts"

export const FIXTURES = join(import.meta.dir, "..", "..", "test", "fixtures")

/** One recorded tools/list entry. */
export interface ToolDef {
  name: string
  title?: string
  description?: string
  inputSchema: Record<string, unknown>
  annotations?: Record<string, unknown>
}

/** Every recorded server's tool list, by server name (file name), in name order. */
export function loadFleet(): Map<string, ToolDef[]> {
  const dir = join(FIXTURES, "tool-defs")
  const out = new Map<string, ToolDef[]>()
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    out.set(f.slice(0, -5), JSON.parse(readFileSync(join(dir, f), "utf8")) as ToolDef[])
  }
  return out
}

export function toIndexed(server: string, defs: readonly ToolDef[], sep = "__"): IndexedTool[] {
  return defs.map((d) => ({
    name: `${server}${sep}${d.name}`,
    server,
    tool: d.name,
    ...(d.title ? { title: d.title } : {}),
    ...(d.description ? { description: d.description } : {}),
    inputSchema: d.inputSchema,
    ...(d.annotations ? { annotations: d.annotations } : {}),
  }))
}

export interface LabelledQuery {
  query: string
  /** Exposed name → grade (2 = the tool to call, 1 = acceptable). */
  relevant: Record<string, number>
  /** How the query was used while the ranking was tuned (see the set's `about`); none = tuned on. */
  split?: "holdout" | "post-tuning" | "final-check" | "final-check-2" | "shell-2026-12" | "shell-2026-12-check"
  /** No tool of the fleet does what it asks (`relevant` is empty): right = no hit, or only hits marked weak. */
  negative?: boolean
  /** The servers the query is asked over (a toolset); all of them when absent. */
  servers?: string[]
}

export function loadQueries(): LabelledQuery[] {
  return (JSON.parse(readFileSync(join(FIXTURES, "search-queries.json"), "utf8")) as { queries: LabelledQuery[] }).queries
}

export interface Metrics {
  /** Positive queries (the recall figures are over these). */
  n: number
  r1: number
  r3: number
  r5: number
  mrr: number
  ndcg10: number
  /** Positive queries whose first hit is marked weak (a right answer the search itself doubts). */
  weakFirst: number
  /** Negative queries, and the share of them answered with no hit or only hits marked weak. */
  negatives: number
  rejected: number
}

/**
 * Over the positive queries: R@k, the share of a query's grade-2 tools found in the top k (out of
 * at most k), averaged over queries; MRR: 1 / rank of the first grade-2 tool (0 past the top 10);
 * nDCG@10 with gains 2^grade − 1 over every graded tool; the share whose first hit is marked weak.
 * Over the negative ones: the share answered with no hit or only weak ones (`rejected`).
 */
export function evaluate(index: ToolIndex, queries: readonly LabelledQuery[]): Metrics & { misses: Array<{ query: string; want: string[]; got: string[] }> } {
  let r1 = 0, r3 = 0, r5 = 0, mrr = 0, ndcg = 0, weakFirst = 0, negatives = 0, rejected = 0
  const misses: Array<{ query: string; want: string[]; got: string[] }> = []
  const positives = queries.filter((q) => !q.negative)
  for (const q of queries) {
    const servers = q.servers
    const hits = index.search(q.query, { limit: 10, ...(servers ? { filter: (t) => servers.includes(t.server) } : {}) })
    const got = hits.map((h) => h.tool.name)
    if (q.negative) {
      negatives++
      if (hits.every((h) => h.weak)) rejected++
      else misses.push({ query: q.query, want: ["(nothing, or only weak hits)"], got: hits.filter((h) => !h.weak).slice(0, 5).map((h) => h.tool.name) })
      continue
    }
    if (hits[0]?.weak) weakFirst++
    const primary = Object.entries(q.relevant).filter(([, g]) => g >= 2).map(([n]) => n)
    const recall = (k: number): number => got.slice(0, k).filter((n) => primary.includes(n)).length / Math.min(k, primary.length)
    r1 += recall(1)
    r3 += recall(3)
    r5 += recall(5)
    const first = got.findIndex((n) => primary.includes(n))
    mrr += first < 0 ? 0 : 1 / (first + 1)
    const dcg = got.reduce((s, n, i) => s + (2 ** (q.relevant[n] ?? 0) - 1) / Math.log2(i + 2), 0)
    const ideal = Object.values(q.relevant).sort((a, b) => b - a).slice(0, 10).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0)
    ndcg += ideal ? dcg / ideal : 0
    if (recall(5) < 1) misses.push({ query: q.query, want: primary, got: got.slice(0, 5) })
  }
  const n = positives.length || 1
  return { n: positives.length, r1: r1 / n, r3: r3 / n, r5: r5 / n, mrr: mrr / n, ndcg10: ndcg / n, weakFirst: weakFirst / n, negatives, rejected: negatives ? rejected / negatives : 0, misses }
}
