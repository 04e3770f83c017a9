/**
 * What waits to be written at shutdown is written on every way out, an exit at once too (a second
 * signal while requests drain; the budget spent): the last tools/list answer (app/tool-snapshot,
 * written 1 s after it was given) and the lists saved within their write interval
 * (cache/tool-list-store, 5 s). Before, they were written only after the drain and the downstreams
 * closed: a second SIGTERM during the drain exited without them, and the next start's first answer
 * (which Cursor keeps for its whole session) lacked the tools the server had added.
 * Through the compiled binary, a real SDK client and the SDK v2 fixture server; nothing timed: the
 * second signal follows the log line of the first, the exit at once is proven by its log line.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, isAlive, listUntil, sandboxEnv } from "../helpers/binary.ts"
import { waitFor } from "../helpers/wait.ts"

beforeAll(ensureBuilt, 120_000)

const MODERN = join(import.meta.dir, "..", "fixtures", "servers", "modern-server.ts")

test("a second SIGTERM during the drain still writes the last list: the next start's first answer has the tool added before", async () => {
  const env = sandboxEnv()
  const gate = join(env.HOME!, "gate")
  writeFileSync(gate, "")
  const config = join(env.HOME!, "config.yaml")
  // one definition for both runs (the stored lists are keyed by it): the gate file lets it list
  const received = join(env.HOME!, "received")
  const server = { command: process.execPath, args: [MODERN], env: { MODERN_LIST_GATE: gate, MODERN_LOG: received } }
  writeFileSync(config, JSON.stringify({ servers: { e: server }, warm: ["e"], toolkit: { enabled: "off" }, plugins: { enabled: false } }))
  const args = ["serve", "--config", config]

  const c = await connectBinary(args, env)
  const pid = c.pid!
  try {
    expect(await listUntil(c.client, "e__echo")).toContain("e__echo")
    await c.client.callTool({ name: "e__add_tool", arguments: { name: "late_tool" } })
    // listed again and answered: the answer and the list wait for their write
    expect(await listUntil(c.client, "e__late_tool")).toContain("e__late_tool")
    // a call in flight holds the drain (up to 1 s) after the first signal
    void c.client.callTool({ name: "e__slow", arguments: { ms: 30_000 } }, undefined, { timeout: 60_000 }).catch(() => {})
    const calls = (): number => (existsSync(received) ? readFileSync(received, "utf8").split("\n").filter((l) => l.startsWith("tools/call")).length : 0)
    await waitFor("the slow call to reach the server", () => calls() >= 2)
    process.kill(pid, "SIGTERM")
    await waitFor("the shutdown to begin", () => c.stderr().includes('"msg":"shutting down"'))
    process.kill(pid, "SIGTERM")
    await waitFor("the orchestrator to exit", () => !isAlive(pid), 10_000)
  } finally {
    await c.close().catch(() => {})
  }
  // it exited at once, on the second signal (not after a graceful shutdown that wrote it all)
  expect(c.stderr()).toContain('"msg":"exiting now","reason":"SIGTERM while shutting down"')

  // the server no longer lists: the first answer can only come from what the first run wrote
  rmSync(gate)
  expect(existsSync(gate)).toBe(false)
  const next = await connectBinary(args, env)
  try {
    const first = (await next.client.listTools(undefined, { timeout: 60_000 })).tools.map((t) => t.name)
    expect(first, next.stderr()).toContain("e__late_tool")
  } finally {
    await next.close()
  }
}, 120_000)
