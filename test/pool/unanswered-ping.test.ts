/**
 * A stdio server that never answers our health check (test/faults/servers/ping-ignoring-server.ts):
 * `ping`, or a 2026-07-28 server's `server/discover`. One that plainly runs meanwhile (it pings us,
 * or logs, every 200 ms) was restarted at each health check
 * of its idle connection ("health check failed; restarting", its state lost): now the check passes
 * when the server sent anything while it waited (pool/health-check), said once, and the same process
 * serves on. One silent throughout is still restarted (it may be hung).
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { BUN, captureLog, config, until } from "../proxy/helpers.ts"

const SERVER = join(import.meta.dir, "..", "faults", "servers", "ping-ignoring-server.ts")
const pidOf = async (p: Pool): Promise<string> => ((await p.call("np", "tools/call", { name: "pid", arguments: {} }, {})) as { content: { text: string }[] }).content[0]!.text

function pool(mode: string) {
  const { log, records } = captureLog()
  const p = new Pool({ config: config({ pool: { healthInterval: "300ms", callTimeout: "1s" } }), log })
  p.add({ name: "np", source: "config", spec: { command: BUN, args: [SERVER, mode] } as ServerSpec })
  return { p, records, said: (text: string) => records.filter((r) => String(r.msg).includes(text)) }
}

describe("a server that never answers our ping", () => {
  test.each(["pinger", "modern"])("%s: while it sends messages of its own it is not restarted by health checks; said once", async (mode) => {
    const { p, said } = pool(mode)
    await using _ = p
    const first = await pidOf(p)
    // a check went unanswered
    expect(await until(() => said("did not answer a health check").length > 0, 30_000, 50)).toBe(true)
    const cancels = (): number => said("did not answer a health check").length
    expect(cancels()).toBe(1)
    // more checks come and go meanwhile (one every 300 ms of idleness, each waiting 1 s)
    await Bun.sleep(3_000)
    expect(said("health check failed").length).toBe(0)
    expect(said("downstream failed").length).toBe(0)
    expect(await pidOf(p)).toBe(first)
    expect(cancels()).toBe(1)
  }, 60_000)

  test("silent throughout, it is restarted as before", async () => {
    const { p, said } = pool("silent")
    await using _ = p
    const first = await pidOf(p)
    expect(await until(() => said("health check failed; restarting").length > 0, 30_000, 50)).toBe(true)
    expect(await until(async () => (await pidOf(p).catch(() => first)) !== first, 30_000, 100)).toBe(true)
  }, 60_000)
})
