/**
 * Per-server tool filters (`servers.<name>.tools`): allow/deny globs on the server's own tool
 * names, deny wins; hidden tools are neither listed, found by search_tools, nor callable (directly
 * or through call_tool), and the refusal names the filter. Real npm servers behind the binary.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { loadConfig } from "../../src/config/index.ts"
import { compileFilter, globToRegExp } from "../../src/proxy/index.ts"
import { call, fleet, names, start, text } from "./helpers.ts"

describe("glob filters (unit)", () => {
  test("* and ? globs, everything else literal", () => {
    expect(globToRegExp("read_*").test("read_file")).toBe(true)
    expect(globToRegExp("read_*").test("xread_file")).toBe(false)
    expect(globToRegExp("get-?").test("get-a")).toBe(true)
    expect(globToRegExp("get-?").test("get-ab")).toBe(false)
    expect(globToRegExp("a.b").test("axb")).toBe(false)
  })
  test("deny wins over allow, and the reason names the key and glob", () => {
    const check = compileFilter({ allow: ["*"], deny: ["delete_*"] }, "servers.x.tools")!
    expect(check("delete_entities")).toBe('servers.x.tools.deny ("delete_*")')
    expect(check("read_graph")).toBeUndefined()
    const allowOnly = compileFilter({ allow: ["read_*"] }, "servers.x.tools")!
    expect(allowOnly("write_file")).toContain("servers.x.tools.allow")
    expect(compileFilter({}, "k")).toBeUndefined()
  })
  test("config: a bad glob is a config error naming the key path and source", () => {
    const env = { HOME: "/nonexistent" }
    expect(() => loadConfig({ inline: { text: JSON.stringify({ servers: { a: { command: "x", tools: { deny: ["bad glob!"] } } } }), name: "inline.json" }, env })).toThrow(/servers\.a\.tools\.deny\.0 \(inline\.json/)
  })
})

describe("servers.<name>.tools over real servers", () => {
  let s: Awaited<ReturnType<typeof start>>
  let fsRoot = ""
  beforeAll(async () => {
    const f = await fleet()
    fsRoot = f.fsRoot
    const servers = f.servers as Record<string, Record<string, unknown>>
    s = await start({
      servers: {
        memory: { ...servers.memory, tools: { deny: ["delete_*"] } },
        fs: { ...servers.fs, tools: { allow: ["read_*", "list_*"], deny: ["read_media_file"] } },
      },
    })
  }, 60_000)
  afterAll(() => s?.close())

  test("hidden tools are not listed; the others are", async () => {
    const listed = await names(s.client)
    expect(listed).toContain("memory__read_graph")
    expect(listed).toContain("memory__create_entities")
    expect(listed.filter((n) => n.startsWith("memory__delete_"))).toEqual([])
    const fsTools = listed.filter((n) => n.startsWith("fs__"))
    expect(fsTools).toContain("fs__read_text_file")
    expect(fsTools).toContain("fs__list_directory")
    expect(fsTools).not.toContain("fs__read_media_file")
    expect(fsTools).not.toContain("fs__write_file")
    for (const n of fsTools) expect(n).toMatch(/^fs__(read_|list_)/)
  })

  test("a direct call of a hidden tool is refused, naming the filter", async () => {
    const err = await s.client.callTool({ name: "memory__delete_entities", arguments: { entityNames: ["x"] } }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toContain('tool memory__delete_entities is hidden by servers.memory.tools.deny ("delete_*")')
    const err2 = await s.client.callTool({ name: "fs__write_file", arguments: { path: "x", content: "y" } }).catch((e: Error) => e)
    expect((err2 as Error).message).toContain("hidden by servers.fs.tools.allow")
  })

  test("call_tool refuses it too (as a tool error naming the filter); search_tools does not find it", async () => {
    const r = await call(s.client, "call_tool", { name: "memory__delete_entities", arguments: { entityNames: ["x"] } })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain('hidden by servers.memory.tools.deny ("delete_*")')
    const found = await call(s.client, "search_tools", { query: "delete entities relations observations", limit: 50 })
    const hitNames = (found.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name)
    expect(hitNames.length).toBeGreaterThan(0)
    expect(hitNames.filter((n) => n.includes("delete"))).toEqual([])
  })

  test("run_code refuses it as well, naming the filter (not a bare 'not reachable')", async () => {
    for (const [tool, filter] of [
      ["memory__delete_entities", 'servers.memory.tools.deny ("delete_*")'],
      ["fs__write_file", "servers.fs.tools.allow"],
    ]) {
      const r = await call(s.client, "run_code", { code: `return await tools[${JSON.stringify(tool)}]({})` })
      expect(r.isError).toBe(true)
      expect(text(r)).toContain(`tool ${tool} is hidden by ${filter}`)
    }
  })

  test("describe_tools names the filter that hides it, not only 'not reachable here'", async () => {
    const r = await call(s.client, "describe_tools", { names: ["memory__delete_entities", "memory__read_graph"] })
    expect(r.isError).toBeFalsy()
    expect((r.structuredContent as { unknown?: string[] }).unknown).toEqual(["memory__delete_entities"])
    expect(text(r)).toContain('tool memory__delete_entities is hidden by servers.memory.tools.deny ("delete_*").')
    expect(text(r)).not.toContain("Not reachable here")
  })

  test("visible tools still work, directly and through call_tool", async () => {
    const r = await call(s.client, "fs__list_directory", { path: fsRoot })
    expect(r.isError).toBeFalsy()
    expect(text(r)).toContain("notes.txt")
    const via = await call(s.client, "call_tool", { name: "fs__read_text_file", arguments: { path: `${fsRoot}/notes.txt` } })
    expect(text(via)).toContain("alpha")
  })
})
