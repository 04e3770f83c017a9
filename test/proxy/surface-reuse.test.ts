/**
 * buildNamed (proxy/surface) reuses the sanitized and namespaced copies of definitions whose source
 * objects did not change, so a list change of one server does not make every definition new (the
 * outgoing redaction memo works per object). Reuse must not change what is served or logged.
 */
import { expect, test } from "bun:test"
import { buildNamed, type ServerLists } from "../../src/proxy/surface.ts"
import type { Tool } from "../../src/proxy/types.ts"
import { captureLog } from "./helpers.ts"

const NS = { separator: "__", budget: 64, passthrough: false }
const tool = (name: string, description = "plain"): Tool => ({ name, description, inputSchema: { type: "object" } }) as Tool

test("a rebuild keeps the objects of unchanged servers and serves the changed server's new list", () => {
  const { log } = captureLog()
  const a: ServerLists = { server: "a", tools: [tool("x"), tool("y")] }
  const b1: ServerLists = { server: "b", tools: [tool("x")] }
  const first = buildNamed([a, b1], (l) => l.tools, NS, log, "tool", { maxDescription: 1000 })
  const b2: ServerLists = { server: "b", tools: [tool("x_v2")] }
  const second = buildNamed([a, b2], (l) => l.tools, NS, log, "tool", { maxDescription: 1000 })

  expect(second.items.map((t) => t.name)).toEqual(["a__x", "a__y", "b__x_v2"])
  for (const name of ["a__x", "a__y"]) expect(second.items.find((t) => t.name === name)).toBe(first.items.find((t) => t.name === name)!)
  expect(a.tools![0]!.name).toBe("x") // sources untouched
})

test("a reused sanitized definition is logged again on every rebuild, and other limits are honoured", () => {
  const { log, records } = captureLog()
  // (the cap counts the truncation note, ~50 characters: caps the note fits in)
  const long: ServerLists = { server: "s", tools: [tool("t", "d".repeat(300))] }
  const short = buildNamed([long], (l) => l.tools, NS, log, "tool", { maxDescription: 100 })
  buildNamed([long], (l) => l.tools, NS, log, "tool", { maxDescription: 100 })
  expect(records.filter((r) => r.msg === "tool description truncated")).toHaveLength(2)
  const wide = buildNamed([long], (l) => l.tools, NS, log, "tool", { maxDescription: 200 })
  expect(wide.items[0]!.description!.length).toBeGreaterThan(short.items[0]!.description!.length)
  expect(wide.items[0]!.description!.length).toBeLessThanOrEqual(200)
})
