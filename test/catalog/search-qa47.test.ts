/**
 * Tool search on a held-out set nobody tuned for (QA 47): short imperatives, long sentences,
 * misspellings, synonyms (grab, pull up, wipe, spin up, draw), camelCase and snake_case fragments,
 * a server named, questions, French and Spanish wording, two-step tasks and 15 negatives, over the
 * npm fleet plus the Toolkit set's database-server (test/fixtures/search-queries-qa47.json), written
 * in one pass before anything was measured; a third ('heldout') was never read while the ranking
 * changed.
 * Before this round (HEAD 547d5f9) → when these floors were set:
 *   tune    hit@1 0.750 → 0.824  hit@3 0.882 → 0.912  MRR 0.832 → 0.881  negatives rejected 6/10 → 8/10
 *   heldout hit@1 0.912 → 0.912  hit@3 0.971 → 0.971  MRR 0.947 → 0.947  negatives rejected 2/5 → 3/5
 */
import { describe, expect, test } from "bun:test"
import { createToolIndex, type ToolIndex } from "../../src/catalog/index.ts"
import { extendedFleet, fleetIndex, loadSet, measureSet, type Labelled } from "./search-sets.ts"

const set = { queries: loadSet("search-queries-qa47.json") }
const fleet = extendedFleet()
const ix = fleetIndex(fleet)

const measure = measureSet

describe("search on a query set nobody tuned for (QA 47)", () => {
  test("the set: 80+ requests and 15 negatives, a third held out, every label a tool of the fleet", () => {
    const names = new Set(fleet.flatMap(([s, defs]) => defs.map((d) => `${s}__${d.name}`)))
    const positives = set.queries.filter((q) => !q.negative)
    const negatives = set.queries.filter((q) => q.negative)
    expect(positives.length).toBeGreaterThanOrEqual(80)
    expect(negatives.length).toBeGreaterThanOrEqual(15)
    expect(positives.filter((q) => q.split === "heldout").length).toBeGreaterThanOrEqual(30)
    expect(negatives.filter((q) => q.split === "heldout").length).toBeGreaterThanOrEqual(5)
    for (const q of set.queries) {
      if (q.negative) expect(q.relevant).toEqual({})
      else expect(Object.values(q.relevant)).toContain(2)
      for (const name of Object.keys(q.relevant)) expect(names.has(name)).toBe(true)
    }
  })

  for (const [split, h1, h3, mrr, rejected] of [["tune", 0.78, 0.87, 0.84, 0.7], ["heldout", 0.85, 0.91, 0.9, 0.4]] as const) {
    test(`quality floor, ${split}: hit@1 ≥ ${h1}, hit@3 ≥ ${h3}, MRR ≥ ${mrr}, negatives rejected ≥ ${rejected}`, () => {
      const m = measure(ix, set.queries.filter((q) => q.split === split))
      expect(m.h1).toBeGreaterThanOrEqual(h1)
      expect(m.h3).toBeGreaterThanOrEqual(h3)
      expect(m.mrr).toBeGreaterThanOrEqual(mrr)
      expect(m.rejected).toBeGreaterThanOrEqual(rejected)
      // 0 of 68 (tune) and 2 of 34 (heldout) right answers' first hit marked weak when set
      expect(m.posFlagged).toBeLessThanOrEqual(split === "tune" ? 3 : 4)
    })
  }
})

describe("the failure classes it found", () => {
  const top = (q: string, n = 5) => ix.search(q, { limit: n }).map((h) => h.tool.name)

  test("an acronym's plural is one word: URLs, APIs meet url, api (they were indexed as 'ur ls')", () => {
    const one = createToolIndex()
    one.setServer("s", [
      { name: "s__map", server: "s", tool: "map", description: "Returns the URLs found on a site.", inputSchema: { type: "object" } },
      { name: "s__show", server: "s", tool: "show", description: "Shows a commit.", inputSchema: { type: "object" } },
    ])
    expect(one.search("urls", { limit: 1 }).map((h) => h.tool.name)).toEqual(["s__map"])
    expect(one.search("getURLs", { limit: 1 }).map((h) => h.tool.name)).toEqual(["s__map"])
    expect(top("list every url on the site", 3)).toContain("firecrawl__firecrawl_map")
  })

  test("a host without its scheme and an identifier with digits are arguments: their words ask for nothing", () => {
    // "web-7f9" is a pod: no web search, no fetch
    expect(top("show me the logs for pod web-7f9", 1)).toEqual(["kubernetes__kubectl_logs"])
    // "localhost:3000" is where to go, "example.com" what to map
    expect(top("go to localhost:3000", 2)).toContain("playwright__browser_navigate")
    expect(top("list every url on example.com", 3).some((n) => /firecrawl_map|tavily_map/.test(n))).toBe(true)
  })

  test("two words typed apart that a tool's name writes as one meet it", () => {
    expect(top("roll back production", 5)).toContain("circleci__run_rollback_pipeline")
    expect(top("create a web hook in discord", 1)).toEqual(["discord__discord_create_webhook"])
  })

  test("removal said otherwise (wipe, purge, nuke) asks for removal; k8s is kubernetes", () => {
    expect(top("wipe all the records from the airtable orders table", 1)).toEqual(["airtable__delete_records"])
    expect(top("purge the old emails", 3).some((n) => /delete/.test(n))).toBe(true)
    expect(top("restart the checkout deployment in k8s", 1)).toEqual(["kubernetes__kubectl_rollout"])
  })

  test("a service no tool mentions (Zoom, Venmo, SMS): every hit is weak", () => {
    for (const q of ["create a zoom meeting for tomorrow at 10", "send an SMS to +15551234567", "pay alice on venmo"]) {
      expect(ix.search(q, { limit: 5 }).every((h) => h.weak)).toBe(true)
    }
    // a request that only mentions one as its subject is still answered
    expect(ix.search("search the web for zoom pricing", { limit: 1 })[0]!.weak).toBeUndefined()
  })
})
