/**
 * Saving a valid plugin file while calls run through it: each call finishes under the version it
 * started with, or runs under the new one — never "was unloaded (its file changed or was removed)".
 * Before, about one call in flight per save failed with PLUGIN_DISABLED.
 */
import { afterAll, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost, type PluginChange } from "../../src/plugin/index.ts"

const dir = mkdtempSync(join(tmpdir(), "mcpo-reload-inflight-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A route rule that takes ~150 ms (well under its deadline) and says which version decided. */
const version = (v: number): string =>
  `export default { name: "slow", route(c) { const until = Date.now() + 150; while (Date.now() < until) {} return { args: { ...c.args, v: ${v} } } } }\n`

test("route calls under way when the file is saved again finish (old or new version), none fails", async () => {
  const file = join(dir, "slow.js")
  writeFileSync(file, version(1))
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, watch: true, builtinPrompts: false, limits: { routeDeadline: 2000 } })
  const seen: unknown[] = []
  const failures: string[] = []
  let saves = 0
  const changed = (): Promise<PluginChange> => new Promise((resolve) => {
    const off = host.onChange((e) => {
      off()
      resolve(e)
    })
  })
  // calls keep running on two lanes' worth of concurrency while the file is saved 4 times
  let running = true
  const callers = Array.from({ length: 3 }, async () => {
    while (running) {
      try {
        const d = await host.route({ server: "s", tool: "t", args: {} })
        seen.push((d as { args?: { v?: number } } | undefined)?.args?.v)
      } catch (e) {
        failures.push((e as Error).message)
      }
    }
  })
  for (let v = 2; v <= 5; v++) {
    await Bun.sleep(100)
    const c = changed()
    writeFileSync(file, version(v))
    await c
    saves++
  }
  await Bun.sleep(200)
  running = false
  await Promise.all(callers)
  expect(saves).toBe(4)
  expect(failures).toEqual([])
  // the calls ran under old and new versions alike
  expect(seen).toContain(1)
  expect(seen).toContain(5)
}, 30_000)
