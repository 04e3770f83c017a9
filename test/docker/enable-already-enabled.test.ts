/**
 * @module test/docker/enable-already-enabled.test
 * server_enable of a server the profile already holds. `docker mcp profile server add` appends up to
 * v0.40.0 and the profile's validation refuses the name ("invalid profile: duplicate server name X",
 * pkg/workingset/server.go): server_enable answered COMMAND_FAILED. From v0.40.1 the add replaces the
 * entry, dropping the server's config. On every version the answer is "already enabled", nothing
 * changed (its config kept); server_disable of a server not in the profile says "not enabled".
 */
import { describe, expect, test } from "bun:test"
import { join } from "node:path"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers, type FakeDocker } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()
const VERSIONS = ["v0.28.0", "v0.35.0", "v0.40.0", "v0.40.1", "v0.43.3"] as const
const appends = (v: string): boolean => v !== "v0.40.1" && v !== "v0.43.3"
const text = (r: { text: string }): string => r.text

function run(f: FakeDocker, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = Bun.spawnSync([join(f.dir, "bin", "docker"), ...args], { env: f.env, stdout: "pipe", stderr: "pipe" })
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() }
}

describe("server_enable of a server already enabled changes nothing, on every profiles-era CLI", () => {
  for (const version of VERSIONS) {
    test(`${version}: enable, config_set, enable again → already enabled, config kept; disable of one not there → not enabled`, async () => {
      const f = fake({ version, profiles: true })
      const driver = createToolkitDriver({ env: f.env })
      const tools = toolkitTools(driver)
      const first = await call(tools, "server_enable", { name: "duckduckgo" })
      expect(first.isError, text(first)).toBeFalsy()
      const set = await call(tools, "config_set", { server: "duckduckgo", key: "region", value: "de" })
      expect(set.isError, text(set)).toBeFalsy()

      const again = await call(tools, "server_enable", { name: "duckduckgo" })
      expect(again.isError, text(again)).toBeFalsy()
      expect(text(again)).toContain("duckduckgo is already enabled in profile default; nothing was changed")
      expect(tools.find((t) => t.name === "server_enable")!.output?.parse(again.structured)).toMatchObject({ server: "duckduckgo", profile: "default", unchanged: true })
      // nothing replaced: v0.40.1+ would have dropped the config with the entry
      expect(await driver.configGet("duckduckgo")).toEqual({ duckduckgo: { region: "de" } })
      expect((await driver.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])

      const off = await call(tools, "server_disable", { name: "time" })
      expect(off.isError).toBe(true)
      expect(text(off)).toContain("Server time is not in profile default (it is not enabled there)")
      expect(text(off)).not.toContain("COMMAND_FAILED")
    }, 90_000)

    test(`${version}: added by someone else between the look and the add (a stale list) is already enabled too`, async () => {
      const f = fake({ version, profiles: true })
      const driver = createToolkitDriver({ env: f.env })
      await driver.serverEnable("duckduckgo")
      // the profile's list read before the add does not show it yet
      f.setOutput(version === "v0.28.0" ? "profile servers" : "profile server ls", { stdout: "[]\n" })
      const r = await driver.serverEnable("duckduckgo")
      // up to v0.40.0 the CLI refused the add; from v0.40.1 it replaced the entry (the CLI's doing)
      expect(r).toMatchObject({ server: "duckduckgo", profile: "default", ...(appends(version) ? { unchanged: true } : {}) })
      f.setOutput(undefined)
      expect((await driver.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    }, 90_000)

    test(`${version}: the fake's own profile server add ${appends(version) ? "refuses a duplicate with the real text" : "replaces"}`, async () => {
      const f = fake({ version, profiles: true })
      await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
      const add = version === "v0.28.0" ? ["--catalog=mcp/docker-mcp-catalog", "--catalog-server=duckduckgo"] : ["--server=catalog://mcp/docker-mcp-catalog/duckduckgo"]
      const r = run(f, ["mcp", "profile", "server", "add", ...add, "--", "default"])
      if (appends(version)) {
        expect(r.code).toBe(1)
        expect(r.stderr).toContain("invalid profile: duplicate server name duckduckgo")
      } else {
        expect(r.code, r.stderr).toBe(0)
        expect(r.stdout).toContain("Replaced server duckduckgo in profile default")
        expect(r.stdout).toContain("(replaced 1)")
      }
    }, 60_000)
  }

  test("v0.40.0: another failure of the add stays a failure", async () => {
    const f = fake({ version: "v0.40.0", profiles: true })
    const driver = createToolkitDriver({ env: f.env })
    await driver.serverEnable("duckduckgo")
    f.setOutput("profile server add", { stdout: "", stderr: "Error: failed to update profile: database is locked\n", exit: 1 })
    const err = await toolkitFailure(driver.serverEnable("time"))
    expect(err.message).toContain("database is locked")
  }, 60_000)
})
