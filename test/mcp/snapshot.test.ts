/**
 * Face behaviour while services start: tools/list from the last run's snapshot, then list_changed
 * when the real list differs; the snapshot file is written atomically and a damaged one is ignored.
 */
import { describe, expect, test } from "bun:test"
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import type { Tool } from "@modelcontextprotocol/client"
import { z } from "zod"
import { ToolSnapshot } from "../../src/app/tool-snapshot.ts"
import { loadConfig } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { createMcpFace, defineTool, type FaceServices } from "../../src/mcp/index.ts"

const tool = (name: string): Tool => ({ name, inputSchema: { type: "object", properties: {} } })

/** A face whose services resolve when the test says, answering from `snapshot` meanwhile; a client counting list_changed. */
async function startingFace(snapshot: Tool[]) {
  let resolve!: (s: FaceServices) => void
  const face = createMcpFace({ log: silentLogger, services: new Promise<FaceServices>((r) => (resolve = r)), snapshot })
  const [a, b] = InMemoryTransport.createLinkedPair()
  await face.server.connect(a)
  const client = new Client({ name: "t", version: "1" })
  const seen = { changed: 0 }
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void seen.changed++)
  await client.connect(b)
  return { client, seen, resolve }
}

describe("snapshot answers while services start", () => {
  test("snapshot first, then list_changed and the real list", async () => {
    const { client, seen, resolve } = await startingFace([tool("old_tool")])
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["old_tool"])
    resolve({ tools: [defineTool({ name: "new_tool", title: "n", description: "d", input: z.object({}), handler: async () => ({ text: "ok" }) })] })
    for (let i = 0; i < 50 && seen.changed === 0; i++) await Bun.sleep(10)
    expect(seen.changed).toBe(1)
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["new_tool"])
    await client.close()
  })

  test("no list_changed when the snapshot was right", async () => {
    const real = defineTool({ name: "same", title: "s", description: "d", input: z.object({}), handler: async () => ({ text: "ok" }) })
    const probe = createMcpFace({ log: silentLogger, tools: [real] })
    const [p1, p2] = InMemoryTransport.createLinkedPair()
    await probe.server.connect(p1)
    const pc = new Client({ name: "t", version: "1" })
    await pc.connect(p2)
    const exact = (await pc.listTools()).tools as Tool[]
    await pc.close()

    const { client, seen, resolve } = await startingFace(exact)
    await client.listTools()
    resolve({ tools: [real] })
    await Bun.sleep(100)
    expect(seen.changed).toBe(0)
    await client.close()
  })
})

describe("ToolSnapshot file", () => {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-snap-"))
  const loaded = loadConfig({ env: { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") } })
  const env = { HOME: dir, XDG_CACHE_HOME: join(dir, "cache") }

  test("round trip, no temp files left", () => {
    const s = new ToolSnapshot(loaded, env)
    expect(s.read()).toBeUndefined()
    s.save([tool("a"), tool("b")])
    s.flush()
    expect(new ToolSnapshot(loaded, env).read()?.map((t) => t.name)).toEqual(["a", "b"])
    expect(readdirSync(join(dir, "cache", "mcp-orchestrator")).filter((f) => f.endsWith(".tmp"))).toEqual([])
  })

  test("a damaged or foreign file is ignored", () => {
    const s = new ToolSnapshot(loaded, env)
    const f = JSON.parse(readFileSync(s.path!, "utf8"))
    writeFileSync(s.path!, JSON.stringify({ ...f, tools: [tool("tampered")] }))
    expect(new ToolSnapshot(loaded, env).read()).toBeUndefined()
    writeFileSync(s.path!, "{ not json")
    expect(new ToolSnapshot(loaded, env).read()).toBeUndefined()
  })

  test("after a reload changes the config in place, the list is stored under the new config's key", () => {
    const live = loadConfig({ env: { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") } })
    const s = new ToolSnapshot(live, env)
    s.save([tool("before")])
    s.flush()
    // what config-apply does on a reload: the running config object is updated
    live.config.proxy = { ...live.config.proxy, nameBudget: 44 }
    s.save([tool("after")])
    s.flush()
    const fresh = loadConfig({ env: { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache"), MCPO_PROXY_NAME_BUDGET: "44" } })
    expect(new ToolSnapshot(fresh, env).read()?.map((t) => t.name)).toEqual(["after"])
    // the start config's snapshot keeps the list that belongs to it
    expect(new ToolSnapshot(loaded, env).read()?.map((t) => t.name)).not.toEqual(["after"])
  })

  test("another configuration never reads this one's snapshot", () => {
    const s = new ToolSnapshot(loaded, env)
    s.save([tool("mine")])
    s.flush()
    const other = loadConfig({ env: { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), MCPO_PROXY_NAME_BUDGET: "40" } })
    expect(new ToolSnapshot(other, env).read()).toBeUndefined()
  })
})
