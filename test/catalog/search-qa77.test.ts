/**
 * Search on a held-out set nobody tuned on (QA 77): 27 requests and 10 negatives over eight recorded
 * servers (atlassian, github, sentry, linear of tool-defs; todoist of tool-defs-qa71; notion, slack of
 * tool-defs-qa66; gmail of tool-defs-npm), written in one pass before anything was measured on them
 * (test/fixtures/search-queries-qa77.json). Figurative verbs ("move my task to Thursday", "snooze
 * the reminder"), ids typed as their system writes them (octo-org/api#212, PROJ-9, FRONTEND-4X2),
 * questions about dates ("what's overdue?"), a write verb with a quantity ("log 45 minutes").
 * Baseline (HEAD 04bd985, before any ranking change of this round):
 *   hit@1 0.481  hit@3 0.593  MRR 0.592  negatives rejected 9/10  positives' first hit weak 5/27
 */
import { describe, expect, test } from "bun:test"
import { qa77Fleet as fleet } from "./search-qa77-fleet.ts"
import { fleetIndex, loadSet, measureSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa77.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 77", () => {
  test("the set: 20+ requests and 8+ negatives, every label a tool of the fleet", () => {
    const names = new Set(fleet.flatMap(([s, defs]) => defs.map((d) => `${s}__${d.name}`)))
    expect(set.filter((q) => !q.negative).length).toBeGreaterThanOrEqual(20)
    expect(set.filter((q) => q.negative).length).toBeGreaterThanOrEqual(8)
    for (const q of set) {
      expect(q.split).toBe("heldout")
      if (q.negative) expect(q.relevant).toEqual({})
      else expect(Object.values(q.relevant)).toContain(2)
      for (const name of Object.keys(q.relevant)) expect(names.has(name)).toBe(true)
    }
  })

  test("quality floor: hit@1 ≥ 0.48, hit@3 ≥ 0.59, MRR ≥ 0.59, negatives rejected ≥ 9/10", () => {
    const m = measureSet(ix, set)
    expect(m.h1).toBeGreaterThanOrEqual(0.48)
    expect(m.h3).toBeGreaterThanOrEqual(0.59)
    expect(m.mrr).toBeGreaterThanOrEqual(0.59)
    expect(m.rejected * m.neg).toBeGreaterThanOrEqual(9)
    expect(m.posFlagged).toBeLessThanOrEqual(5)
  })
})
