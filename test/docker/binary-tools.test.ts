/**
 * @module test/docker/binary-tools.test
 * The Toolkit MCP tools through the compiled binary with the SDK Client and the fake docker on
 * PATH; and with no docker at all (isError + remedy, the server keeps serving). Runs once the
 * app serves `toolkitTools` (src/app wiring); skipped before that.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { makeFakeDocker, REPO, type FakeDocker } from "./fake.ts"

const APP = join(REPO, "src", "app")
/** Served once a non-comment line of src/app calls `toolkitTools(`. */
const WIRED = readdirSync(APP).some(
  (f) => f.endsWith(".ts") && readFileSync(join(APP, f), "utf8").split("\n").some((l) => !/^\s*(\/\/|\*)/.test(l) && l.includes("toolkitTools(")),
)
const NAMES = ["catalog_search", "servers_list", "server_inspect", "server_enable", "server_disable", "toolkit_tools_list", "config_get", "config_set", "secrets_list", "toolkit_status"]

type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; content: Array<{ type: string; text?: string }> }
const text = (r: Result): string => r.content.map((c) => c.text ?? "").join("\n")

describe.skipIf(!WIRED)("toolkit tools through the binary", () => {
  let fake: FakeDocker
  let c: Connected
  beforeAll(async () => {
    await ensureBuilt()
    fake = makeFakeDocker({ version: "v0.43.3" })
    c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
  }, 120_000)
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  test("tools/list has the ten Toolkit tools with output schemas", async () => {
    const { tools } = await c.client.listTools()
    for (const n of NAMES) {
      const t = tools.find((x) => x.name === n)
      expect({ n, found: Boolean(t), out: t?.outputSchema?.type }).toEqual({ n, found: true, out: "object" })
    }
  })

  test("status, search, enable, list, inspect, disable", async () => {
    const call = async (name: string, args: Record<string, unknown> = {}) => (await c.client.callTool({ name, arguments: args })) as Result
    expect((await call("toolkit_status")).structuredContent).toMatchObject({ available: true, era: "profiles", version: "v0.43.3", profile: "default" })
    const search = await call("catalog_search", { query: "web search", limit: 3 })
    expect((search.structuredContent?.servers as Array<{ name: string }>)[0]?.name).toBe("duckduckgo")
    const en = await call("server_enable", { name: "duckduckgo" })
    expect(en.isError).toBeFalsy()
    expect(en.structuredContent).toEqual({ server: "duckduckgo", era: "profiles", profile: "default" })
    expect(text(await call("servers_list"))).toContain("duckduckgo")
    expect((await call("server_inspect", { name: "duckduckgo" })).structuredContent).toMatchObject({ tools: [{ name: "search" }, { name: "fetch_content" }] })
    const bad = await call("server_enable", { name: "--gateway-arg=--interceptor=before:exec:id" })
    expect(bad.isError).toBe(true)
    expect(fake.argvLog().some((a) => a.some((x) => x.includes("interceptor")))).toBe(false)
    expect((await call("server_disable", { name: "duckduckgo" })).isError).toBeFalsy()
    expect(fake.argvLog()).toContainEqual(["mcp", "profile", "server", "remove", "--name=duckduckgo", "--", "default"])
  })
})

describe.skipIf(!WIRED)("toolkit tools through the binary without docker", () => {
  let c: Connected
  beforeAll(async () => {
    c = await connectBinary(["serve"], sandboxEnv({ PATH: "/nonexistent" }))
  }, 120_000)
  afterAll(() => c?.close())

  test("tools answer isError with a remedy; the server keeps serving", async () => {
    const r = (await c.client.callTool({ name: "servers_list", arguments: {} })) as Result
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("DOCKER_NOT_FOUND")
    expect(text(r)).toContain("Remedy:")
    const st = (await c.client.callTool({ name: "toolkit_status", arguments: {} })) as Result
    expect(st.structuredContent).toMatchObject({ available: false })
    const own = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as Result
    expect(own.isError).toBeFalsy()
  })
})

describe.skipIf(!WIRED)("a catalog with one entry the driver cannot read, through the binary", () => {
  // Legacy catalogs up to v0.37 come through raw, every field as written (docs/toolkit.md §3.5), and
  // hand-written catalogs may hold anything (§ "Corrections": catalogs written by hand): here a
  // tile whose tool has no name, and a tile that is a bare string.
  let fake: FakeDocker
  let c: Connected
  let oddDir: string | undefined
  beforeAll(async () => {
    await ensureBuilt()
    const catalog = join(REPO, "test", "fixtures", "fake-docker-data", "catalog.yaml")
    const odd = `${readFileSync(catalog, "utf8").trimEnd()}\n  half-written:\n    description: A server whose tool lost its name\n    tools:\n      - description: a tool entry without a name\n  bare: mcp/bare:latest\n`
    oddDir = mkdtempSync(join(tmpdir(), "odd-catalog-"))
    const file = join(oddDir, "catalog.yaml")
    writeFileSync(file, odd)
    fake = makeFakeDocker({ version: "v0.30.0", catalog: file })
    c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
  }, 120_000)
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
    if (oddDir) rmSync(oddDir, { recursive: true, force: true })
  })

  test("catalog_search still finds the readable servers (it was OUTPUT_UNPARSEABLE for the whole catalog)", async () => {
    const r = (await c.client.callTool({ name: "catalog_search", arguments: { query: "web search", limit: 3 } })) as Result
    expect(r.isError).toBeFalsy()
    expect((r.structuredContent?.servers as Array<{ name: string }>)[0]?.name).toBe("duckduckgo")
    const named = (await c.client.callTool({ name: "catalog_search", arguments: { query: "half-written", limit: 3 } })) as Result
    expect((named.structuredContent?.servers as Array<{ name: string }>).map((s) => s.name)).toContain("half-written")
  })
})
