/**
 * A server started by a client's first request is asked tools/list once for that start, through
 * the compiled binary with the SDK (v1) Client. Before, the pool's onReady relist ran while the
 * listing that started the server was in flight, and the single flight ran it once more: every
 * server was listed twice at every start. The first answer waits for the whole flight (the re-run
 * included), so the count is final when it comes: nothing is timed. A list_changed during the first
 * listing still relists (test/faults/early-list-changed.test.ts).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "..", "fixtures", "servers", "probe-server.ts")

beforeAll(ensureBuilt, 120_000)

function setup(): { env: Record<string, string>; cfg: string; listings: () => number } {
  const env = sandboxEnv()
  const log = join(env.HOME!, "probe.log")
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { p: { command: process.execPath, args: [SERVER, "v1"], env: { PROBE_LOG: log } } } }))
  return { env, cfg, listings: () => readFileSync(log, "utf8").split("\n").filter((m) => m === "tools/list").length }
}

describe("a server started by a client's first request", () => {
  test("its first tools/list answer cost the server one tools/list", async () => {
    const { env, cfg, listings } = setup()
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("p__echo")
      await c.client.callTool({ name: "p__echo", arguments: { text: "after" } })
      expect(listings()).toBe(1)
      // a later list is answered from what is known
      await c.client.listTools()
      await c.client.callTool({ name: "p__echo", arguments: { text: "again" } })
      expect(listings()).toBe(1)
    } finally {
      await c.close()
    }
  }, 60_000)

  test("a call of one of its tools sent before any list starts it and lists it once", async () => {
    const { env, cfg, listings } = setup()
    const c = await connectBinary(["serve", "--config", cfg], env)
    try {
      const r = (await c.client.callTool({ name: "p__echo", arguments: { text: "hi" } })) as { content: { text: string }[] }
      expect(r.content[0]!.text).toBe("legacy:hi")
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain("p__echo")
      await c.client.callTool({ name: "p__echo", arguments: { text: "after" } })
      expect(listings()).toBe(1)
    } finally {
      await c.close()
    }
  }, 60_000)
})
