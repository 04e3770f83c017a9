/**
 * Tool search as a coding agent asks mid-task (QA 35, round 4): terse imperatives, pronouns ("merge
 * it"), abbreviations (PR, CI, k8s, db, repo), multi-step requests, objects that are argument values
 * (HubSpot's contact/deal), and 35 negatives — things no tool of the fleet does (a bucket, Vercel,
 * PagerDuty, deleting a Slack message, approving a GitLab merge request). Over the 538-tool npm
 * fleet plus the Toolkit set's database-server (test/fixtures/search-queries-agent.json), written
 * before anything was measured; a third ('heldout') was never read while the ranking changed.
 *
 * Weak marks, per query: flagged = no hit, or the first hit marked weak. Recall = negatives flagged
 * / negatives; false alarms = positives flagged.
 * Before this round (HEAD 2a3fb82) → when these floors were set:
 *   tune    hit@1 0.581 → 0.663  hit@5 0.826 → 0.919  negatives flagged 9/24 → 20/24  positives flagged 3/86 → 3/86
 *   heldout hit@1 0.651 → 0.674  hit@5 0.814 → 0.860  negatives flagged 1/11 → 5/11   positives flagged 4/43 → 4/43
 */
import { describe, expect, test } from "bun:test"
import type { ToolIndex } from "../../src/catalog/index.ts"
import { extendedFleet, fleetIndex, loadSet, type Labelled } from "./search-sets.ts"

const set = { queries: loadSet("search-queries-agent.json") }
const fleet = extendedFleet()
const ix = fleetIndex(fleet)

function measure(index: ToolIndex, queries: readonly Labelled[]) {
  let pos = 0, h1 = 0, h5 = 0, neg = 0, negFlagged = 0, posFlagged = 0, rightWeak = 0
  for (const q of queries) {
    const hits = index.search(q.query, { limit: 10 })
    const flagged = hits.length === 0 || hits[0]!.weak === true
    if (q.negative) {
      neg++
      if (flagged) negFlagged++
      continue
    }
    pos++
    if (flagged) posFlagged++
    const r = hits.findIndex((h) => q.relevant[h.tool.name] === 2)
    if (r === 0) h1++
    if (r >= 0 && r < 5) h5++
    if (r >= 0 && r < 5 && hits[r]!.weak) rightWeak++
  }
  return { pos, neg, h1: h1 / pos, h5: h5 / pos, negFlagged, posFlagged, rightWeak }
}

describe("search as a coding agent asks (QA 35)", () => {
  test("the set: 120+ requests and 30+ negatives, a third held out, every label a tool of the fleet", () => {
    const names = new Set(fleet.flatMap(([s, defs]) => defs.map((d) => `${s}__${d.name}`)))
    expect(ix.size).toBeGreaterThanOrEqual(500)
    const positives = set.queries.filter((q) => !q.negative)
    const negatives = set.queries.filter((q) => q.negative)
    expect(positives.length).toBeGreaterThanOrEqual(120)
    expect(negatives.length).toBeGreaterThanOrEqual(30)
    expect(positives.filter((q) => q.split === "heldout").length).toBeGreaterThanOrEqual(40)
    expect(negatives.filter((q) => q.split === "heldout").length).toBeGreaterThanOrEqual(10)
    for (const q of set.queries) {
      if (q.negative) expect(q.relevant).toEqual({})
      else expect(Object.values(q.relevant)).toContain(2)
      for (const name of Object.keys(q.relevant)) expect(names.has(name)).toBe(true)
    }
  })

  for (const [split, h1, h5] of [["tune", 0.62, 0.88], ["heldout", 0.63, 0.83]] as const) {
    test(`quality floor, ${split}: hit@1 ≥ ${h1}, hit@5 ≥ ${h5}`, () => {
      const m = measure(ix, set.queries.filter((q) => q.split === split))
      expect(m.h1).toBeGreaterThanOrEqual(h1)
      expect(m.h5).toBeGreaterThanOrEqual(h5)
    })
  }

  // 25 of 35 negatives flagged, 7 of 129 positives, 4 right tools in the top 5 marked weak when set
  // (before: 10 of 35, 7 of 129, 3)
  test("weak marks: most requests no tool covers are flagged, few covered ones are", () => {
    const m = measure(ix, set.queries)
    expect(m.negFlagged / m.neg).toBeGreaterThanOrEqual(0.6)
    expect(m.posFlagged).toBeLessThanOrEqual(10)
    expect(m.rightWeak).toBeLessThanOrEqual(7)
  })
})

describe("the failure classes it found", () => {
  const top = (q: string, n = 5) => ix.search(q, { limit: n })
  const rank = (q: string, tool: string) => top(q, 20).findIndex((h) => h.tool.name === tool)

  test("the action asked outranks a shared noun: a read request is not answered by the tool that writes the same thing", () => {
    // add_issue_comment shares issue and comment with the request, but adds one
    expect(rank("get the comments on issue 12", "github__issue_read")).toBeLessThan(rank("get the comments on issue 12", "github__add_issue_comment"))
    expect(top("get the comments on issue 12", 3).map((h) => h.tool.name)).not.toContain("github__add_issue_comment")
    // and the other way round, a write request still finds the writer first
    expect(top("add a comment to issue 12", 1)[0]!.tool.name).toBe("github__add_issue_comment")
    // a name with both verbs (Notion's API-post-search reads) is neither
    expect(top("search notion for the roadmap doc", 5).map((h) => h.tool.name)).toContain("notion__API-post-search")
  })

  test("an object that is an argument's value finds the generic tool (HubSpot's objectType: companies, contacts, deals)", () => {
    expect(top("list all companies in hubspot", 1)[0]!.tool.name).toBe("hubspot__hubspot-list-objects")
    expect(top("add a new contact for jane@acme.com in the crm", 3).map((h) => h.tool.name)).toContain("hubspot__hubspot-batch-create-objects")
  })

  test("a product named that no tool mentions: every hit is weak; a product the request is about is not a destination", () => {
    for (const q of ["page the on-call engineer in pagerduty", "post the release notes to twitter", "open a support ticket with zendesk"]) {
      const hits = top(q)
      expect(hits.every((h) => h.weak)).toBe(true)
    }
    const about = top("find gitlab projects about terraform", 1)[0]!
    expect(about.tool.name).toBe("gitlab__search_repositories")
    expect(about.weak).toBeUndefined()
  })

  test("a connected server named: another server's tool is weak for it; a server named by an everyday word scopes nothing", () => {
    const hits = top("delete my last message in slack")
    expect(hits.every((h) => h.weak)).toBe(true)
    expect(top("delete my last message in slack", 20).find((h) => h.tool.name === "discord__discord_delete_message")?.unmatched).toContain("slack")
    // "time" and "memory" name servers, but are words other tools use
    const logged = top("how much time was logged on PROJ-8").find((h) => h.tool.name === "atlassian__jira_get_worklog")
    expect(logged).toBeDefined()
    expect(logged!.unmatched ?? []).not.toContain("time")
    const commits = top("search commits mentioning memory leak").find((h) => h.tool.name === "github__search_commits")
    expect(commits).toBeDefined()
    expect(commits!.unmatched ?? []).not.toContain("memory")
  })

  test("an action no tool does (archive, rotate, restore, approve) leaves every hit weak, whatever object they share", () => {
    for (const q of ["archive the slack channel #old-project", "rotate the AWS access keys", "restore the mongo database from last night's backup"]) expect(top(q).every((h) => h.weak)).toBe(true)
    // "merge" in "merge request" names the thing; it asks no merge that create_merge_request would do
    expect(top("approve the merge request in gitlab").every((h) => h.weak)).toBe(true)
    expect(top("open a merge request on gitlab from feature-x into main", 1)[0]).toMatchObject({ tool: { name: "gitlab__create_merge_request" } })
    expect(top("open a merge request on gitlab from feature-x into main", 1)[0]!.weak).toBeUndefined()
  })

  test("how agents say it: #channel, kick off, undo, who wrote", () => {
    const history = top("what did people say in #incidents today", 3).find((h) => h.tool.name === "slack__slack_get_channel_history")
    expect(history).toBeDefined()
    // the channel named is a thing the tool touches: not weak for "people"
    expect(history!.weak).toBeUndefined()
    expect(top("kick off a new pipeline on the release branch", 2).map((h) => h.tool.name)).toContain("circleci__run_pipeline")
    expect(top("undo the last commit but keep the changes", 1)[0]!.tool.name).toMatch(/git_reset$/)
    expect(top("who wrote this line in auth.ts", 1)[0]!.tool.name).toBe("git-cyanheads__git_blame")
  })
})
