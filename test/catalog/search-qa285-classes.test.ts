/**
 * The classes of miss QA 284's report left, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { undoesVerb } from "../../src/catalog/search/intent.ts"
import { stem } from "../../src/catalog/search/tokenize.ts"
import { extractLiterals } from "../../src/catalog/search/literals.ts"
import { sensesOf } from "../../src/catalog/search/senses.ts"
import { qa276Fleet } from "./search-qa276-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const sec = fleetIndex(qa276Fleet)
const hits = (q: string) => sec.search(q, { limit: 10 })
const rank = (q: string, tool: string) => hits(q).findIndex((h) => h.tool.name === tool)

describe("a question about a state asks neither for its verb nor for its opposite (intent.ts undoesVerb)", () => {
  test("the tool undoing the state is no answer", () => {
    // (once: `unsuspend_user` first, above `get_user`)
    expect(rank("is the okta user kim suspended", "okta__get_user")).toBe(0)
    expect(rank("is the okta user kim suspended", "okta__unsuspend_user")).not.toBe(0)
    expect(undoesVerb("unsuspend", new Set(["suspend"]))).toBe(true)
    expect(undoesVerb("deactivate", new Set([stem("activate")]))).toBe(true)
    expect(undoesVerb("disable", new Set(["enabl"]))).toBe(true)
    // (a word that only starts like one: "user", "design", "delete" of nothing asked)
    expect(undoesVerb("user", new Set(["ser"]))).toBe(false)
    expect(undoesVerb("report", new Set(["suspend"]))).toBe(false)
  })
})

describe("switching on a new part of a system adds it (senses.ts addsPart)", () => {
  test("enable / activate a new engine, plugin, integration: create, mount, install", () => {
    // (once: `enable_pki` first, `create_mount` second and weak: "enable" unmatched)
    const top = hits("enable a new database plugin in vault")[0]!
    expect(top.tool.name).toBe("vault__create_mount")
    expect(top.weak).toBeFalsy()
    expect(sensesOf("enable an integration for github").get("enable")).toEqual(["create", "mount", "install"])
    // (a thing there already is switched on, not made)
    expect(sensesOf("enable the feature flag for beta").get("enable")).toBeUndefined()
    expect(sensesOf("enable mfa for kim").get("enable")).toBeUndefined()
  })
})

describe("a two-part hyphenated word after a thing's noun, or ending the request after at/in/from, names it (literals.ts)", () => {
  const ids = (q: string) => extractLiterals(q).literals.filter((l) => l.kind === "id").map((l) => l.text)
  test("its parts are not the request's words", () => {
    // (once: "logs" of "prod-logs" left unmatched on cloudtrail's `lookup_events`, a weak hit)
    const h = hits("who deleted the s3 bucket access-logs last week").find((x) => x.tool.name === "cloudtrail__lookup_events")
    expect(h?.weak).toBeFalsy()
    expect(ids("rotate the keys of repo web-frontend")).toEqual(["web-frontend"])
    expect(ids("restart the pods in payments-api")).toEqual(["payments-api"])
  })
  test("an English compound stays words", () => {
    for (const q of ["page the on-call", "schedule a follow-up with dana", "enroll kim in two-factor", "send an e-mail to ops", "book an x-ray", "stream the logs in real-time"]) expect(ids(q)).toEqual([])
    // (nor a hyphenated word in the middle of a request after a preposition: "in read-only mode")
    expect(ids("open the db in read-only mode")).toEqual([])
  })
})
