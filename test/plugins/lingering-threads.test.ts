/**
 * @module test/plugins/lingering-threads
 * A watchdog kill cannot stop a worker thread inside native operations that never reach the
 * interrupt handler (a million-bit BigInt written in decimal): the thread runs on, holding a core
 * and every sandbox memory on it, and the next request starts a fresh worker. Before the cap,
 * plugin files killed one after another piled such threads up without bound (10 000 such files:
 * 10 000 threads spinning, each with its memory). Now at most MAX_LINGERING_WORKERS stopped threads
 * live at once. While they do, a load or call that needs a new worker waits (bounded) for one to
 * end: before, it failed at once, the file stayed failed until it changed, and a `tools` hook's
 * refusal counted as its own fault (3 turned it off) though the stuck threads were another
 * plugin's. The tests lower the cap so that one spinning thread reaches it. Real plugin files, the
 * real sandbox (PluginHost); no timed assertion: the tests wait for loads and calls to end, then
 * for the stopped thread to end.
 */
import { afterAll, afterEach, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { lingeringWorkers, MAX_LINGERING_WORKERS, setMaxLingeringWorkers, setWorkerSlotWait, WORKER_SLOT_WAIT_MS } from "../../src/sandbox/spawn.ts"

const root = mkdtempSync(join(tmpdir(), "mcpo-linger-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let dirs = 0
function pluginDir(files: Record<string, string>): string {
  const dir = join(root, `plugins${dirs++}`)
  mkdirSync(dir)
  for (const [name, code] of Object.entries(files)) writeFileSync(join(dir, name), code)
  return dir
}

/**
 * A million-bit BigInt written in decimal, twice, in straight-line code (no loop, so no interrupt
 * check between them): seconds of native work on a 2-core test machine, past the load deadline.
 * (The compile of tens of thousands of declarations, the shape first found, is now refused before
 * QuickJS compiles it: test/plugins/compile-budget.test.ts.)
 */
const SPIN = `const x = (1n << 1048000n) - 1n; const p = [(x + "").length, (x + "").length]`
const tool = (name: string) => ({ name, description: "d", inputSchema: { type: "object" as const } })

const wasCap = MAX_LINGERING_WORKERS
afterEach(async () => {
  setMaxLingeringWorkers(wasCap)
  setWorkerSlotWait(WORKER_SLOT_WAIT_MS)
  // the stopped thread ends when its native step does: wait for it (not a timing assertion), so it
  // neither counts against the cap nor burns a core in the tests that follow
  for (let i = 0; i < 6000 && lingeringWorkers() > 0; i++) await Bun.sleep(50)
  expect(lingeringWorkers()).toBe(0)
}, 360_000)

test("a plugin file whose module evaluation spins in native code is killed; the next file waits for its thread to end and loads", async () => {
  expect(MAX_LINGERING_WORKERS).toBe(4)
  const dir = pluginDir({
    "0-spin.js": `${SPIN}\nexport default { name: "spin", tools(t) { return t } }\n`,
    "1-ok.js": `export default { name: "ok", tools(t) { return t.filter((x) => x.name !== "s__hidden") } }\n`,
  })
  setMaxLingeringWorkers(1)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, separator: "__", loadBudget: 120_000 })
  const list = host.list()
  if (process.env.MCPO_TEST_VERBOSE) console.error(list.map((p) => p.lastError))
  expect(list.map((p) => p.state)).toEqual(["failed", "active"])
  expect(list[0]!.lastError).toContain("worker killed")
  expect((await host.filterTools([tool("s__a"), tool("s__hidden")])).map((t) => t.name)).toEqual(["s__a"])
}, 360_000)

test("while the cap refuses a worker (past the wait), a tools hook's call is skipped but never counted as its fault, so it is not turned off", async () => {
  const dir = pluginDir({
    "0-spin.js": `export default { name: "spin", tools(t) { ${SPIN}; return t } }\n`,
    "1-ok.js": `export default { name: "ok", tools(t) { return t.filter((x) => x.name !== "s__hidden") } }\n`,
  })
  // one kill turns the spin hook off here (the default takes 3 within 5 min: test/plugins/watchdog-budget.test.ts)
  await using host = await PluginHost.create({ dirs: [dir], log: silentLogger, separator: "__", loadBudget: 120_000, limits: { watchdogKillsToOff: 1 } })
  expect(host.list().map((p) => p.state)).toEqual(["active", "active"])
  // no new worker may start, and no wait: the spin hook's kill stops the shared lane's worker, so
  // every later call of "ok" needs a new one and is refused (as while 4 stuck threads live)
  setMaxLingeringWorkers(0)
  setWorkerSlotWait(0)
  const tools = [tool("s__a"), tool("s__hidden")]
  for (let i = 0; i < 5; i++) expect((await host.filterTools(tools)).length).toBe(2)
  const ok = host.list()[1]!
  expect(ok.lastError).toContain("plugin sandboxes are unavailable")
  expect(ok.hookFaults?.tools).toBeUndefined()
  expect(ok.hooksOff).toBeUndefined()
  setMaxLingeringWorkers(wasCap)
  // once a worker may start again, the hook runs as before
  expect((await host.filterTools(tools)).map((t) => t.name)).toEqual(["s__a"])
  expect(host.list()[0]!.hooksOff?.tools).toContain("killed by the watchdog")
}, 360_000)
