/**
 * @module test/docker/legacy-dropped-servers.test
 * Legacy era (v0.4–v0.41 with profiles off): `docker mcp server enable/disable` rewrites
 * registry.yaml whole, keeping only the enabled servers its catalog lists (cmd/docker-mcp/server/
 * enable.go `update`; the fake does the same). A server enabled from a custom catalog, or one
 * Docker's catalog no longer lists, is gone after any enable or disable, exit 0, nothing said.
 * Before qa355 server_enable answered "Enabled duckduckgo." and the other server was silently gone.
 * Now the driver reads `server ls` back: the servers dropped are named (`dropped`, and a line telling
 * the model to tell the user how to get them back); a change the CLI did not make is an error.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()

describe("legacy enable/disable that drop other servers say so", () => {
  for (const version of ["v0.20.0", "v0.27.0"]) {
    test(`${version}: server_enable names the custom-catalog server the CLI dropped`, async () => {
      const f = fake({ version })
      f.writeState({ enabled: ["my-team-tool", "time"] })
      const r = await call(toolkitTools(createToolkitDriver({ env: f.env })), "server_enable", { name: "duckduckgo" })
      expect(r.isError, r.text).toBeFalsy()
      expect(r.text).toContain("Enabled duckduckgo.")
      expect(r.text).toContain("also removed my-team-tool")
      expect(r.structured).toMatchObject({ server: "duckduckgo", dropped: ["my-team-tool"] })
    }, 60_000)

    test(`${version}: server_disable names it too; a change that drops nothing says nothing more`, async () => {
      const f = fake({ version })
      f.writeState({ enabled: ["duckduckgo", "my-team-tool", "time"] })
      const tools = toolkitTools(createToolkitDriver({ env: f.env }))
      const r = await call(tools, "server_disable", { name: "time" })
      expect(r.isError, r.text).toBeFalsy()
      expect(r.structured).toMatchObject({ server: "time", dropped: ["my-team-tool"] })
      expect(r.text).toContain("also removed my-team-tool")
      const again = await call(tools, "server_disable", { name: "duckduckgo" })
      expect(again.text).not.toContain("also removed")
      expect((again.structured as { dropped?: unknown }).dropped).toBeUndefined()
    }, 60_000)
  }

  test("an enable that exits 0 but changes nothing is an error, not \"Enabled\"", async () => {
    const f = fake({ version: "v0.20.0" })
    f.writeState({ enabled: ["time"] })
    f.setOutput("server enable", { stdout: "" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serverEnable("duckduckgo"))
    expect(err.code).toBe("COMMAND_FAILED")
    expect(err.message).toContain("does not list duckduckgo afterwards")
    expect(err.message).toContain("v0.20.0")
  }, 60_000)
})
