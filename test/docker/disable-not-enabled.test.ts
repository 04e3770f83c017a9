/**
 * @module test/docker/disable-not-enabled.test
 * server_disable of a server that is not enabled: the profiles-era CLI answers `no matching servers
 * found to remove`, naming no server (and the driver's command label masks the name): the error
 * names the server and the profile, as the legacy era's does.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

describe("server_disable of a server that is not enabled names it in every era", () => {
  for (const [version, profiles, where] of [["v0.24.0", undefined, "is not enabled"], ["v0.35.0", true, "is not in profile default"], ["v0.43.3", undefined, "is not in profile default"]] as const) {
    test(`${version}${profiles ? " (profiles on)" : ""}`, async () => {
      const f = fake({ version, ...(profiles !== undefined ? { profiles } : {}) })
      const d = createToolkitDriver({ env: f.env })
      await d.serverEnable("duckduckgo")
      const err = await toolkitFailure(d.serverDisable("filesystem"))
      expect(err.code).toBe("UNKNOWN_SERVER")
      expect(err.message).toContain(`Server filesystem ${where}`)
      expect(err.message).toContain("nothing to disable")
    })
  }
})
