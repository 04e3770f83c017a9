/**
 * Through the compiled binary at debug level: a downstream whose stderr line is longer than the
 * 8 KiB a partial line is held back, with a secret split across two reads of the pipe right where
 * the line had to be handed out (test/faults/servers/long-stderr-server.ts). Before, the line went
 * out in two parts redacted apart, neither part matched, and the second half of the secret was in
 * the log — for a configured secret value and for a `API_TOKEN=value` pair alike. Now a long line is
 * cut only where no secret runs across the cut. The same for a downstream's log message over the
 * 64 KiB forwarded (proxy/log-cap): it was cut before it was redacted, and the first half of a
 * secret across the cut reached the client and the log; now it is redacted first. And for a
 * downstream's JSON-RPC error message over the 8 000 characters kept (core boundedServerMessage).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

const SERVER = join(import.meta.dir, "servers", "long-stderr-server.ts")
const SECRET = "Vt8kQ2mZx7Rb4Lp9Wn3Hc6Jd1Fs5Gy0Ae"
const ASSIGNED = "qZ7vK2pW9xL4mN8rT3yB6cD1fG5hJ0sA"

beforeAll(ensureBuilt, 120_000)

describe("a secret across the cut of a long stderr line", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    const servers = { longerr: { command: process.execPath, args: [SERVER], env: { STDERR_SECRET: SECRET, STDERR_ASSIGNED: ASSIGNED } } }
    writeFileSync(cfg, JSON.stringify({ log: { level: "debug" }, toolkit: { enabled: "off" }, plugins: { enabled: false }, warm: ["longerr"], servers }))
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("neither half of a configured secret nor of a KEY=value value reaches the log", async () => {
    await waitFor("the server's last stderr line in the log", () => c.stderr().includes("stderr done"), 20_000)
    const log = c.stderr()
    expect(log).toContain("downstream stderr")
    // the long lines went out (each part is cut to 2000 characters), the secrets did not, whole or in halves
    expect(log).toContain("xxxxxxxx")
    expect(log).toContain("yyyyyyyy")
    for (const s of [SECRET, ASSIGNED]) {
      const mid = Math.floor(s.length / 2)
      expect(log).not.toContain(s.slice(0, mid))
      expect(log).not.toContain(s.slice(mid))
    }
  })

  test("a downstream log message cut at the 64 KiB forwarded shows no half of a secret across the cut", async () => {
    const notes: string[] = []
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void (String(n.params.logger).includes("long") && notes.push(JSON.stringify(n.params.data))))
    await c.client.setLoggingLevel("debug")
    expect(JSON.stringify((await c.client.callTool({ name: "longerr__log_long", arguments: {} })).content)).toContain("logged")
    await waitFor("both log messages", () => notes.length >= 2)
    expect(notes.every((n) => n.includes("[log message cut"))).toBe(true)
    const mid = Math.floor(SECRET.length / 2)
    for (const where of [notes.join("\n"), c.stderr()]) {
      expect(where).not.toContain(SECRET.slice(0, mid))
      expect(where).not.toContain(SECRET.slice(mid))
    }
  })

  test("a downstream error message cut at the 8 000 characters kept shows no half of a secret across the cut", async () => {
    const msg = await c.client.callTool({ name: "longerr__fail_long", arguments: {} }).then(
      (r) => JSON.stringify(r.content),
      (e: unknown) => (e as Error).message,
    )
    expect(msg).toContain("cut to its first")
    const status = JSON.stringify((await c.client.callTool({ name: "orchestrator_status", arguments: {} })).content)
    const mid = Math.floor(SECRET.length / 2)
    for (const where of [msg, status, c.stderr()]) {
      expect(where).not.toContain(SECRET.slice(0, mid))
      expect(where).not.toContain(SECRET.slice(mid))
    }
  })
})
