import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { importsOf, scan, violations } from "../../scripts/check-layers.ts"

const SRC = join(import.meta.dir, "..", "..", "src")

describe("layering of src/", () => {
  test("no lower layer imports a higher one; same-row and index-only rules hold", () => {
    const edges = scan(SRC)
    expect(edges.length).toBeGreaterThan(10)
    expect(violations(edges)).toEqual([])
  })

  test("the checker catches an upward import", () => {
    const edges = importsOf(join(SRC, "core", "x.ts"), 'import { serve } from "../app/index.ts"\n', SRC)
    expect(violations(edges)).toEqual(["src/core/x.ts:1: core (row 0) imports app (row 6), a higher layer"])
  })

  test("the checker catches same-row, forbidden and deep imports, and dynamic import()", () => {
    const text = [
      'import type { X } from "../cache/index.ts"',
      'export { y } from "../docker/index.ts"',
      'const m = await import("../core/logger.ts")',
    ].join("\n")
    const v = violations(importsOf(join(SRC, "docker", "a.ts"), text, SRC))
    expect(v).toEqual([
      "src/docker/a.ts:1: docker imports cache from the same row",
      "src/docker/a.ts:3: imports core/logger.ts; other folders import only from core/index.ts",
    ])
    expect(violations(importsOf(join(SRC, "plugin", "a.ts"), 'import { d } from "../docker/index.ts"', SRC))).toEqual(["src/plugin/a.ts:1: plugin may not import docker"])
  })

  test("allowed edges pass", () => {
    const v = violations(importsOf(join(SRC, "pool", "a.ts"), 'import { n } from "../catalog/index.ts"\nimport { c } from "../core/index.ts"', SRC))
    expect(v).toEqual([])
  })
})
