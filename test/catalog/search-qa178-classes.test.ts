/**
 * The classes of miss QA 178's held-out set and the open items before it showed, each as a rule of
 * src/catalog/search, checked over a recorded fleet with requests that are not in the set.
 */
import { describe, expect, test } from "bun:test"
import { qa174Fleet } from "./search-qa174-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ix = fleetIndex(qa174Fleet)
const first = (q: string) => ix.search(q, { limit: 10 })[0]

describe("QA 178 classes: things asked of a machine", () => {
  test("words the tools know before 'on <host>' are things asked, not a command the table lacks (host.ts)", () => {
    // (once: ssh_execute first, "disk usage" read as a command line to run)
    for (const q of ["disk usage on web-01", "cpu load on app-3"]) expect(first(q)?.tool.name).not.toBe("ssh__ssh_execute")
    // (a word no tool uses, or one word, still opens a command line)
    expect(first("systemctl restart nginx on web-02")?.tool.name).toBe("ssh__ssh_execute")
    expect(first("uptime on web-01")?.tool.name).toBe("ssh__ssh_execute")
  })

  test("a request ending on a machine asks a tool taking a machine, not one matching its words elsewhere (on-host.ts)", () => {
    // (once: the memory server's add_observations first, through "memory")
    expect(first("memory usage on web-01")?.tool.server).toBe("ssh")
    expect(first("memory usage on the db box")?.tool.server).toBe("ssh")
    // (no machine named: the memory server keeps its word)
    expect(first("memory usage")?.tool.server).not.toBe("ssh")
  })
})

describe("QA 178 classes: a tool named after a part of the thing asked", () => {
  test("ranks below the tool named after the thing itself (head-thing.ts)", () => {
    // (once: pull_request_review_write first, its title and method list saying "create" and "pull request" more often)
    expect(first("open a PR from feature/login into main")?.tool.name).toBe("github__create_pull_request")
    expect(first("create a pull request from fix/typo")?.tool.name).toBe("github__create_pull_request")
    // (once: get_merge_request_note and _discussion above get_merge_request, their descriptions saying "show")
    expect(first("show gitlab MR !42")?.tool.name).toBe("gitlab__get_merge_request")
    // (the part asked: the part's tool)
    expect(first("create a review of PR #12 on github")?.tool.name).toBe("github__pull_request_review_write")
  })
})

describe("QA 178 classes: a change a tool names only as a state it filters by", () => {
  test("is not done by it (state-filter.ts)", () => {
    // (once: list_projects strong, its `archived` argument "Filter for archived projects")
    expect(ix.search("archive the project web/old-site on gitlab", { limit: 10 }).every((h) => h.weak)).toBe(true)
    // (a change its own words or its argument choices say is done: issue_write's state "closed")
    const close = ix.search("close issue #12 in acme/api on github", { limit: 3 })
    expect(close[0]?.tool.name).toBe("github__issue_write")
    expect(close[0]?.weak).toBeUndefined()
  })
})

describe("QA 178 classes: the request's own verb, per hit", () => {
  test("a hit that does not say it, nor is named after what it acts on, is weak (own-verb.ts)", () => {
    // (once: discord_get_server_info strong, through "discord server" alone)
    expect(ix.search("mute the user troll99 in the discord server", { limit: 10 }).every((h) => h.weak)).toBe(true)
    // (a tool named after the thing the verb acts on, or a phrasal verb, stays strong)
    expect(first("dump the whole knowledge graph")).toMatchObject({ tool: { name: "memory__read_graph" } })
    expect(first("dump the whole knowledge graph")?.weak).toBeUndefined()
    expect(ix.search("kick off the circleci pipeline on main", { limit: 3 }).find((h) => h.tool.name === "circleci__run_pipeline")?.weak).toBeUndefined()
  })
})

describe("QA 178 classes: a verb opening a tracked thing", () => {
  test("raise, file or submit before 'a'/'an' and an issue, a ticket, a PR or an MR creates it (senses.ts)", () => {
    // (once: get_merge_request / get_issue first, "raise" read as nothing)
    expect(first("raise an issue in gitlab")?.tool.name).toBe("gitlab__create_issue")
    expect(first("submit an MR from fix/login to main on gitlab")?.tool.name).toBe("gitlab__create_merge_request")
  })
})
