/**
 * Cache through the built binary: a second start answers tools/list from the file cache while the
 * downstream (which takes 3 s to boot) is still starting; the fresh list then replaces it.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")

beforeAll(ensureBuilt, 120_000)

describe("warm start from the file cache", () => {
  test("second start lists the slow server's tools before it has booted", async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  slow:\n    command: ${process.execPath}\n    args: ["${FAULT}", "--slow-boot", "3000"]\n`)

    // First run: nothing cached; the list arrives once the server has booted (~3 s).
    const first = await connectBinary(["serve", "--config", cfg], env)
    let names: string[] = []
    for (let i = 0; i < 200 && !names.includes("slow__echo"); i++) {
      names = (await first.client.listTools()).tools.map((t) => t.name)
      if (!names.includes("slow__echo")) await Bun.sleep(50)
    }
    expect(names).toContain("slow__echo")
    await first.close()

    // Second run, same cache dir: tools/list is answered from the cache at once.
    const t0 = performance.now()
    const second = await connectBinary(["serve", "--config", cfg], env)
    const listed = (await second.client.listTools()).tools.map((t) => t.name)
    const ms = performance.now() - t0
    expect(listed).toContain("slow__echo")
    // The downstream needs 3000 ms to boot: a list before that can only have come from the cache.
    expect(ms).toBeLessThan(2500)
    // The file cache is preloaded in the background (the list above may come from the startup
    // snapshot even sooner): it shows in the status while the downstream is still booting.
    let used = 0
    for (let i = 0; i < 30 && used === 0 && performance.now() - t0 < 2800; i++) {
      const st = await second.client.callTool({ name: "orchestrator_status", arguments: {} })
      const cache = (st.structuredContent as { cache: { hits?: number; preloaded?: number } }).cache
      used = (cache.preloaded ?? 0) + (cache.hits ?? 0)
      if (used === 0) await Bun.sleep(50)
    }
    expect(used).toBeGreaterThan(0)
    await second.close()
  }, 30_000)
})
