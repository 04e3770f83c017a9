/**
 * @module test/faults/secrets-bare-args
 * A key passed to a stdio server by position (`args: ["server.js", "<api key>"]`, no flag naming
 * it) is a configured secret like one after `--api-key`: a downstream that prints its argv (the
 * env-echo fixture's `whoami`) does not hand it to the model, and the log does not show it. Before
 * qa166 only flagged values, `KEY=VALUE` and known token shapes in `args` were registered.
 * Compiled binary, real SDK Client, raw JSON-RPC downstream.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, sandboxEnv, writeConfig } from "../helpers/binary.ts"

const ECHO = join(import.meta.dir, "..", "fixtures", "servers", "env-echo-server.ts")
// no token shape, no flag: only its look says it is a credential
const KEY = `Pq7Zk${crypto.randomUUID().replace(/-/g, "").slice(0, 6)}R3mW9xT2vLb8`

test("a credential passed by position reaches neither the model nor the log; package names and versions next to it are shown", async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    log: { level: "debug" },
    toolkit: { enabled: "off" },
    servers: { echo: { command: process.execPath, args: [ECHO, "mcp-server-v2-2025", KEY] } },
  })
  const c = await connectBinary(["serve", "--config", cfg], env)
  try {
    const r = await c.client.callTool({ name: "echo__whoami", arguments: {} })
    const text = JSON.stringify(r)
    // the child got it (its argv holds three words, the key masked), the client did not
    expect(JSON.parse((r.content as { text: string }[])[0]!.text).argv).toEqual(["mcp-server-v2-2025", "[REDACTED]"])
    expect(text).not.toContain(KEY)
    const status = JSON.stringify(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    expect(status).not.toContain(KEY)
  } finally {
    await c.close()
  }
  expect(c.stderr()).not.toContain(KEY)
}, 30000)
