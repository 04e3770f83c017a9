/**
 * Search on a held-out set nobody tuned on (QA 73): 28 requests and 14 negatives over twelve
 * recorded servers (gmail, discord, airtable, obsidian, taskmanager, figma, mongodb, everart,
 * youtube-transcript of tool-defs-npm; todoist, mapbox, pdf of tool-defs-qa71), written in one pass
 * before anything was measured on them (test/fixtures/search-queries-qa73.json).
 * Baseline (HEAD c713fd3, before any ranking change of this round):
 *   hit@1 0.679  hit@3 0.821  MRR 0.771  negatives rejected 5/14  positives' first hit weak 1/28
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "bun:test"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"
import { fleetIndex, loadSet, measureSet } from "./search-sets.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]
/** server name as configured → recorded definitions */
const qa73Fleet: Array<[string, ToolDef[]]> = [
  ...["gmail", "discord", "airtable", "obsidian", "taskmanager", "figma", "mongodb", "everart", "youtube-transcript"].map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
  ...["todoist", "mapbox", "pdf"].map((s): [string, ToolDef[]] => [s, read("tool-defs-qa71", s)]),
]
const set = loadSet("search-queries-qa73.json")
const ix = fleetIndex(qa73Fleet)

describe("search on the held-out set of QA 73", () => {
  test("the set: 20+ requests and 10+ negatives, every label a tool of the fleet", () => {
    const names = new Set(qa73Fleet.flatMap(([s, defs]) => defs.map((d) => `${s}__${d.name}`)))
    expect(set.filter((q) => !q.negative).length).toBeGreaterThanOrEqual(20)
    expect(set.filter((q) => q.negative).length).toBeGreaterThanOrEqual(10)
    for (const q of set) {
      expect(q.split).toBe("heldout")
      if (q.negative) expect(q.relevant).toEqual({})
      else expect(Object.values(q.relevant)).toContain(2)
      for (const name of Object.keys(q.relevant)) expect(names.has(name)).toBe(true)
    }
  })

  test("quality floor: hit@1 ≥ 0.67, hit@3 ≥ 0.82, MRR ≥ 0.77, negatives rejected ≥ 5/14", () => {
    const m = measureSet(ix, set)
    expect(m.h1).toBeGreaterThanOrEqual(0.67)
    expect(m.h3).toBeGreaterThanOrEqual(0.82)
    expect(m.mrr).toBeGreaterThanOrEqual(0.77)
    expect(m.rejected * m.neg).toBeGreaterThanOrEqual(5)
    expect(m.posFlagged).toBeLessThanOrEqual(1)
  })
})
