/**
 * v0.28, the first `profile` release, spells three commands its own way (mcp-gateway @v0.28.0,
 * cmd/docker-mcp/commands/workingset.go, catalog_next.go): `profile server add` takes catalog servers
 * as `--catalog=REF --catalog-server=NAME` and refuses a `catalog://` URI ("invalid server value"),
 * servers are listed by `profile servers --profile=ID` (no `profile server ls`), and `catalog-next
 * show` has no `--pull`. Before qa332 the driver sent the v0.29+ forms: server_enable, servers_list
 * and catalog_search all failed on a real v0.28 with profiles on. Its unknown-name error, "servers
 * were not found in catalog: [x]", is UNKNOWN_SERVER. The fake docker follows each release.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { ToolkitError } from "../../src/core/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { join } from "node:path"
import { fakeDockers, type FakeDocker } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()
/** Runs the fake docker as a user would. */
function run(f: FakeDocker, args: string[]): { code: number; stderr: string } {
  const r = Bun.spawnSync([join(f.dir, "bin", "docker"), ...args], { env: f.env, stdout: "pipe", stderr: "pipe" })
  return { code: r.exitCode ?? -1, stderr: r.stderr.toString() }
}
const text = (r: { text: string }): string => r.text

describe("profiles era, v0.28 and v0.29 command lines", () => {
  for (const version of ["v0.28.0", "v0.29.0"]) {
    test(`${version}: catalog_search (catalog not pulled), server_enable ×2, servers_list, config, server_disable`, async () => {
      const f = fake({ version, profiles: true })
      const driver = createToolkitDriver({ env: f.env })
      const tools = toolkitTools(driver)
      const found = await call(tools, "catalog_search", { query: "duckduckgo" })
      expect(found.isError, text(found)).toBeFalsy()
      expect(text(found)).toContain("duckduckgo")
      for (const name of ["duckduckgo", "time"]) {
        const r = await call(tools, "server_enable", { name })
        expect(r.isError, text(r)).toBeFalsy()
      }
      const listed = await call(tools, "servers_list", {})
      expect(listed.isError, text(listed)).toBeFalsy()
      expect((await driver.serversList()).map((s) => s.name).sort()).toEqual(["duckduckgo", "time"])
      const set = await call(tools, "config_set", { server: "duckduckgo", key: "region", value: "de" })
      expect(set.isError, text(set)).toBeFalsy()
      expect(await driver.configGet("duckduckgo")).toEqual({ duckduckgo: { region: "de" } })
      const off = await call(tools, "server_disable", { name: "time" })
      expect(off.isError, text(off)).toBeFalsy()
      expect((await driver.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    }, 90_000)
  }

  test("v0.28: a name the catalog does not hold is UNKNOWN_SERVER naming it (the CLI's own refusal)", async () => {
    const f = fake({ version: "v0.28.0", profiles: true })
    const driver = createToolkitDriver({ env: f.env })
    await driver.serverEnable("duckduckgo")
    // straight to the CLI (the driver looks the name up only when the add fails for a missing profile or catalog)
    const err = await driver.serverEnable("no-such-server").catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ToolkitError)
    expect((err as ToolkitError).code).toBe("UNKNOWN_SERVER")
    expect((err as ToolkitError).message).toContain("no-such-server")
    const add = f.argvLog().filter((a) => a[2] === "server" && a[3] === "add")
    expect(add.every((a) => !a.some((x) => x.startsWith("--server")))).toBe(true)
  }, 60_000)

  test("the fake refuses the v0.29 forms on v0.28 with the real texts", async () => {
    const f = fake({ version: "v0.28.0", profiles: true })
    await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
    const add = run(f, ["mcp", "profile", "server", "add", "--server=catalog://mcp/docker-mcp-catalog/time", "--", "default"])
    expect(add.stderr).toContain("invalid server value: invalid server value: catalog://mcp/docker-mcp-catalog/time")
    expect(add.code).toBe(1)
    expect(run(f, ["mcp", "profile", "server", "ls", "--format", "json"]).stderr).toContain("unknown flag: --format")
    expect(run(f, ["mcp", "catalog-next", "show", "--format", "json", "--pull", "missing", "--", "mcp/docker-mcp-catalog"]).stderr).toContain("unknown flag: --pull")
  }, 60_000)
})
