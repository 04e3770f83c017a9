/**
 * Proxy seams: the tool-list store (answer at start, revalidate, save, invalidate), plugin hooks
 * (route, filterTools), passthrough mode, dynamic sources (addServer/removeServer, e.g. a Toolkit gateway).
 */
import { describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type ListKind, type Tool, type ToolListStore } from "../../src/proxy/index.ts"
import { alive, config, ctx, everythingStdio, fault, until } from "./helpers.ts"

/** A plain in-memory implementation of the store contract, recording what the proxy does with it. */
class MapStore implements ToolListStore {
  readonly data = new Map<string, Tool[]>()
  readonly ops: string[] = []
  async load(server: string) {
    this.ops.push(`load:${server}`)
    return this.data.get(server)
  }
  async save(server: string, tools: Tool[]) {
    this.ops.push(`save:${server}`)
    this.data.set(server, tools)
  }
  async invalidate(server: string) {
    this.ops.push(`invalidate:${server}`)
    this.data.delete(server)
  }
}

describe("tool-list store", () => {
  test("tools/list is answered from the store without starting the server; a fresh list that differs is announced and saved", async () => {
    const store = new MapStore()
    store.data.set("f", [{ name: "echo", inputSchema: { type: "object" } }, { name: "gone", inputSchema: { type: "object" } }])
    await using proxy = createProxy({ config: config({ servers: { f: fault() } }), log: silentLogger, toolListStore: store, closeGraceMs: 200 })
    const events: ListKind[] = []
    proxy.onListChanged((k) => events.push(k))
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(["f__echo", "f__gone"])
    expect(proxy.status().servers[0]!.state).toBe("idle") // lazy: not started (nor waited for) by a cached list
    // First call starts the session; the fresh list replaces the stored one.
    await proxy.callTool("f__echo", { message: "x" }, ctx())
    expect(await until(() => events.includes("tools"), 15_000)).toBe(true)
    const names = (await proxy.listTools()).map((t) => t.name)
    expect(names).toContain("f__sleep")
    expect(names).not.toContain("f__gone")
    expect(store.ops).toContain("save:f")
    expect(store.data.get("f")!.map((t) => t.name)).toContain("big")
  })

  test("concurrent first calls before any tools/list all route (slow store, server not stored)", async () => {
    const store = new MapStore()
    const slow: ToolListStore = { ...store, load: async (s) => (await Bun.sleep(50), store.load(s)), save: (s, t) => store.save(s, t), invalidate: (s) => store.invalidate(s) }
    await using proxy = createProxy({ config: config({ servers: { f: fault() } }), log: silentLogger, toolListStore: slow, closeGraceMs: 200 })
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => proxy.callTool("f__echo", { message: `m${i}` }, ctx())))
    expect(results.map((r) => (r.content[0] as { text: string }).text)).toEqual(Array.from({ length: 16 }, (_, i) => `m${i}`))
  })

  test("a crash invalidates the stored list", async () => {
    const store = new MapStore()
    await using proxy = createProxy({ config: config({ servers: { f: fault() } }), log: silentLogger, toolListStore: store, closeGraceMs: 200 })
    await proxy.listTools()
    expect(await until(() => store.ops.includes("save:f"), 15_000)).toBe(true)
    process.kill(proxy.pool.get("f")!.pid!, "SIGKILL")
    expect(await until(() => store.ops.includes("invalidate:f"), 15_000)).toBe(true)
  })
})

describe("hooks", () => {
  test("route can redirect, rewrite args or deny; filterTools rewrites the list", async () => {
    await using proxy = createProxy({
      config: config({ servers: { f: fault() } }),
      log: silentLogger,
      closeGraceMs: 200,
      hooks: {
        route: (c) => {
          if (c.tool === "crash") return { deny: "crash is disabled by policy" }
          if (c.server === "" && c.tool === "shout") return { server: "f", tool: "echo", args: { message: "SHOUT" } }
          return c.tool === "echo" ? { args: { message: `[${String(c.args.message)}]` } } : undefined
        },
        filterTools: (tools) => tools.filter((t) => t.name !== "f__crash").map((t) => (t.name === "f__echo" ? { ...t, description: "Echo, re-described" } : t)),
      },
    })
    const tools = await proxy.listTools()
    expect(tools.map((t) => t.name)).not.toContain("f__crash")
    expect(tools.find((t) => t.name === "f__echo")!.description).toBe("Echo, re-described")
    expect(await proxy.callTool("f__echo", { message: "hi" }, ctx())).toEqual({ content: [{ type: "text", text: "[hi]" }] })
    const c = ctx()
    expect(await proxy.callTool("shout", {}, c)).toEqual({ content: [{ type: "text", text: "SHOUT" }] })
    expect(`${c.routedTo}/${c.routedTool}`).toBe("f/echo")
    await expect(proxy.callTool("f__crash", {}, ctx())).rejects.toMatchObject({ kind: "plugin", message: "crash is disabled by policy" })
    expect(proxy.pool.get("f")!.state).toBe("ready")
  })
})

describe("passthrough and dynamic sources", () => {
  test("passthrough: one upstream, names unprefixed", async () => {
    await using proxy = createProxy({ config: config({ servers: { ev: everythingStdio }, proxy: { passthrough: true } }), log: silentLogger, closeGraceMs: 200 })
    const names = (await proxy.listTools()).map((t) => t.name)
    expect(names).toContain("echo")
    expect(await proxy.callTool("echo", { message: "p" }, ctx())).toEqual({ content: [{ type: "text", text: "Echo: p" }] })
  })

  test("addServer (e.g. the Toolkit gateway) lists its tools and announces them; removeServer closes the session and removes them", async () => {
    await using proxy = createProxy({ config: config({ servers: { f: fault() } }), log: silentLogger, closeGraceMs: 200 })
    await proxy.listTools()
    const events: ListKind[] = []
    proxy.onListChanged((k) => events.push(k))
    proxy.addServer({ name: "docker", source: "toolkit", spec: everythingStdio })
    expect(await until(() => events.includes("tools"), 15_000)).toBe(true)
    expect((await proxy.listTools()).map((t) => t.name)).toContain("docker__echo")
    expect(await proxy.callTool("docker__echo", { message: "gw" }, ctx())).toEqual({ content: [{ type: "text", text: "Echo: gw" }] })
    expect(proxy.status().servers.find((s) => s.name === "docker")!.source).toBe("toolkit")
    const pid = proxy.pool.get("docker")!.pid!
    events.length = 0
    await proxy.removeServer("docker")
    expect(alive(pid)).toBe(false)
    expect(await until(() => events.includes("tools"), 15_000)).toBe(true)
    expect((await proxy.listTools()).some((t) => t.name.startsWith("docker__"))).toBe(false)
    await expect(proxy.callTool("docker__echo", {}, ctx())).rejects.toMatchObject({ rpcCode: -32602 })
  })

  test("warm servers start in the background without blocking start()", async () => {
    await using proxy = createProxy({ config: config({ servers: { f: fault(), g: fault() }, warm: ["g"] }), log: silentLogger, closeGraceMs: 200 })
    proxy.start()
    // start() returned before g was up: it starts in the background
    expect(proxy.status().servers.find((s) => s.name === "g")!.state).not.toBe("ready")
    expect(await until(() => proxy.status().servers.find((s) => s.name === "g")!.state === "ready", 15_000)).toBe(true)
    expect(proxy.status().servers.find((s) => s.name === "f")!.state).toBe("idle")
  })
})
