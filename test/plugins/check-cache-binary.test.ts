/**
 * Through the compiled binary: a second start with the same plugin files (and the same cache dir)
 * reuses their compile checks (plugin/check-cache); after an edit the file is checked again. The
 * verdict is the debug log's ("plugin compile check", `check`), not a clock.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { ensureBuilt } from "../helpers/binary.ts"
import { pidServerWorld } from "../helpers/pid-world.ts"
import { collect, exitCode, waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const PLUGIN = (name: string): string => `type T = { name: string }\nexport default { name: "${name}", tools(tools: T[]): T[] { return tools } }\n`

test("the binary reuses an unchanged plugin's check at its next start and checks an edited one again", async () => {
  const world = pidServerWorld("plugin-checks", (at) => ({
    servers: {},
    settings: ['toolkit: { enabled: "off" }', `plugins: { dirs: [${JSON.stringify(at("plugins"))}] }`, "log: { level: debug }"],
  }))
  mkdirSync(world.at("plugins"))
  writeFileSync(world.at("plugins/a.ts"), PLUGIN("alpha"))
  /** One start until its plugin is loaded: what its compile check did. */
  const once = async (): Promise<string> => {
    const p = world.start({ stdout: "pipe", stderr: "pipe" })
    const err = collect(p.stderr)
    const out = collect(p.stdout)
    // the first tools/list waits for the plugins: answered, the file's load (and its entry) is done
    p.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" })}\n`)
    p.stdin.flush()
    await waitFor("the first tools/list", () => out.now().includes('"id":2'), 20_000)
    const line = await waitFor("the plugin's compile check", () => err.now().split("\n").find((l) => l.includes('"msg":"plugin compile check"')), 20_000)
    await p.stdin.end()
    expect(await exitCode(p)).toBe(0)
    return (JSON.parse(line) as { check: string }).check
  }
  expect(await once()).toBe("checked")
  expect(await once()).toBe("reused")
  writeFileSync(world.at("plugins/a.ts"), PLUGIN("alphb"))
  expect(await once()).toBe("checked")
  expect(await once()).toBe("reused")
}, 90_000)
