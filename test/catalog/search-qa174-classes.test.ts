/**
 * The classes of miss QA 174's held-out set showed (test/fixtures/search-queries-qa174.json), each
 * as a rule of src/catalog/search, checked over that set's fleet (search-qa174-fleet.ts) with
 * requests of the set's classes that are not in it.
 */
import { describe, expect, test } from "bun:test"
import { qa174Fleet } from "./search-qa174-fleet.ts"
import { fleetIndex } from "./search-sets.ts"
import { namesOneItem } from "../../src/catalog/search/one-item.ts"
import { extractLiterals } from "../../src/catalog/search/literals.ts"
import { splitWords, tokenize } from "../../src/catalog/search/tokenize.ts"
import { hostClauseAt } from "../../src/catalog/search/host.ts"

const ix = fleetIndex(qa174Fleet)
const first = (q: string): string | undefined => ix.search(q, { limit: 10 })[0]?.tool.name

describe("QA 174 classes: a request about one item", () => {
  test("a link to an item's page, its kind and number, or 'this' name one item (one-item.ts)", () => {
    const one = (q: string): boolean => { const l = extractLiterals(q); return namesOneItem(splitWords(l.rest), l.literals) }
    expect(one("https://github.com/octo/site/pull/3 summarize")).toBe(true)
    expect(one("review merge request 7")).toBe(true)
    expect(one("what is in this pull request")).toBe(true)
    // (a bound, a time or a site's page is no item)
    expect(one("show the top 10 issues")).toBe(false)
    expect(one("what did I merge this week")).toBe(false)
    expect(one("fetch https://example.com/docs/intro")).toBe(false)
  })

  test("the tool reading one item answers it, not one searching or listing them", () => {
    expect(first("what changed in this pull request")).toBe("github__pull_request_read")
    expect(first("what changed in pull request 7")).toBe("github__pull_request_read")
  })

  test("with no verb, an attribute of one item named by its id is read ('… of issue #12'), not written", () => {
    // (once: add_issue_comment and issue_write above issue_read)
    expect(first("assignee of issue #12 on github")).toBe("github__issue_read")
    expect(first("labels of issue #31 in octo/site on github")).toBe("github__issue_read")
  })

  test("a question about what happened is read in the request's own words, a link before it taken out", () => {
    // ("changed" once read as a change asked: update_pull_request first)
    expect(first("https://github.com/octo/site/pull/3 what changed")).toBe("github__pull_request_read")
  })
})

describe("QA 174 classes: an abbreviation of several words", () => {
  test("is read as its words on both sides, a plural kept (abbreviations.ts)", () => {
    expect(splitWords("list my PRs")).toEqual(["list", "my", "pull", "requests"])
    expect(tokenize("mr_discussions")).toEqual(tokenize("merge request discussions"))
  })

  test("a request naming a merge request as MR asks for the tool named after merge requests, not the one holding the letters", () => {
    // (once: mr_discussions first, by "mr" typed, and a GitHub merge tool above the GitLab one)
    expect(first("merge the MR !31")).toBe("gitlab__merge_merge_request")
    expect(ix.search("rebase MR !8", { limit: 3 }).map((h) => h.tool.server)).toEqual(["gitlab", "gitlab", "gitlab"])
  })
})

describe("QA 174 classes: the thing acted on, per hit", () => {
  const weakAll = (q: string): boolean => ix.search(q, { limit: 10 }).every((h) => h.weak)
  test("a hit named after another thing, and not the one asked, which another tool is named after, is weak (other-thing.ts)", () => {
    // (gitlab tools take `project_id` and say "from a project": the project is where they act, get_project names it)
    expect(weakAll("remove the gitlab project acme/old-site")).toBe(true)
    expect(weakAll("delete the gitlab namespace called acme")).toBe(true)
  })

  test("a hit named after the thing, or after another thing the request names, stays strong", () => {
    const branch = ix.search("delete the gitlab branch hotfix-1", { limit: 1 })[0]!
    expect(branch.tool.name).toBe("gitlab__delete_branch")
    expect(branch.weak).toBeFalsy()
    expect(ix.search("add a note to gitlab issue 12", { limit: 1 })[0]!.weak).toBeFalsy()
  })
})

describe("QA 174 classes: a command line on a host", () => {
  test("a trailing 'on <host>' is where the line runs: a host's name, an address, or 'the … box/host/bastion' (host.ts)", () => {
    expect(hostClauseAt("uptime on db-7".split(" "))).toBe(1)
    expect(hostClauseAt("cat /etc/passwd on the jump host".split(" "))).toBe(2)
    expect(hostClauseAt("hostname on 10.0.0.5".split(" "))).toBe(1)
    // (a product or a thing after "on" is no host)
    expect(hostClauseAt("approve MR !15 on gitlab".split(" "))).toBe(5)
    expect(hostClauseAt("put a comment on the issue".split(" "))).toBe(6)
  })

  test("with a terminal connected it runs there, whatever local tool does the command by one word, a flag or not", () => {
    // (once: sentry's whoami, github's get_file_contents, our orchestrator_status, kubernetes' rollout)
    for (const q of ["whoami on web-09", "cat /etc/passwd on the jump host", "uptime on db-7", "hostname on 10.0.0.5"]) expect(first(q)).toBe("ssh__ssh_execute")
  })

  test("a word a tool is named with, or a plural the tools know alone, is no command the table lacks", () => {
    expect(first("deploy api on web-01")).toBe("ssh__ssh_deploy")
    // (the things asked about on a service with digits in its name: sentry's issues, not a line to run)
    expect(first("exceptions on checkout-2")?.startsWith("ssh__")).toBe(false)
  })
})
