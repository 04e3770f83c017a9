/**
 * Ranking classes QA 118 fixed, on made-up fleets: an `owner/repo#12` reference names one issue or
 * pull request, so the tools taking an item's number (`issue_number`, `pullNumber`, `iid`) answer
 * it, not the short list tools that take only `owner` and `repo` (as argument-name words, "owner"
 * and "repo" favoured the tools with fewest arguments); a verb the request types that a tool is
 * named with ("tag the card": attach-tag) is not answered by a tool matching it only through what
 * it means (tag → label → modify → update: update-card-item).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "bun:test"
import { FIXTURES, loadFleet, type ToolDef } from "../../scripts/bench/_search-eval.ts"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { shapesIn } from "../../src/catalog/search/literals.ts"
import { fleetIndex } from "./search-sets.ts"

const str = (description: string) => ({ type: "string", description })
const num = (description: string) => ({ type: "number", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })
const first = (ix: ReturnType<typeof fleetIndex>, q: string) => ix.search(q, { limit: 3 })[0]?.tool.name

describe("an owner/repo#12 reference asks for a tool taking that item's number", () => {
  const place = { owner: str("Repository owner"), repo: str("Repository name") }
  const ix = fleetIndex([])
  ix.setServer("forge", [
    tool("forge", "list_issue_types", "List the issue types of a repository.", place),
    tool("forge", "list_labels", "List the labels of a repository.", place),
    tool("forge", "list_issues", "List issues in a repository.", { ...place, state: str("open or closed"), perPage: num("Results per page") }),
    tool("forge", "issue_read", "Get information about a specific issue in a repository.", { ...place, issue_number: num("The number of the issue"), method: { type: "string", enum: ["get", "get_comments", "get_labels"] } }),
    tool("forge", "issue_write", "Create a new issue or update an existing one.", { ...place, issue_number: num("The number of the issue"), state: str("open or closed"), title: str("Title"), body: str("Body") }),
    tool("forge", "pull_request_read", "Get information on a specific pull request.", { ...place, pullNumber: num("The pull request's number") }),
  ])
  ix.setServer("lab", [tool("lab", "get_merge_request", "Get a merge request of a project.", { project_id: str("Project id or path"), merge_request_iid: num("The merge request's iid") })])

  test("only a tool taking an item's number (or whose help shows the shape) takes the reference's shape", () => {
    expect(shapesIn("", "owner repo")).toEqual([])
    expect(shapesIn("", "owner repo perPage state")).toEqual([])
    for (const arg of ["issue_number", "pullNumber", "iid", "pull_request_id", "pr_num"]) expect(shapesIn("", `owner repo ${arg}`)).toEqual(["#ref"])
    expect(shapesIn("the issue, e.g. octo/api#12")).toEqual(["#ref"])
  })

  test("on the recorded reference fleet: 'close octo/api#12', 'review octo/api#7' → github tools taking the number; list_issue_types nowhere near", () => {
    const fleet = [...loadFleet()]
    const gh = fleetIndex(fleet)
    const takesNumber = new Set(fleet.flatMap(([s, defs]) => defs.filter((d) => Object.keys((d.inputSchema as { properties?: object } | undefined)?.properties ?? {}).some((a) => /number|iid/i.test(a))).map((d) => `${s}__${d.name}`)))
    for (const q of ["close octo/api#12", "review octo/api#7"]) expect({ q, takesNumber: takesNumber.has(first(gh, q)!) }).toEqual({ q, takesNumber: true })
    const status = gh.search("what's the status of octo/api#12", { limit: 3 }).map((h) => h.tool.name)
    expect(status).toContain("github__issue_read")
    expect(status).not.toContain("github__list_issue_types")
  })

  test("on a made-up fleet: the reference goes to the single-item tools", () => {
    for (const q of ["what's the status of octo/api#12", "close octo/api#12", "is octo/api#12 still open?"]) {
      expect({ q, first: first(ix, q) }).toEqual({ q, first: expect.stringMatching(/^forge__(issue_read|issue_write|pull_request_read)$/) })
    }
  })

  test("a request with no reference still lists ('list the issue types of octo/api')", () => {
    expect(first(ix, "list the issue types of octo/api")).toBe("forge__list_issue_types")
  })
})

describe("a verb typed that a tool is named with beats tools matching only its meaning", () => {
  // miro's recorded tools (QA 103): attach-tag next to update-card-item, update-sticky-note-item…
  const miro = JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa103", "miro.json"), "utf8")) as ToolDef[]
  const ix = fleetIndex([["miro", miro]])
  const top = (q: string, n: number) => ix.search(q, { limit: n }).map((h) => h.tool.name)

  test("'tag the card with urgent', 'tag the shape as done' → a tag tool, not update-card-item (tag → label → modify → update)", () => {
    for (const q of ["tag the card with 'urgent'", "tag the shape as done"]) expect({ q, first: first(ix, q) }).toEqual({ q, first: "miro__attach-tag" })
    expect(top("tag the card with 'urgent'", 4)).not.toContain("miro__update-card-item")
  })

  test("the tagging writes: the reading tool of the thing tagged is not first ('tag the sticky note as blocked')", () => {
    expect(top("tag the sticky note as blocked", 2)).not.toContain("miro__get-sticky-note-item")
  })

  test("with no tool named with the verb, its meaning still answers ('tag the card' on a fleet without tags)", () => {
    const one = fleetIndex([])
    one.setServer("board", [tool("board", "update-card-item", "Update a card on a board."), tool("board", "get-card-item", "Get a card on a board."), tool("board", "delete-card-item", "Delete a card.")])
    expect(first(one, "tag the card with 'urgent'")).toBe("board__update-card-item")
  })
})
