/**
 * The classes of miss QA 276's set left (and earlier sets'), each as a rule of src/catalog/search,
 * checked with requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { asksState, asksWhatIs, stateParticiples } from "../../src/catalog/search/intent.ts"
import { whoDidTerms } from "../../src/catalog/search/question-history.ts"
import { qa276Fleet } from "./search-qa276-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const sec = fleetIndex(qa276Fleet)
const rank = (q: string, tool: string) => sec.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("a question with no verb of its own reads (intent.ts asksWhatIs)", () => {
  test("what / which a thing is asks to read it, not to write it", () => {
    // (once: vault's `write_secret` first, tied with `read_secret` on "token" and "vault")
    expect(rank("what's the api token for jenkins in vault", "vault__read_secret")).toBe(0)
    expect(asksWhatIs(["which", "groups", "is", "dana", "in"])).toBe(true)
    // (a verb that writes, typed: it asks for that)
    expect(asksWhatIs(["what", "should", "i", "rename", "it", "to"])).toBe(false)
  })
})

describe("a yes-or-no question about a state asks for a status, never does the action (intent.ts asksState)", () => {
  test("being logged in is an auth status; being enabled is read, not enabled", () => {
    // (once: `snyk_logout` first, "logged" read as its "log")
    expect(rank("am i still logged in to snyk", "snyk__snyk_auth_status")).toBe(0)
    // (once: vault's `enable_pki` first)
    expect(rank("is mfa enabled for kim", "okta__list_user_factors")).toBe(0)
    expect(stateParticiples(["am", "i", "logged", "into", "snyk"])).toEqual(["log"])
  })
  test("a question asking whether a change can be made asks for it", () => {
    expect(asksState(["is", "it", "possible", "to", "delete", "the", "bucket"])).toBe(false)
    expect(asksState(["is", "the", "bucket", "deleted"])).toBe(true)
  })
})

describe("\"who\" and a verb in the past asks the record of what was done (question-history.ts)", () => {
  test("an audit log or a trail of events answers it, not the tool doing that action", () => {
    // (once: aws-iam's `create_access_key` first, cloudtrail's `lookup_events` second)
    expect(rank("who created the access key AKIA123", "cloudtrail__lookup_events")).toBe(0)
    // (once: `list_policies` first, `get_logs` nowhere in the first three)
    expect(rank("who disabled the mfa policy", "okta__get_logs")).toBe(0)
  })
  test("only a past verb right after who", () => {
    expect(whoDidTerms(["who", "broke", "the", "build"])).not.toBe("")
    expect(whoDidTerms(["who", "is", "on", "call"])).toBe("")
    expect(whoDidTerms(["show", "me", "who", "reviewed", "it"])).toBe("")
  })
})

describe("a secrets engine is a mount (synonyms.ts)", () => {
  test("engines", () => {
    // (once: pagerduty's team tools first, no vault tool in the first three)
    expect(rank("set up a transit engine for the payments team", "vault__create_mount")).toBe(0)
    expect(rank("which engines are mounted in vault", "vault__list_mounts")).toBe(0)
  })
})
