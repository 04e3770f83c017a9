/**
 * The classes of miss QA 284's report left, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { undoesVerb } from "../../src/catalog/search/intent.ts"
import { stem } from "../../src/catalog/search/tokenize.ts"
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
