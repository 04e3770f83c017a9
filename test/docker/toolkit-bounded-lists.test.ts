/**
 * @module test/docker/toolkit-bounded-lists.test
 * toolkit_tools_list and server_inspect answer a bounded page of tools (descriptions cut, at most
 * MAX_LIST_TOOLS per answer, config schemas and secrets bounded), saying what was cut and the offset
 * of the next page, on a real driver over the fake docker printing a server of 500 tools with long
 * descriptions (it answered megabytes to the model).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import type { ToolContext, ToolDef } from "../../src/mcp/tool-def.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { MAX_LIST_DESCRIPTION, MAX_LIST_TOOLS } from "../../src/manage/toolkit-schemas.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

const ctx: ToolContext = { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }

async function call(tools: ToolDef[], name: string, args: unknown) {
  const def = tools.find((t) => t.name === name)
  if (!def) throw new Error(`no tool ${name}`)
  const out = await def.handler(def.input.parse(args), ctx)
  expect(out.isError).toBeFalsy()
  def.output?.parse(out.structured)
  return out as { text: string; structured: Record<string, unknown> }
}

const LONG = "word ".repeat(2000)
const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `tool_${i}`, description: `tool ${i}: ${LONG}`, inputSchema: { type: "object" } }))

describe("bounded tool lists", () => {
  test("toolkit_tools_list: 500 tools of 10 KB descriptions answer 100 at a time, each cut, with the next offset until the last page", async () => {
    const fake = makeFakeDocker({ version: "v0.43.3" })
    fakes.push(fake)
    fake.setOutput("tools ls", { stdout: `${JSON.stringify(many(500), null, 2)}\n` })
    const tools = toolkitTools(createToolkitDriver({ env: fake.env }))
    const first = await call(tools, "toolkit_tools_list", {})
    const s = first.structured as { count: number; tools: Array<{ name: string; description: string }>; nextOffset?: number }
    expect(s.count).toBe(500)
    expect(s.tools.length).toBe(MAX_LIST_TOOLS)
    expect(s.tools[0]?.name).toBe("tool_0")
    expect(s.nextOffset).toBe(MAX_LIST_TOOLS)
    for (const t of s.tools) expect(t.description.length).toBeLessThanOrEqual(MAX_LIST_DESCRIPTION)
    expect(first.text).toContain(`500 tools (tools 1–${MAX_LIST_TOOLS} of 500 shown; ${500 - MAX_LIST_TOOLS} more: call toolkit_tools_list with offset ${MAX_LIST_TOOLS})`)
    expect(first.text.length + JSON.stringify(first.structured).length).toBeLessThan(200_000)
    const last = await call(tools, "toolkit_tools_list", { offset: 450 })
    const l = last.structured as { tools: Array<{ name: string }>; nextOffset?: number }
    expect(l.tools.map((t) => t.name)).toEqual(Array.from({ length: 50 }, (_, i) => `tool_${450 + i}`))
    expect(l.nextOffset).toBeUndefined()
    expect(last.text).toContain("500 tools (tools 451–500 of 500 shown):")
    const past = await call(tools, "toolkit_tools_list", { offset: 900 })
    expect(past.text).toContain("(No tools from offset 900: there are 500)")
  }, 60_000)

  test("a short list is answered whole, without a page note", async () => {
    const fake = makeFakeDocker({ version: "v0.43.3" })
    fakes.push(fake)
    fake.setOutput("tools ls", { stdout: JSON.stringify([{ name: "search", description: "Search the web", inputSchema: { type: "object" } }]) })
    const out = await call(toolkitTools(createToolkitDriver({ env: fake.env })), "toolkit_tools_list", {})
    expect(out.structured).toEqual({ count: 1, tools: [{ name: "search", description: "Search the web" }] })
    expect(out.text).toBe("1 tools:\n- search: Search the web")
  }, 30_000)

  test("server_inspect (legacy era): tools paged and cut, config schemas and secrets bounded, each cut said", async () => {
    const fake = makeFakeDocker({ version: "v0.24.0" })
    fakes.push(fake)
    const config = Array.from({ length: 40 }, (_, i) => ({ name: `cfg${i}`, description: LONG, type: "object", properties: {} }))
    fake.setOutput("server inspect", {
      stdout: JSON.stringify({ tools: many(500).map(({ name, description }) => ({ name, description, arguments: [], enabled: true })), readme: `# Big\n${LONG.repeat(10)}`, config, secrets: Array.from({ length: 80 }, (_, i) => ({ name: `big.secret_${i}`, env: `S_${i}` })) }, null, 2),
    })
    const tools = toolkitTools(createToolkitDriver({ env: fake.env }))
    const out = await call(tools, "server_inspect", { name: "big" })
    const s = out.structured as { tools: Array<{ description: string }>; toolCount: number; nextOffset: number; cut: string[]; readme: string }
    expect(s.tools.length).toBe(MAX_LIST_TOOLS)
    expect(s.toolCount).toBe(500)
    expect(s.nextOffset).toBe(MAX_LIST_TOOLS)
    for (const t of s.tools) expect(t.description.length).toBeLessThanOrEqual(MAX_LIST_DESCRIPTION)
    expect(out.text).toContain(`tools 1–${MAX_LIST_TOOLS} of 500 shown; 400 more: call server_inspect (name "big") with offset ${MAX_LIST_TOOLS}`)
    expect(out.text).toContain("readme cut at")
    expect(JSON.stringify(out.structured).length).toBeLessThan(200_000)
    const next = await call(tools, "server_inspect", { name: "big", offset: 100 })
    expect((next.structured as { tools: Array<{ name: string }> }).tools[0]?.name).toBe("tool_100")
  }, 60_000)
})
