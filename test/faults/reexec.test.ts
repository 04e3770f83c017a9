/**
 * Through the compiled binary: a downstream that restarts itself on the same pipes (a shell wrapper
 * that starts the server again once it exits; test/faults/servers/reexec-server.ts), so the new
 * process gets requests it never got `initialize` for. Before, the session stayed as it was and
 * every later request was refused by the new process ("Server not initialized"; the Python SDK's
 * "Invalid request parameters" with its stderr warning) until the orchestrator was restarted. Now
 * such an answer is read as a restart: that request fails naming the server and saying so, the
 * session is restarted (a new process, a new initialize), and later calls work — when a list asked
 * again right after is refused the same way: one such answer from a server that then answers (still
 * taking in notifications/initialized) stays that call's error. A neighbour is not affected.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "reexec-server.ts")
const wrapped = (kind: string) => {
  const run = `'${process.execPath}' '${SERVER}' --kind ${kind}`
  return { command: "/bin/sh", args: ["-c", `${run}; exec ${run}`] }
}

beforeAll(ensureBuilt, 120_000)

describe("a server that restarts itself on the same pipes", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    const servers = { sdk: wrapped("sdk"), py: wrapped("python"), other: { command: process.execPath, args: [SERVER] }, racy: { command: process.execPath, args: [SERVER, "--racy"] } }
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, proxy: { listWait: 20_000 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  const text = (r: unknown): string => ((r as { content: { text: string }[] }).content[0]!.text)

  for (const [server, said] of [["sdk", "Server not initialized"], ["py", "Invalid request parameters"]] as const) {
    test(`${server}: the refusal of the new process restarts the session; the next call reaches an initialized server`, async () => {
      expect(text(await c.client.callTool({ name: `${server}__who`, arguments: {} }))).toContain("initialized yes")
      expect(text(await c.client.callTool({ name: `${server}__update`, arguments: {} }))).toBe("updating; restarting")
      // the wrapper's second process now holds the pipes, never initialized
      const msg = await c.client.callTool({ name: `${server}__who`, arguments: {} }).then(
        (r) => (r.isError === true ? text(r) : `not refused: ${text(r)}`),
        (e: unknown) => (e as Error).message,
      )
      expect(msg).toContain(`server ${server}`)
      expect(msg).toContain(said)
      expect(msg).toContain("restarted itself on the same pipes")
      // the session was restarted: a new process that got initialize
      expect(text(await c.client.callTool({ name: `${server}__who`, arguments: {} }))).toContain("initialized yes")
      expect(c.stderr()).toContain('"msg":"downstream answered as a server that was never initialized; restarting it"')
    }, 30_000)
  }

  test("one such answer from a server that then answers (it was still taking in notifications/initialized) is its error, not a restart", async () => {
    const first = await c.client.callTool({ name: "racy__who", arguments: {} }).then(
      (r) => text(r),
      (e: unknown) => (e as Error).message,
    )
    expect(first).toContain("Client not initialized yet")
    expect(first).not.toContain("restarted itself")
    const pid = text(await c.client.callTool({ name: "racy__who", arguments: {} }))
    expect(pid).toContain("initialized yes")
    expect(text(await c.client.callTool({ name: "racy__who", arguments: {} }))).toBe(pid)
    expect(c.stderr()).not.toMatch(/"component":"pool:racy"[^\n]*restarting it/)
  })

  test("the neighbour is unaffected", async () => {
    expect(text(await c.client.callTool({ name: "other__who", arguments: {} }))).toContain("initialized yes")
  })
})
