/**
 * Where searching is how tools are reached (`proxy.expose` search or code), the search index is
 * built ahead once the lists settle, server by server between turns of the event loop
 * (proxy/index-sync `prepare`), not by the first search on its call path (qa299: ≈ 0.7 s for
 * 5 000 tools on a loaded machine). With every tool listed it is still built by the first search.
 */
import { expect, test } from "bun:test"
import { createToolIndex, type IndexedTool } from "../../src/catalog/index.ts"
import { createProxy, IndexSync, type Tool } from "../../src/proxy/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { config, MEMORY, until } from "../proxy/helpers.ts"

function surface(servers: number) {
  const items: Tool[] = []
  const routes = new Map<string, { server: string; name: string }>()
  for (let s = 0; s < servers; s++) {
    for (const t of ["create_issue", "list_issues", "read_file"]) {
      const name = `s${s}__${t}`
      items.push({ name, description: `${t.replace("_", " ")} of s${s}`, inputSchema: { type: "object" } })
      routes.set(name, { server: `s${s}`, name: t })
    }
  }
  return { items, routes } as never
}

function spied() {
  const inner = createToolIndex()
  const set: string[] = []
  return {
    set,
    index: {
      ...inner,
      setServer(server: string, tools: readonly IndexedTool[]) {
        set.push(server)
        inner.setServer(server, tools)
      },
      // (what IndexSync calls: a server's tools in slices)
      settingServer(server: string, tools: readonly IndexedTool[]) {
        set.push(server)
        return inner.settingServer(server, tools)
      },
      search: inner.search,
      get: inner.get,
      get size() {
        return inner.size
      },
    },
  }
}

test("prepare builds the index once the lists settle, one server per turn; the search then indexes nothing", async () => {
  const { set, index } = spied()
  const sync = new IndexSync(index)
  const s = surface(6)
  sync.prepare(() => s, { settleMs: 0, chunkMs: 0 })
  // what a call in flight would be: it runs between two servers' indexing, not after the whole build
  const between: number[] = []
  const tick = setInterval(() => between.push(set.length), 0)
  expect(await until(() => sync.isCurrent(s), 20_000)).toBe(true)
  clearInterval(tick)
  expect(set.length).toBe(6)
  expect(between.some((n) => n > 0 && n < 6)).toBe(true)
  expect(sync.sync(s).search("create an issue", { server: "s3" })[0]?.tool.name).toBe("s3__create_issue")
  expect(set.length).toBe(6)
}, 30_000)

test("a search during the build finishes it itself: never a partial index", async () => {
  const { set, index } = spied()
  const sync = new IndexSync(index)
  const s = surface(5)
  sync.prepare(() => s, { settleMs: 0, chunkMs: 0 })
  for (let i = 0; i < 10_000 && set.length === 0; i++) await Bun.sleep(0)
  expect(set.length).toBeGreaterThan(0)
  expect(set.length).toBeLessThan(5)
  expect(sync.sync(s).size).toBe(15)
  expect(new Set(set).size).toBe(5)
  expect(set.length).toBe(5)
}, 30_000)

test("expose search: the proxy's index is built ahead of the first search; expose all: not", async () => {
  const servers = { mem: { command: "node", args: [MEMORY] } }
  const idx = (p: unknown) => (p as { searchIndex: IndexSync; toolSurface(): never })
  await using search = createProxy({ config: config({ servers, proxy: { expose: "search" } }), log: silentLogger, closeGraceMs: 200 })
  await using all = createProxy({ config: config({ servers }), log: silentLogger, closeGraceMs: 200 })
  expect((await search.listTools()).length).toBeGreaterThan(0)
  expect((await all.listTools()).length).toBeGreaterThan(0)
  expect(await until(() => idx(search).searchIndex.isCurrent(idx(search).toolSurface()), 20_000)).toBe(true)
  // the other one's settle time passed too (1 s): nothing was built there
  await Bun.sleep(2500)
  expect(idx(all).searchIndex.isCurrent(idx(all).toolSurface())).toBe(false)
}, 60_000)

test("expose search with a plugin's tools hook: searches use the hook's index, the surface's is not built ahead", async () => {
  const servers = { mem: { command: "node", args: [MEMORY] } }
  const idx = (p: unknown) => (p as { searchIndex: IndexSync; toolSurface(): never })
  await using hooked = createProxy({ config: config({ servers, proxy: { expose: "search" } }), log: silentLogger, closeGraceMs: 200, hooks: { filterTools: (tools) => tools } })
  await using plain = createProxy({ config: config({ servers, proxy: { expose: "search" } }), log: silentLogger, closeGraceMs: 200 })
  expect((await hooked.listTools()).length).toBeGreaterThan(0)
  expect((await plain.listTools()).length).toBeGreaterThan(0)
  expect(await until(() => idx(plain).searchIndex.isCurrent(idx(plain).toolSurface()), 20_000)).toBe(true)
  await Bun.sleep(1500)
  expect(idx(hooked).searchIndex.isCurrent(idx(hooked).toolSurface())).toBe(false)
}, 60_000)

test("a server of thousands of tools is indexed in slices over many turns: a call in flight is not held behind it", async () => {
  // (before: one server in one piece, 10 000 tools of ~2 KB took 5–15 s, every other server's calls and pings waiting)
  const items: Tool[] = []
  const routes = new Map<string, { server: string; name: string }>()
  for (let i = 0; i < 3000; i++) {
    const t = `tool_${i}`
    items.push({ name: `big__${t}`, description: `Reads record ${i} of the ledger, word${i % 97} word${i % 89}.`, inputSchema: { type: "object", properties: { [`p${i}`]: { type: "string" } } } })
    routes.set(`big__${t}`, { server: "big", name: t })
  }
  const s = { items, routes } as never
  const sync = new IndexSync()
  sync.prepare(() => s, { settleMs: 0, chunkMs: 0 })
  // what a call or a ping in flight would be: a turn of the event loop while the one server is
  // being indexed (part of its tools in the index, not all)
  const partial = new Set<number>()
  for (let i = 0; i < 1_000_000 && !sync.isCurrent(s); i++) {
    await Bun.sleep(0)
    if (sync.index.size < 3000) partial.add(sync.index.size)
  }
  // (before: 0, then all 3000 in one turn)
  expect([...partial].filter((n) => n > 0).length).toBeGreaterThan(10)
  expect(sync.sync(s).search("record 17 of the ledger").length).toBeGreaterThan(0)
  expect(sync.index.size).toBe(3000)
}, 60_000)

test("a search while a big server is half indexed finishes it first: never a partial index", async () => {
  const items: Tool[] = []
  const routes = new Map<string, { server: string; name: string }>()
  for (let i = 0; i < 1000; i++) {
    items.push({ name: `big__t${i}`, description: `tool ${i}`, inputSchema: { type: "object" } })
    routes.set(`big__t${i}`, { server: "big", name: `t${i}` })
  }
  const s = { items, routes } as never
  const sync = new IndexSync()
  sync.prepare(() => s, { settleMs: 0, chunkMs: 0 })
  for (let i = 0; i < 10_000 && sync.index.size === 0; i++) await Bun.sleep(0)
  expect(sync.isCurrent(s)).toBe(false)
  expect(sync.sync(s).size).toBe(1000)
  expect(sync.index.get("big__t999")?.server).toBe("big")
}, 30_000)
