/**
 * @module test/plugins/route-args-depth
 * Arguments nesting deeper than route hooks are given (ROUTE_ARGS_MAX_DEPTH) are refused before any
 * hook runs, naming the limit, as arguments over plugins.routeArgsLimit are: not a fault of any
 * plugin's. Before, 20 000 levels (100 KB, far within the size limit) overflowed the sandbox's stack
 * while the input was decoded, and the call failed blaming the first plugin (`Plugin "defaults"
 * (defaults.js:1) failed in hook route: SyntaxError: stack overflow`), even one with no opinion on
 * the call; 1 000 levels ran a hook that returns the arguments (`{ ...call.args }`, as the docs
 * advise) past its deadline, QuickJS writing nested JSON in time quadratic in its depth.
 * Real plugin file, the real sandbox.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { ROUTE_ARGS_MAX_DEPTH } from "../../src/plugin/route-args.ts"

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-pldepth-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** `levels` levels of arrays and objects: the arguments object itself and what it holds. */
function nested(levels: number): Record<string, unknown> {
  let v: unknown = 1
  for (let i = 1; i < levels; i++) v = i % 2 ? { a: v } : [v]
  return { x: v }
}

test("arguments nesting past the limit are refused unchecked naming it; within it a hook that returns them keeps them whole; no plugin is blamed", async () => {
  writeFileSync(join(dir, "defaults.js"), `export default { name: "defaults", route(c) { if (c.tool === "fill") return { args: { limit: 10, ...c.args } } } }`)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  // at the limit: given to the hook, and written back whole
  const within = nested(ROUTE_ARGS_MAX_DEPTH)
  const d = (await host.route({ server: "s", tool: "fill", args: within })) as { args: Record<string, unknown> }
  expect(d.args).toEqual({ limit: 10, ...within })
  // a string full of brackets is no nesting
  expect(await host.route({ server: "s", tool: "other", args: { s: "{[".repeat(10_000) } })).toBeUndefined()
  for (const levels of [ROUTE_ARGS_MAX_DEPTH + 1, 1_000, 20_000]) {
    for (const tool of ["fill", "other"]) {
      const r = await host.route({ server: "s", tool, args: nested(levels) }).catch((e: unknown) => (e as Error).message)
      expect(r).toEqual({ deny: `its arguments nest more than ${ROUTE_ARGS_MAX_DEPTH} levels of arrays and objects deep; route plugins (defaults) are given at most ${ROUTE_ARGS_MAX_DEPTH}, so the call is refused unchecked` })
    }
  }
  expect(host.list()[0]).toMatchObject({ state: "active", faults: 0 })
})
