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

describe("search_tools: requests about something no tool here touches (QA 13)", () => {
  test("a thing named in software words that no tool mentions makes every hit weak: memory's delete tools are no answer to a github issue", async () => {
    // before: the three memory delete tools, unmarked, for "delete a github issue"; the
    // filesystem's list tools for "list slack channels"; everything's echo for "send an email"
    // (a well-known product no tool mentions is missing too: github, slack, QA 131)
    for (const [q, missing] of [
      ["delete a github issue", ["github", "issue"]],
      ["list slack channels", ["slack", "channels"]],
      ["send an email", ["email"]],
      ["query the postgres database", ["postgres", "database"]],
    ] as const) {
      const r = await search(q)
      expect(r.tools.length).toBeGreaterThan(0)
      for (const t of r.tools) expect([q, t.name, t.weak, t.missing]).toEqual([q, t.name, true, [...missing]])
      expect(r.text.split("\n")[0]).toStartWith(`No tool matches "${q}" in full: none has anything for ${missing.map((m) => `"${m}"`).join(", ")}`)
    }
  })

  test("a word outside that vocabulary (a project's name) still asks for nothing, and a word some tool mentions is matched as before", async () => {
    const acme = await search("read the Acme notes file")
    expect(acme.tools[0]).toMatchObject({ name: "filesystem__read_text_file" })
    expect(acme.tools[0]!.weak).toBeUndefined()
    // "image" is in read_media_file's description: the right tool is not marked
    const img = await search("read an image file")
    expect(img.tools.find((t) => t.name === "filesystem__read_media_file")?.weak).toBeUndefined()
  })
})

describe("search_tools: servers without tools right now are named when nothing matches (QA 13)", () => {
  const down = [
    { name: "weather", state: "backoff", lastError: "server weather failed to start: cannot start /opt/weather-mcp: /opt/weather-mcp (servers.weather.command) does not exist" },
    { name: "slowpoke", state: "starting" },
  ]
  const withDown = searchToolsTool(catalog, () => down)
  const run = async (args: Record<string, unknown>): Promise<string> => (await withDown.handler(args as never, ctx as never)).text

  test("no match: the answer names them with their state, so the model does not conclude nobody offers it", async () => {
    expect(await run({ query: "forecast for paris tomorrow", limit: 3 })).toEndWith(
      "\nNot searched: servers that have no tools right now: weather (failed, retrying: server weather failed to start: cannot start /opt/weather-mcp: /opt/weather-mcp (servers.weather.command) does not exist); slowpoke (starting). Their tools may do this: orchestrator_status shows their state; search again once they are up.",
    )
    // only weak matches: the same note after them
    expect(await run({ query: "send an email", limit: 3 })).toContain("\nNot searched: servers that have no tools right now: weather (")
    // a real answer: no note
    expect(await run({ query: "read a file", limit: 3 })).not.toContain("Not searched")
  })

  test("server: one of them is said to have no tools now and why, not to be unknown", async () => {
    expect(await run({ query: "forecast", server: "weather" })).toStartWith(
      "Server weather has no tools right now, so none were searched: failed, retrying: server weather failed to start: cannot start /opt/weather-mcp",
    )
    expect(await run({ query: "x", server: "nosuch" })).toStartWith('No tool of a server named "nosuch" is reachable here (not configured, or outside this toolset;')
  })

  test("without any such server the answers are as before", async () => {
    expect((await search("forecast for paris tomorrow")).text).toBe(`No tool matches "forecast for paris tomorrow" (${indexed.length} tools reachable).`)
  })
})
