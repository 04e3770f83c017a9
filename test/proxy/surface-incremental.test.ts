/**
 * NamedSurface (proxy/surface) keeps the aggregated surface per server and per name family: after
 * any sequence of per-server changes it must equal a from-scratch `buildNamed` of the same lists —
 * the same exposed names in the same order, the same routes, the same bytes of the list answer.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { listChunks } from "../../src/core/list-json.ts"
import { buildNamed, familyKey, NamedSurface, type Named, type ServerLists } from "../../src/proxy/surface.ts"
import type { Tool } from "../../src/proxy/types.ts"
import { captureLog } from "./helpers.ts"

type Ns = { separator: string; budget: number; passthrough: boolean }
const { log } = captureLog()
const tool = (name: string, description: string): Tool => ({ name, description, inputSchema: { type: "object" } }) as Tool

// small alphabets on purpose: servers whose prefixes nest ("a", "a_", "a__b"), sanitize alike
// ("a.b" / "a_b"), exceed a small budget; tool names that collide after sanitizing or truncation
const serverName = fc.constantFrom("a", "a_", "a__b", "a_b", "a.b", "ab", "b", "b__", "x".repeat(30), "x".repeat(31), "s07", "s1")
const toolName = fc.oneof(
  fc.constantFrom("t", "t.x", "t_x", "b__t", "_b", "x", "t_v2"),
  fc.stringMatching(/^[a-z_.]{1,6}$/),
  fc.constantFrom("y".repeat(70), "y".repeat(71)),
)
const description = fc.constantFrom("plain", "d".repeat(40), "hidden\u200bchar")
const toolList = fc.array(fc.tuple(toolName, description), { maxLength: 8 }).map((ts) => ts.map(([n, d]) => tool(n, d)))
const nsArb: fc.Arbitrary<Ns> = fc.record({ separator: fc.constantFrom("__", "_", "-", "x"), budget: fc.integer({ min: 8, max: 64 }), passthrough: fc.boolean() })

type Op =
  | { op: "set"; server: string; tools: Tool[] }
  | { op: "tweak"; server: string; index: number; name: string }
  | { op: "remove"; server: string }
  | { op: "same" }
  | { op: "ns"; ns: Ns }
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("set" as const), server: serverName, tools: toolList }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("tweak" as const), server: serverName, index: fc.nat(7), name: toolName }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("remove" as const), server: serverName }) },
  { weight: 1, arbitrary: fc.constant({ op: "same" as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("ns" as const), ns: nsArb }) },
)

function bytes(items: readonly unknown[]): string {
  return Buffer.concat(listChunks(items, '{"tools":[', "]}")).toString("utf8")
}

function expectSame(inc: Named<Tool>, ref: Named<Tool>): void {
  expect(inc.items.map((t) => t.name)).toEqual(ref.items.map((t) => t.name))
  expect(inc.items).toEqual(ref.items)
  expect([...inc.routes].sort()).toEqual([...ref.routes].sort())
  expect(bytes(inc.items)).toBe(JSON.stringify({ tools: ref.items }))
}

describe("NamedSurface", () => {
  test("property: after any sequence of per-server changes it equals a from-scratch build", () => {
    fc.assert(
      fc.property(fc.dictionary(serverName, toolList, { maxKeys: 6 }), nsArb, fc.array(opArb, { maxLength: 12 }), fc.boolean(), (fleet, ns0, ops, sanitize) => {
        const lists = new Map<string, ServerLists>(Object.entries(fleet).map(([server, tools]) => [server, { server, tools }]))
        let ns = ns0
        const san = sanitize ? { maxDescription: 20 } : undefined
        const surface = new NamedSurface<Tool>("tool", log)
        const check = () => {
          // entries in insertion order, as the proxy's map hands them
          const ls = [...lists.values()]
          expectSame(surface.build(ls, (l) => l.tools, ns, san), buildNamed(ls, (l) => l.tools, ns, log, "tool", san))
        }
        check()
        for (const o of ops) {
          if (o.op === "set") lists.set(o.server, { server: o.server, tools: o.tools })
          else if (o.op === "remove") lists.delete(o.server)
          else if (o.op === "ns") ns = o.ns
          else if (o.op === "tweak") {
            // a new array sharing the other definitions (what a re-list of one changed tool gives)
            const old = lists.get(o.server)?.tools ?? []
            const tools = [...old]
            if (tools.length > 0) tools[o.index % tools.length] = tool(o.name, "tweaked")
            else tools.push(tool(o.name, "new"))
            lists.set(o.server, { server: o.server, tools })
          }
          check()
        }
      }),
      { numRuns: 400 },
    )
  })

  test("a change of one server renames only its family; other families keep their objects", () => {
    const ns = { separator: "__", budget: 64, passthrough: false }
    const surface = new NamedSurface<Tool>("tool", log)
    const a: ServerLists = { server: "a", tools: [tool("b__t", "p"), tool("x", "p")] }
    const ab: ServerLists = { server: "a__b", tools: [tool("t", "p")] }
    const c: ServerLists = { server: "c", tools: [tool("t", "p")] }
    const first = surface.build([a, ab, c], (l) => l.tools, ns)
    // a__b__t is claimed by server a first ((server, name) order): a__b's tool gets a hash suffix
    expect(first.routes.get("a__b__t")).toEqual({ server: "a", name: "b__t" })
    expect(first.items.map((t) => t.name)).toEqual(["a__b__t", expect.stringMatching(/^a__b__t_[0-9a-f]{6}$/), "a__x", "c__t"])
    const cTool = first.items.at(-1)
    // a drops the tool: a__b's gets the plain name back, c is untouched
    const a2: ServerLists = { server: "a", tools: [tool("x", "p")] }
    const second = surface.build([a2, ab, c], (l) => l.tools, ns)
    expect(second.items.map((t) => t.name)).toEqual(["a__b__t", "a__x", "c__t"])
    expect(second.routes.get("a__b__t")).toEqual({ server: "a__b", name: "t" })
    expect(second.routes.size).toBe(3)
    expect(second.items.at(-1)).toBe(cTool!)
  })

  test("family keys: nested and sanitized-alike servers share a prefix, passthrough shares one key", () => {
    const ns = { separator: "__", budget: 64, passthrough: false }
    expect(familyKey("a__b", ns).startsWith(familyKey("a", ns))).toBe(true)
    expect(familyKey("a.b", ns)).toBe(familyKey("a_b", ns))
    expect(familyKey("s07", ns).startsWith(familyKey("s08", ns))).toBe(false)
    expect(familyKey("x".repeat(40), { ...ns, budget: 10 })).toBe("xxx")
    expect(familyKey("s07", { ...ns, passthrough: true })).toBe("")
  })
})
