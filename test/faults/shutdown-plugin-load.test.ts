/**
 * A stop while large plugin files load: the compile estimate of each file (sandbox/compile-budget,
 * 0.05–1 s for a 0.8 MB file) ran on the main thread, one file after another, and the stop waited
 * for the whole directory: twenty such files pushed a SIGTERM or a closed stdin past the 1.8 s
 * shutdown budget (the process killed itself, "exiting now") and every file not yet loaded was
 * logged as an `error` ("plugin failed to load": "sandbox disposed"). Now the estimate runs on the
 * sandbox worker, a stop ends the load under way and loads nothing more, and says so once at info.
 * Through the compiled binary; the verdict is the log's, not a clock.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { ensureBuilt } from "../helpers/binary.ts"
import { pidServerWorld } from "../helpers/pid-world.ts"
import { BUDGET_OVERRUN, collect, exitCode, readUntil, waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const FILES = 20

/** ~0.78 MB of 17 000 top-level functions: costly to estimate (and over the estimate's limit). */
function hugePlugin(name: string): string {
  const fns: string[] = []
  for (let i = 0; i < 17_000; i++) fns.push(`function f${i}(a, b) { return a + b * ${i} }`)
  return `${fns.join("\n")}\nexport default { name: ${JSON.stringify(name)}, tools: { list: () => [] } }\n`
}

for (const how of ["SIGTERM", "stdin EOF"] as const) {
  test(`${how} while ${FILES} huge plugin files load: exit within the budget, initialize answered, no load error logged`, async () => {
    const world = pidServerWorld("plugin-stop", (at) => ({
      servers: {},
      settings: ['toolkit: { enabled: "off" }', `plugins: { dirs: [${JSON.stringify(at("plugins"))}] }`],
    }))
    mkdirSync(world.at("plugins"))
    const src = hugePlugin("huge")
    for (let i = 0; i < FILES; i++) writeFileSync(world.at(`plugins/huge${i}.js`), src.replace('name: "huge"', `name: "huge${i}"`))
    const p = world.start({ stdout: "pipe", stderr: "pipe" })
    const err = collect(p.stderr)
    // the stdio face answers initialize while the plugins load
    const out = await readUntil(p.stdout.getReader(), "\n")
    expect(JSON.parse(out.split("\n")[0]!)).toMatchObject({ id: 1, result: { protocolVersion: "2025-06-18" } })
    await waitFor("ready", () => err.now().includes('"msg":"ready"'), 20_000)
    if (how === "SIGTERM") p.kill("SIGTERM")
    else await p.stdin.end()
    expect(await exitCode(p)).toBe(0)
    const log = await err.all
    expect(log).not.toMatch(BUDGET_OVERRUN)
    expect(log).not.toContain("exiting now")
    // the stop came while files were loading (the test is not vacuous), and is said once, at info
    expect(log).toContain('"level":"info","component":"plugins","msg":"plugin loading cut short by shutdown"')
    expect(log.split("cut short by shutdown")).toHaveLength(2)
    expect(log).not.toContain('"level":"error"')
    expect(log).not.toContain("sandbox disposed")
  }, 60_000)
}
