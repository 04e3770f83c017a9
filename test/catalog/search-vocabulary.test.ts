/**
 * The index keeps one instance of each per-tool word (catalog/search/vocabulary: ~86 000 copies
 * of a few thousand words for 5 000 tools, qa299). Its vocabulary is rebuilt from the live lists
 * once as many words were released as it holds: relisting new words does not grow it for ever,
 * and an index relisted many times answers as one built once.
 */
import { expect, test } from "bun:test"
import { createToolIndex, type IndexedTool } from "../../src/catalog/index.ts"
import { Vocabulary } from "../../src/catalog/search/vocabulary.ts"

test("the vocabulary is bounded by the live words, whatever was released", () => {
  const v = new Vocabulary()
  let live: string[][] = []
  for (let round = 0; round < 200; round++) {
    const old = live
    live = [v.internAll([`w${round}a`, `w${round}b`, "get", "get"], true)]
    expect(live[0]).toEqual([`w${round}a`, `w${round}b`, "get"])
    v.release(old.reduce((n, l) => n + l.length, 0), () => live)
  }
  expect(v.size).toBeLessThanOrEqual(12)
})

const tools = (server: string, round: number): IndexedTool[] => [
  { name: `${server}__get_me`, server, tool: "get_me", description: `Get the signed-in user (round ${round}, word z${round}q).`, inputSchema: { type: "object", properties: { state: { type: "string", description: "Filter by state", enum: ["OPEN", "IN_PROGRESS"] } } } },
  { name: `${server}__create_issue`, server, tool: "create_issue", description: "Create a new issue in a repository.", inputSchema: { type: "object" } },
]

test("an index relisted many times with new words answers as one built once", () => {
  const fresh = createToolIndex()
  const churned = createToolIndex()
  for (let round = 0; round < 60; round++) churned.setServer("gh", tools("gh", round))
  churned.setServer("gl", tools("gl", 0))
  churned.removeServer("gl")
  fresh.setServer("gh", tools("gh", 59))
  for (const q of ["create an issue", "get me", "gh__get_me", "getMe", "who am i", "issues in progress", "z59q"]) {
    const a = fresh.search(q).map((h) => [h.tool.name, h.score, h.weak ?? false])
    expect(churned.search(q).map((h) => [h.tool.name, h.score, h.weak ?? false])).toEqual(a)
  }
  expect(churned.search("gl__get_me").some((h) => h.tool.name === "gl__get_me")).toBe(false)
})
