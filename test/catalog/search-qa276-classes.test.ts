/**
 * The classes of miss QA 276's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { extractLiterals } from "../../src/catalog/search/literals.ts"
import { readCommandLine } from "../../src/catalog/search/shell.ts"
import { qa276Fleet } from "./search-qa276-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const sec = fleetIndex(qa276Fleet)
const rank = (q: string, tool: string) => sec.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)
const first = (q: string) => sec.search(q, { limit: 1 })[0]

describe("QA 276 classes: a security / IT-ops engineer's words (synonyms.ts)", () => {
  test("to offboard someone is to deactivate their account; to lock them out, to suspend it", () => {
    // (once: vanta's `people` first for "offboard dana.k@acme.com from okta", the Okta tools fourth)
    // (vanta's `people`, whose offboarding tasks it lists, may lead)
    expect(rank("offboard the contractor marco@acme.com", "okta__deactivate_user")).toBeLessThan(2)
    expect(rank("offboard dana.k@acme.com from okta", "okta__deactivate_user")).toBe(0)
    expect(rank("lock out the intern account in okta", "okta__suspend_user")).toBe(0)
    // (a user who is locked out is unlocked)
    expect(rank("alex is locked out of okta, unlock him", "okta__unlock_user")).toBe(0)
  })
  test("vulns and CVEs are vulnerabilities, deps dependencies, misconfigs misconfigurations, MFA factors", () => {
    expect(first("any critical vulns on our servers?")?.tool.name).toMatch(/vulnerab/)
    expect(rank("check requirements.txt deps for known issues", "snyk__snyk_sca_scan")).toBe(0)
    expect(rank("misconfigs in the k8s manifests", "snyk__snyk_iac_scan")).toBe(0)
    expect(rank("which mfa methods does raj have set up", "okta__list_user_factors")).toBe(0)
  })
  test("to isolate a host is to contain it; to kill a session is to clear it; a Mac is a computer", () => {
    expect(rank("quarantine host WIN-DC01 now", "crowdstrike__falcon_contain_host")).toBe(0)
    expect(first("kill every session of lee@acme.com")?.tool.name).toBe("okta__clear_user_sessions")
    expect(first("kill every session of lee@acme.com")?.weak).toBeFalsy()
    // (once: every hit weak, "macbook" a word no tool has)
    expect(first("find the macbook assigned to dana")?.tool.name).toMatch(/^jamf__/)
    expect(first("find the macbook assigned to dana")?.weak).toBeFalsy()
  })
  test("to give someone access to a thing is to assign or grant it", () => {
    // (once: aws-iam's `create_access_key` first, "access" read as the key's)
    expect(rank("give bob access to the zoom app in okta", "okta__assign_user_to_application")).toBe(0)
  })
  test("failed logins are sign-in events of a log; being logged into a CLI is its auth status", () => {
    // (once: `snyk_auth` first for "failed logins for bob@acme.com last 24h")
    expect(rank("failed logins from 203.0.113.9 this week", "okta__get_logs")).toBe(0)
    expect(rank("failed logins for kim@acme.com", "okta__get_logs")).toBe(0)
    expect(rank("am i logged into the snyk cli", "snyk__snyk_auth_status")).toBeLessThan(3)
  })
})

describe("\"ack\" is chat for acknowledge, a grep only as a command line (shell.ts)", () => {
  test("ack an incident acknowledges it", () => {
    // (once: snyk's `snyk_code_scan` first, "ack" read as the grep-like CLI searching code)
    expect(rank("ack incident 4412", "pagerduty__manage_incidents")).toBe(0)
    expect(readCommandLine("ack the alert").units).toEqual([])
  })
  test("a command line opening with ack is still a search of files", () => {
    expect(readCommandLine("ack -i todo src/").units.map((u) => u.text)).toEqual(["ack"])
  })
})

describe("a CVE id, an IP address, an email address and a relative path are literals (literals.ts)", () => {
  test("an email address is a person's address: its name and company are not the request's words", () => {
    expect(extractLiterals("reset mfa for priya.n@acme.com").literals).toEqual([{ text: "priya.n@acme.com", kind: "email" }])
    expect(extractLiterals("visit acme.com").literals).toEqual([{ text: "acme.com", kind: "url" }])
  })
  test("CVE-2024-3094 is a vulnerability, not the Jira key CVE-2024", () => {
    expect(extractLiterals("are we exposed to CVE-2021-44228?").literals).toEqual([{ text: "CVE-2021-44228", kind: "cve" }])
    // (once: vault's PKI tools first: "CVE-2024" an issue key, "3094" a number)
    expect(rank("hosts affected by CVE-2023-4863", "crowdstrike__falcon_search_vulnerabilities")).toBe(0)
    expect(extractLiterals("move PROJ-12 to done").literals).toEqual([{ text: "PROJ-12", kind: "key" }])
  })
  test("an IPv4 address is an IP address", () => {
    expect(extractLiterals("is 10.0.0.5:22 open").literals).toEqual([{ text: "10.0.0.5:22", kind: "ip" }])
    expect(rank("is 45.9.148.3 a known bad ip", "crowdstrike__falcon_search_indicators")).toBe(0)
  })
  test("a relative path of three parts, or ending in a slash, is a place; owner/repo and a pinned module are not", () => {
    expect(extractLiterals("list keys under kv/data-eng/").literals).toEqual([{ text: "kv/data-eng/", kind: "path" }])
    expect(extractLiterals("read secret/team-platform/db").literals).toEqual([{ text: "secret/team-platform/db", kind: "path" }])
    expect(extractLiterals("star octo/api").literals).toEqual([])
    expect(extractLiterals("use terraform-aws-modules/vpc/aws/5.8.1").literals).toEqual([])
    // (once: pagerduty's team tools first for "list everything under kv/team-platform/")
    expect(rank("what's under kv/data-team/", "vault__list_secrets")).toBe(0)
  })
})
