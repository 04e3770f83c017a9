/**
 * Search on a fleet nobody tuned for (QA 71): six real npm servers no earlier set used
 * (test/fixtures/tool-defs-qa71: trello, todoist, mapbox, line, pdf, currents) plus slack
 * (tool-defs-qa66) and github (tool-defs), whose names pair an action with the thing another tool
 * reads ("reply_to_thread" / "get_thread_replies", "add_issue_comment" / "issue_read"); and a
 * held-out set of its own (test/fixtures/search-queries-qa71.json: 72 requests and 18 negatives
 * written in one pass before anything was measured on them).
 * Before this round (HEAD 08ebb1d):
 *   hit@1 0.694  hit@3 0.931  MRR 0.812  negatives rejected 12/18  positives' first hit weak 3/72
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "bun:test"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"
import { fleetIndex, loadSet, measureSet } from "./search-sets.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]
/** server name as configured → recorded definitions */
const fleet: Array<[string, ToolDef[]]> = [
  ...["currents", "line", "mapbox", "pdf", "todoist", "trello"].map((s): [string, ToolDef[]] => [s, read("tool-defs-qa71", s)]),
  ["slack", read("tool-defs-qa66", "slack")],
  ["github", read("tool-defs", "github")],
]
const set = loadSet("search-queries-qa71.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 71", () => {
  test("the set: 60+ requests and 15+ negatives, every label a tool of the fleet", () => {
    const names = new Set(fleet.flatMap(([s, defs]) => defs.map((d) => `${s}__${d.name}`)))
    expect(set.filter((q) => !q.negative).length).toBeGreaterThanOrEqual(60)
    expect(set.filter((q) => q.negative).length).toBeGreaterThanOrEqual(15)
    for (const q of set) {
      expect(q.split).toBe("heldout")
      if (q.negative) expect(q.relevant).toEqual({})
      else expect(Object.values(q.relevant)).toContain(2)
      for (const name of Object.keys(q.relevant)) expect(names.has(name)).toBe(true)
    }
  })

  test("quality floor: hit@1 ≥ 0.69, hit@3 ≥ 0.93, MRR ≥ 0.81, negatives rejected ≥ 0.66", () => {
    const m = measureSet(ix, set)
    expect(m.h1).toBeGreaterThanOrEqual(0.69)
    expect(m.h3).toBeGreaterThanOrEqual(0.93)
    expect(m.mrr).toBeGreaterThanOrEqual(0.81)
    expect(m.rejected).toBeGreaterThanOrEqual(0.66)
    expect(m.posFlagged).toBeLessThanOrEqual(3)
  })
})
