/**
 * The classes of miss QA 271's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { extractLiterals, shapesIn } from "../../src/catalog/search/literals.ts"
import { qa271Fleet } from "./search-qa271-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const app = fleetIndex(qa271Fleet)
const rank = (q: string, tool: string) => app.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)
const top = (q: string, n = 1) => app.search(q, { limit: n }).map((h) => h.tool.name)

describe("QA 271 classes: a mobile / front-end team's words (synonyms.ts)", () => {
  test("to ban an account is to disable it; to ship a build is to submit it", () => {
    // (once: `auth_get_user` first and every hit weak for "ban that spam account from the app")
    expect(rank("ban the user with uid 77af", "firebase__auth_disable_user")).toBe(0)
    expect(app.search("ban the user with uid 77af", { limit: 1 })[0]?.weak).toBeFalsy()
    const [ship] = app.search("ship build 88 to the play store", { limit: 1 })
    expect(ship?.tool.name).toBe("expo__build_submit")
    expect(ship?.weak).toBeFalsy()
  })
  test("design tokens are a design tool's variables", () => {
    // (once: `create_design_system_rules` first, `get_variable_defs` fifth)
    expect(rank("export the design tokens of node 1:2", "figma-dev__get_variable_defs")).toBe(0)
  })
  test("a11y is accessibility; LCP and CLS are core web vitals", () => {
    expect(rank("run an a11y audit on acme.dev/pricing", "lighthouse__get_accessibility_score")).toBeLessThan(2)
    expect(rank("cls for the pricing page on mobile", "lighthouse__get_core_web_vitals")).toBe(0)
  })
  test("what people said about a version is their feedback or reviews", () => {
    expect(top("what did users say about version 3.0", 3)).toEqual(expect.arrayContaining([expect.stringMatching(/feedback|reviews/)]))
  })
})

describe("an app's reverse-DNS id is a bundle id, no web host (literals.ts)", () => {
  test("com.acme.app is a bundle id; app.acme.com and docs.bun.dev stay hosts", () => {
    expect(extractLiterals("is com.acme.app registered already?").literals).toEqual([{ text: "com.acme.app", kind: "bundle" }])
    expect(extractLiterals("ship io.acme.mobile.beta.").literals).toEqual([{ text: "io.acme.mobile.beta", kind: "bundle" }])
    expect(extractLiterals("visit app.acme.com").literals).toEqual([{ text: "app.acme.com", kind: "url" }])
    expect(extractLiterals("see docs.bun.dev/api").literals).toEqual([{ text: "docs.bun.dev/api", kind: "url" }])
    expect(shapesIn("The bundle ID string (e.g., 'com.example.app')")).toContain("#bundle")
  })
  test("a request typing one asks for the tools of bundle ids", () => {
    // (once: `list_devices` first for "register com.acme.widget", the id read as a web address)
    expect(rank("register com.acme.widget", "app-store-connect__create_bundle_id")).toBe(0)
    expect(top("which of our bundle ids is org.acme.kiosk", 2)).toContain("app-store-connect__list_bundle_ids")
  })
})
