/**
 * What the held-out query-set tests share: the extended fleet (the recorded reference fleet, the
 * 25-server npm fleet and the Toolkit set's servers), an index over it, a set's labelled queries,
 * and hit@1/3 + MRR + negatives measured as every set of this kind reports them.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { expect, test } from "bun:test"
import { FIXTURES, loadFleet, toIndexed, type ToolDef } from "../../scripts/bench/_search-eval.ts"
import { createToolIndex, type ToolIndex } from "../../src/catalog/index.ts"

export interface Labelled {
  query: string
  relevant: Record<string, number>
  split: "tune" | "heldout"
  kind: string
  negative?: boolean
}

/** The labelled queries of `test/fixtures/<file>`. */
export function loadSet(file: string): Labelled[] {
  return (JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as { queries: Labelled[] }).queries
}

/** Every server of the extended fleet with its recorded definitions. */
export function extendedFleet(): Array<[string, ToolDef[]]> {
  const toolkit = JSON.parse(readFileSync(join(FIXTURES, "search-queries-toolkit.json"), "utf8")) as { servers: Record<string, ToolDef[]> }
  const npmDir = join(FIXTURES, "tool-defs-npm")
  return [
    ...loadFleet(),
    ...readdirSync(npmDir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f): [string, ToolDef[]] => [f.slice(0, -5), JSON.parse(readFileSync(join(npmDir, f), "utf8")) as ToolDef[]]),
    ...Object.entries(toolkit.servers),
  ]
}

/** A search index over `fleet`, as the proxy names its tools (`server__tool`). */
export function fleetIndex(fleet: ReadonlyArray<[string, ToolDef[]]>): ToolIndex {
  const ix = createToolIndex()
  for (const [s, defs] of fleet) ix.setServer(s, toIndexed(s, defs))
  return ix
}

/** hit@k: a grade-2 tool in the first k; MRR over the first grade-2 tool; negatives answered with no hit or only weak ones. */
export function measureSet(index: ToolIndex, queries: readonly Labelled[]) {
  let pos = 0, h1 = 0, h3 = 0, mrr = 0, neg = 0, rejected = 0, posFlagged = 0
  for (const q of queries) {
    const hits = index.search(q.query, { limit: 10 })
    if (q.negative) {
      neg++
      if (hits.every((h) => h.weak)) rejected++
      continue
    }
    pos++
    if (hits.length === 0 || hits[0]!.weak) posFlagged++
    const r = hits.findIndex((h) => q.relevant[h.tool.name] === 2)
    if (r === 0) h1++
    if (r >= 0 && r < 3) h3++
    if (r >= 0) mrr += 1 / (r + 1)
  }
  return { pos, neg, h1: h1 / pos, h3: h3 / pos, mrr: mrr / pos, rejected: rejected / neg, posFlagged }
}

/** What a held-out set must keep: hit@1, hit@3, MRR, negatives rejected (a count), positives whose first hit is weak (at most), and the round that set them. */
export interface SetFloors {
  h1: number
  h3: number
  mrr: number
  rejected: number
  weakFirst: number
  since: string
}

/**
 * The two tests every held-out set has: its shape (at least `min` requests and negatives, all held
 * out, every label a tool of `fleet`) and its quality floor over `index`.
 */
export function heldOutSetTests(
  fleet: ReadonlyArray<readonly [string, ReadonlyArray<{ name: string }>]>,
  index: ToolIndex,
  set: readonly Labelled[],
  min: { requests: number; negatives: number },
  f: SetFloors,
): void {
  test(`the set: ${min.requests}+ requests and ${min.negatives}+ negatives, every label a tool of the fleet`, () => {
    const names = new Set(fleet.flatMap(([s, defs]) => defs.map((d) => `${s}__${d.name}`)))
    expect(set.filter((q) => !q.negative).length).toBeGreaterThanOrEqual(min.requests)
    expect(set.filter((q) => q.negative).length).toBeGreaterThanOrEqual(min.negatives)
    for (const q of set) {
      expect(q.split).toBe("heldout")
      if (q.negative) expect(q.relevant).toEqual({})
      else expect(Object.values(q.relevant)).toContain(2)
      for (const name of Object.keys(q.relevant)) expect(names.has(name)).toBe(true)
    }
  })

  const negatives = set.filter((q) => q.negative).length
  test(`quality floor: hit@1 ≥ ${f.h1}, hit@3 ≥ ${f.h3}, MRR ≥ ${f.mrr}, negatives rejected ≥ ${f.rejected}/${negatives}, first hit weak ≤ ${f.weakFirst} (${f.since})`, () => {
    const m = measureSet(index, set)
    // MCPO_SEARCH_FIGURES=1 prints every set's figures, to compare them before and after a ranking change.
    if (process.env.MCPO_SEARCH_FIGURES) console.error(`figures ${set[0]?.query.slice(0, 24)}… ${JSON.stringify({ h1: +m.h1.toFixed(3), h3: +m.h3.toFixed(3), mrr: +m.mrr.toFixed(3), rejected: Math.round(m.rejected * m.neg), weakFirst: m.posFlagged })}`)
    expect(m.h1).toBeGreaterThanOrEqual(f.h1)
    expect(m.h3).toBeGreaterThanOrEqual(f.h3)
    expect(m.mrr).toBeGreaterThanOrEqual(f.mrr)
    expect(Math.round(m.rejected * m.neg)).toBeGreaterThanOrEqual(f.rejected)
    expect(m.posFlagged).toBeLessThanOrEqual(f.weakFirst)
  })
}
