/**
 * Ranking classes QA 92 found open (QA 84's fleet and older ones): a request's own verb that the
 * tools name as a thing, read from what a tool's first sentence says and not only its name.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { fleetIndex } from "./search-sets.ts"

const tool = (server: string, name: string, description: string): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object" } })
const first = (ix: ReturnType<typeof fleetIndex>, q: string) => ix.search(q, { limit: 1 })[0]!.tool.name

describe("a request opening with its own verb", () => {
  test("is not a reading tool whose first sentence lists that verb's things (its name does not say them)", () => {
    const ix = fleetIndex([])
    ix.setServer("pm", [
      tool("pm", "get_item_stories", "Get comments and stories for a specific item"),
      tool("pm", "create_item_story", "Create a comment or story on an item. Either text or html is required."),
      tool("pm", "update_item", "Update an existing item's details"),
    ])
    expect(first(ix, "comment on the item that the design is approved")).toBe("pm__create_item_story")
    // the same word as a thing read still finds the reading tool
    expect(first(ix, "show the comments on the item")).toBe("pm__get_item_stories")
  })

  test("a reading tool whose first sentence opens with the verb still does it ('Returns …')", () => {
    const ix = fleetIndex([])
    ix.setServer("demo", [
      tool("demo", "get-resource-links", "Returns up to ten resource links that reference different types of resources"),
      tool("demo", "gzip-file-as-resource", "Compresses a single file using gzip compression and returns it as a resource."),
    ])
    expect(first(ix, "return the resource links")).toBe("demo__get-resource-links")
  })

  test("that a tool's name says: a tool without it does not do what was asked", () => {
    const ix = fleetIndex([])
    ix.setServer("org", [tool("org", "get_teams", "List the teams of the organization"), tool("org", "get_team_members", "List the members of a team")])
    ix.setServer("mail", [tool("mail", "send_email", "Sends a new email"), tool("mail", "search_emails", "Searches emails by query")])
    expect(first(ix, "email the weekly report to the team")).toBe("mail__send_email")
    // the thing it makes names the action ("file a bug"): a tool named after files is not it
    ix.setServer("fs", [tool("fs", "write_file", "Write a file to disk"), tool("fs", "read_file", "Read a file from disk")])
    ix.setServer("tracker", [tool("tracker", "create_issue", "Create a new bug or issue in the tracker")])
    expect(first(ix, "file a bug about the login crash")).toBe("tracker__create_issue")
  })
})

describe("a question about what happened or who did it", () => {
  test("reads the history, not the tool that makes that change", () => {
    const ix = fleetIndex([])
    ix.setServer("wiki", [
      tool("wiki", "update_article", "Update an existing article's title or body"),
      tool("wiki", "get_article", "Get an article by id"),
      tool("wiki", "get_article_history", "List the revisions of an article: author, date and summary of each"),
    ])
    for (const q of ["who edited the onboarding article last?", "who changed the onboarding article and when"]) expect(first(ix, q)).toBe("wiki__get_article_history")
    // asked to make the change, it is still the writing tool
    expect(first(ix, "edit the onboarding article")).toBe("wiki__update_article")
  })

})
