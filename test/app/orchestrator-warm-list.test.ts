/**
 * A warm server's first listing in a run whose first answer came from the stored first answer (no
 * stored list read yet: nothing asked for them) is compared with its stored list before it is
 * stored: the same list is no change, and the stored first answer is not marked superseded
 * (app/serve `onToolsStored`). Before, it was: a stray mark that outlived the run when no client
 * listed again (Cursor never does), and the next start did not serve the stored answer.
 * The real orchestrator over a real fixture server and an on-disk cache, two runs.
 */
import { afterAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { createOrchestrator } from "../../src/app/orchestrator.ts"
import { loadConfig } from "../../src/config/index.ts"
import { createLogHub, setConfigHint } from "../../src/core/index.ts"
import { ROOT, tempDir } from "../helpers/binary.ts"

// the orchestrator sets the process-wide config hint (core/config-hint): not left to later test files
afterAll(() => setConfigHint(undefined))

const GATE_SERVER = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")

async function until(done: () => boolean, ms = 20_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await Bun.sleep(50)) if (done()) return true
  return done()
}

test("a warm server listing what its stored list holds, before the stored lists were read, is no change", async () => {
  const dir = tempDir("mcpo-warmlist-")
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") }
  const cfg = join(dir, "config.yaml")
  writeFileSync(cfg, ['toolkit:\n  enabled: "off"', "warm: [a]", "servers:", "  a:", `    command: ${JSON.stringify(process.execPath)}`, `    args: ${JSON.stringify([GATE_SERVER])}`, ""].join("\n"))
  const loaded = loadConfig({ env, configPath: cfg })
  const run = async (list: boolean): Promise<string[]> => {
    const stored: string[] = []
    const o = await createOrchestrator(loaded, { logHub: createLogHub("error", () => {}), onToolsStored: (s) => stored.push(s) })
    try {
      o.start()
      // run 1 lists (its list is stored); run 2 only warms `a`, as when the stored first answer answered
      if (list) await o.proxy.listTools()
      expect(await until(() => o.proxy.heldToolLists().has("a"))).toBe(true)
      // its save (after the stored lists are read) has had its time
      await o.proxy.storeReady()
      await Bun.sleep(300)
    } finally {
      await o[Symbol.asyncDispose]()
    }
    return stored
  }
  expect(await run(true)).toEqual(["a"])
  expect(await run(false)).toEqual([])
}, 60_000)
