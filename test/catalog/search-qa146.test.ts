/**
 * Search: the misses QA 140 named, fixed as classes (QA 146), each on a made-up fleet. The held-out
 * sets' figures before and after each change are in their own test files' headers.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { respelt } from "../../src/catalog/search/spelling.ts"
import { fleetIndex } from "./search-sets.ts"

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })
const top = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 3 })[0]
const ranked = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 3 }).map((h) => `${h.tool.name}${h.weak ? " (weak)" : ""}`)

describe("a typo does not hide a phrase or a word's sense ('open an isue', 'create a pul request')", () => {
  const one = fleetIndex([])
  one.setServer("forge", [
    tool("forge", "read_ticket", "Get a ticket (issue) with its comments.", { id: str("Issue number") }),
    tool("forge", "search_tickets", "Search issues and tickets by text."),
    tool("forge", "write_ticket", "Create or update an issue.", { title: str("Title"), body: str("Body") }),
    tool("forge", "new_pr", "Open a new pull request from a branch.", { head: str("Branch") }),
    tool("forge", "review_write", "Create, submit or delete a review of a pull request.", { pullNumber: str("Pull request number") }),
    tool("forge", "request_changes", "Request changes on a change under review."),
  ])

  test("read as the word meant, the request means what it does spelt right", () => {
    for (const [typo, right] of [
      ["open an isue about the login bug", "open an issue about the login bug"],
      ["create a pul request for the fix branch", "create a pull request for the fix branch"],
      ["open a pul request for the fix branch", "open a pull request for the fix branch"],
    ] as const) expect([typo, ranked(one, typo)[0]]).toEqual([typo, ranked(one, right)[0]!])
    expect(top(one, "open an isue about the login bug")?.tool.name).toBe("forge__write_ticket")
  })

  test("only a word the tools and the synonym table do not know, and not a phrase's own word ('who wrote')", () => {
    const fix = (w: string) => (w === "isue" ? ["issu"] : w === "pul" ? ["pull"] : w === "wrote" ? ["writ"] : [])
    expect([...respelt(["open", "an", "isue", "pul", "wrote"], fix)]).toEqual([["isue", "issue"], ["pul", "pull"]])
  })
})
