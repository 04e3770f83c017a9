/**
 * The search index follows the tool surface per server: a list change re-indexes only the server
 * whose exposed tools differ; a server gone is removed; the same surface twice costs nothing.
 */
import { expect, test } from "bun:test"
import { createToolIndex, type IndexedTool } from "../../src/catalog/index.ts"
import { IndexSync, type Tool } from "../../src/proxy/index.ts"

function surface(lists: Record<string, string[]>) {
  const items: Tool[] = []
  const routes = new Map<string, { server: string; name: string }>()
  for (const [server, tools] of Object.entries(lists)) {
    for (const t of tools) {
      const name = `${server}__${t}`
      items.push({ name, description: `${t} tool`, inputSchema: { type: "object" } })
      routes.set(name, { server, name: t })
    }
  }
  return { items, routes }
}

test("only changed servers are re-indexed; removed servers leave the index", () => {
  const inner = createToolIndex()
  const calls: string[] = []
  const spy = {
    ...inner,
    setServer(server: string, tools: readonly IndexedTool[]) {
      calls.push(`set ${server}`)
      inner.setServer(server, tools)
    },
    // (what IndexSync calls: a server's tools in slices)
    settingServer(server: string, tools: readonly IndexedTool[]) {
      calls.push(`set ${server}`)
      return inner.settingServer(server, tools)
    },
    removeServer(server: string) {
      calls.push(`remove ${server}`)
      inner.removeServer(server)
    },
    search: inner.search,
    get: inner.get,
    get size() {
      return inner.size
    },
  }
  const sync = new IndexSync(spy)
  const s1 = surface({ a: ["read_file"], b: ["send_message"] })
  sync.sync(s1)
  expect(calls.sort()).toEqual(["set a", "set b"])
  calls.length = 0
  sync.sync(s1)
  sync.sync(surface({ a: ["read_file"], b: ["send_message"] }))
  expect(calls).toEqual([])
  sync.sync(surface({ a: ["read_file", "write_file"], b: ["send_message"] }))
  expect(calls).toEqual(["set a"])
  calls.length = 0
  sync.sync(surface({ a: ["read_file", "write_file"] }))
  expect(calls).toEqual(["remove b"])
  expect(spy.search("send message").map((h) => h.tool.name)).toEqual([])
  expect(spy.search("write file")[0]?.tool.name).toBe("a__write_file")
  expect(spy.get("a__write_file")?.server).toBe("a")
})

test("what is kept per indexed server is a fixed-size fingerprint, not the indexed JSON (qa289)", () => {
  // with input schemas the indexed JSON is about the size of the server's listing: kept per server
  // for the rest of the run once a search built the index (4.5 MB for 50 × 100 recorded tools)
  const sync = new IndexSync()
  const long = Array.from({ length: 200 }, (_, i) => `tool_${i}`)
  sync.sync(surface({ a: long }))
  const kept = (sync as unknown as { indexed: Map<string, Record<string, unknown>> }).indexed.get("a")!
  const texts = Object.values(kept).filter((v) => typeof v === "string")
  expect(texts).toEqual([])
  // equal content in new objects is still recognised (not re-indexed), a change still is
  const inner = createToolIndex()
  let sets = 0
  const spy = { ...inner, settingServer: (s: string, t: readonly IndexedTool[]) => (sets++, inner.settingServer(s, t)), search: inner.search, get: inner.get, size: 0 }
  const sync2 = new IndexSync(spy)
  sync2.sync(surface({ a: long }))
  sync2.sync(surface({ a: long }))
  expect(sets).toBe(1)
  sync2.sync(surface({ a: [...long, "more"] }))
  expect(sets).toBe(2)
})
