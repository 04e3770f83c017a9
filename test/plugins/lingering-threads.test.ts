/**
 * @module test/plugins/lingering-threads
 * A watchdog kill cannot stop a worker thread inside native operations that never reach the
 * interrupt handler (a million-bit BigInt written in decimal): the thread runs on, holding a core and every sandbox memory
 * on it, and the next request starts a fresh worker. Before the fix, plugin files killed one after
 * another piled such threads up without bound (10 000 such files: 10 000 threads spinning, each
 * with its memory). Now at most MAX_LINGERING_WORKERS stopped threads live at once: past that, a
 * load or call fails at once saying why, starting nothing. The test lowers the cap to 1 so that one
 * spinning thread reaches it. Real plugin files, the real sandbox (PluginHost); no timed
 * assertion: the test waits for the loads to end, then for the stopped thread to end.
 */
import { afterAll, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { lingeringWorkers, MAX_LINGERING_WORKERS, setMaxLingeringWorkers } from "../../src/sandbox/spawn.ts"

const root = mkdtempSync(join(tmpdir(), "mcpo-linger-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/**
 * A million-bit BigInt written in decimal, three times, in straight-line code (no loop, so no
 * interrupt check between them): seconds of native work each on a 2-core test machine, far past
 * the load deadline. (The compile of tens of thousands of declarations, the shape first found, is
 * now refused before QuickJS compiles it: test/plugins/compile-budget.test.ts.)
 */
const spinner = (name: string): string => `const x = (1n << 1048000n) - 1n\nconst p = [String(x).length, String(x).length, String(x).length]\nexport default { name: "${name}", tools(t) { return t } }\n`

test("a plugin file whose module evaluation spins in native code: its killed thread counts against the cap, and the next load fails at once, saying why", async () => {
  expect(MAX_LINGERING_WORKERS).toBe(4)
  const dir = join(root, "plugins")
  mkdirSync(dir)
  writeFileSync(join(dir, "spin0.js"), spinner("spin0"))
  writeFileSync(join(dir, "spin1.js"), spinner("spin1"))
  const was = setMaxLingeringWorkers(1)
  try {
    await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, separator: "__", loadBudget: 120_000 })
    const list = host.list()
    if (process.env.MCPO_TEST_VERBOSE) console.error(list.map((p) => p.lastError))
    expect(list.map((p) => p.state)).toEqual(["failed", "failed"])
    expect(list[0]!.lastError).toContain("worker killed")
    expect(list[1]!.lastError).toMatch(/spin1\.js:1: plugin sandboxes are unavailable: 1 plugin worker threads the watchdog stopped are still inside a native operation that cannot be interrupted/)
  } finally {
    setMaxLingeringWorkers(was)
    // the stopped thread ends when its native step does: wait for it (not a timing assertion), so it
    // neither counts against the cap nor burns a core in the tests that follow
    for (let i = 0; i < 6000 && lingeringWorkers() > 0; i++) await Bun.sleep(50)
  }
  expect(lingeringWorkers()).toBe(0)
}, 360_000)
