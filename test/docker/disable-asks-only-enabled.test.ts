/**
 * @module test/docker/disable-asks-only-enabled.test
 * server_disable asks the user to confirm only when the server is enabled (something would change).
 * Before qa342 every era asked "Disable server X" first and then answered that X was not enabled; in
 * the profiles era, before the first server_enable (the implicit `default` profile not created yet),
 * the answer was UNKNOWN_PROFILE "Profile default does not exist … set toolkit.profile to an existing
 * one", a setting the user never made. Now: UNKNOWN_SERVER "not enabled", nobody asked.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools, type Consent } from "../../src/manage/index.ts"
import { fakeDockers } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()
const VERSIONS = [{ version: "v0.24.0" }, { version: "v0.28.0", profiles: true }, { version: "v0.35.0", profiles: true }, { version: "v0.43.3" }] as const

describe("server_disable asks only when the server is enabled", () => {
  for (const c of VERSIONS) {
    test(`${c.version}: not enabled (no profile yet, then another server enabled) → nobody asked; enabled → asked, declined keeps it, accepted disables it`, async () => {
      const f = fake(c)
      const asked: string[] = []
      let consent: Consent = "accept"
      const driver = createToolkitDriver({ env: f.env })
      const tools = toolkitTools(driver, { confirm: async ({ summary }) => (asked.push(summary), consent) })

      const none = await call(tools, "server_disable", { name: "duckduckgo" })
      expect(none.isError).toBe(true)
      expect(none.text).toContain("[UNKNOWN_SERVER]")
      expect(none.text).not.toContain("toolkit.profile")
      expect(none.text).not.toContain("does not exist")
      expect(asked).toEqual([])

      expect((await call(tools, "server_enable", { name: "time" })).isError).toBeFalsy()
      const other = await call(tools, "server_disable", { name: "duckduckgo" })
      expect(other.text).toContain("[UNKNOWN_SERVER]")
      expect(asked).toEqual(["Enable server time"])

      consent = "decline"
      const declined = await call(tools, "server_disable", { name: "time" })
      expect(declined.text).toBe("Disable server time: declined by the user. Nothing was changed.")
      expect((await driver.serversList()).map((s) => s.name)).toEqual(["time"])
      consent = "accept"
      const off = await call(tools, "server_disable", { name: "time" })
      expect(off.isError, off.text).toBeFalsy()
      expect(asked).toEqual(["Enable server time", "Disable server time", "Disable server time"])
      expect(await driver.serversList()).toEqual([])
    }, 90_000)
  }

  test("v0.43.3: a toolkit.profile set to a profile that does not exist is still said so", async () => {
    const f = fake({ version: "v0.43.3" })
    const r = await call(toolkitTools(createToolkitDriver({ env: f.env, profile: "dev" })), "server_disable", { name: "duckduckgo" })
    expect(r.isError).toBe(true)
    expect(r.text).toContain("[UNKNOWN_PROFILE]")
  }, 60_000)
})
