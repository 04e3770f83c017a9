/**
 * The classes of miss QA 286's report left (people ops, finance back-office and legal), each as a
 * rule of src/catalog/search, checked with requests that are in no set.
 */
import { describe, expect, test } from "bun:test"
import { fieldQualifiers } from "../../src/catalog/search/field-word.ts"
import { lackedThings } from "../../src/catalog/search/lacked-thing.ts"
import { debtSide } from "../../src/catalog/search/debt-side.ts"
import { qa286Fleet } from "./search-qa286-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ops = fleetIndex(qa286Fleet)
const rank = (q: string, tool: string) => ops.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("a word before a date, a day, a time or a status names a field, no action (field-word.ts)", () => {
  test("the tool named with that word as its action is no answer", () => {
    // (once: greenhouse's `hire_application` first, by "hire")
    expect(rank("what is maria's hire date", "bamboohr__get_employee")).toBe(0)
    expect(rank("when was the start date of employee 4411", "bamboohr__get_employee")).toBeLessThan(3)
    expect(rank("what is maria's hire date", "greenhouse__hire_application")).not.toBe(0)
    // (the action asked still finds it)
    expect(rank("hire candidate 5521 with a start date of 1/5", "greenhouse__hire_application")).toBe(0)
  })
  test("only after a possessive or a determiner", () => {
    expect(fieldQualifiers(["what", "s", "kevin", "s", "hire", "date"])).toEqual(["hire"])
    expect(fieldQualifiers(["change", "the", "due", "date"])).toEqual(["due"])
    expect(fieldQualifiers(["schedule", "time", "with", "bob"])).toEqual([])
    expect(fieldQualifiers(["i", "need", "to", "book", "time", "off"])).toEqual([])
  })
})

describe("a thing a tool makes, typed as the request's verb, asks to make it (noun-verb.ts)", () => {
  test("\"invoice globex …\" is `create_invoice`", () => {
    // (once: `send_invoice`, `update_invoice`, `read_invoice` above it)
    expect(rank("invoice initech for the march retainer", "quickbooks__create_invoice")).toBe(0)
    expect(rank("please invoice them for 12 hours of design work", "quickbooks__create_invoice")).toBe(0)
  })
  test("an invoice named, its status or a plural is no verb", () => {
    expect(rank("invoice 1234 is overdue", "quickbooks__create_invoice")).not.toBe(0)
    expect(rank("invoice status for initech", "quickbooks__create_invoice")).not.toBe(0)
  })
})

describe("a thing said as lacking filters a list, nothing is done to it (lacked-thing.ts)", () => {
  test("\"without a receipt\" lists transactions, it uploads none", () => {
    // (once: ramp's `upload_receipt` first)
    expect(rank("card spend over $500 without a receipt", "ramp__upload_receipt")).not.toBe(0)
    expect(rank("which reimbursements are missing a receipt", "ramp__upload_receipt")).not.toBe(0)
    // (typing its action asks for it)
    expect(rank("upload the missing receipts", "ramp__upload_receipt")).toBe(0)
  })
  test("after without, missing, lacking, or with / has no", () => {
    expect(lackedThings(["expenses", "without", "a", "receipt"])).toEqual(["receipt"])
    expect(lackedThings(["bills", "with", "no", "attachment"])).toEqual(["attachment"])
    expect(lackedThings(["no", "receipts", "please"])).toEqual([])
  })
})

describe("who owes whom settles \"owe\" (debt-side.ts)", () => {
  test("what we owe is payable, what is owed us receivable", () => {
    // (once: A/R aging above A/P aging for "how much do we owe …")
    expect(rank("how much do we still owe initech", "quickbooks__get_aged_payables")).toBe(0)
    expect(rank("what does initech owe us", "quickbooks__get_aged_payables")).not.toBe(0)
    expect(debtSide(["what", "do", "i", "owe", "our", "vendors"])?.side).toBe("payable")
    expect(debtSide(["who", "owes", "us", "money"])?.side).toBe("receivable")
    expect(debtSide(["owe", "calculator"])).toBeUndefined()
  })
})

describe("QA 292's rules keep to their words", () => {
  test("a thing's name before \"status\" is no verb; a verb before a determiner is the verb", () => {
    // ("the orchestrator status": `orchestrator_status` is named after the thing; "tag the card": attach-tag)
    const def = (name: string, description: string) => ({ name, description, inputSchema: { type: "object" as const } })
    const mixed = fleetIndex([
      ["docs", [def("orchestrator_status", "Status of the orchestrator and its servers."), def("servers_list", "List the servers.")]],
      ["board", [def("create_tag", "Create a tag."), def("attach_tag", "Attach a tag to a card.")]],
    ])
    expect(mixed.search("show the orchestrator status", { limit: 3 })[0]?.tool.name).toBe("docs__orchestrator_status")
    expect(mixed.search("tag the card with urgent", { limit: 3 })[0]?.tool.name).toBe("board__attach_tag")
  })
})
