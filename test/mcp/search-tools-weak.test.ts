/**
 * Regression (QA report item 15): `search_tools` over server-everything + server-memory +
 * server-filesystem (their recorded tool lists, indexed by the real search index) answered "No tool
 * matches" for `mkdir`, `ls`, `grep`, `mv`, and "delete a file" (no tool deletes files there) with
 * the memory server's destructive tools as if they were the answer. Shell words now find their
 * tools; when every hit misses part of the request the answer says so first and marks each hit.
 */
import { describe, expect, test } from "bun:test"
import { loadFleet, toIndexed } from "../../scripts/bench/_search-eval.ts"
import { createToolIndex } from "../../src/catalog/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { searchToolsTool, type SearchToolsHit } from "../../src/mcp/tools/search-tools.ts"
import type { ToolCatalog } from "../../src/proxy/index.ts"

const fleet = loadFleet()
const ix = createToolIndex()
const indexed = ["everything", "memory", "filesystem"].flatMap((s) => {
  const docs = toIndexed(s, fleet.get(s)!)
  ix.setServer(s, docs)
  return docs
})
const byName = new Map(indexed.map((t) => [t.name, t]))
const catalog = async (): Promise<ToolCatalog> =>
  ({
    tools: indexed,
    get: (n: string) => byName.get(n),
    route: (n: string) => {
      const t = byName.get(n)
      return t ? { server: t.server, tool: t.tool } : undefined
    },
    search: (q: string, o?: object) => ix.search(q, o),
  }) as unknown as ToolCatalog
const tool = searchToolsTool(catalog)
const ctx = { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }

async function search(query: string, limit = 3): Promise<{ text: string; tools: SearchToolsHit[] }> {
  const out = await tool.handler({ query, limit }, ctx as never)
  return { text: out.text, tools: (out.structured as { tools: SearchToolsHit[] }).tools }
}

describe("search_tools: shell words and weak matches", () => {
  test("mkdir, ls, grep, mv find the filesystem tools", async () => {
    for (const [q, want] of [
      ["mkdir", "filesystem__create_directory"],
      ["ls", "filesystem__list_directory"],
      ["grep", "filesystem__search_files"],
      ["mv", "filesystem__move_file"],
    ] as const) {
      const r = await search(q)
      expect([q, r.tools[0]?.name, r.tools[0]?.weak]).toEqual([q, want, undefined])
      expect(r.text.split("\n")[0]).toStartWith(`${want}(`)
    }
  })

  test('"delete a file": said first that no tool does all of it; each hit marked weak with what it misses', async () => {
    const r = await search("delete a file")
    expect(r.tools.length).toBe(3)
    for (const t of r.tools) {
      expect(t.weak).toBe(true)
      expect(t.missing).toEqual(["file"])
    }
    const lines = r.text.split("\n")
    expect(lines[0]).toBe(`No tool matches "delete a file" in full: none has anything for "file" (${indexed.length} tools reachable). Closest partial matches:`)
    expect(lines.slice(1).every((l) => l.includes('[weak match: nothing for "file"]'))).toBe(true)
  })

  test("hits missing different parts of the request: the answer says so, each line says what", async () => {
    const r = await search("delete the file of a person", 8)
    expect(r.tools.every((t) => t.weak)).toBe(true)
    expect(new Set(r.tools.map((t) => t.missing!.join())).size).toBeGreaterThan(1)
    expect(r.text.split("\n")[0]).toBe(`No tool matches all of "delete the file of a person" (${indexed.length} tools reachable). Closest partial matches, each marked with what it lacks:`)
  })

  test("a right answer among weak ones is listed plainly, the weak ones marked", async () => {
    const r = await search("touch notes.txt", 3)
    expect(r.tools[0]).toMatchObject({ name: "filesystem__write_file" })
    expect(r.tools[0]!.weak).toBeUndefined()
    expect(r.text.split("\n")[0]).toStartWith("filesystem__write_file(")
    const marked = r.tools.filter((t) => t.weak)
    expect(marked.length).toBeGreaterThan(0)
    for (const t of marked) expect(r.text).toContain(`${t.name}${t.args}`)
    expect(r.text).toContain('[weak match: nothing for "touch"]')
  })
})
