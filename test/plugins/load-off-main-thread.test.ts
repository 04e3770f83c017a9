/**
 * Loading a plugin does nothing on the main thread that grows with the file: its TypeScript is
 * stripped (Bun.Transpiler + the line alignment, ~0.1 s per MB) and its compile estimate taken
 * (sandbox/compile-budget, 0.05–1 s per MB) on the sandbox's worker. Both ran on the main thread,
 * file after file at start, where they held every client's requests and a stop
 * (test/faults/shutdown-plugin-load.test.ts). Checked here by watching the main thread's
 * transpiler: it is never called, and the plugin loads with its errors mapped to the source lines.
 */
import { afterEach, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { DEFAULT_PLUGIN_LIMITS } from "../../src/plugin/index.ts"
import { Plugin } from "../../src/plugin/loader.ts"
import { tempDir } from "../helpers/binary.ts"

const original = Bun.Transpiler.prototype.transformSync
afterEach(() => {
  Bun.Transpiler.prototype.transformSync = original
})

test("a TypeScript plugin is transpiled on its worker, not the main thread; fault lines still map to the source", async () => {
  let onMain = 0
  Bun.Transpiler.prototype.transformSync = function (this: InstanceType<typeof Bun.Transpiler>, ...args: Parameters<typeof original>) {
    onMain++
    return original.apply(this, args)
  } as typeof original
  const file = join(tempDir("mcpo-ts-plugin-"), "typed.ts")
  writeFileSync(
    file,
    [
      "type Shape = { name: string }",
      "interface Extra { n: number }",
      "const shape: Shape = { name: 'typed' }",
      "export default {",
      "  name: shape.name,",
      "  tools(tools: unknown[]): unknown[] {",
      "    const e: Extra = { n: 1 }",
      "",
      "    if (e.n === 1) throw new Error('boom')",
      "    return tools",
      "  },",
      "}",
    ].join("\n"),
  )
  await using p = await Plugin.load(file, DEFAULT_PLUGIN_LIMITS, silentLogger)
  expect(p.lastError?.message).toBeUndefined()
  expect(p.state).toBe("active")
  expect(p.name).toBe("typed")
  const err = await p.filterTools([]).catch((e: unknown) => e as Error)
  expect(String((err as Error).message)).toContain("typed.ts:9")
  expect(onMain).toBe(0)
})
