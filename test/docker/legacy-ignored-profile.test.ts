/**
 * toolkit.profile on a legacy-era CLI (v0.24, no profiles): the setting changes nothing, and before
 * qa332 nothing said so (toolkit_status read "legacy era" with no word about the profile). Now
 * toolkit_status says it has no effect and what to do (update Docker Desktop / the plugin, or remove
 * it), in text and `structuredContent.ignoredProfile`; doctor's toolkit line says the same
 * (`ignoredProfileNote`). A profiles-era CLI with the profile says nothing of the kind.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { fakeDockers } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()

describe("toolkit.profile on a CLI without profiles", () => {
  test("v0.24.0: toolkit_status says the profile has no effect and how to get profiles", async () => {
    const f = fake({ version: "v0.24.0" })
    const r = await call(toolkitTools(createToolkitDriver({ env: f.env, profile: "dev" })), "toolkit_status", {})
    expect(r.isError ?? false).toBe(false)
    expect(r.text).toContain('toolkit.profile "dev" has no effect: docker mcp v0.24.0 runs in the legacy era')
    expect(r.text).toContain("update Docker Desktop or the MCP Toolkit plugin")
    expect(r.structured).toMatchObject({ available: true, era: "legacy", profile: null, ignoredProfile: "dev" })
  }, 60_000)

  test("v0.43.3 with the profile, and v0.24.0 without one: no such note", async () => {
    const f = fake({ version: "v0.43.3" })
    await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
    const on = await call(toolkitTools(createToolkitDriver({ env: f.env })), "toolkit_status", {})
    expect(on.text).not.toContain("has no effect")
    const g = fake({ version: "v0.24.0" })
    const plain = await call(toolkitTools(createToolkitDriver({ env: g.env })), "toolkit_status", {})
    expect(plain.text).not.toContain("has no effect")
    expect((plain.structured as Record<string, unknown>).ignoredProfile).toBeUndefined()
  }, 60_000)
})
