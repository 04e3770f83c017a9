/**
 * @module test/docker/version-unreadable-behaviour.test
 * A `docker mcp version` that says no version (a build from source, `v0.0.0-dev`) leaves what the
 * CLI does to decide: the era by `profile list`, and where its OCI catalogs are by the shape of
 * `catalog ls --format json` (the legacy catalogs map before v0.38, a list after), `catalog server
 * inspect` by trying it. Never the capabilities of a version read before (an in-place swap to a
 * build of older code), and status says how the era was detected.
 */
import { describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { createToolkitDriver, type ToolkitChange } from "../../src/docker/index.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

describe("a build without a version: commands chosen by what the CLI does", () => {
  test("code of v0.30 with profiles on: OCI catalogs under catalog-next, inspect from the catalog; enable, show and inspect work", async () => {
    const f = fake({ version: "v0.30.0", profiles: true })
    f.setOutput("version", { stdout: "v0.0.0-dev\n" })
    const d = createToolkitDriver({ env: f.env })
    await d.serverEnable("duckduckgo")
    expect((await d.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    expect((await d.catalogShow()).servers.some((s) => s.name === "duckduckgo")).toBe(true)
    expect((await d.serverInspect("duckduckgo")).tools.length).toBeGreaterThan(0)
    expect(await d.status()).toMatchObject({ era: "profiles", generation: "B", version: "unknown" })
    expect(d.detectedBy?.()).toContain("profile list")
    expect(d.detectedBy?.()).toContain("legacy catalogs")
  })

  test("code of v0.43 (the newest): `catalog` is the OCI command, `catalog server inspect` used", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("version", { stdout: "v0.0.0-dev\n" })
    const d = createToolkitDriver({ env: f.env })
    await d.serverEnable("duckduckgo")
    expect((await d.catalogShow()).servers.some((s) => s.name === "duckduckgo")).toBe(true)
    expect((await d.serverInspect("duckduckgo")).name).toBe("duckduckgo")
    expect(f.argvLog().some((a) => a.slice(1, 4).join(" ") === "catalog server inspect")).toBe(true)
    expect(await d.status()).toMatchObject({ era: "profiles", generation: "C", version: "unknown" })
  })

  test("v0.43.3 detected, then swapped in place for a build of v0.30 code without a version: a change, the catalog read the new CLI's way", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    await d.serverEnable("duckduckgo")
    expect(await d.status()).toMatchObject({ version: "v0.43.3" })
    const changes: ToolkitChange[] = []
    d.onEraChange((c) => changes.push(c))
    writeFileSync(join(f.stateDir, "version"), "v0.30.0\n")
    f.setProfilesFeature(true)
    f.setOutput("version", { stdout: "v0.0.0-dev\n" })
    expect(await d.status()).toMatchObject({ era: "profiles", version: "unknown", generation: "B" })
    expect(changes.length).toBe(1)
    expect((await d.catalogShow()).servers.some((s) => s.name === "duckduckgo")).toBe(true)
  })

  test("the same CLI once printing no version (a garbled read): kept, no change", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    expect(await d.status()).toMatchObject({ version: "v0.43.3" })
    const changes: ToolkitChange[] = []
    d.onEraChange((c) => changes.push(c))
    f.setOutput("version", { stdout: "\u001b[2K\r\n" })
    expect(await d.status()).toMatchObject({ version: "v0.43.3", era: "profiles" })
    expect(changes).toEqual([])
  })

  test("a version read says so in status: detected by the version", async () => {
    const f = fake({ version: "v0.24.0" })
    const d = createToolkitDriver({ env: f.env })
    await d.status()
    expect(d.detectedBy?.()).toContain("version v0.24.0")
    expect(d.detectedBy?.()).toContain("before v0.28")
  })
})
