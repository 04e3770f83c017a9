/**
 * A server listing 10 000 tools had them checked (zod, schema normalising), compiled and hashed for
 * the pins in one synchronous run of seconds: every other server's calls, the client's pings and the
 * shutdown signals waited behind it. Above SLICE_FROM items the steps now give the event loop back
 * between slices (core/sliced); a short list is done in one go as before, with no extra turn.
 * Ordering only (no timing): a callback queued for the next turn of the loop runs before the long
 * list's check ends, and before its pins gate is asked; for a 5-tool list it runs after both.
 */
import { expect, test } from "bun:test"
import fc from "fast-check"
import { checkList, checkListSliced, checkTools } from "../../src/catalog/index.ts"
import { SLICE_FROM } from "../../src/core/index.ts"
import { takePagesRead, type ToolGateFn } from "../../src/proxy/fetch-list.ts"
import type { ServerLists } from "../../src/proxy/surface.ts"

const tools = (n: number, tag = "") =>
  Array.from({ length: n }, (_, i) => ({
    name: `tool_${i}${tag}`,
    description: `Does thing ${i} with words ${i % 97} and ${i % 13}.`,
    inputSchema: { type: "object", properties: { [`p_${i}`]: { type: "string", description: `argument of ${i}` } } },
  }))

/** Whether a callback queued for the next turn of the event loop ran before `work` ended. */
async function turnedDuring(work: () => Promise<unknown>): Promise<boolean> {
  let turned = false
  setImmediate(() => (turned = true))
  await work()
  return turned
}

test("checking 10 000 tools gives the loop back; 5 tools take no extra turn", async () => {
  expect(await turnedDuring(() => checkTools(tools(10_000)))).toBe(true)
  expect(await turnedDuring(() => checkTools(tools(5)))).toBe(false)
  expect(await turnedDuring(() => checkListSliced("prompt", Array.from({ length: 5_000 }, (_, i) => ({ name: `p${i}` }))))).toBe(true)
})

test("the pins gate of a long first listing is asked after turns of the loop (hashes made in slices); a short one's at once", async () => {
  for (const [n, expected] of [
    [10_000, true],
    [5, false],
  ] as const) {
    let turned = false
    let turnedBeforeGate: boolean | undefined
    const gate: ToolGateFn = (_s, t) => ((turnedBeforeGate = turned), t)
    const e: ServerLists = { server: "big", toolPagesRead: { items: tools(n), pages: 1 } }
    setImmediate(() => (turned = true))
    expect(await takePagesRead(e, gate)).toBe(true)
    expect(e.tools?.length).toBe(n)
    expect(turnedBeforeGate).toBe(expected)
  }
})

test("the sliced check keeps, repairs and drops exactly what the one-go check does (duplicates, invalid items)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: SLICE_FROM * 3 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 40 }), async (n, dupEvery, badEvery) => {
      const raw: unknown[] = tools(n).map((t, i) => (i % badEvery === 0 ? { ...t, name: 7 } : i % dupEvery === 0 && i > 0 ? { ...t, name: `tool_${i - 1}` } : t))
      const one = checkList("tool", raw)
      const sliced = await checkListSliced("tool", raw)
      expect(sliced.items).toEqual(one.items)
      expect(sliced.issues).toEqual(one.issues)
      expect(sliced.sources).toEqual(one.sources)
    }),
    { numRuns: 25 },
  )
})
