/**
 * A server of thousands of tools and the first search_tools (expose all: the index is built at the
 * first search): the build ran in one piece on the main thread (a 10 000-tool server: 5–16 s), and
 * every other request waited behind it, pings included. Now it is built in slices between turns of
 * the event loop (proxy/index-sync `ready`): a ping sent after the search is answered before it.
 * Through the compiled binary, a raw stdio server (servers/many-tools-server.ts), the SDK Client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "many-tools-server.ts")
const dir = tempDir("mcpo-big-search-")
const cfg = join(dir, "config.json")
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, warm: ["many"], servers: { many: { command: process.execPath, args: [SERVER, "--tools", "4000"] } } }))
  c = await connectBinary(["--config", cfg], sandboxEnv())
}, 120_000)
afterAll(async () => {
  await c?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe("the first search over a server of 4 000 tools", () => {
  test("a ping sent after it is answered before it: the index build does not hold the other requests", async () => {
    expect(await listUntil(c.client, "many__tool_3999_xxxxxxxxxxxxxxxxxxxx")).toContain("many__tool_3999_xxxxxxxxxxxxxxxxxxxx")
    const order: string[] = []
    const search = c.client.callTool({ name: "search_tools", arguments: { query: "word17 word42" } }, undefined, { timeout: 120_000 }).then((r) => {
      order.push("search")
      return r
    })
    // (a moment for the search to reach the orchestrator and begin the build)
    await Bun.sleep(150)
    const ping = c.client.ping({ timeout: 120_000 }).then(() => order.push("ping"))
    const [r] = await Promise.all([search, ping])
    expect(JSON.stringify(r)).toContain("many__tool_")
    expect(order).toEqual(["ping", "search"])
  }, 150_000)
})
