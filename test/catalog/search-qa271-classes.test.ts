/**
 * The classes of miss QA 271's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { familiesNamed } from "../../src/catalog/search/family-named.ts"
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
  test("to kick someone off a group is to remove them; to kick off a build still starts it", () => {
    // (once: `list_group_testers` and `add_tester_to_group` above `remove_tester_from_group`)
    expect(rank("kick dana out of the qa group", "app-store-connect__remove_tester_from_group")).toBe(0)
    expect(rank("kick off a release build for android on eas", "expo__build_run")).toBe(0)
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

describe("a product inside a server, named by the word its tools' names open with (family-named.ts)", () => {
  test("\"crashlytics\" names firebase's crashlytics_… tools over another crash reporter's", () => {
    // (once: Bugsnag's `view_latest_event` first for "latest crashlytics events on pixel 8")
    expect(rank("latest crashlytics events on pixel 8", "firebase__crashlytics_list_events")).toBe(0)
    expect(top("crashlytics stack trace for the checkout crash", 3).every((n) => n.startsWith("firebase__crashlytics_"))).toBe(true)
  })
  test("only a family's own opening word: not a verb's family, not one tool, not a word another server uses", () => {
    const t = (name: string, server = "s") => ({ name: `${server}__${name}`, server, words: name.split("_") })
    const tools = [t("crash_list"), t("crash_get"), t("get_board"), t("get_card"), t("solo_one"), t("crash_x", "other")]
    const ownedIn = (fleet: typeof tools) => (w: string, server: string) => w !== "get" && !fleet.some((x) => x.server !== server && x.words.includes(w))
    const one = tools.slice(0, 5)
    expect([...familiesNamed(tools, new Set(["crash"]), new Map(), ownedIn(tools))]).toEqual([])
    expect([...familiesNamed(one, new Set(["crash"]), new Map(), ownedIn(one))].sort()).toEqual(["s__crash_get", "s__crash_list"])
    expect([...familiesNamed(one, new Set(["get", "board", "solo"]), new Map(), ownedIn(one))]).toEqual([])
    // (the server's own name names the whole server already)
    expect([...familiesNamed(one, new Set(["crash"]), new Map([["s", ["crash"]]]), ownedIn(one))]).toEqual([])
  })
})
