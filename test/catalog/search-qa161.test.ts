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
