/**
 * @module test/docker/toolkit-tools-hidden.test
 * toolkit_tools_list over a gateway with its built-in dynamic tools (on by default since v0.26):
 * the ones the gateway session denies (mcp-add, mcp-exec…; docker/gateway-hidden) are not offered
 * to the model, which call_tool would refuse; the listing says they were left out.
 */
import { afterAll, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"
import { call } from "./tool-call.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

test("v0.43.3: toolkit_tools_list does not show the gateway's built-in tools its session denies (mcp-add, mcp-remove…), and says so", async () => {
  const f = makeFakeDocker({ version: "v0.43.3" })
  fakes.push(f)
  const tools = toolkitTools(createToolkitDriver({ env: f.env }))
  await call(tools, "server_enable", { name: "time" })
  const r = await call(tools, "toolkit_tools_list", {})
  expect(r.isError).toBeFalsy()
  const names = (r.structured as { tools: Array<{ name: string }> }).tools.map((t) => t.name)
  expect(names).toContain("mcp-find")
  for (const hidden of ["mcp-add", "mcp-remove", "mcp-exec", "code-mode"]) {
    expect(names).not.toContain(hidden)
    expect(r.text).not.toContain(`- ${hidden}:`)
  }
  expect(r.text).toContain("built-in tools not listed")
  expect((r.structured as { count: number }).count).toBe(names.length)
})
