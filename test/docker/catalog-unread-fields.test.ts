/**
 * @module test/docker/catalog-unread-fields.test
 * A Toolkit CLI whose output drifts inside an entry (the fake docker's `setOutput`): a renamed
 * `snapshot.server` (`snapshot.serverInfo`), a field of another type (a number where a string was,
 * a string where a list was, a new status word). Before: the forgiving shapes dropped such a field
 * and the entry read as whole — a catalog server named from its image with no description and no
 * tools, a profile's server without its snapshot, a secret state gone — and nothing said so.
 * Expected: the entry is still read (one odd field never loses it) and the answer says what was not
 * read (leftOut: command, CLI version and era, the entry and the field's name and type, never its
 * value, and a hint). And catalog_search over a catalog that lists no servers (`{"servers": null}`)
 * says the catalog is empty, not "no server matches" (an empty catalog and a catalog without a
 * match are different answers).
 */
import { describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import type { ToolContext } from "../../src/mcp/tool-def.ts"
import { fakeDockers, type FakeDocker } from "./fake.ts"

const fake = fakeDockers()

/** The fake at `version`, with the command its driver reads the catalog with printing `stdout`. */
async function catalogPrinting(version: string, profiles: boolean, stdout: string): Promise<FakeDocker> {
  const f = fake({ version, profiles })
  f.writeState({ pulled: true, migrated: true })
  await createToolkitDriver({ env: f.env }).catalogShow()
  const argv = f.argvLog().find((a) => a[1] === "catalog" || a[1] === "catalog-next")
  expect(argv).toBeDefined()
  f.setOutput(argv!.slice(1, 3).join(" "), { stdout })
  return f
}

const oci = (servers: unknown): string => `${JSON.stringify({ ref: "mcp/docker-mcp-catalog:latest", title: "Docker MCP Catalog", servers }, null, 2)}\n`
const GITHUB = { type: "image", image: "mcp/github:latest", snapshot: { server: { name: "github", description: "GitHub tools", tools: [{ name: "create_issue" }] } } }

describe("a catalog entry read without one of its fields says so (v0.43.3)", () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["snapshot.server renamed", { type: "image", image: "mcp/slack:latest", snapshot: { serverInfo: { name: "slack", description: "Slack" } } }, "slack", /server "slack": its snapshot has no `server` \(it has "serverInfo"\)/],
    ["a number where the description was", { type: "image", image: "mcp/slack:latest", snapshot: { server: { name: "slack", description: 42 } } }, "slack", /"mcp\/slack:latest"\) snapshot\.server: "description" \(a number\) not read/],
    ["a string where the tools were", { type: "image", image: "mcp/slack:latest", snapshot: { server: { name: "slack", description: "Slack", tools: "post_message,list_channels" } } }, "slack", /snapshot\.server: "tools" \(a string\) not read/],
    ["a number where the name was", { type: "image", image: "mcp/slack:latest", snapshot: { server: { name: 7, description: "Slack" } } }, "slack", /snapshot\.server: "name" \(a number\) not read/],
  ]
  for (const [what, entry, name, note] of cases) {
    test(`${what}: the entry is kept, the answer names what was not read`, async () => {
      const f = await catalogPrinting("v0.43.3", true, oci([GITHUB, entry]))
      const c = await createToolkitDriver({ env: f.env }).catalogShow()
      expect(c.servers.map((s) => s.name)).toEqual(["github", name])
      expect(c.servers[0]?.description).toBe("GitHub tools")
      expect(c.leftOut).toMatchObject({ version: "v0.43.3", era: "profiles", count: 1 })
      expect(c.leftOut?.command).toContain("docker mcp catalog show")
      expect(c.leftOut?.entries[0]).toMatch(note)
      // the field's value never goes into the note (a config value may be a secret)
      expect(JSON.stringify(c.leftOut)).not.toContain("post_message")
    })
  }

  test("a canonical catalog says nothing", async () => {
    const f = await catalogPrinting("v0.43.3", true, oci([GITHUB]))
    expect((await createToolkitDriver({ env: f.env }).catalogShow()).leftOut).toBeUndefined()
  })
})

test("legacy catalog (v0.27.0): a tile whose title is a list is kept and said", async () => {
  const doc = { name: "docker-mcp", registry: { github: { title: "GitHub", description: "GitHub tools" }, fetch: { title: ["Fetch"], description: "Fetch URLs" } } }
  const f = await catalogPrinting("v0.27.0", false, JSON.stringify(doc))
  const c = await createToolkitDriver({ env: f.env }).catalogShow()
  expect(c.servers.map((s) => s.name).sort()).toEqual(["fetch", "github"])
  expect(c.leftOut?.entries).toEqual(['catalog entry "fetch": "title" (a list) not read (another type than this driver reads)'])
})

describe("lists: an item read without one of its fields says so", () => {
  test("servers_list (v0.27.0): a secrets state the driver does not know is said, the server kept", async () => {
    const f = fake({ version: "v0.27.0" })
    f.setOutput("server ls", { stdout: JSON.stringify([{ name: "github", secrets: "done" }, { name: "slack", secrets: "expired", config: "done" }]) })
    const listed = await createToolkitDriver({ env: f.env }).serversList()
    expect(listed.map((s) => s.name)).toEqual(["github", "slack"])
    const r = await callTool(f, "servers_list")
    expect(r.structured?.leftOut).toMatchObject({ count: 1, version: "v0.27.0" })
    expect(r.text).toContain('server 1 ("slack"): "secrets" (a string) not read')
  })

  test("profile servers (v0.43.3): a snapshot whose server was renamed is said, the server named from its source", async () => {
    const f = fake({ version: "v0.43.3" })
    const profile = { id: "default", name: "Default", servers: [{ type: "image", source: "catalog://mcp/docker-mcp-catalog/github", snapshot: { serverInfo: { name: "github", description: "GitHub tools" } } }] }
    f.setOutput("profile server", { stdout: JSON.stringify([profile]) })
    const r = await callTool(f, "servers_list")
    expect((r.structured?.servers as Array<{ name: string }>).map((s) => s.name)).toEqual(["github"])
    expect(r.text).toContain('server "github": its snapshot has no `server` (it has "serverInfo")')
  })
})

const ctx = (): ToolContext => ({ signal: new AbortController().signal, log: silentLogger, progress: async () => {} })

async function callTool(f: FakeDocker, name: string, args: unknown = {}) {
  const def = toolkitTools(createToolkitDriver({ env: f.env })).find((t) => t.name === name)!
  const out = await def.handler(def.input.parse(args), ctx())
  if (!out.isError && def.output) def.output.parse(out.structured)
  return out as { isError?: boolean; text: string; structured?: Record<string, unknown> }
}

describe("catalog_search over a catalog that lists no servers", () => {
  for (const [era, version, profiles, stdout] of [
    ["profiles", "v0.43.3", true, JSON.stringify({ ref: "mcp/docker-mcp-catalog:latest", servers: null })],
    ["legacy", "v0.27.0", false, JSON.stringify({ name: "docker-mcp", registry: {} })],
  ] as const) {
    test(`${era} (${version}): says the catalog is empty and how to fetch it, not "no server matches"`, async () => {
      const f = await catalogPrinting(version, profiles, stdout)
      const r = await callTool(f, "catalog_search", { query: "github" })
      expect(r.isError).toBeFalsy()
      expect(r.structured).toMatchObject({ count: 0, servers: [] })
      expect(r.text).not.toContain("No catalog server matches")
      expect(r.text).toContain("lists no servers at all")
      expect(r.text).toContain("docker mcp catalog pull mcp/docker-mcp-catalog")
    })
  }

  test("a catalog with servers but no match still says no server matches", async () => {
    const f = await catalogPrinting("v0.43.3", true, oci([GITHUB]))
    const r = await callTool(f, "catalog_search", { query: "zzqx nothing like it" })
    expect(r.text).toBe('No catalog server matches "zzqx nothing like it".')
  })
})
