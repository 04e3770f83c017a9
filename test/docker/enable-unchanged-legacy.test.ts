/**
 * @module test/docker/enable-unchanged-legacy.test
 * server_enable of a server that is already enabled changes nothing, and asks nobody.
 *
 * Legacy era: `docker mcp server enable X` of a server registry.yaml already holds rewrites the file
 * whole all the same (cmd/docker-mcp/server/enable.go `update`, v0.4–v0.41): the legacy gateway's
 * watcher and the orchestrator's Toolkit-file stamps read that as a change, and server_enable
 * answered "Enabled X." and restarted the gateway (onServersChanged). Now the driver reads
 * `server ls` first, as the legacy disable does, and answers "already enabled; nothing was changed"
 * (`unchanged: true`) as the profiles era does.
 *
 * Both eras: the user was asked to confirm ("Enable server X") before a re-enable that changes
 * nothing. The question is asked only once the server is known not to be enabled; a declined one
 * still changes nothing.
 */
import { describe, expect, test } from "bun:test"
import { statSync } from "node:fs"
import { join } from "node:path"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools, type Consent } from "../../src/manage/index.ts"
import { fakeDockers, type FakeDocker } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()

/** Legacy CLIs: names-only `server ls --json` (≤ v0.26), objects (v0.27), profiles off on a v0.28–v0.41 CLI. */
const LEGACY = ["v0.9.0", "v0.24.0", "v0.27.0", "v0.35.0"] as const
const PROFILES = [
  { version: "v0.35.0", profiles: true },
  { version: "v0.43.3", profiles: true },
] as const

const registryStamp = (f: FakeDocker): string => {
  const st = statSync(join(f.dir, ".docker", "mcp", "registry.yaml"))
  return `${st.ino}:${st.mtimeMs}:${st.ctimeMs}`
}
const enables = (f: FakeDocker): number => f.argvLog().filter((a) => a.join(" ").includes("server enable") || a.join(" ").includes("server add")).length

describe("legacy era: re-enabling an enabled server runs no `server enable`", () => {
  for (const version of LEGACY) {
    test(`${version}: unchanged, registry.yaml not rewritten, the other servers kept`, async () => {
      const f = fake({ version, ...(version === "v0.35.0" ? { profiles: false } : {}) })
      const driver = createToolkitDriver({ env: f.env })
      expect(await driver.serverEnable("duckduckgo")).toEqual({ server: "duckduckgo", era: "legacy", profile: null })
      await driver.serverEnable("time")
      const before = registryStamp(f)
      const runs = enables(f)
      await Bun.sleep(20) // a rewrite would move mtime past the stamp's resolution
      expect(await driver.serverEnable("duckduckgo")).toEqual({ server: "duckduckgo", era: "legacy", profile: null, unchanged: true })
      expect(enables(f)).toBe(runs)
      expect(registryStamp(f)).toBe(before)
      expect((await driver.serversList()).map((s) => s.name).sort()).toEqual(["duckduckgo", "time"])
    }, 60_000)
  }

  test("the fake's own `server enable` rewrites registry.yaml even when nothing changes (as the real CLI)", async () => {
    const f = fake({ version: "v0.24.0" })
    const docker = join(f.dir, "bin", "docker")
    Bun.spawnSync([docker, "mcp", "server", "enable", "duckduckgo"], { env: f.env })
    const before = registryStamp(f)
    await Bun.sleep(20)
    const r = Bun.spawnSync([docker, "mcp", "server", "enable", "duckduckgo"], { env: f.env })
    expect(r.exitCode).toBe(0)
    expect(registryStamp(f)).not.toBe(before)
  }, 30_000)
})

describe("server_enable asks the user only when something would change", () => {
  const cases = [...LEGACY.map((version) => ({ version, profiles: version === "v0.35.0" ? false : undefined })), ...PROFILES]
  for (const c of cases) {
    const era = c.profiles ? "profiles" : "legacy"
    test(`${c.version} (${era}): asked and followed once; the re-enable asks nobody and restarts nothing`, async () => {
      const f = fake({ version: c.version, ...(c.profiles !== undefined ? { profiles: c.profiles } : {}) })
      const asked: string[] = []
      let changes = 0
      const tools = toolkitTools(createToolkitDriver({ env: f.env }), {
        confirm: async ({ summary }) => {
          asked.push(summary)
          return "accept"
        },
        onServersChanged: () => {
          changes++
        },
      })
      const first = await call(tools, "server_enable", { name: "duckduckgo" })
      expect(first.isError, first.text).toBeFalsy()
      expect(asked).toEqual(["Enable server duckduckgo"])
      expect(changes).toBe(1)

      const again = await call(tools, "server_enable", { name: "duckduckgo" })
      expect(again.isError, again.text).toBeFalsy()
      expect(again.text).toBe(`duckduckgo is already enabled${era === "profiles" ? " in profile default" : ""}; nothing was changed.`)
      expect(again.structured).toMatchObject({ server: "duckduckgo", era, unchanged: true })
      expect(asked).toEqual(["Enable server duckduckgo"])
      expect(changes).toBe(1)
    }, 90_000)
  }

  for (const c of [{ version: "v0.24.0" }, { version: "v0.43.3", profiles: true }]) {
    for (const consent of ["decline", "cancel", { failed: "Method not found" }] as Consent[]) {
      test(`${c.version}: a server not enabled yet, ${JSON.stringify(consent)} → nothing changed, nothing run`, async () => {
        const f = fake(c)
        let changes = 0
        const tools = toolkitTools(createToolkitDriver({ env: f.env }), { confirm: async () => consent, onServersChanged: () => void changes++ })
        const r = await call(tools, "server_enable", { name: "duckduckgo" })
        expect(r.isError).toBe(true)
        expect(r.text).toStartWith("Enable server duckduckgo: ")
        expect(r.text).toMatch(/nothing was changed/i)
        expect(enables(f)).toBe(0)
        expect(changes).toBe(0)
        expect(await createToolkitDriver({ env: f.env }).serversList()).toEqual([])
      }, 60_000)
    }
  }
})
