/**
 * Tool filter globs take the syntax users write (`[a-z]`, `[!x]`, `{a,b}`), so such a filter no
 * longer invalidates its whole server entry; a glob that still cannot be read is an error naming
 * the key, file:line and what a glob is, fails closed (its entry is left out, never served
 * unfiltered), and every other server still serves.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { loadConfig } from "../../src/config/index.ts"
import { globToRegExp } from "../../src/proxy/index.ts"
import { call, fleet, names, start, text } from "./helpers.ts"

describe("glob syntax (unit)", () => {
  test("classes, negated classes, ranges and alternatives", () => {
    const m = (g: string, n: string): boolean => globToRegExp(g).test(n)
    expect(m("get-[ae]*", "get-env")).toBe(true)
    expect(m("get-[ae]*", "get-sum")).toBe(false)
    expect(m("[!d]*", "delete_x")).toBe(false)
    expect(m("[^d]*", "read_x")).toBe(true)
    expect(m("v[1-3]_*", "v2_x")).toBe(true)
    expect(m("v[1-3]_*", "v4_x")).toBe(false)
    expect(m("{read,list}_*", "list_directory")).toBe(true)
    expect(m("{read,list}_*", "write_file")).toBe(false)
    expect(m("a.b", "axb")).toBe(false)
    expect(m("*[_-]x", "a-x")).toBe(true)
  })

  test("a glob that cannot be read is an error naming the key, the source and what a glob is; the other entries load", () => {
    const env = { HOME: "/nonexistent" }
    const loaded = loadConfig({ inline: { text: JSON.stringify({ servers: { a: { command: "x", tools: { deny: ["delete_[eo"] } }, b: { command: "y", tools: { deny: ["get-[ae]*"] } } } }), name: "inline.json" }, env })
    expect(Object.keys(loaded.config.servers)).toEqual(["b"])
    const bad = loaded.invalidServers?.[0]
    expect(bad?.name).toBe("a")
    const line = `${bad?.problems[0]?.at} (${bad?.problems[0]?.source}): ${bad?.problems[0]?.problem}`
    expect(line).toContain("servers.a.tools.deny.0 (inline.json")
    expect(line).toContain("[a-z]")
    expect(line).toContain('"delete_[eo"')
    expect(line).toContain("not closed by ]")
  })
})

describe("bracket and brace globs over real servers", () => {
  let s: Awaited<ReturnType<typeof start>>
  beforeAll(async () => {
    const servers = (await fleet()).servers as Record<string, Record<string, unknown>>
    s = await start({
      servers: {
        memory: { ...servers.memory, tools: { deny: ["delete_[eo]*"] } },
        fs: { ...servers.fs, tools: { allow: ["{read,list}_*"] } },
        broken: { ...servers.everything, tools: { deny: ["get-[ae"] } },
      },
    })
  }, 60_000)
  afterAll(() => s?.close())

  test("the filters hide what they name and nothing else; the unreadable one fails closed, alone", async () => {
    let listed: string[] = []
    for (let i = 0; i < 200 && !(listed.includes("memory__read_graph") && listed.includes("fs__list_directory")); i++) {
      listed = await names(s.client)
      if (i) await Bun.sleep(50)
    }
    expect(listed).toContain("memory__delete_relations")
    expect(listed).not.toContain("memory__delete_entities")
    expect(listed).not.toContain("memory__delete_observations")
    const fsTools = listed.filter((n) => n.startsWith("fs__"))
    expect(fsTools).toContain("fs__read_text_file")
    for (const n of fsTools) expect(n).toMatch(/^fs__(read|list)_/)
    expect(listed.filter((n) => n.startsWith("broken__"))).toEqual([])
    const status = text(await call(s.client, "orchestrator_status"))
    expect(status).toContain("servers.broken.tools.deny.0")
  })
})

describe("globs from the environment", () => {
  test("a comma inside {…} belongs to its glob, not the list", () => {
    const loaded = loadConfig({ env: { HOME: "/nonexistent", MCPO_TOOLKIT_TOOLS_DENY: "{delete,drop}_*, *_admin" } })
    expect(loaded.config.toolkit.tools?.deny).toEqual(["{delete,drop}_*", "*_admin"])
  })
})
