/**
 * @module test/docker/legacy-catalog-missing.test
 * Legacy era, Docker's catalog not downloaded yet (a docker-mcp plugin installed by hand on Docker
 * CE, before any `docker mcp catalog show|init`): `server enable|disable` read
 * ~/.docker/mcp/catalogs/docker-mcp.yaml and take a missing file for an empty catalog
 * (pkg/catalog `readMCPServers`, cmd/docker-mcp/server/enable.go `update`, v0.4–v0.41).
 *
 * Before qa342: server_enable of any server answered UNKNOWN_SERVER "server duckduckgo not found in
 * catalog" (the user would look for another name), and server_disable of one server disabled every
 * enabled server (the CLI keeps only those still in the catalog). Now the catalog is fetched the way
 * `catalog show` does it and the enable runs again; a disable fetches it first; when it cannot be
 * fetched (offline) nothing is changed and the answer says to run `docker mcp catalog init`.
 */
import { describe, expect, test } from "bun:test"
import { rmSync } from "node:fs"
import { join } from "node:path"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers, type FakeDocker } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()
const LEGACY = [{ version: "v0.9.0" }, { version: "v0.24.0" }, { version: "v0.35.0", profiles: false }] as const
const OFFLINE = 'Get "https://desktop.docker.com/mcp/catalog/v3/catalog.yaml": dial tcp: lookup desktop.docker.com: no such host\n'

/** The catalog file gone, as on a fresh install (the state says so too, so the fake's CLI reads it as empty). */
function dropCatalog(f: FakeDocker): void {
  f.writeState({ legacyCatalogMissing: true })
  rmSync(join(f.dir, ".docker", "mcp", "catalogs", "docker-mcp.yaml"), { force: true })
}
const ran = (f: FakeDocker, words: string): number => f.argvLog().filter((a) => a.join(" ").includes(words)).length

describe("legacy era with Docker's catalog not downloaded", () => {
  for (const c of LEGACY) {
    test(`${c.version}: server_enable fetches it and enables the server`, async () => {
      const f = fake(c)
      f.writeState({ legacyCatalogMissing: true })
      const tools = toolkitTools(createToolkitDriver({ env: f.env }))
      const r = await call(tools, "server_enable", { name: "duckduckgo" })
      expect(r.isError, r.text).toBeFalsy()
      expect(r.text).toBe("Enabled duckduckgo.")
      expect((await createToolkitDriver({ env: f.env }).serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    }, 60_000)

    test(`${c.version}: server_disable of one server leaves the others enabled`, async () => {
      const f = fake(c)
      const driver = createToolkitDriver({ env: f.env })
      await driver.serverEnable("duckduckgo")
      await driver.serverEnable("time")
      dropCatalog(f)
      expect(await driver.serverDisable("duckduckgo")).toMatchObject({ server: "duckduckgo", era: "legacy" })
      expect((await driver.serversList()).map((s) => s.name)).toEqual(["time"])
    }, 60_000)

    test(`${c.version}: offline, enable and disable change nothing and say to run catalog init`, async () => {
      const f = fake(c)
      const driver = createToolkitDriver({ env: f.env })
      await driver.serverEnable("duckduckgo")
      await driver.serverEnable("time")
      dropCatalog(f)
      f.setOutput("catalog show", { stdout: "", stderr: OFFLINE, exit: 1 })

      const off = await toolkitFailure(driver.serverDisable("duckduckgo"))
      expect(off.code).toBe("UNKNOWN_CATALOG")
      expect(off.message).toContain("would then disable every enabled server, not only duckduckgo; nothing was changed")
      expect(off.remedy).toContain("docker mcp catalog init")
      expect(ran(f, "server disable")).toBe(0)

      const on = await toolkitFailure(driver.serverEnable("fetch"))
      expect(on.code).toBe("UNKNOWN_CATALOG")
      expect(on.message).toContain("Docker's MCP catalog is not downloaded")
      expect(on.message).not.toContain("not found in catalog")
      expect(on.remedy).toContain("docker mcp catalog init")

      f.setOutput(undefined)
      expect((await driver.serversList()).map((s) => s.name)).toEqual(["duckduckgo", "time"])
    }, 60_000)
  }

  test("v0.24.0: a name not in the downloaded catalog stays UNKNOWN_SERVER, with the name meant", async () => {
    const f = fake({ version: "v0.24.0" })
    f.writeState({ legacyCatalogMissing: true })
    const r = await call(toolkitTools(createToolkitDriver({ env: f.env })), "server_enable", { name: "DuckDuckGo" })
    expect(r.isError).toBe(true)
    expect(r.text).toContain("[UNKNOWN_SERVER]")
    expect(r.text).toContain('"duckduckgo"')
  }, 60_000)

  test("the fake: `server disable` with the catalog missing drops every server (as the real CLI)", async () => {
    const f = fake({ version: "v0.24.0" })
    const driver = createToolkitDriver({ env: f.env })
    await driver.serverEnable("duckduckgo")
    await driver.serverEnable("time")
    dropCatalog(f)
    const r = Bun.spawnSync([join(f.dir, "bin", "docker"), "mcp", "server", "disable", "duckduckgo"], { env: f.env })
    expect(r.exitCode).toBe(0)
    expect(f.state().enabled).toEqual([])
  }, 60_000)
})
