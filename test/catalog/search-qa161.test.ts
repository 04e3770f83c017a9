/**
 * Search: the misses QA 154's held-out set still named after QA 159, fixed as classes, each on a
 * made-up fleet (never the sets' words added to lists). Figures: bun /tmp/qa161/allsets.ts (the
 * held-out sets' floors are in their own test files).
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { fleetIndex } from "./search-sets.ts"

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })

describe("a verb also typed inside a phrase naming a thing is done only by a tool whose name has it outside that phrase ('merge … merge request')", () => {
  const fleet = (withMerge: boolean) => {
    const one = fleetIndex([])
    one.setServer("forge", [
      tool("forge", "create_merge_request", "Create a new merge request in a project.", { project_id: str("Project"), source_branch: str("Source branch"), target_branch: str("Target branch") }),
      tool("forge", "get_merge_request", "Get details of a merge request.", { project_id: str("Project"), merge_request_iid: str("The IID of the merge request") }),
      tool("forge", "list_merge_requests", "List merge requests in a project.", { project_id: str("Project") }),
      ...(withMerge ? [tool("forge", "merge_merge_request", "Merge a merge request into its target branch.", { project_id: str("Project"), merge_request_iid: str("The IID of the merge request") })] : []),
    ])
    one.setServer("vcs", [tool("vcs", "vcs_status", "Show the working tree status.", { repo_path: str("Repository path") })])
    return one
  }
  test("with no tool merging, every hit of 'merge the forge merge request !42 into main' is weak, 'merge' unmatched", () => {
    const hits = fleet(false).search("merge the forge merge request !42 into main", { limit: 3 })
    expect(hits.length).toBeGreaterThan(0)
    for (const h of hits) expect(h.weak).toBe(true)
    expect(hits[0]?.unmatched).toContain("merge")
  })
  test("a tool whose name has the verb outside the phrase does it: strong, first", () => {
    const hits = fleet(true).search("merge the forge merge request !42 into main", { limit: 3 })
    expect(hits[0]?.tool.name).toBe("forge__merge_merge_request")
    expect(hits[0]?.weak).toBeFalsy()
  })
  test("the phrase alone asks no change: 'get merge request !42' is still answered strongly", () => {
    const hits = fleet(false).search("get forge merge request !42", { limit: 3 })
    expect(hits[0]?.tool.name).toBe("forge__get_merge_request")
    expect(hits[0]?.weak).toBeFalsy()
  })
})

describe("the thing after 'of' that no tool knows makes the tools having its attribute weak ('the price of bitcoin')", () => {
  const fleet = () => {
    const one = fleetIndex([])
    one.setServer("cloud", [
      tool("cloud", "get_cost", "Gets the cost of creating a new project or branch.", { type: { type: "string", enum: ["project", "branch"] } }),
      tool("cloud", "get_project_status", "Get the status of a project.", { project_id: str("Project") }),
    ])
    one.setServer("payments", [tool("payments", "get_service_health", "Get the health status of the payment service.", {})])
    one.setServer("media", [tool("media", "get_transcript", "Get the transcript of a video.", { url: str("Video URL") })])
    return one
  }
  test("an unknown thing: every hit having the attribute is weak, the thing unmatched", () => {
    const hits = fleet().search("what's the cost of bitcoin today", { limit: 3 })
    expect(hits[0]?.tool.name).toBe("cloud__get_cost")
    for (const h of hits) expect(h.weak).toBe(true)
    expect(hits[0]?.unmatched).toContain("bitcoin")
  })
  test("a thing the tools know, a server's word, the user's own instance or a name: still strong", () => {
    const one = fleet()
    expect(one.search("what's the cost of the project", { limit: 3 })[0]).toMatchObject({ tool: { name: "cloud__get_cost" } })
    expect(one.search("what's the cost of the project", { limit: 3 })[0]?.weak).toBeFalsy()
    // (payments is a server's word: that instance)
    expect(one.search("status of payments", { limit: 3 })[0]?.weak).toBeFalsy()
    // (a demonstrative or a possessive names the user's own instance; a capitalized word a name)
    expect(one.search("get me the transcript of that keynote", { limit: 3 })[0]).toMatchObject({ tool: { name: "media__get_transcript" } })
    expect(one.search("get me the transcript of that keynote", { limit: 3 })[0]?.weak).toBeFalsy()
    expect(one.search("get me the transcript of Keynote", { limit: 3 })[0]?.weak).toBeFalsy()
  })
})
