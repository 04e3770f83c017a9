/**
 * @module test/plugins/route-args-keys
 * Regression (QA 27 #3): the arguments a route hook returns were copied key by key (z.record), so
 * an own "__proto__" key (an argument the model sent, kept by `{ ...call.args, x: 1 }` as the docs
 * advise) set the copy's prototype instead and vanished: the downstream got other arguments than
 * the model sent. Now the arguments are taken as parsed: every key arrives, and no prototype is
 * set (nothing is polluted). Real plugin file, the real sandbox.
 */
import { afterEach, beforeEach, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mcpo-plargs-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test("a route hook that fills defaults keeps every argument, an own __proto__ key included, and sets no prototype", async () => {
  writeFileSync(
    join(dir, "defaults.js"),
    `export default { name: "defaults", route(c) {
      if (c.tool === "bad") return { args: [1] }
      return { args: { limit: 10, ...c.args } }
    } }`,
  )
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger })
  const args = JSON.parse('{"__proto__": {"admin": true}, "q": "x"}') as Record<string, unknown>
  const d = (await host.route({ server: "s", tool: "search", args })) as { args: Record<string, unknown> }
  expect(JSON.stringify(d.args)).toBe('{"limit":10,"__proto__":{"admin":true},"q":"x"}')
  expect(Object.keys(d.args)).toEqual(["limit", "__proto__", "q"])
  expect(Object.getPrototypeOf(d.args)).toBe(Object.prototype)
  expect((d.args as { admin?: unknown }).admin).toBeUndefined()
  expect(({} as { admin?: unknown }).admin).toBeUndefined()
  // what is not an object is still refused, saying what was expected
  // (awaited with .catch: bun's expect().rejects waits in a way that held back the worker's answer)
  const bad = await host.route({ server: "s", tool: "bad", args: {} }).then(
    () => "accepted",
    (e: Error) => e.message,
  )
  expect(bad).toContain("args: expected the arguments as an object")
})
