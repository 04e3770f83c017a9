/**
 * Search on a held-out set nobody tuned on (QA 76): 26 requests and 12 negatives over ten recorded
 * servers (atlassian, sentry, linear, git of tool-defs; circleci, neon, pinecone, elasticsearch,
 * hubspot, everart of tool-defs-npm), written in one pass before anything was measured on them
 * (test/fixtures/search-queries-qa76.json). Several name a known thing with a verb no tool performs
 * ("compress the attachments", "encrypt the connection string"), or a figurative verb ("push the
 * retro to next Friday"), or a number ("create five issues").
 * Baseline (HEAD 8eb1a99, before any ranking change of this round):
 *   hit@1 0.654  hit@3 0.846  MRR 0.767  negatives rejected 6/12  positives' first hit weak 1/26
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "bun:test"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"
import { fleetIndex, loadSet, measureSet } from "./search-sets.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]
/** server name as configured → recorded definitions */
const fleet: Array<[string, ToolDef[]]> = [
  ...["atlassian", "sentry", "linear", "git"].map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ...["circleci", "neon", "pinecone", "elasticsearch", "hubspot", "everart"].map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
]
const set = loadSet("search-queries-qa76.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 76", () => {
  test("the set: 20+ requests and 10+ negatives, every label a tool of the fleet", () => {
    const names = new Set(fleet.flatMap(([s, defs]) => defs.map((d) => `${s}__${d.name}`)))
    expect(set.filter((q) => !q.negative).length).toBeGreaterThanOrEqual(20)
    expect(set.filter((q) => q.negative).length).toBeGreaterThanOrEqual(10)
    for (const q of set) {
      expect(q.split).toBe("heldout")
      if (q.negative) expect(q.relevant).toEqual({})
      else expect(Object.values(q.relevant)).toContain(2)
      for (const name of Object.keys(q.relevant)) expect(names.has(name)).toBe(true)
    }
  })

  test("quality floor: hit@1 ≥ 0.65, hit@3 ≥ 0.84, MRR ≥ 0.76, negatives rejected ≥ 6/12", () => {
    const m = measureSet(ix, set)
    expect(m.h1).toBeGreaterThanOrEqual(0.65)
    expect(m.h3).toBeGreaterThanOrEqual(0.84)
    expect(m.mrr).toBeGreaterThanOrEqual(0.76)
    expect(m.rejected * m.neg).toBeGreaterThanOrEqual(6)
    expect(m.posFlagged).toBeLessThanOrEqual(1)
  })
})
