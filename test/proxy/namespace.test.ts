/**
 * Exposed names (catalog/namespace): valid, within budget, injective, independent of input order.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { assignNames } from "../../src/catalog/index.ts"
import { EXPOSED_TOOL_NAME_RE } from "../../src/core/index.ts"

const ns = { separator: "__", budget: 60, passthrough: false }

describe("assignNames", () => {
  test("plain names are server__tool, sorted", () => {
    const out = assignNames(
      [
        { server: "mem", name: "read_graph" },
        { server: "everything", name: "echo" },
      ],
      ns,
    )
    expect(out.map((e) => e.exposed)).toEqual(["everything__echo", "mem__read_graph"])
    expect(out.every((e) => e.adjusted === undefined)).toBe(true)
  })

  test("dots are sanitized, long names truncated with a hash, collisions resolved (first keeps the plain name)", () => {
    const long = "a".repeat(80)
    const out = assignNames(
      [
        { server: "s", name: "x.y" },
        { server: "s", name: "x_y" },
        { server: "srv", name: long },
        { server: "srv", name: long + "b" },
      ],
      ns,
    )
    const by = new Map(out.map((e) => [e.name, e]))
    expect(by.get("x.y")!.exposed).toBe("s__x_y")
    expect(by.get("x_y")!.adjusted).toBe("collision")
    expect(by.get("x_y")!.exposed).toMatch(/^s__x_y_[0-9a-f]{6}$/)
    expect(by.get(long)!.exposed.length).toBe(60)
    expect(by.get(long)!.exposed).not.toBe(by.get(long + "b")!.exposed)
  })

  test("passthrough: no prefix", () => {
    expect(assignNames([{ server: "a", name: "echo" }], { ...ns, passthrough: true })[0]!.exposed).toBe("echo")
  })

  test("property: valid, ≤ budget, injective, order-independent", () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,128}$/)
    const server = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/)
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ server, name }), { selector: (r) => `${r.server}/${r.name}`, maxLength: 30 }), fc.integer({ min: 8, max: 64 }), (reqs, budget) => {
        const a = assignNames(reqs, { ...ns, budget })
        const b = assignNames([...reqs].reverse(), { ...ns, budget })
        expect(a).toEqual(b)
        expect(new Set(a.map((e) => e.exposed)).size).toBe(reqs.length)
        for (const e of a) {
          expect(e.exposed).toMatch(EXPOSED_TOOL_NAME_RE)
          expect(e.exposed.length).toBeLessThanOrEqual(budget)
        }
      }),
      { numRuns: 500 },
    )
  })
})
