/**
 * @module test/docker/toolkit-partial-lists.test
 * What the management tools tell the model about the lists they read from the Toolkit CLI, on a
 * real driver over the fake docker (its `setOutput`: a Toolkit printing what nobody has seen yet):
 * - a list read only in part (entries of an unknown shape left out, toolkit.md §9 "Treat every
 *   field beyond `name` as optional") says so: how many, of which command, the CLI version and era,
 *   and a hint, in text and structuredContent — catalog_search, servers_list, secrets_list,
 *   toolkit_tools_list; and through the binary (SDK client over stdio), cache in between;
 * - a list wrapped in one key, or keyed by name, is read; an object holding several lists is not
 *   guessed into one (the error says so);
 * - a secret's NAME stays visible where the output is quoted (`"key": "github.token"`, YAML
 *   `secret: github.personal_access_token`, `"secrets": ["api_key"]`, toolkit.md §4.2 "Secret
 *   naming: `<server>.<key>`"), its value is still masked.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import type { ToolContext, ToolDef } from "../../src/mcp/tool-def.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { connectBinary, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

const ctx = (): ToolContext => ({ signal: new AbortController().signal, log: silentLogger, progress: async () => {} })

function setup(version: string): { fake: FakeDocker; tools: ToolDef[] } {
  const fake = makeFakeDocker({ version })
  fakes.push(fake)
  return { fake, tools: toolkitTools(createToolkitDriver({ env: fake.env })) }
}

async function call(tools: ToolDef[], name: string, args: unknown = {}) {
  const def = tools.find((t) => t.name === name)
  if (!def) throw new Error(`no tool ${name}`)
  const out = await def.handler(def.input.parse(args), ctx())
  // structuredContent always matches the documented output schema, leftOut included
  if (!out.isError && def.output) def.output.parse(out.structured)
  return out as { isError?: boolean; text: string; structured?: Record<string, unknown> }
}

const TOOL = { name: "search", description: "Search", inputSchema: { type: "object" } }

describe("a partial read is said to the model", () => {
  test("secrets_list (v0.43.3): one entry left out → count, command, version, era and hint in text and structuredContent", async () => {
    const { fake, tools } = setup("v0.43.3")
    fake.setOutput("secret ls", { stdout: JSON.stringify([{ name: "github.personal_access_token", provider: "docker-pass" }, null, { name: "api_key" }]) })
    const r = await call(tools, "secrets_list")
    expect(r.isError).toBeFalsy()
    expect(r.structured?.secrets).toEqual([{ name: "github.personal_access_token", provider: "docker-pass" }, { name: "api_key" }])
    expect(r.structured?.leftOut).toMatchObject({ command: "docker mcp secret ls --json", version: "v0.43.3", era: "profiles", count: 1 })
    expect(r.text.split("\n")[0]).toContain("Partial answer: 1 entry of `docker mcp secret ls --json` (Docker MCP Toolkit v0.43.3, profiles era)")
    expect(r.text).toContain('override for "secrets"')
    expect(r.text).toContain("- api_key")
  })

  test("a complete read says nothing (and a later complete read clears the note)", async () => {
    const { fake, tools } = setup("v0.43.3")
    fake.setOutput("secret ls", { stdout: JSON.stringify([{ name: "a.b" }, 7]) })
    expect((await call(tools, "secrets_list")).structured?.leftOut).toBeDefined()
    fake.setOutput("secret ls", { stdout: JSON.stringify([{ name: "a.b" }]) })
    const r = await call(tools, "secrets_list")
    expect(r.structured).toEqual({ secrets: [{ name: "a.b" }] })
    expect(r.text).toBe("- a.b")
  })

  test("servers_list (legacy v0.27.0) and toolkit_tools_list (v0.43.3)", async () => {
    const legacy = setup("v0.27.0")
    legacy.fake.setOutput("server ls", { stdout: JSON.stringify([{ name: "github", secrets: "done" }, { description: "no name" }]) })
    const s = await call(legacy.tools, "servers_list")
    expect((s.structured?.servers as Array<{ name: string }>).map((x) => x.name)).toEqual(["github"])
    expect(s.structured?.leftOut).toMatchObject({ command: "docker mcp server ls --json", version: "v0.27.0", era: "legacy", count: 1 })
    expect(s.text).toContain("Partial answer: 1 entry of `docker mcp server ls --json` (Docker MCP Toolkit v0.27.0, legacy era)")

    const cur = setup("v0.43.3")
    cur.fake.setOutput("tools ls", { stdout: JSON.stringify([TOOL, { description: "nameless" }, { description: "nameless too" }]) })
    const t = await call(cur.tools, "toolkit_tools_list")
    expect(t.structured?.count).toBe(1)
    expect(t.structured?.leftOut).toMatchObject({ count: 2, version: "v0.43.3" })
    expect(t.text).toContain("Partial answer: 2 entries of `docker mcp tools ls")
  })

  test("catalog_search (legacy v0.20.0): a catalog entry left out is said, from the catalog itself", async () => {
    const { fake, tools } = setup("v0.20.0")
    fake.setOutput("catalog show", { stdout: JSON.stringify({ name: "docker-mcp", registry: { duckduckgo: { description: "Web search", tools: [{ name: "search" }, { description: "nameless" }] } } }) })
    const r = await call(tools, "catalog_search", { query: "web search" })
    expect((r.structured?.servers as Array<{ name: string }>)[0]?.name).toBe("duckduckgo")
    expect(r.structured?.leftOut).toMatchObject({ command: "docker mcp catalog show --format json -- docker-mcp", version: "v0.20.0", era: "legacy", count: 1 })
    expect(r.text.startsWith("Partial answer: 1 entry of `docker mcp catalog show")).toBe(true)
  })

  test("through the binary: secrets_list and catalog_search say it over MCP (and again from the cache)", async () => {
    await ensureBuilt()
    const fake = makeFakeDocker({ version: "v0.43.3" })
    fakes.push(fake)
    fake.setOutput("secret ls", { stdout: JSON.stringify([{ name: "github.personal_access_token" }, { provider: "no name" }]) })
    const c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
    try {
      for (let i = 0; i < 2; i++) {
        const r = (await c.client.callTool({ name: "secrets_list", arguments: {} })) as { structuredContent?: Record<string, unknown>; content: Array<{ text?: string }> }
        expect(r.structuredContent?.leftOut).toMatchObject({ command: "docker mcp secret ls --json", version: "v0.43.3", era: "profiles", count: 1 })
        expect(r.content[0]?.text).toContain("Partial answer: 1 entry")
      }
    } finally {
      await c.close()
    }
  }, 120_000)
})

describe("list shapes beyond the documented ones", () => {
  const shapes: Array<[string, unknown]> = [
    ["one key", { secrets: [{ name: "github.token" }, { name: "api_key" }] }],
    ["items", { items: [{ name: "github.token" }, { name: "api_key" }] }],
    ["two levels", { data: { secrets: [{ name: "github.token" }, { name: "api_key" }] } }],
    ["name-keyed under a key", { secrets: { "github.token": {}, api_key: { provider: null } } }],
    ["top-level name-keyed map", { "github.token": { provider: "docker-pass" }, api_key: null }],
  ]
  for (const [what, out] of shapes)
    test(`secrets_list reads a ${what} list`, async () => {
      const { fake, tools } = setup("v0.43.3")
      fake.setOutput("secret ls", { stdout: JSON.stringify(out) })
      const r = await call(tools, "secrets_list")
      expect(r.isError).toBeFalsy()
      expect((r.structured?.secrets as Array<{ name: string }>).map((s) => s.name)).toEqual(["github.token", "api_key"])
    })

  test("servers_list: a profile's servers keyed by name (v0.43.3) and a wrapped legacy list (v0.27.0)", async () => {
    const cur = setup("v0.43.3")
    cur.fake.setOutput("profile server ls", { stdout: JSON.stringify([{ id: "default", name: "Default", servers: { github: { type: "image", image: "mcp/github" }, fetch: { type: "image" } } }]) })
    expect(((await call(cur.tools, "servers_list")).structured?.servers as Array<{ name: string }>).map((s) => s.name)).toEqual(["github", "fetch"])
    const old = setup("v0.27.0")
    old.fake.setOutput("server ls", { stdout: JSON.stringify({ data: { servers: [{ name: "github", secrets: "done" }] } }) })
    expect((await call(old.tools, "servers_list")).structured?.servers).toEqual([{ name: "github", secrets: "done" }])
  })

  test("an object holding several lists is not guessed: the error says why (secret ls output itself is never quoted)", async () => {
    const { fake, tools } = setup("v0.43.3")
    fake.setOutput("secret ls", { stdout: JSON.stringify({ secrets: ["github.personal_access_token", "api_key"], oauth: [{ key: "github.token" }] }) })
    const r = await call(tools, "secrets_list")
    expect(r.isError).toBe(true)
    expect(r.text).toContain("OUTPUT_UNPARSEABLE")
    expect(r.text).toContain('several lists or maps (\\"secrets\\", \\"oauth\\")'.replaceAll("\\", ""))
    expect(r.text).toContain("not quoted")
    expect(r.text).not.toContain("github.personal_access_token")
  })
})

describe("secret names are not masked as values; values still are", () => {
  test("quoted output: names kept (JSON key/secret/list, YAML flow and block), values masked", async () => {
    const { fake, tools } = setup("v0.27.0")
    // legacy `config read` (toolkit.md §3.9) printing something no parser reads: the error quotes its head
    fake.setOutput("config read", { stdout: 'oauth: {secret: github.personal_access_token, key: notion.api_key\nsecrets: [api_key]\npassword: hunter2hunter2\ntoken: "ghs_live_value_9876"' })
    const r = await call(tools, "config_get", { server: "github" })
    expect(r.isError).toBe(true)
    for (const name of ["github.personal_access_token", "notion.api_key", "[api_key]"]) expect(r.text).toContain(name)
    for (const value of ["hunter2hunter2", "ghs_live_value_9876"]) expect(r.text).not.toContain(value)
  })
})

describe("a partial read is said in every process, from the cache too", () => {
  test("server_inspect (legacy v0.27.0): a tool left out of the server's list is said", async () => {
    const { fake, tools } = setup("v0.27.0")
    fake.setOutput("server inspect", { stdout: JSON.stringify({ tools: [{ name: "search", description: "Search", enabled: true }, { description: "nameless" }], readme: "# ddg" }) })
    const r = await call(tools, "server_inspect", { name: "duckduckgo" })
    expect(r.isError).toBeFalsy()
    expect((r.structured?.tools as Array<{ name: string }>).map((t) => t.name)).toEqual(["search"])
    expect(r.structured?.leftOut).toMatchObject({ command: "docker mcp server inspect -- duckduckgo", version: "v0.27.0", era: "legacy", count: 1 })
    expect(r.text.startsWith("Partial answer: 1 entry of `docker mcp server inspect")).toBe(true)
  })

  test("a new process serving servers, secrets, tools and inspect from the file cache says what their reads left out", async () => {
    await ensureBuilt()
    const fake = makeFakeDocker({ version: "v0.27.0" })
    fakes.push(fake)
    const env = sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string })
    // long TTLs: the second process is served from the cache whatever the machine's load
    const cfgDir = `${env.XDG_CONFIG_HOME}/mcp-orchestrator`
    await Bun.write(`${cfgDir}/config.json`, JSON.stringify({ cache: { ttl: { servers: "1h", secrets: "1h", tools: "1h", inspect: "1h" } } }))
    type R = { structuredContent?: Record<string, unknown>; content: Array<{ text?: string }> }
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ["server ls", JSON.stringify([{ name: "duckduckgo", secrets: "done" }, { description: "no name" }]), {}, "servers_list"],
      ["secret ls", JSON.stringify([{ name: "github.personal_access_token" }, { provider: "no name" }]), {}, "secrets_list"],
      ["tools ls", JSON.stringify([TOOL, { description: "nameless" }]), {}, "toolkit_tools_list"],
      ["server inspect", JSON.stringify({ tools: [{ name: "search", enabled: true }, { description: "nameless" }], readme: "" }), { name: "duckduckgo" }, "server_inspect"],
    ]
    const first = new Map<string, unknown>()
    const one = await connectBinary(["serve"], env)
    try {
      for (const [cmd, stdout, args, tool] of cases) {
        fake.setOutput(cmd, { stdout })
        const r = (await one.client.callTool({ name: tool, arguments: args })) as R
        expect(r.structuredContent?.leftOut).toMatchObject({ count: 1, version: "v0.27.0" })
        const { leftOut: _l, ...rest } = r.structuredContent ?? {}
        first.set(tool, rest)
      }
    } finally {
      await one.close()
    }
    // the Toolkit now prints complete lists: a second process serves the cached partial ones, and says so
    fake.setOutput(undefined)
    const two = await connectBinary(["serve"], env)
    try {
      for (const [, , args, tool] of cases) {
        const r = (await two.client.callTool({ name: tool, arguments: args })) as R
        const { leftOut, ...rest } = r.structuredContent ?? {}
        expect(rest).toEqual(first.get(tool) as Record<string, unknown>)
        expect(leftOut).toMatchObject({ count: 1, version: "v0.27.0", era: "legacy" })
        expect(r.content[0]?.text).toContain("Partial answer: 1 entry")
      }
    } finally {
      await two.close()
    }
  }, 180_000)
})
