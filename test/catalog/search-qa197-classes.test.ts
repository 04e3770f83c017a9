/**
 * The classes of miss QA 197 took from the open items of QA 181 and QA 192, each as a rule of
 * src/catalog/search, checked with requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { sensesOf } from "../../src/catalog/search/senses.ts"
import { qa174Fleet } from "./search-qa174-fleet.ts"
import { qa181Fleet } from "./search-qa181-fleet.ts"
import { qa192Fleet } from "./search-qa192-fleet.ts"
import { extendedFleet, fleetIndex } from "./search-sets.ts"

const ix = fleetIndex(qa192Fleet)
const first = (q: string) => ix.search(q, { limit: 10 })[0]!

describe("QA 197 classes: a request in another language reads the English phrases (query.ts, lexicon.ts FUNCTION_WORDS)", () => {
  test("its question words, copula and pronoun read as English: the phrase asks what it asks in English", () => {
    // (once: `convert_time` first, its shorter name scoring "heure" → time higher; the phrase
    // "time is it" asks for the current one)
    expect(first("what time is it in Paris").tool.name).toBe("time__get_current_time")
    for (const q of ["quelle heure est-il à Paris", "Quelle heure est-il maintenant à Montréal ?"]) expect(first(q).tool.name).toBe("time__get_current_time")
  })
})

describe("QA 197 classes: a request opening with a hyphenated verb (compound-verb.ts)", () => {
  test("a hit not saying every word of it is weak, whatever the things it shares", () => {
    // (once: split, "cherry" and "pick" were things; the release and commit tools were strong)
    for (const q of ["cherry-pick the fix 4e5f6a onto the hotfix branch", "cherry-pick commit 77aa01 into main"]) expect(ix.search(q, { limit: 10 }).every((h) => h.weak)).toBe(true)
  })
  test("a tool saying it is strong; an adjective compound before a noun is no verb", () => {
    const ext = fleetIndex(extendedFleet())
    const cherry = ext.search("cherry-pick the hotfix commit 9f8e7d onto main", { limit: 10 })
    expect([cherry[0]!.tool.name, cherry[0]!.weak]).toEqual(["git-cyanheads__git_cherry_pick", undefined])
    expect(cherry.slice(1).every((h) => h.weak)).toBe(true)
    const forward = ext.search("port-forward the grafana service to 3000", { limit: 1 })[0]!
    expect([forward.tool.name, forward.weak]).toEqual(["kubernetes__port_forward", undefined])
    expect(ext.search("high-priority issues assigned to me", { limit: 1 })[0]!.weak).toBeUndefined()
  })
})

describe("QA 197 classes: a verb a tool only mentions (senses.ts LABELLED, own-verb.ts mentionsVerbOnly)", () => {
  const ix181 = fleetIndex(qa181Fleet)
  test("a label verb labels only the things labels mark: before another thing it is its own verb", () => {
    expect(sensesOf("star the email from Bob").get("star")).toEqual(["label", "modify"])
    expect(sensesOf("tag these emails with 'receipts'").get("tag")).toEqual(["label", "modify"])
    expect(sensesOf("star it").get("star")).toEqual(["label", "modify"])
    expect(sensesOf("star the octo/cli repo").has("star")).toBe(false)
    // (once: `get_label` first and strong, "star" read as labelling the repository)
    expect(ix181.search("star the octo/cli repo", { limit: 10 }).every((h) => h.weak)).toBe(true)
  })
  test("a tool whose arguments have the verb only as a plural (a sort key, a count) does not do it", () => {
    // `search_repositories` sorts by "stars": named after the repository starred, it was strong
    const hit = ix181.search("star the octo/cli repository", { limit: 10 }).find((h) => h.tool.name === "github__search_repositories")!
    expect(hit.unmatched).toContain("star")
  })
})

describe("QA 197 classes: the thing removed, named by a lowercase word after it (unnamed-object.ts actedOn)", () => {
  test("a word no tool is named after, after a kind of thing one is, names that thing: its kind is judged", () => {
    // (once: "platform", "infra" — words some description uses — were read as the thing, and
    // `delete_label` was strong for "remove the gitlab group platform")
    const ix174 = fleetIndex(qa174Fleet)
    for (const q of ["delete the gitlab group infra", "remove the gitlab project legacy"]) expect(ix174.search(q, { limit: 10 }).every((h) => h.weak)).toBe(true)
  })
})
