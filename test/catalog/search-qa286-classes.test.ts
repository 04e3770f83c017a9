/**
 * The classes of miss QA 286's set showed (people ops, finance back-office and legal), each as a
 * rule of src/catalog/search, checked with requests that are not in the set.
 */
import { describe, expect, test } from "bun:test"
import { relativeSpanWords } from "../../src/catalog/search/relative-time.ts"
import { qa286Fleet } from "./search-qa286-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ops = fleetIndex(qa286Fleet)
const rank = (q: string, tool: string) => ops.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("people-ops, finance and legal shorthand (synonyms.ts)", () => {
  test("pto, paystubs, reqs, who's out, a new hire, an org chart", () => {
    // (once: `list_time_off_policies` nowhere near; "pto" no tool's word)
    expect(rank("list everyone's pto in march", "bamboohr__get_time_off_requests")).toBeLessThan(2)
    expect(rank("email me my paystub from october", "gusto__get_pay_stubs")).toBe(0)
    expect(rank("what are our open reqs", "greenhouse__list_jobs")).toBe(0)
    expect(rank("who is out tomorrow", "bamboohr__get_whos_out")).toBe(0)
    expect(rank("who does marco report to in the org chart", "bamboohr__get_employee_directory")).toBeLessThan(2)
    expect(rank("how many vacation days do i have left", "bamboohr__estimate_time_off_balance")).toBe(0)
  })
  test("a JE, a PO, the P&L; an NDA or an SOW is a contract, to nudge a signer is to remind them", () => {
    expect(rank("draft a JE to reclass software spend", "quickbooks__create_journal_entry")).toBe(0)
    expect(rank("look up po 8812 from dell", "quickbooks__search_purchase_orders")).toBe(0)
    expect(rank("pull the p&l for last year", "quickbooks__get_profit_and_loss")).toBe(0)
    expect(rank("kick off an sow for the globex project", "ironclad__launch_workflow")).toBe(0)
    expect(rank("nudge kim to sign the sow", "docusign__resend_envelope")).toBe(0)
  })
})

describe("a span relative to now says when, nothing more (relative-time.ts)", () => {
  test("the \"next\" of \"next week\" is no next stage", () => {
    // (once: greenhouse's `advance_application`, "the next interview stage", first)
    expect(rank("who's out the next 2 weeks", "bamboohr__get_whos_out")).toBe(0)
    expect(rank("request pto for next thurs", "bamboohr__create_time_off_request")).toBe(0)
  })
  test("only \"next\" / \"last\" before a time word, a weekday's short name or a unit", () => {
    expect([...relativeSpanWords(["who", "is", "out", "next", "fri"])]).toEqual([3])
    expect([...relativeSpanWords(["in", "the", "last", "30", "days"])]).toEqual([2, 4])
    expect([...relativeSpanWords(["show", "the", "next", "page"])]).toEqual([])
    expect([...relativeSpanWords(["move", "it", "to", "the", "next", "stage"])]).toEqual([])
  })
})
