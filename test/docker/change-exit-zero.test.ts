/**
 * @module test/docker/change-exit-zero.test
 * A change (enable, disable, config) whose command exits 0 while its stderr says it failed (a
 * release that logs its error and returns nil, a wrapper script): the tool must not answer
 * "Enabled X". Expected: an isError naming the command, the CLI version and era and what stderr
 * said (masked), saying the change may not have been made; a warning or tip on stderr is no failure.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"
import { call } from "./tool-call.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

const FAILED = "Error: failed to save: open /home/me/.docker/mcp/mcp-toolkit.db: read-only file system (token ghp_abcdefghijklmnopqrstuvwxyz0123456789)\n"
const ERAS = [
  ["v0.43.3", "profiles", [["profile server add", "server_enable", { name: "fetch" }], ["profile server remove", "server_disable", { name: "time" }], ["profile config", "config_set", { server: "time", key: "zone", value: "Europe/Paris" }]]],
  ["v0.24.0", "legacy", [["server enable", "server_enable", { name: "fetch" }], ["server disable", "server_disable", { name: "time" }], ["config write", "config_set", { server: "time", key: "zone", value: "Europe/Paris" }]]],
] as const

for (const [version, era, cases] of ERAS) {
  describe(`${version}: a change that exits 0 with a failure on stderr`, () => {
    for (const [command, tool, args] of cases) {
      test(`${tool} (\`docker mcp ${command}\`): an error naming the command, the CLI and what it said, never "done"`, async () => {
        const f = makeFakeDocker({ version })
        fakes.push(f)
        const tools = toolkitTools(createToolkitDriver({ env: f.env }))
        expect((await call(tools, "server_enable", { name: "time" })).isError).toBeFalsy()
        f.setOutput(command, { stdout: "", stderr: FAILED, exit: 0 })
        const r = await call(tools, tool, args)
        expect(r.isError).toBe(true)
        expect(r.text).toContain(`docker mcp ${command}`)
        expect(r.text).toContain(`Toolkit ${version}, ${era} era`)
        expect(r.text).toContain("read-only file system")
        expect(r.text).toContain("may not have been made")
        expect(r.text).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789")
      })
    }

    test("a warning or a tip on stderr is no failure: the change is answered as made", async () => {
      const f = makeFakeDocker({ version })
      fakes.push(f)
      const tools = toolkitTools(createToolkitDriver({ env: f.env }))
      const [command, , args] = cases[0]
      // printed beside the change, which is made (a legacy change is read back with `server ls`)
      f.setOutput(command, { stdout: "", stderr: "WARNING: failed to check for updates: offline\nTip: run `docker mcp gateway run` to try it\n", run: true })
      const r = await call(tools, "server_enable", args)
      expect(r.isError).toBeFalsy()
      expect(r.text).toContain("Enabled fetch")
    })
  })
}
