/**
 * A call refused before any of it was written (its stdio server's stdin refused the write with
 * EPIPE: the server was dying) never reached the server, so it is sent once to the restarted server
 * within its budget and answered; before, it failed with "the request was not sent" while the server
 * came back a second later. A call that was written and then lost with its server fails, and is never
 * sent again (the server's own record of the calls it got: test/fixtures/servers/deaf-once).
 */
import { afterEach, describe, expect, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { MemoryEraStore, Pool } from "../../src/pool/index.ts"
import { downstreamFailure } from "../helpers/failure.ts"

const SERVER = join(import.meta.dir, "..", "fixtures", "servers", "deaf-once.ts")
let pool: Pool | undefined

afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
})

function deafOnce(extra: string[] = []): { dir: string; session: ReturnType<Pool["add"]> } {
  const dir = mkdtempSync(join(tmpdir(), "qa254-deaf-once-"))
  pool = new Pool({ config: ConfigSchema.parse({ pool: { callTimeout: "20s", restartDelay: "200ms" } }), log: silentLogger, eras: new MemoryEraStore(), closeGraceMs: 200 })
  const session = pool.add({ name: "deaf", source: "config", spec: { command: process.execPath, args: [SERVER, dir, ...extra], protocol: "legacy" } } as never)
  return { dir, session }
}

const calls = (dir: string): string[] => (existsSync(join(dir, "calls")) ? readFileSync(join(dir, "calls"), "utf8").split("\n").filter(Boolean) : [])

async function deafNow(pid: number | undefined): Promise<void> {
  for (let i = 0; i < 200 && existsSync(`/proc/${pid}/fd/0`); i++) await Bun.sleep(25)
  expect(existsSync(`/proc/${pid}/fd/0`)).toBe(false)
}

describe("a call refused unsent is sent once to the restarted server", () => {
  for (const [label, extra] of [
    ["its stdin closed, the process alive (dropped after the wait for its exit)", []],
    ["its stdin closed, the process exiting a moment later", ["--exit-after", "100"]],
  ] as const) {
    test(`${label}: the call is answered by the restarted server, which got it once`, async () => {
      const { dir, session } = deafOnce([...extra])
      await session.ensure()
      await deafNow(session.pid)
      const r = await pool!.call("deaf", "tools/call", { name: "echo", arguments: { n: 1 } }, {})
      expect(r).toEqual({ content: [{ type: "text", text: 'echo:{"n":1}' }] })
      expect(calls(dir)).toEqual(['echo {"n":1}'])
      expect(session.state).toBe("ready")
      // counted once, as sent once (status `calls`)
      expect(session.calls).toBe(1)
    }, 30_000)
  }

  test("a call over a budget shorter than the restart fails saying when, not sent anywhere", async () => {
    const { dir, session } = deafOnce()
    await session.ensure()
    await deafNow(session.pid)
    const e = await downstreamFailure(pool!.call("deaf", "tools/call", { name: "echo", arguments: { n: 2 } }, { timeoutMs: 100 }))
    expect(["RESTARTING", "TIMEOUT"]).toContain(e.code)
    expect(e.message).toContain("deaf")
    await Bun.sleep(1500)
    expect(calls(dir)).toEqual([])
  }, 30_000)

  test("a call written and then lost with its server fails, and is never sent again", async () => {
    const { dir, session } = deafOnce()
    await session.ensure()
    await deafNow(session.pid)
    // the first (deaf) run is replaced by a serving one
    await pool!.call("deaf", "tools/call", { name: "echo", arguments: { n: 3 } }, {})
    const e = await downstreamFailure(pool!.call("deaf", "tools/call", { name: "die", arguments: {} }, {}))
    expect(e.code).toBe("SERVER_EXITED")
    expect(e.message).toContain("was not retried")
    // the restarted server is up again, and never got the call a second time
    await pool!.call("deaf", "tools/call", { name: "echo", arguments: { n: 4 } }, {})
    expect(calls(dir)).toEqual(['echo {"n":3}', "die {}", 'echo {"n":4}'])
  }, 30_000)
})
