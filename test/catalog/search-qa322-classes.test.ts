/**
 * The classes of miss left open after QA 307 (a store owner's requests) and QA 286 (people-ops,
 * finance and legal), each as a rule of src/catalog/search, checked with requests that are in no set.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "bun:test"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"
import { qa286Fleet } from "./search-qa286-fleet.ts"
import { qa307Fleet } from "./search-qa307-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const store = fleetIndex(qa307Fleet)
const people = fleetIndex(qa286Fleet)
type Ix = typeof store
const first = (ix: Ix, q: string) => ix.search(q, { limit: 1 })[0]
const allWeak = (ix: Ix, q: string) => ix.search(q, { limit: 10 }).every((h) => h.weak)

describe("\"order\" meaning buy names no order record (senses.ts `replacesWord`)", () => {
  test("\"order a new chair\", \"order new chairs …\", \"order 20 new laptops\": no store order tool answers", () => {
    // (once: `create-fulfillment`, `cancel-order`, `update-order` strong through "order" and "new")
    for (const q of ["order a new chair", "order a chair", "order new standing desks for the office", "order 20 new laptops from dell"]) expect(allWeak(store, q)).toBe(true)
  })
  test("an order named by its number is still the record", () => {
    expect(first(store, "order 1042 status")?.tool.name).toBe("shopify-admin__get-order-by-id")
    expect(first(store, "order #1042")?.weak).toBeFalsy()
  })
})

describe("an agreement sent for signature is an envelope (synonyms.ts)", () => {
  test("\"send the msa to bob\", \"send the nda to …\": the envelope sent, strong", () => {
    // (once: `send_envelope` weak, "msa" missing: only the contract records said agreement)
    for (const q of ["send the msa to bob", "send the sow to dana@acme.com"]) {
      expect(first(people, q)?.tool.name).toBe("docusign__send_envelope")
      expect(first(people, q)?.weak).toBeFalsy()
    }
    // "nda for acme": an envelope tool among the first three (once: the contract records only)
    expect(people.search("nda for acme", { limit: 3 }).some((h) => h.tool.server === "docusign")).toBe(true)
  })
})

describe("\"who hasn't signed X\" asks for X's signers (doers-question.ts)", () => {
  test("the list of recipients with their status first", () => {
    // (once: the contract records and workflows first, `list_recipients` 4th)
    for (const q of ["who hasn't signed the lease yet", "who still needs to sign the vendor agreement", "who hasnt signed the acme nda yet?"]) {
      expect(first(people, q)?.tool.name).toBe("docusign__list_recipients")
    }
  })
})

describe("a thing said to be personal is the asker's own, not an organisation's (personal-matter.ts)", () => {
  test("\"file my personal tax return\": no payroll, HR file or signing tool answers", () => {
    // (once: bamboohr's `upload_employee_file` and docusign's `download_document` strong through "file" and "return")
    for (const q of ["file my personal tax return", "file a personal tax return", "pay my personal tax bill"]) expect(allWeak(people, q)).toBe(true)
  })
  test("a tool that says the personal thing still answers (todoist's personal labels)", () => {
    const todoist = fleetIndex([["todoist", JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa71", "todoist.json"), "utf8")) as ToolDef[]]])
    const hit = first(todoist, "list my personal labels")
    expect(hit?.tool.name).toBe("todoist__find-labels")
    expect(hit?.weak).toBeFalsy()
  })
})
