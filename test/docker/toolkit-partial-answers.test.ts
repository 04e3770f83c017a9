/**
 * @module test/docker/toolkit-partial-answers.test
 * What the model is told when the Toolkit CLI's answer was read only in part, beyond lists (see
 * toolkit-partial-lists.test.ts), on a real driver over the fake docker (its `setOutput`, raw bytes):
 * - config_get after a `--get-all` with a stray key, or a config.yaml with a server entry of
 *   another type: the configuration that read, and the note of what was left out, in text and
 *   structuredContent; from the cache too (a second call, and another driver on the same cache dir);
 * - a legacy catalog's `registry` entry that is no object (`"kind": 7`) or has no valid name is left
 *   out and said, never listed as a server;
 * - a name that is no UTF-8 (decoded to U+FFFD): an enabled server so named is listed and said to
 *   be read in part; a catalog entry so named is left out and said.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { cachedToolkit, toolkitScope } from "../../src/app/cached-toolkit.ts"
import { createCache } from "../../src/cache/index.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver, type ToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import type { ToolContext, ToolDef } from "../../src/mcp/tool-def.ts"
import { tempDir } from "../helpers/binary.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

const ctx = (): ToolContext => ({ signal: new AbortController().signal, log: silentLogger, progress: async () => {} })

function fake(version: string): FakeDocker {
  const f = makeFakeDocker({ version })
  fakes.push(f)
  return f
}

async function call(tools: ToolDef[], name: string, args: unknown = {}) {
  const def = tools.find((t) => t.name === name)
  if (!def) throw new Error(`no tool ${name}`)
  const out = await def.handler(def.input.parse(args), ctx())
  // structuredContent always matches the documented output schema, leftOut included
  if (!out.isError && def.output) def.output.parse(out.structured)
  return out as { isError?: boolean; text: string; structured?: Record<string, unknown> }
}

const bytes = (...parts: Array<string | number[]>): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))))

describe("config_get says what its read left out", () => {
  test("profiles era (v0.43.3): a stray key beside `server.key` → the config and the note, also from the cache (same and new driver)", async () => {
    const f = fake("v0.43.3")
    await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
    f.setOutput("profile config", { stdout: JSON.stringify({ "duckduckgo.region": "de-de", schemaVersion: 2 }) })
    const dir = tempDir("mcpo-tk-partial-")
    const docker = join(f.dir, "bin", "docker")
    const cached = (cache: Parameters<typeof cachedToolkit>[1]): ToolkitDriver => cachedToolkit(createToolkitDriver({ env: f.env, docker }), cache, toolkitScope(docker, undefined, f.env))
    {
      await using cache = createCache(ConfigSchema.parse({ cache: { dir, ttl: { config: "1h" } } }).cache, { maintainEvery: 0 })
      const tools = toolkitTools(cached(cache))
      for (let i = 0; i < 2; i++) {
        const r = await call(tools, "config_get", { server: "duckduckgo" })
        expect(r.isError).toBeFalsy()
        expect(r.structured?.config).toEqual({ region: "de-de" })
        expect(r.structured?.leftOut).toMatchObject({ command: "docker mcp profile config --get-all --format json -- default", version: "v0.43.3", era: "profiles", count: 1 })
        expect(JSON.stringify(r.structured?.leftOut)).toContain("schemaVersion")
        expect(r.text.split("\n")[0]).toContain("Partial answer: 1 entry of `docker mcp profile config --get-all")
        expect(r.text).toContain('duckduckgo.region = "de-de"')
      }
    }
    // the CLI prints a complete config now: a new process (new cache object, same dir) still serves the partial one, and says so
    f.setOutput("profile config", { stdout: JSON.stringify({ "duckduckgo.region": "fr-fr" }) })
    await using cache = createCache(ConfigSchema.parse({ cache: { dir, ttl: { config: "1h" } } }).cache, { maintainEvery: 0 })
    const r = await call(toolkitTools(cached(cache)), "config_get", { server: "duckduckgo" })
    expect(r.structured?.config).toEqual({ region: "de-de" })
    expect(r.structured?.leftOut).toMatchObject({ count: 1, version: "v0.43.3" })
  }, 60_000)

  test("a complete read says nothing", async () => {
    const f = fake("v0.43.3")
    await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
    f.setOutput("profile config", { stdout: JSON.stringify({ "duckduckgo.region": "de-de" }) })
    const r = await call(toolkitTools(createToolkitDriver({ env: f.env })), "config_get", { server: "duckduckgo" })
    expect(r.structured).toEqual({ server: "duckduckgo", config: { region: "de-de" } })
    expect(r.text).toBe('duckduckgo.region = "de-de"')
  })

  test("legacy (v0.27.0): a config.yaml entry that is no map (a scalar, a list) is left out and said; the servers that read are answered", async () => {
    const f = fake("v0.27.0")
    await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
    f.setOutput("config read", { stdout: "duckduckgo:\n  region: de-de\nschemaVersion: 2\nextras: [a, b]\n" })
    const r = await call(toolkitTools(createToolkitDriver({ env: f.env })), "config_get", { server: "duckduckgo" })
    expect(r.isError).toBeFalsy()
    expect(r.structured?.config).toEqual({ region: "de-de" })
    expect(r.structured?.leftOut).toMatchObject({ command: "docker mcp config read", version: "v0.27.0", era: "legacy", count: 2 })
    expect(JSON.stringify(r.structured?.leftOut)).toContain("schemaVersion")
    expect(r.text.startsWith("Partial answer: 2 entries of `docker mcp config read`")).toBe(true)
    // a server with no configuration of its own, in a partial read, is not answered as "nothing set" alone
    const other = await call(toolkitTools(createToolkitDriver({ env: f.env })), "config_get", { server: "fetch" })
    expect(other.structured?.leftOut).toMatchObject({ count: 2 })
  })

  test("legacy: a config.yaml none of whose entries is a map stays unreadable (not an empty configuration)", async () => {
    const f = fake("v0.27.0")
    f.setOutput("config read", { stdout: "schemaVersion: 2\nkind: config\n" })
    const r = await call(toolkitTools(createToolkitDriver({ env: f.env })), "config_get", { server: "duckduckgo" })
    expect(r.isError).toBe(true)
    expect(r.text).toContain("OUTPUT_UNPARSEABLE")
  })
})

describe("a legacy catalog's registry holds servers only", () => {
  test("an entry that is no object (`kind: 7`, a list) is no server: left out and said; null stays a server", async () => {
    const f = fake("v0.20.0")
    f.setOutput("catalog show", { stdout: JSON.stringify({ name: "docker-mcp", registry: { duckduckgo: { description: "Web search" }, kind: 7, labels: ["x"], fetch: null } }) })
    const d = createToolkitDriver({ env: f.env })
    const cat = await d.catalogShow()
    expect(cat.servers.map((s) => s.name)).toEqual(["duckduckgo", "fetch"])
    expect(cat.leftOut).toMatchObject({ count: 2, era: "legacy" })
    expect(JSON.stringify(cat.leftOut?.entries)).toContain('\\"kind\\": not an object')
    const r = await call(toolkitTools(d), "catalog_search", { query: "kind" })
    expect((r.structured?.servers as unknown[]).length).toBe(0)
    expect(r.structured?.leftOut).toMatchObject({ count: 2 })
  })

  test("an entry whose name is no valid server name (no UTF-8, a space) is left out and said", async () => {
    const f = fake("v0.20.0")
    f.setOutput("catalog show", { stdout: bytes('{"name":"docker-mcp","registry":{"duckduckgo":{"description":"Web search"},"gh', [0xff, 0xfe], 'b":{"description":"Git"},"two words":{"description":"x"}}}') })
    const cat = await createToolkitDriver({ env: f.env }).catalogShow()
    expect(cat.servers.map((s) => s.name)).toEqual(["duckduckgo"])
    expect(cat.leftOut?.count).toBe(2)
    expect(JSON.stringify(cat.leftOut?.entries)).toContain("not valid UTF-8")
  })
})

describe("a name that is no UTF-8 is said where it is listed", () => {
  test("servers_list (legacy v0.27.0): the server is listed, the answer says its name is not usable", async () => {
    const f = fake("v0.27.0")
    f.setOutput("server ls", { stdout: bytes('[{"name":"duckduckgo","secrets":"done"},{"name":"gh', [0xff], 'b","secrets":"done"}]') })
    const r = await call(toolkitTools(createToolkitDriver({ env: f.env })), "servers_list")
    expect(r.isError).toBeFalsy()
    expect((r.structured?.servers as Array<{ name: string }>).map((s) => s.name)).toEqual(["duckduckgo", "gh\uFFFDb"])
    expect(r.structured?.leftOut).toMatchObject({ command: "docker mcp server ls --json", count: 1 })
    expect(r.text.startsWith("Partial answer: 1 entry")).toBe(true)
    expect(r.text).toContain("not valid UTF-8")
  })

  test("secrets_list (v0.43.3) says so too; a later complete list says nothing", async () => {
    const f = fake("v0.43.3")
    f.setOutput("secret ls", { stdout: bytes('[{"name":"github.token"},{"name":"api', [0xc3, 0x28], '"}]') })
    const tools = toolkitTools(createToolkitDriver({ env: f.env }))
    const s = await call(tools, "secrets_list")
    expect(s.structured?.leftOut).toMatchObject({ count: 1 })
    expect(JSON.stringify(s.structured?.leftOut)).toContain("not valid UTF-8")
    f.setOutput("secret ls", { stdout: JSON.stringify([{ name: "github.token" }]) })
    expect((await call(tools, "secrets_list")).structured).toEqual({ secrets: [{ name: "github.token" }] })
  })
})
