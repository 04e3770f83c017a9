/**
 * A tools hook's result is checked entry by entry (QA 138 found the whole result thrown away for one
 * entry with `inputSchema: { type: "array" }`, a bad name or a duplicate: the hook was counted as
 * faulting and the list served UNFILTERED, so a plugin hiding dangerous tools showed them all).
 * Now an entry that is no object, has no valid name or repeats one is left out with one warning;
 * one whose definition is broken is handled as a downstream's (repaired, else left out); the hook's
 * other work stands, and no fault is counted.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { ListToolsResultSchema } from "@modelcontextprotocol/sdk/types.js"
import { toolEntries } from "../../src/plugin/contract.ts"
import { hookedProxy, type HookedProxy } from "./hooked-proxy.ts"

const HOOK = `export default {
  name: "hider",
  tools(tools) {
    const kept = tools.filter((t) => t.name !== "ev__get-env")
    return [
      ...kept.map((t) => (t.name === "ev__echo" ? { ...t, inputSchema: { type: "array" } } : t)),
      { name: "bad name!", inputSchema: { type: "object" } },
      { name: 5 },
      "ev__add",
      null,
      { ...kept[0] },
    ]
  },
}
`

let h: HookedProxy

beforeAll(async () => {
  h = await hookedProxy("hider", HOOK)
})

afterAll(async () => await h[Symbol.asyncDispose]())

test("the unit: objects with a valid name, each name once", () => {
  const { tools, left } = toolEntries([{ name: "a__b", inputSchema: { type: "object" } }, { name: "a__b" }, "x", { name: "" }, { name: ["x"] }, { name: "a__[REDACTED]" }])
  expect(tools.map((t) => t.name)).toEqual(["a__b", "a__[REDACTED]"])
  expect(left.map((l) => [l.index, l.why])).toEqual([
    [1, 'duplicate tool name "a__b" (the first is kept)'],
    [2, 'expected a tool object, got a string ("x")'],
    [3, "tool names are 1-64 letters, digits, _ -"],
    [4, "its name is an array, not a string"],
  ])
})

test("bad entries cost only themselves: the hidden tool stays hidden, the list is valid, no fault is counted", async () => {
  for (let round = 0; round < 4; round++) {
    const tools = await h.proxy.listTools()
    expect(ListToolsResultSchema.safeParse({ tools }).success).toBe(true)
    const names = tools.map((t) => t.name)
    // the filter's work stands
    expect(names).not.toContain("ev__get-env")
    // the entry whose schema cannot be a tool's is left out as a downstream's would be; the others stay
    expect(names).not.toContain("ev__echo")
    expect(names).toContain("ev__get-sum")
    expect(new Set(names).size).toBe(names.length)
    expect(names).not.toContain("bad name!")
  }
  const info = h.host.list().find((p) => p.name === "hider")!
  expect(info.state).toBe("active")
  expect(info.hooksOff).toBeUndefined()
  expect(info.faults).toBe(0)
  expect(h.host.hasToolsFilter).toBe(true)
  const warned = h.records.filter((r) => r.msg === "a plugin tools hook listed an entry that is no tool; left out of the list")
  // once per entry and reason, though the list was answered four times
  const whys = warned.map((r) => r.why as string)
  expect(whys.length).toBe(5)
  // each names the plugin's file and the line of its tools hook
  for (const r of warned) expect(r.at).toMatch(/\/hider\.js:3$/)
  expect(whys).toEqual(
    expect.arrayContaining(['expected a tool object, got a string ("ev__add")', "expected a tool object, got null", "its name is a number (5), not a string", "tool names are 1-64 letters, digits, _ -", expect.stringContaining("duplicate tool name")]),
  )
}, 60_000)
