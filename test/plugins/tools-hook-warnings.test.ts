/**
 * A tools hook that lists thousands of entries that cannot be listed (QA 158): each was warned about
 * once per name and reason, but the warn-once memory started over past 1 000 keys, so a hook
 * listing 3 000 such entries wrote 3 000 log lines on EVERY list (10 000 entries, the most a hook
 * may return: ~2.3 MB of stderr per tools/list, and a run_code or search_tools reading the list
 * again wrote them again). Now at most ONCE_PER_PASS of a list's new warnings are logged one by
 * one, the rest are counted in one line, and a list that stays the same logs nothing again.
 * Both places that warn about a hook's entries: the plugin (entries that are no tool) and the
 * proxy (names no server's tool has).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { ListToolsResultSchema } from "@modelcontextprotocol/sdk/types.js"
import { ONCE_PER_PASS } from "../../src/core/index.ts"
import { hookedProxy, type HookedProxy } from "./hooked-proxy.ts"

const BAD = 3000

const HOOK = `export default {
  name: "flood",
  tools(tools) {
    const out = tools.slice()
    for (let i = 0; i < ${BAD}; i++) out.push(i)
    for (let i = 0; i < ${BAD}; i++) out.push({ name: "ev__made_up_" + i, inputSchema: { type: "object" } })
    return out
  },
}
`

let h: HookedProxy

beforeAll(async () => {
  // a generous deadline: what is tested is the log, not how fast the guest builds 6 000 entries
  h = await hookedProxy("flood", HOOK, {}, { toolsDeadline: 20_000 })
}, 60_000)

afterAll(async () => await h[Symbol.asyncDispose]())

const count = (msg: string): number => h.records.filter((r) => r.msg === msg).length
const NO_TOOL = "a plugin tools hook listed an entry that is no tool; left out of the list"
const NO_TOOL_MORE = "a plugin tools hook listed more entries that are no tool; left out of the list, not logged one by one"
const UNCALLABLE = "a plugin tools hook listed a tool that cannot be called by that name; left out of the list"
const PROXY_MORE = "a plugin tools hook listed more tools that were left out, withheld, repaired or cleaned; not logged one by one"

test("thousands of bad entries: a few warnings and one count per list, none again for the same list", async () => {
  const first = await h.proxy.listTools()
  expect(ListToolsResultSchema.safeParse({ tools: first }).success).toBe(true)
  const names = first.map((t) => t.name)
  expect(names).toContain("ev__echo")
  expect(names.some((n) => n.startsWith("ev__made_up_"))).toBe(false)
  expect(h.host.list().find((p) => p.name === "flood")!.faults).toBe(0)

  expect(count(NO_TOOL)).toBe(ONCE_PER_PASS)
  expect(count(UNCALLABLE)).toBe(ONCE_PER_PASS)
  const more = h.records.filter((r) => r.msg === NO_TOOL_MORE || r.msg === PROXY_MORE)
  expect(more.map((r) => [r.msg, r.more])).toEqual(expect.arrayContaining([[NO_TOOL_MORE, BAD - ONCE_PER_PASS], [PROXY_MORE, BAD - ONCE_PER_PASS]]))
  const after = h.records.length

  for (let i = 0; i < 3; i++) expect((await h.proxy.listTools()).map((t) => t.name)).toEqual(names)
  // the same list again: nothing new to say
  const again = h.records.slice(after).filter((r) => [NO_TOOL, NO_TOOL_MORE, UNCALLABLE, PROXY_MORE].includes(r.msg as string))
  expect(again).toEqual([])
}, 60_000)
