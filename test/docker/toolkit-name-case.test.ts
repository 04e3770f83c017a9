/**
 * @module test/docker/toolkit-name-case.test
 * A model that writes a server's name in another case (`Filesystem`, `FILESYSTEM` for
 * `filesystem`; Toolkit names are case-sensitive) is told the name it meant by every Toolkit tool
 * that does not know the name, in both CLI eras, not only by server_enable in the profiles era.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import type { ToolDef } from "../../src/mcp/tool-def.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"
import { call } from "./tool-call.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

for (const version of ["v0.24.0", "v0.43.3"]) {
  describe(`${version}: a server name in another case`, () => {
    const setup = async (): Promise<ToolDef[]> => {
      const f = makeFakeDocker({ version })
      fakes.push(f)
      const tools = toolkitTools(createToolkitDriver({ env: f.env }))
      expect((await call(tools, "server_enable", { name: "filesystem" })).isError).toBeFalsy()
      return tools
    }

    test("server_enable, server_inspect, server_disable and config_get name the server meant", async () => {
      const tools = await setup()
      for (const [tool, args] of [
        ["server_enable", { name: "Time" }],
        ["server_inspect", { name: "FILESYSTEM" }],
        ["server_disable", { name: "Filesystem" }],
      ] as const) {
        const r = await call(tools, tool, args)
        expect({ tool, isError: r.isError }).toEqual({ tool, isError: true })
        expect(r.text).toContain("[UNKNOWN_SERVER]")
        expect(r.text).toContain(`"${args.name.toLowerCase()}"`)
        expect(r.text.toLowerCase()).toContain("did you mean")
      }
      const got = await call(tools, "config_get", { server: "Filesystem" })
      expect(got.text).toContain('Did you mean "filesystem"?')
    })
  })
}

test("v0.43.3: config_set of a server in another case (not in the profile) names the enabled one", async () => {
  const f = makeFakeDocker({ version: "v0.43.3" })
  fakes.push(f)
  const tools = toolkitTools(createToolkitDriver({ env: f.env }))
  await call(tools, "server_enable", { name: "filesystem" })
  const r = await call(tools, "config_set", { server: "FileSystem", key: "paths", value: ["/a"] })
  expect(r.isError).toBe(true)
  expect(r.text).toContain("[UNKNOWN_SERVER]")
  expect(r.text).toContain('Did you mean "filesystem"?')
})

test("v0.24.0: config_set of a server in another case (the legacy CLI stores it under that name) warns that nothing reads it, naming the server meant", async () => {
  const f = makeFakeDocker({ version: "v0.24.0" })
  fakes.push(f)
  const tools = toolkitTools(createToolkitDriver({ env: f.env }))
  await call(tools, "server_enable", { name: "filesystem" })
  const r = await call(tools, "config_set", { server: "Filesystem", key: "paths", value: ["/a"] })
  expect(r.isError).toBeFalsy()
  expect(r.text).toContain("Warning: Filesystem is neither enabled nor in the Docker MCP catalog")
  expect(r.text).toContain('Did you mean "filesystem"?')
  // an enabled server of the catalog gets no such warning
  const ok = await call(tools, "config_set", { server: "filesystem", key: "paths", value: ["/a"] })
  expect(ok.text).not.toContain("Warning")
})
