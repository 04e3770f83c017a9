/**
 * @module test/docker/version-contradicted.test
 * `docker mcp version` printing a number that does not say which CLI runs: a placeholder of a build
 * from source (`0.0.0+abc`, `v0.0.0-dev`), or a fork's own numbering that the CLI's commands
 * contradict (a "v0.20.0" with profiles, a "v0.45.0" without). Expected: what the CLI does decides
 * (the profile probe), so the user's servers are listed, never an endless "obsolete command".
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

describe("a version that does not say the era", () => {
  for (const printed of ["0.0.0+abc", "v0.0.0-dev"]) {
    test(`\`${printed}\` (a build without a tag) is no version: the probe finds profiles, the servers are listed`, async () => {
      const f = fake({ version: "v0.43.3" })
      const d = createToolkitDriver({ env: f.env })
      await d.serverEnable("duckduckgo")
      f.setOutput("version", { stdout: `${printed}\n` })
      const d2 = createToolkitDriver({ env: f.env })
      expect((await d2.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
      const st = await d2.status()
      expect(st.era).toBe("profiles")
      expect(st.version).toBe("unknown")
    })
  }

  test("a profiles CLI numbered like a legacy one: its `obsolete` answer makes the probe decide", async () => {
    const f = fake({ version: "v0.43.3" })
    await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
    f.setOutput("version", { stdout: "v0.20.0\n" })
    const d = createToolkitDriver({ env: f.env })
    expect((await d.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
    expect((await d.status()).era).toBe("profiles")
  })

  test("a legacy CLI numbered like a profiles one: its `unknown command \"profile\"` makes the probe decide", async () => {
    const f = fake({ version: "v0.20.0" })
    await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
    f.setOutput("version", { stdout: "v0.45.0\n" })
    const d = createToolkitDriver({ env: f.env })
    expect((await d.serversList()).map((s) => s.name)).toEqual(["duckduckgo"])
  })
})
