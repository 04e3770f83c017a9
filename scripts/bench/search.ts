/**
 * `bun run bench -- search`: retrieval quality of the tool search index (src/catalog/search) on the
 * labelled query set (test/fixtures/search-queries.json) over the recorded fleets
 * (test/fixtures/tool-defs), and its latency at 500 tools.
 *
 * Quality: R@1/R@3/R@5 (share of a query's grade-2 tools in the top k), MRR (first grade-2 tool),
 * nDCG@10 (graded), and the share whose first hit the index marks weak, for the whole set, the part
 * used while tuning, the held-out part, the part written after tuning ended (never tuned on: the
 * fairest estimate for requests not seen) and the shell-vocabulary part; for the negative queries
 * (nothing in the fleet does it) the share answered with no hit or only weak ones; and the same as
 * plain BM25F (no synonyms, phrases or literal handling), to show what those add.
 * Latency: p50/p90/p99 of one search over 500 tools (the fleets replicated under other server
 * names), and the time of an incremental `setServer` vs a full rebuild.
 */
import { createToolIndex } from "../../src/catalog/search/index.ts"
import type { ToolIndex } from "../../src/catalog/search/types.ts"
import { evaluate, loadFleet, loadQueries, toIndexed, type LabelledQuery, type Metrics, type ToolDef } from "./_search-eval.ts"
import { summarize, table, writeResult } from "./_util.ts"

const fleet = loadFleet()
const queries = loadQueries()
const tools = [...fleet.values()].reduce((n, l) => n + l.length, 0)

function build(servers: Map<string, ToolDef[]>, opts?: { synonyms?: boolean }): ToolIndex {
  const ix = createToolIndex(opts)
  for (const [s, defs] of servers) ix.setServer(s, toIndexed(s, defs))
  return ix
}

const row = (label: string, m: Metrics) => ({
  set: label,
  queries: m.n,
  "R@1": m.r1,
  "R@3": m.r3,
  "R@5": m.r5,
  MRR: m.mrr,
  "nDCG@10": m.ndcg10,
  "1st weak": m.weakFirst,
  negatives: m.negatives,
  "neg. rejected": m.rejected,
})
const parts: Array<[string, LabelledQuery[]]> = [
  ["all", queries],
  ["tuned on", queries.filter((q) => q.split === undefined || q.split === "post-tuning" || q.split === "final-check")],
  ["held out", queries.filter((q) => q.split === "holdout")],
  ["unseen (final check)", queries.filter((q) => q.split === "final-check-2")],
  ["shell vocabulary (shell-2026-12)", queries.filter((q) => q.split === "shell-2026-12")],
  ["shell, unseen (shell-2026-12-check)", queries.filter((q) => q.split === "shell-2026-12-check")],
]
const full = build(fleet)
const bare = build(fleet, { synonyms: false })
const quality = parts.map(([l, qs]) => row(l, evaluate(full, qs)))
const baseline = parts.map(([l, qs]) => row(`${l}, plain BM25F`, evaluate(bare, qs)))
console.log(`retrieval quality: ${queries.length} queries over ${tools} tools from ${fleet.size} servers (BM25F, own index)`)
console.log(table([...quality, ...baseline]))

// 500 tools: the recorded fleets again under other server names, cut to exactly 500.
const big = new Map<string, ToolDef[]>()
let count = 0
for (let copy = 0; count < 500; copy++) {
  for (const [s, defs] of fleet) {
    if (count >= 500) break
    const take = defs.slice(0, 500 - count)
    big.set(copy ? `${s}-${copy + 1}` : s, take)
    count += take.length
  }
}
const t0 = performance.now()
const ix500 = build(big)
const buildMs = performance.now() - t0
const lat: number[] = []
for (let round = 0; round < 20; round++) {
  for (const q of queries) {
    const t = performance.now()
    ix500.search(q.query)
    lat.push(performance.now() - t)
  }
}
const s = summarize(lat.slice(queries.length)) // first round is warm-up
const [gh, ghDefs] = [...big.entries()].find(([n]) => n === "github")!
const upd: number[] = []
for (let i = 0; i < 50; i++) {
  const t = performance.now()
  ix500.setServer(gh, toIndexed(gh, ghDefs))
  upd.push(performance.now() - t)
}
const u = summarize(upd)
console.log(`\nlatency at ${ix500.size} tools (${big.size} servers):`)
console.log(table([
  { op: "search (default limit 8)", n: s.n, "p50 ms": s.p50, "p90 ms": s.p90, "p99 ms": s.p99 },
  { op: `setServer(github, ${ghDefs.length} tools)`, n: u.n, "p50 ms": u.p50, "p90 ms": u.p90, "p99 ms": u.p99 },
  { op: "full build of 500 tools", n: 1, "p50 ms": buildMs, "p90 ms": buildMs, "p99 ms": buildMs },
]))
const all = quality[0]!
const held = quality[2]!
const after = quality[3]!
console.log(
  `\ntargets: R@5 ≥ 0.90 (all ${all["R@5"].toFixed(3)}, held out ${held["R@5"].toFixed(3)}, unseen ${after["R@5"].toFixed(3)}), ` +
    `MRR ≥ 0.75 (all ${all.MRR.toFixed(3)}, held out ${held.MRR.toFixed(3)}, unseen ${after.MRR.toFixed(3)}), p50 ≤ 1 ms (${s.p50.toFixed(3)} ms)`,
)
const misses = evaluate(full, queries).misses
if (process.argv.includes("--misses")) for (const m of misses) console.log(`miss: ${m.query} | want ${m.want.join(", ")} | got ${m.got.join(", ")}`)
console.log(`written ${writeResult("search", { tools, servers: fleet.size, queries: queries.length, quality, baseline, latency: { tools: ix500.size, search: s, setServer: u, buildMs } })}`)
