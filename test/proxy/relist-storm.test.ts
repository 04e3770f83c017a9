/**
 * A server whose tools list differs at every listing, with a `list_changed` after each (a storm:
 * fresh-hostile-server `storm`), was relisted about every 260 ms for as long as it ran (38 "tools
 * list changed" lines in 10 s). Its relists now back off (proxy/relist-pace: the window doubling up
 * to 30 s while each relist it asked for shows a change), and a warning says so once; its first
 * listing and a normal server's change are as before.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { createProxy } from "../../src/proxy/index.ts"
import { BUN, captureLog, config, until } from "./helpers.ts"

const STORM = join(import.meta.dir, "..", "faults", "servers", "fresh-hostile-server.ts")

test("a server changing its list at every listing is relisted less and less often, said once; its tools stay listed", async () => {
  const { log, records } = captureLog()
  await using proxy = createProxy({ config: config({ servers: { storm: { command: BUN, args: [STORM, "storm"] } } }), log, closeGraceMs: 200 })
  const first = (await proxy.listTools()).map((t) => t.name)
  expect(first).toContain("storm__plain_a")
  // how many listings it answered: its newest tool is gen_<n>
  const listed = async (): Promise<number> => Math.max(0, ...(await proxy.listTools()).map((t) => Number(/^storm__gen_(\d+)$/.exec(t.name)?.[1] ?? 0)))
  expect(await until(async () => (await listed()) >= 2, 20_000)).toBe(true)
  const from = await listed()
  await Bun.sleep(8_000)
  const relists = (await listed()) - from
  // unpaced: one every ≈ 260 ms, ≈ 30 in 8 s; paced: 500, 1000, 2000, 4000 ms … after the first few
  expect(relists).toBeGreaterThanOrEqual(1)
  expect(relists).toBeLessThanOrEqual(12)
  const said = records.filter((l) => l.msg.includes("relists paced"))
  expect(said.length).toBe(1)
  expect(said[0]!.server).toBe("storm")
  expect((await proxy.listTools()).map((t) => t.name)).toContain("storm__plain_b")
}, 60_000)
