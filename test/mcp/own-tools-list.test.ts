/**
 * OwnTools.list after `invalidate` (each tools list change): definitions that read the same stay the
 * same objects, so the face's list answer keeps their memoised blocks; a changed description
 * (run_code's follows the surface) is listed anew.
 */
import { describe, expect, test } from "bun:test"
import { z } from "zod"
import { defineTool, OwnTools } from "../../src/mcp/index.ts"

describe("the own tools' list after invalidate", () => {
  let surface = "3 tools"
  const tools = new OwnTools([
    defineTool({ name: "fixed", title: "Fixed", description: "always the same", input: z.object({ q: z.string() }), handler: async () => ({ text: "ok" }) }),
    defineTool({
      name: "follows",
      title: "Follows",
      get description() {
        return `reaches ${surface}`
      },
      input: z.object({}),
      output: z.object({ n: z.number() }),
      handler: async () => ({ text: "ok" }),
    }),
  ])

  test("is the same array when no description changed", () => {
    const first = tools.list()
    tools.invalidate()
    expect(tools.list()).toBe(first)
  })

  test("lists a changed description anew and keeps the other definitions", () => {
    const [fixed, follows] = tools.list()
    surface = "4 tools"
    tools.invalidate()
    const next = tools.list()
    expect(next[0]).toBe(fixed!)
    expect(next[1]).not.toBe(follows!)
    expect(next[1]).toEqual({ ...follows!, description: "reaches 4 tools" })
    // twice in a row without a list in between: still compared with the last list
    surface = "5 tools"
    tools.invalidate()
    tools.invalidate()
    expect(tools.list()[1]!.description).toBe("reaches 5 tools")
    expect(tools.list()[0]).toBe(fixed!)
  })

  test("a tool added later is listed", () => {
    tools.list()
    tools.invalidate()
    tools.add(defineTool({ name: "later", title: "Later", description: "added", input: z.object({}), handler: async () => ({ text: "ok" }) }))
    expect(tools.list().map((t) => t.name)).toEqual(["fixed", "follows", "later"])
  })
})
