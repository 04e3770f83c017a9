/**
 * @module test/docker/driver.test
 * The driver against the fake docker on PATH for every documented era: detection, enable → list →
 * inspect → disable round trip, tools, config, secrets, search, gateway spec, and the exact argv sent.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

interface Case {
  version: string
  profiles?: boolean
  era: "legacy" | "profiles"
  generation: "A" | "B" | "C"
}

const CASES: Case[] = [
  { version: "v0.13.0", era: "legacy", generation: "A" },
  { version: "v0.26.0", era: "legacy", generation: "A" },
  { version: "v0.27.0", era: "legacy", generation: "A" },
  { version: "v0.37.0", era: "legacy", generation: "A" },
  { version: "v0.38.0", profiles: false, era: "legacy", generation: "A" },
  // profiles on before the obsolete stubs: `catalog-next`, profile servers without a `tools` key
  { version: "v0.29.0", profiles: true, era: "profiles", generation: "B" },
  { version: "v0.36.0", profiles: true, era: "profiles", generation: "B" },
  { version: "v0.41.0", profiles: true, era: "profiles", generation: "B" },
  { version: "v0.43.3", era: "profiles", generation: "C" },
]

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

for (const c of CASES) {
  describe(`docker mcp ${c.version}${c.profiles === undefined ? "" : c.profiles ? " (profiles on)" : " (profiles off)"}`, () => {
    const fake = makeFakeDocker({ version: c.version, ...(c.profiles === undefined ? {} : { profiles: c.profiles }) })
    fakes.push(fake)
    const driver = createToolkitDriver({ env: fake.env, timeoutMs: 15_000 })

    test("detects the era", async () => {
      const st = await driver.status()
      expect(st).toEqual({ era: c.era, generation: c.generation, version: c.version, profile: c.era === "profiles" ? "default" : null })
    })

    test("enable → list → inspect → tools → disable round trip", async () => {
      expect((await driver.serversList()).map((s) => s.name)).toEqual([])
      const progress: string[] = []
      const r = await driver.serverEnable("duckduckgo", { progress: (_p, _t, m) => void progress.push(m ?? "") })
      expect(r).toEqual({ server: "duckduckgo", era: c.era, profile: c.era === "profiles" ? "default" : null })
      expect(progress.length).toBeGreaterThanOrEqual(2)
      const list = await driver.serversList()
      expect(list.map((s) => s.name)).toEqual(["duckduckgo"])
      if (c.era === "profiles") expect(list[0]).toMatchObject({ profile: "default", tools: null })
      if (c.era === "legacy" && c.version >= "v0.27") expect(list[0]).toMatchObject({ secrets: "none", config: "none", oauth: "none" })

      const info = await driver.serverInspect("duckduckgo")
      expect(info.tools.map((t) => t.name)).toEqual(["search", "fetch_content"])
      expect(info.tools[0]?.inputSchema).toMatchObject({ type: "object", properties: { query: { type: "string" } }, required: ["query"] })
      // catalog-next has no `server inspect` before v0.36: the entry comes from `catalog show`, which has no readme text
      if (c.era === "profiles" && c.version < "v0.36") expect(info.readme).toBe("")
      else expect(info.readme).toContain("DuckDuckGo")
      if (c.era === "profiles") expect(info.tools.map((t) => t.enabled)).toEqual([true, true])

      const tools = await driver.toolsList()
      expect(tools.map((t) => t.name)).toContain("search")
      expect(tools.find((t) => t.name === "search")?.inputSchema).toMatchObject({ type: "object", required: ["query"] })

      await driver.serverDisable("duckduckgo")
      expect(await driver.serversList()).toEqual([])
    })

    test("sends exactly the documented argv for enable/disable", () => {
      const log = fake.argvLog()
      if (c.era === "legacy") {
        expect(log).toContainEqual(["mcp", "server", "enable", "--", "duckduckgo"])
        expect(log).toContainEqual(["mcp", "server", "disable", "--", "duckduckgo"])
        expect(log).toContainEqual(["mcp", "server", "ls", "--json"])
      } else {
        expect(log).toContainEqual(["mcp", "profile", "server", "add", "--server=catalog://mcp/docker-mcp-catalog/duckduckgo", "--", "default"])
        expect(log).toContainEqual(["mcp", "profile", "server", "remove", "--name=duckduckgo", "--", "default"])
        // the implicit default profile is created on first enable (holding the server from v0.29:
        // `create` takes catalog:// URIs), the catalog pulled when missing
        expect(log).toContainEqual(["mcp", "profile", "create", "--name=default", "--id=default", ...(c.version >= "v0.29" ? ["--server=catalog://mcp/docker-mcp-catalog/duckduckgo"] : [])])
        expect(log.some((a) => a.includes("pull") || a.includes("--pull"))).toBe(true)
        expect(log.some((a) => a[1] === (c.version < "v0.38" ? "catalog-next" : "catalog"))).toBe(true)
        // `catalog server inspect` only where it exists (v0.36+); `catalog show` before
        expect(log.some((a) => a[2] === "server" && a[3] === "inspect")).toBe(c.version >= "v0.36")
      }
      // detection ran once for the whole process
      expect(log.filter((a) => a[1] === "version")).toHaveLength(1)
    })

    test("config set/get round trip keeps JSON types", async () => {
      await driver.serverEnable("filesystem")
      await driver.configSet("filesystem", "paths", ["/tmp/a b", "--not-a-flag"])
      expect(await driver.configGet("filesystem")).toEqual({ filesystem: { paths: ["/tmp/a b", "--not-a-flag"] } })
      const all = await driver.configGet()
      expect(all.filesystem).toEqual({ paths: ["/tmp/a b", "--not-a-flag"] })
      await driver.serverDisable("filesystem")
    })

    test("catalog, search, secrets, profiles", async () => {
      const cat = await driver.catalogShow()
      expect(cat.servers.map((s) => s.name)).toEqual(expect.arrayContaining(["duckduckgo", "fetch", "filesystem", "github-official", "time", "gitmcp"]))
      const remote = cat.servers.find((s) => s.name === "gitmcp")
      expect(remote).toMatchObject({ type: "remote", remote: { url: "https://gitmcp.io/docs", transportType: "http" } })
      expect(cat.servers.find((s) => s.name === "github-official")?.description).toContain("<& more>")
      const found = await driver.catalogSearch("web search", 3)
      expect(found[0]?.name).toBe("duckduckgo")
      expect(await driver.catalogSearch("zzz-nothing", 5)).toEqual([])
      expect(await driver.secretsList()).toEqual([{ name: "github.personal_access_token", provider: "docker-pass" }])
      const catalogs = await driver.catalogsList()
      expect(catalogs[0]?.name).toBe(c.era === "legacy" ? "docker-mcp" : "mcp/docker-mcp-catalog:latest")
      const profiles = await driver.profilesList()
      expect(profiles.map((p) => p.id)).toEqual(c.era === "legacy" ? [] : ["default"])
    })

    test("gateway launch spec", async () => {
      const spec = await driver.gatewayLaunchSpec()
      expect(spec.command).toBe(`${fake.dir}/bin/docker`)
      expect(spec.args).toEqual(c.era === "profiles" ? ["mcp", "gateway", "run", "--profile", "default", "--long-lived"] : ["mcp", "gateway", "run", "--long-lived"])
      expect(Object.keys(spec.env).sort()).toEqual(["DOCKER_CONFIG", "HOME", "PATH"])
    })
  })
}

describe("child environment", () => {
  test("only allowlisted variables reach docker", async () => {
    const fake = makeFakeDocker({ version: "v0.43.3" })
    fakes.push(fake)
    await createToolkitDriver({ env: { ...fake.env, XDG_CONFIG_HOME: "/x", AWS_SECRET_ACCESS_KEY: "leak" } }).status()
    // the sh wrapper itself may add PWD/SHLVL/_ (it is not the driver's child env)
    const keys = fake.envLog()[0]?.filter((k) => !["PWD", "OLDPWD", "SHLVL", "_"].includes(k))
    // MCPO_OWNER is no leak: the orchestrator's own mark, so a helper docker leaves running ends with it (core/descendants)
    expect(keys).toEqual(["DOCKER_CONFIG", "HOME", "MCPO_OWNER", "PATH", "XDG_CONFIG_HOME"])
  })
})
