/**
 * Face behaviour while services start: tools/list from the last run's snapshot, then list_changed
 * when the real list differs; the snapshot file is written atomically and a damaged one is ignored.
 */
import { describe, expect, test } from "bun:test"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
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
import { earlyKey, listRequest, readEarlyIndex } from "../../src/early-face.ts"
import { createMcpFace, defineTool, type FaceServices } from "../../src/mcp/index.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const tool = (name: string): Tool => ({ name, inputSchema: { type: "object", properties: {} } })

/** An SDK client connected to `face` in memory, counting the tools list_changed it gets. */
async function clientOfFace(face: ReturnType<typeof createMcpFace>) {
  const [a, b] = InMemoryTransport.createLinkedPair()
  await face.server.connect(a)
  const client = new Client({ name: "t", version: "1" })
  const seen = { changed: 0 }
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void seen.changed++)
  await client.connect(b)
  return { client, seen }
}

/** A face whose services resolve when the test says, answering from `snapshot` meanwhile; a client counting list_changed. */
async function startingFace(snapshot: Tool[]) {
  let resolve!: (s: FaceServices) => void
  const face = createMcpFace({ log: silentLogger, services: new Promise<FaceServices>((r) => (resolve = r)), snapshot })
  return { ...(await clientOfFace(face)), resolve }
}

describe("snapshot answers while services start", () => {
  test("snapshot first, then list_changed and the real list", async () => {
    const { client, seen, resolve } = await startingFace([tool("old_tool")])
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["old_tool"])
    resolve({ tools: [defineTool({ name: "new_tool", title: "n", description: "d", input: z.object({}), handler: async () => ({ text: "ok" }) })] })
    for (let i = 0; i < 1500 && seen.changed === 0; i++) await Bun.sleep(10)
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

describe("the early face's snapshot answer, replayed once the services are up", () => {
  test("the connection's first list is the snapshot the client was sent, not the real list; list_changed follows", async () => {
    // the services are up at once (given directly): the replay of the early-answered tools/list is served after that
    const firsts: string[][] = []
    const real = defineTool({ name: "new_tool", title: "n", description: "d", input: z.object({}), handler: async () => ({ text: "ok" }) })
    const face = createMcpFace({
      log: silentLogger,
      tools: [real],
      snapshot: new TextEncoder().encode(JSON.stringify({ tools: [tool("old_tool")] })),
      snapshotAnswered: true,
      firstToolsAnswer: (f) => void firsts.push([...(f.names?.() ?? [])]),
    })
    const { client, seen } = await clientOfFace(face)
    // the replay (on stdio its answer is dropped: the client has the early face's)
    await client.listTools()
    for (let i = 0; i < 1500 && (seen.changed === 0 || firsts.length === 0); i++) await Bun.sleep(10)
    expect(firsts).toEqual([["old_tool"]])
    expect(seen.changed).toBe(1)
    // the next listing is the real one, and records nothing more
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["new_tool"])
    expect(firsts).toHaveLength(1)
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

describe("early index (the early face's warm-start tools/list)", () => {
  /** A config file with an envFile in a fresh sandbox; the early key of a start with `argv` and `env`. */
  function sandbox() {
    const dir = mkdtempSync(join(tmpdir(), "mcpo-early-"))
    const env: Record<string, string> = { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") }
    const cfg = join(dir, "config.yaml")
    writeFileSync(cfg, `toolkit:\n  enabled: "off"\nservers:\n  a:\n    command: /bin/true\n    envFile: a.env\n`)
    writeFileSync(join(dir, "a.env"), "TOKEN=shh-very-secret-value\n")
    const argv = ["bun", "mcp-orchestrator", "serve", "--config", cfg]
    const load = () => loadConfig({ configPath: cfg, env })
    const key = (e: Record<string, string> = env, a: string[] = argv) => earlyKey(a, e)
    /** A start that lists `tools` and writes its snapshot (and early index). */
    const start = (tools: Tool[]) => {
      const s = new ToolSnapshot(load(), env, key())
      s.save(tools)
      s.flush()
      return s
    }
    return { dir, env, cfg, argv, key, load, start }
  }

  test("written with the snapshot; vouches for exactly the bytes the real path reads", () => {
    const b = sandbox()
    const s = b.start([tool("a__x"), tool("a__y")])
    const early = readEarlyIndex(b.key())
    expect(early).toBeDefined()
    const real = new ToolSnapshot(b.load(), b.env).readAnswer()!
    expect(Buffer.from(early!.bytes).equals(Buffer.from(real))).toBe(true)
    expect(early!.path).toBe(s.path!)
  })

  test("every change of what the key covers makes it stand down", () => {
    const b = sandbox()
    b.start([tool("a__x")])
    expect(readEarlyIndex(b.key())).toBeDefined()
    // environment (one variable more), argv (--toolset), binary version
    expect(readEarlyIndex(b.key({ ...b.env, UNRELATED: "1" }))).toBeUndefined()
    expect(readEarlyIndex(b.key(b.env, [...b.argv, "--toolset", "t"]))).toBeUndefined()
    const k = b.key()
    expect(readEarlyIndex({ ...k, stamp: { ...k.stamp, version: "0.0.0-other" } })).toBeUndefined()
    // the config file: a comment is enough (contents are compared, not what they mean)
    const text = readFileSync(b.cfg, "utf8")
    writeFileSync(b.cfg, text + "# edited\n")
    expect(readEarlyIndex(b.key())).toBeUndefined()
    writeFileSync(b.cfg, text)
    expect(readEarlyIndex(b.key())).toBeDefined()
    // an envFile
    writeFileSync(join(b.dir, "a.env"), "TOKEN=another-secret-value\n")
    expect(readEarlyIndex(b.key())).toBeUndefined()
  })

  test("an answer complete only by notes of earlier runs: vouched for until they are checked again (`until`), not after", () => {
    const b = sandbox()
    const s = new ToolSnapshot(b.load(), b.env, b.key())
    s.save([tool("a__x")], undefined, { complete: true, until: Date.now() + 3600_000 })
    s.flush()
    expect(readEarlyIndex(b.key())?.until).toBeGreaterThan(Date.now())
    // the note it rested on is due: that start waits for the server again, the early face stands down
    const late = new ToolSnapshot(b.load(), b.env, b.key())
    late.save([tool("a__x"), tool("a__y")], undefined, { complete: true, until: Date.now() - 1 })
    late.flush()
    expect(readEarlyIndex(b.key())).toBeUndefined()
    expect(new ToolSnapshot(b.load(), b.env).readAnswer()).toBeUndefined()
  })

  test("a default-location config: an earlier candidate appearing makes it stand down", () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpo-early-"))
    const env: Record<string, string> = { HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg"), XDG_CACHE_HOME: join(dir, "cache") }
    mkdirSync(join(dir, "cfg", "mcp-orchestrator"), { recursive: true })
    writeFileSync(join(dir, "cfg", "mcp-orchestrator", "config.json"), JSON.stringify({ toolkit: { enabled: "off" } }))
    const argv = ["bun", "mcp-orchestrator"]
    const s = new ToolSnapshot(loadConfig({ env }), env, earlyKey(argv, env))
    s.save([tool("t")])
    s.flush()
    expect(readEarlyIndex(earlyKey(argv, env))).toBeDefined()
    writeFileSync(join(dir, "cfg", "mcp-orchestrator", "config.yaml"), "toolkit:\n  enabled: 'off'\n")
    expect(readEarlyIndex(earlyKey(argv, env))).toBeUndefined()
  })

  test("a damaged index or snapshot is ignored", () => {
    const b = sandbox()
    const s = b.start([tool("a__x")])
    const ixPath = b.key().indexPath
    const ix = readFileSync(ixPath, "utf8")
    writeFileSync(ixPath, ix.slice(0, ix.length - 3))
    expect(readEarlyIndex(b.key())).toBeUndefined()
    writeFileSync(ixPath, ix)
    expect(readEarlyIndex(b.key())).toBeDefined()
    const snap = readFileSync(s.path!)
    const bad = Buffer.from(snap)
    bad[bad.length - 5] = bad[bad.length - 5]! ^ 1
    writeFileSync(s.path!, bad)
    expect(readEarlyIndex(b.key())).toBeUndefined()
    writeFileSync(s.path!, snap.subarray(0, snap.length - 1))
    expect(readEarlyIndex(b.key())).toBeUndefined()
  })

  test("no index for an answer holding a registered secret, nor after a reload changed the config", () => {
    const b = sandbox()
    // the envFile's TOKEN is registered as a secret when the config loads
    b.start([{ ...tool("a__x"), description: "leaks shh-very-secret-value" }])
    expect(existsSync(b.key().indexPath)).toBe(false)
    const s = b.start([tool("a__x")])
    expect(readEarlyIndex(b.key())).toBeDefined()
    // the running config changed in place (a reload): its list is not this start's
    const live = b.load()
    const t = new ToolSnapshot(live, b.env, b.key())
    live.config.proxy = { ...live.config.proxy, nameBudget: 44 }
    t.save([tool("after")])
    t.flush()
    // the list of the reloaded config is not vouched for (the stale index is removed)
    expect(t.path).toBe(s.path!)
    expect(readEarlyIndex(b.key())).toBeUndefined()
  })

  test("an edit after the start's load (not yet reloaded) writes no index", () => {
    const b = sandbox()
    const s = new ToolSnapshot(b.load(), b.env, b.key())
    writeFileSync(b.cfg, readFileSync(b.cfg, "utf8").replace("a:", "b:"))
    s.save([tool("a__x")])
    s.flush()
    expect(existsSync(b.key().indexPath)).toBe(false)
  })
})

describe("the early face's tools/list request check", () => {
  test("a legacy tools/list and initialized pass; anything else stands down", () => {
    expect(listRequest('{"jsonrpc":"2.0","id":2,"method":"tools/list"}')).toEqual({ id: 2 })
    expect(listRequest('{"jsonrpc":"2.0","id":"x","method":"tools/list","params":{"_meta":{"progressToken":1}}}')).toEqual({ id: "x" })
    expect(listRequest('{"jsonrpc":"2.0","id":"x","method":"tools/list","params":{"_meta":{"progressToken":null}}}')).toEqual({ id: "x" })
    expect(listRequest('{"jsonrpc":"2.0","method":"notifications/initialized"}')).toBe("initialized")
    for (const bad of [
      '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"cursor":"c"}}',
      '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}',
      '{"jsonrpc":"2.0","id":2.5,"method":"tools/list"}',
      '{"jsonrpc":"2.0","id":null,"method":"tools/list"}',
      '{"jsonrpc":"2.0","id":2,"method":"prompts/list"}',
      '{"jsonrpc":"2.0","method":"tools/list"}',
      // a progress token the real face refuses with -32602 (not a string or a safe integer)
      '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"progressToken":9007199254740993}}}',
      '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"progressToken":{"a":1}}}}',
      '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"progressToken":true}}}',
      "not json",
    ])
      expect(listRequest(bad)).toBeUndefined()
  })
})

describe("list_changed only when this client's list differs (real proxy, real servers)", () => {
  test("two clients of one proxy: a change back to the list a client holds is not announced to it", async () => {
    const { createProxy } = await import("../../src/proxy/index.ts")
    const { config, MEMORY, BUN, ROOT, until } = await import("../proxy/helpers.ts")
    const gate = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")
    await using proxy = createProxy({ config: config({ servers: { mem: { command: "node", args: [MEMORY] } }, proxy: { listWait: 15_000 } }), log: silentLogger, closeGraceMs: 200 })
    const clientOf = async () => {
      const face = createMcpFace({ log: silentLogger, tools: [], upstream: proxy })
      return { ...(await clientOfFace(face)), face }
    }
    const A = await clientOf()
    const B = await clientOf()
    const names = async (c: Client) => (await c.listTools()).tools.map((t) => t.name)
    const l1 = await names(A.client)
    expect(await names(B.client)).toEqual(l1)
    // a server is added: both are told; only A lists again
    proxy.addServer({ name: "gs", source: "config", spec: { command: BUN, args: [gate] } })
    expect(await until(() => A.seen.changed === 1 && B.seen.changed === 1, 15_000)).toBe(true)
    expect((await names(A.client)).some((n) => n.startsWith("gs__"))).toBe(true)
    // it goes again: A's list changed (told), B's is back to the one it holds (not told)
    await proxy.removeServer("gs")
    expect(await until(() => A.seen.changed === 2, 15_000)).toBe(true)
    expect(await names(B.client)).toEqual(l1)
    await Bun.sleep(100)
    expect(B.seen.changed).toBe(1)
    for (const c of [A, B]) {
      await c.client.close()
      c.face.dispose()
    }
  }, 30_000)
})
