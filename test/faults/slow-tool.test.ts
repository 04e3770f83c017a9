/**
 * One slow tool of a live server is that tool's problem, not the server's: a call that times out
 * while the server answered others meanwhile counts no restart and no breaker failure (qa238).
 * Before, three such timeouts in a row restarted the server, and five in its first 10 s opened the
 * breaker: every other tool of it refused with BREAKER_OPEN for a minute. A server that answers
 * nothing is still restarted after three timeouts. The binary, the SDK's real Client,
 * servers/slow-tool-server.ts.
 */
import { beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const SERVER = join(import.meta.dir, "servers", "slow-tool-server.ts")
const text = (r: unknown): string => JSON.stringify((r as { content: unknown }).content)

test("timeouts of a slow tool while the server answers others: no restart, no breaker; each error says the tool is slow", async () => {
  const env = sandboxEnv()
  const config = writeConfig(env, { servers: { s: { command: process.execPath, args: [SERVER], toolTimeouts: { hang: "300ms" } } }, pool: { breakerFailures: 3 } })
  const c = await connectBinary(["serve", "--config", config], env)
  try {
    const pid = text(await c.client.callTool({ name: "s__ok", arguments: {} }))
    const answers: string[] = []
    const timeouts: string[] = []
    for (let round = 0; round < 6; round++) {
      const hang = c.client.callTool({ name: "s__hang", arguments: {} })
      // the server answers other calls while the slow one waits
      for (let i = 0; i < 3; i++) answers.push(text(await c.client.callTool({ name: "s__ok", arguments: {} })))
      timeouts.push(text(await hang))
    }
    answers.push(text(await c.client.callTool({ name: "s__ok", arguments: {} })))
    // the same process answered every other call: never restarted, never refused (BREAKER_OPEN)
    expect(answers.filter((a) => a !== pid)).toEqual([])
    for (const t of timeouts) expect(t).toContain("TIMEOUT")
    for (const t of timeouts) expect(t).toContain("other requests meanwhile, so it is this tool that is slow")
    const row = ((await c.client.callTool({ name: "orchestrator_status", arguments: {} })).structuredContent as { servers: { name: string; state: string }[] }).servers.find((s) => s.name === "s")
    expect(row?.state).toBe("ready")
  } finally {
    await c.close()
  }
}, 60_000)

test("a server that answers nothing any more is still restarted after three timeouts", async () => {
  const env = sandboxEnv()
  const config = writeConfig(env, { servers: { s: { command: process.execPath, args: [SERVER, "silent"], timeout: "300ms" } } })
  const c = await connectBinary(["serve", "--config", config], env)
  try {
    const pid = text(await c.client.callTool({ name: "s__ok", arguments: {} }))
    // the hang silences it; the next calls time out with no answer in between
    for (const name of ["s__hang", "s__ok", "s__ok"]) {
      const r = await c.client.callTool({ name, arguments: {} })
      expect(text(r)).toContain("TIMEOUT")
      expect(text(r)).not.toContain("meanwhile")
    }
    // restarted: a new process answers
    const again = text(await c.client.callTool({ name: "s__ok", arguments: {} }))
    expect(again).not.toBe(pid)
    expect(again).toMatch(/^\["?\{.*\d+/)
  } finally {
    await c.close()
  }
}, 60_000)
