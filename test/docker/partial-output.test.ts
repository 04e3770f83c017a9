/**
 * @module test/docker/partial-output.test
 * One entry of a shape the driver does not know (a tool without a name, a secret printed as null,
 * a catalog tile that is a string, a profile server with no name) in otherwise readable output:
 * the rest is read and the entry left out with a warning naming the command, the Toolkit version
 * and what was left out. Before, the whole answer was OUTPUT_UNPARSEABLE: one odd server in a
 * 5 000-entry catalog made catalog_search fail, one odd tool blanked toolkit_tools_list. Output
 * none of whose entries reads stays an error (never a silently empty list). The odd output comes
 * from the fake docker's `setOutput` (a Toolkit printing what nobody has seen yet).
 */
import { describe, expect, test } from "bun:test"
import { ToolkitError, createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers, type FakeDocker } from "./fake.ts"

const fake = fakeDockers()

function driver(f: FakeDocker) {
  const records: LogRecord[] = []
  const hub = createLogHub("debug", () => {})
  hub.sinks.add((r) => records.push(r))
  const d = createToolkitDriver({ env: f.env, log: createLogger(hub) })
  const warnings = () => records.filter((r) => r.level === "warn" && r.msg.includes("only partly read"))
  return { d, warnings }
}

function expectWarning(warnings: LogRecord[], command: string, version: string, says: string): void {
  expect(warnings).toHaveLength(1)
  const w = warnings[0] as LogRecord
  expect(w.command).toContain(command)
  expect(w.version).toBe(version)
  expect(w.leftOut).toBe(1)
  expect(JSON.stringify(w.first)).toContain(says)
}

const TOOL = { name: "search", description: "Search the web", inputSchema: { type: "object", properties: { q: { type: "string" } } } }

describe("one unreadable entry leaves the rest of the answer readable", () => {
  test("toolkit tools: a tool without a name is left out, the others listed (profiles era)", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("tools ls", { stdout: JSON.stringify([TOOL, { description: "no name", inputSchema: {} }, { ...TOOL, name: "fetch" }]) })
    const { d, warnings } = driver(f)
    expect((await d.toolsList()).map((t) => t.name)).toEqual(["search", "fetch"])
    expectWarning(warnings(), "docker mcp tools ls", "v0.43.3", "tool 1")
  })

  test("secrets: an entry printed as null is left out (the secret names that read are listed)", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("secret ls", { stdout: JSON.stringify([{ name: "github.personal_access_token", provider: "docker-pass" }, null]) })
    const { d, warnings } = driver(f)
    expect(await d.secretsList()).toEqual([{ name: "github.personal_access_token", provider: "docker-pass" }])
    expectWarning(warnings(), "docker mcp secret ls", "v0.43.3", "secret 1")
  })

  test("legacy catalog (v0.20): a tile that is a string is left out (no server: a field beside them reads so too), a tool without a name left out; 5 000 entries", async () => {
    const registry: Record<string, unknown> = {}
    for (let i = 0; i < 5000; i++) registry[`s${i}`] = { description: `server ${i}`, image: `mcp/s${i}`, tools: [{ name: `t${i}` }] }
    registry.s17 = "mcp/s17:latest"
    ;(registry.s42 as { tools: unknown[] }).tools.push({ description: "a tool without a name" })
    const f = fake({ version: "v0.20.0" })
    f.setOutput("catalog show", { stdout: JSON.stringify({ name: "docker-mcp", displayName: "Docker MCP Catalog", registry }) })
    const { d, warnings } = driver(f)
    const cat = await d.catalogShow()
    expect(cat.servers).toHaveLength(4999)
    expect(cat.servers.find((s) => s.name === "s17")).toBeUndefined()
    expect(cat.servers.find((s) => s.name === "s42")?.tools?.map((t) => t.name)).toEqual(["t42"])
    expect(cat.servers.find((s) => s.name === "s4999")?.description).toBe("server 4999")
    const w = warnings()
    expect(w).toHaveLength(1)
    expect(w[0]?.leftOut).toBe(2)
    expect(w[0]?.version).toBe("v0.20.0")
    expect(JSON.stringify(w[0]?.first)).toContain('catalog entry \\"s17\\"')
  })

  test("OCI catalog (v0.43.3): an entry that is null is left out, a snapshot tool without a name dropped", async () => {
    const f = fake({ version: "v0.43.3" })
    const servers = [
      { type: "image", image: "mcp/duckduckgo", snapshot: { server: { name: "duckduckgo", description: "Search", tools: [{ name: "search" }, { description: "nameless" }] } } },
      null,
      { type: "remote", endpoint: "https://mcp.notion.com/mcp", snapshot: { server: { name: "notion", description: "Notes" } } },
    ]
    f.setOutput("catalog show", { stdout: JSON.stringify({ ref: "mcp/docker-mcp-catalog:latest", title: "Docker MCP Catalog", servers }) })
    const { d, warnings } = driver(f)
    const cat = await d.catalogShow()
    expect(cat.servers.map((s) => s.name)).toEqual(["duckduckgo", "notion"])
    expect(cat.servers[0]?.description).toBe("Search")
    expect(cat.servers[0]?.tools?.map((t) => t.name)).toEqual(["search"])
    expect(warnings()[0]?.leftOut).toBe(2)
  })

  test("profile servers: one without any name is left out, the named one listed", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile server ls", { stdout: JSON.stringify([{ id: "default", name: "Default", servers: [{ type: "image", snapshot: { server: { name: "duckduckgo" } } }, { type: "image", snapshotV2: {} }] }]) })
    const { d, warnings } = driver(f)
    expect((await d.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    expectWarning(warnings(), "docker mcp profile server ls", "v0.43.3", "has no name")
  })

  test("readable output warns of nothing", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("tools ls", { stdout: JSON.stringify([TOOL]) })
    const { d, warnings } = driver(f)
    expect(await d.toolsList()).toHaveLength(1)
    expect(warnings()).toHaveLength(0)
  })
})

describe("output none of whose entries reads is still an error", () => {
  for (const [what, cmd, stdout, op] of [
    ["tools", "tools ls", JSON.stringify([{ description: "a" }, { inputSchema: "object" }]), "toolsList"],
    ["secrets", "secret ls", JSON.stringify([null, 1]), "secretsList"],
    ["a legacy catalog of strings", "catalog show", JSON.stringify({ registry: { a: "x", b: "y" } }), "catalogShow"],
  ] as const) {
    test(what, async () => {
      const f = fake({ version: what.includes("legacy") ? "v0.20.0" : "v0.43.3" })
      f.setOutput(cmd, { stdout })
      const { d } = driver(f)
      let err: unknown
      try {
        await (d[op] as () => Promise<unknown>)()
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(ToolkitError)
      expect((err as ToolkitError).code).toBe("OUTPUT_UNPARSEABLE")
      expect((err as ToolkitError).message).toContain(`docker mcp ${cmd}`)
      expect((err as ToolkitError).message).toMatch(/none of its 2 (entries|servers)/)
    })
  }
})
