/**
 * Exposed names (catalog/namespace): valid, within budget, injective, independent of input order.
 * Regression (QA): a name over `proxy.nameBudget` lost its tool part entirely (a long server name
 * cut to the budget, then the hash): every tool of such a server read alike. The server part is
 * cut first (to no less than its first SERVER_KEEP characters), then the tool part.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { assignNames, namePrefix } from "../../src/catalog/index.ts"
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

  test("dots are sanitized, long names truncated with a hash, collisions resolved (a name needing no change keeps it)", () => {
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
    // the name that needs no change keeps it; the sanitized one takes the hash
    expect(by.get("x_y")!.exposed).toBe("s__x_y")
    expect(by.get("x.y")!.adjusted).toBe("collision")
    expect(by.get("x.y")!.exposed).toMatch(/^s__x_y_[0-9a-f]{6}$/)
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

  const LONG_A = "my-extremely-long-server-name-for-everything-reference-server-a"
  const LONG_B = "my-extremely-long-server-name-for-everything-reference-server-b"
  const EVERYTHING_TOOLS = ["echo", "get-tiny-image", "get-annotated-message", "trigger-long-running-operation", "get-resource-reference"]

  test("over the budget, the server part is cut first and the tool part stays (QA: long.yaml at nameBudget 40)", () => {
    const reqs = [LONG_A, LONG_B].flatMap((server) => EVERYTHING_TOOLS.map((name) => ({ server, name })))
    const out = assignNames(reqs, { ...ns, budget: 40 })
    for (const e of out) {
      expect(e.adjusted).toBe("truncated")
      expect(e.exposed.length).toBeLessThanOrEqual(40)
      expect(e.exposed).toMatch(EXPOSED_TOOL_NAME_RE)
      // a readable prefix of the server, the separator, the whole tool name, the hash
      expect(e.exposed).toStartWith("my-extre")
      // 40 − 7 (hash) − 8 (server) − 2 (separator): tool names up to 23 characters stay whole
      if (e.name.length <= 23) expect(e.exposed).toEndWith(`__${e.name}_${e.exposed.slice(-6)}`)
      else expect(e.exposed).toStartWith(`my-extre__${e.name.slice(0, 23)}_`)
    }
    expect(new Set(out.map((e) => e.exposed)).size).toBe(reqs.length)
    // the longest server prefix that leaves the tool name whole
    expect(out.find((e) => e.server === LONG_A && e.name === "echo")!.exposed).toMatch(/^my-extremely-long-server-na__echo_[0-9a-f]{6}$/)
    // a tool name too long for even the shortest server part: cut after the server's first 8 characters
    const long = assignNames([{ server: LONG_A, name: "a_tool_name_that_is_far_too_long_for_any_budget" }], { ...ns, budget: 40 })[0]!
    expect(long.exposed).toMatch(/^my-extre__a_tool_name_that_is_far_[0-9a-f]{6}$/)
    expect(long.exposed.length).toBe(40)
  })

  test("the same pair gets the same name in every run (golden values)", () => {
    const out = assignNames(
      [
        { server: LONG_A, name: "echo" },
        { server: LONG_A, name: "a_tool_name_that_is_far_too_long_for_any_budget" },
        { server: "s", name: "x.y" },
        { server: "s", name: "x_y" },
      ],
      { ...ns, budget: 40 },
    )
    expect(out.map((e) => e.exposed)).toEqual(["my-extre__a_tool_name_that_is_far_4c45f5", "my-extremely-long-server-na__echo_fd25f1", "s__x_y", "s__x_y_9e023c"])
    // s__x_y is x_y's (the name needing no change); x.y has the hash
    expect(out.find((e) => e.name === "x_y")!.exposed).toBe("s__x_y")
  })

  test("a collision keeps the tool part too: the server part is cut first", () => {
    const server = "a-server-name-long-enough-to-matter"
    // two tools that read alike once sanitized; the second one's name must be cut to fit its hash
    const out = assignNames(
      [
        { server, name: "read.file_with_a_long_name" },
        { server, name: "read_file_with_a_long_name" },
      ],
      { ...ns, budget: 64 },
    )
    const second = out.find((e) => e.adjusted === "collision")!
    expect(second.exposed.length).toBeLessThanOrEqual(64)
    expect(second.exposed).toMatch(/__read_file_with_a_long_name_[0-9a-f]{6}$/)
  })

  /**
   * `exposed` = a prefix of the server ≥ its first 8 characters + separator + a prefix of the tool
   * + `_` hash? The longest such tool prefix's length (a `_` in the names can be read more than one
   * way), or undefined when it is not of that shape.
   */
  function toolPartOf(exposed: string, server: string, tool: string, sep: string): number | undefined {
    if (!/_[0-9a-f]{6}$/.test(exposed)) return undefined
    const stem = exposed.slice(0, -7)
    let best: number | undefined
    for (let a = server.length; a >= Math.min(server.length, 8); a--) {
      const head = server.slice(0, a) + sep
      if (stem.startsWith(head) && tool.startsWith(stem.slice(head.length))) best = Math.max(best ?? 0, stem.length - head.length)
    }
    return best
  }

  test("property: valid, within budget, injective, deterministic; the tool part is kept whenever the budget leaves room for it", () => {
    const part = fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/)
    const pair = fc.record({ server: part, name: part })
    fc.assert(
      fc.property(fc.uniqueArray(pair, { selector: (r) => `${r.server}/${r.name}`, minLength: 1, maxLength: 12 }), fc.integer({ min: 8, max: 64 }), fc.constantFrom("__", "_", "-", "x"), (reqs, budget, separator) => {
        const opts = { separator, budget, passthrough: false }
        const a = assignNames(reqs, opts)
        expect(assignNames([...reqs].reverse(), opts)).toEqual(a)
        expect(new Set(a.map((e) => e.exposed)).size).toBe(reqs.length)
        const room = budget - 7
        for (const e of a) {
          expect(e.exposed).toMatch(EXPOSED_TOOL_NAME_RE)
          expect(e.exposed.length).toBeLessThanOrEqual(budget)
          // every name of a server begins with its prefix, cut to the room before a hash (proxy/surface's family key)
          expect(e.exposed).toStartWith(namePrefix(e.server, separator).slice(0, room))
          if (e.adjusted === undefined) {
            expect(e.exposed).toBe(`${e.server}${separator}${e.name}`)
            continue
          }
          const kept = Math.min(e.server.length, 8)
          if (room < kept + separator.length) continue // not even the server prefix and the separator fit
          const tool = toolPartOf(e.exposed, e.server, e.name, separator)
          expect(tool).toBeDefined()
          // as much of the tool as fits after the shortest server part
          expect(tool!).toBeGreaterThanOrEqual(Math.min(e.name.length, room - kept - separator.length))
          if (room - kept - separator.length >= 3) expect(tool!).toBeGreaterThanOrEqual(Math.min(3, e.name.length))
        }
      }),
      { numRuns: 1000 },
    )
  })
})

describe("names in other scripts (qa151)", () => {
  const exposedOf = (names: string[], server = "s"): Map<string, string> => new Map(assignNames(names.map((name) => ({ server, name })), ns).map((e) => [e.name, e.exposed]))

  test("letters with marks keep their base letter; NFKD-whole Latin letters and fullwidth forms are spelled out", () => {
    const m = exposedOf(["ünïcode_tööl", "café", "cafe\u0301_2", "straße", "Ærø", "ｆｕｌｌ", "ﬁle", "get_検索"])
    expect(m.get("ünïcode_tööl")).toBe("s__unicode_tool") // was s___n_code_t__l
    expect(m.get("café")).toBe("s__cafe")
    expect(m.get("cafe\u0301_2")).toBe("s__cafe_2") // sent decomposed: the mark alone goes
    expect(m.get("straße")).toBe("s__strasse")
    expect(m.get("Ærø")).toBe("s__AEro")
    expect(m.get("ｆｕｌｌ")).toBe("s__full")
    expect(m.get("ﬁle")).toBe("s__file")
    expect(m.get("get_検索")).toBe("s__get___") // no ASCII reading: `_` as before (its name does not change)
  })

  test("a name with nothing readable is server<sep>tool_ + its hash, whatever else the server lists", () => {
    const alone = exposedOf(["日本語"]).get("日本語")!
    expect(alone).toMatch(/^s__tool_[0-9a-f]{6}$/)
    // before, 日本語 was s______ (one `_` per character) and 🔥🔥 took the same name, so which got a hash depended on the list
    const m = exposedOf(["日本語", "🔥🔥", "...", "", "ok"])
    expect(m.get("日本語")).toBe(alone)
    expect(new Set(m.values()).size).toBe(5)
    for (const n of ["🔥🔥", "...", ""]) expect(m.get(n)).toMatch(/^s__tool_[0-9a-f]{6}$/)
    // a name of valid characters only stays as it is
    expect(exposedOf(["_", "-"]).get("_")).toBe("s___")
    // a real tool named like the fallback keeps its name
    const real = alone.slice(3)
    const both = exposedOf(["日本語", real])
    expect(both.get(real)).toBe(alone)
    expect(both.get("日本語")).not.toBe(alone)
    expect(exposedOf(["日本語"]).get("日本語")).toBe(exposedOf(["日本語"], "s").get("日本語"))
    expect(assignNames([{ server: "x", name: "🔥" }], { ...ns, passthrough: true })[0]!.exposed).toMatch(/^tool_[0-9a-f]{6}$/)
  })

  test("property: any names (every script, hidden characters, emoji) get valid, distinct names under their server's prefix, in any order", () => {
    const name = fc.string({ unit: "grapheme", maxLength: 70 })
    const server = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/)
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ server, name }), { selector: (r) => `${r.server}\u0000${r.name}`, minLength: 1, maxLength: 12 }), fc.integer({ min: 8, max: 64 }), (reqs, budget) => {
        const opts = { ...ns, budget }
        const a = assignNames(reqs, opts)
        expect(assignNames([...reqs].reverse(), opts)).toEqual(a)
        expect(new Set(a.map((e) => e.exposed)).size).toBe(reqs.length)
        for (const e of a) {
          expect(e.exposed).toMatch(EXPOSED_TOOL_NAME_RE)
          expect(e.exposed.length).toBeLessThanOrEqual(budget)
          expect(e.exposed).toStartWith(namePrefix(e.server, "__").slice(0, budget - 7))
        }
      }),
      { numRuns: 500 },
    )
  })
})
