/**
 * Search on a held-out set nobody tuned on (QA 84): 56 requests and 12 negatives over twelve real npm
 * servers no earlier set used (test/fixtures/tool-defs-qa84: google-calendar, asana, weather, excel,
 * browsermcp, resend, reddit, shopify, postgres-admin, monday, gsheets, netlify; 328 tools), written
 * in one pass before anything was measured on them (test/fixtures/search-queries-qa84.json):
 * questions, imperatives, typos, ids (r/rust, A1:C1, users.email, mail.acme.io), dates, vague asks,
 * requests naming the product, and requests whose words fit another server better (a local .xlsx
 * next to Google Sheets, a "task" on a monday.com board next to Asana).
 * Baseline (HEAD e258cb2, before any ranking change of this round):
 *   hit@1 0.607  hit@3 0.750  MRR 0.694  negatives rejected 8/12  positives' first hit weak 5/56
 */
import { describe, expect, test } from "bun:test"
import { qa84Fleet as fleet } from "./search-qa84-fleet.ts"
import { fleetIndex, loadSet, measureSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa84.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 84", () => {
  test("the set: 50+ requests and 10+ negatives, every label a tool of the fleet", () => {
    const names = new Set(fleet.flatMap(([s, defs]) => defs.map((d) => `${s}__${d.name}`)))
    expect(set.filter((q) => !q.negative).length).toBeGreaterThanOrEqual(50)
    expect(set.filter((q) => q.negative).length).toBeGreaterThanOrEqual(10)
    for (const q of set) {
      expect(q.split).toBe("heldout")
      if (q.negative) expect(q.relevant).toEqual({})
      else expect(Object.values(q.relevant)).toContain(2)
      for (const name of Object.keys(q.relevant)) expect(names.has(name)).toBe(true)
    }
  })

  test("quality floor: hit@1 ≥ 0.60, hit@3 ≥ 0.75, MRR ≥ 0.69, negatives rejected ≥ 8/12", () => {
    const m = measureSet(ix, set)
    expect(m.h1).toBeGreaterThanOrEqual(0.6)
    expect(m.h3).toBeGreaterThanOrEqual(0.75)
    expect(m.mrr).toBeGreaterThanOrEqual(0.69)
    expect(m.rejected * m.neg).toBeGreaterThanOrEqual(8)
    expect(m.posFlagged).toBeLessThanOrEqual(5)
  })
})
