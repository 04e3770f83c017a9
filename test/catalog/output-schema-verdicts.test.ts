/**
 * Verdicts on output schemas are remembered by a fixed-size keyed hash, not the schema's text
 * (qa289: up to 2 000 texts of up to 512 KiB each were kept for the run). Verdicts are unchanged,
 * also when repeated from the cache.
 */
import { expect, test } from "bun:test"
import { compileErrors, verdictKeys } from "../../src/catalog/output-schema.ts"

test("verdicts are right, also from the cache, and what is kept is no schema text", async () => {
  const big = { type: "object", properties: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field_${i}`, { type: "string", description: "x".repeat(100) }])) }
  const bad = { type: "object", properties: { a: { type: "integer64" } } }
  const first = await compileErrors([big, bad])
  const again = await compileErrors([structuredClone(big), structuredClone(bad)])
  expect(first[0]).toBeUndefined()
  expect(first[1]).toBeString()
  expect(again).toEqual(first)
  const keys = verdictKeys()
  expect(keys.length).toBeGreaterThanOrEqual(2)
  expect(keys.filter((k) => typeof k === "string")).toEqual([])
})
