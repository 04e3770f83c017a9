/**
 * run_code through the compiled binary (`proxy.expose: code`), driven by the SDK Client: the code
 * menu, a script calling server-memory and server-filesystem in parallel, and a hostile script
 * that ends its own run while the orchestrator keeps serving.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { FILESYSTEM, MEMORY } from "../proxy/helpers.ts"

let c: Connected
let root: string

beforeAll(async () => {
  const env = sandboxEnv()
  root = join(env.HOME!, "files")
  mkdirSync(root, { recursive: true })
  writeFileSync(join(root, "one.txt"), "first file\n")
  writeFileSync(join(root, "two.txt"), "second file\n")
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      servers: {
        memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
        fs: { command: "node", args: [FILESYSTEM, root] },
      },
      proxy: { expose: "code" },
      codeMode: { timeout: "8s", maxCalls: 10 }, // the first run starts server-memory within it: 2 s was too little under load
      toolkit: { enabled: "off" },
    }),
  )
  c = await connectBinary(["serve", "--config", cfg], env)
}, 60_000)

afterAll(async () => {
  await c?.close()
})

const text = (r: CallToolResult): string => (r.content[0] as { text: string }).text

describe("run_code in the compiled binary (expose: code)", () => {
  // first, before anything listed the tools: a script must reach them as call_tool would
  test("a script run first in a fresh session reaches tools nothing has listed yet", async () => {
    const r = (await c.client.callTool({ name: "run_code", arguments: { code: `const g = await tools.memory__read_graph({}); return Object.keys(g)` } })) as CallToolResult
    expect(r.isError).toBeFalsy()
    expect(text(r)).toContain("entities")
  })

  test("the code menu: run_code with the meta-tools, no proxied tools", async () => {
    const { tools } = await c.client.listTools()
    const names = tools.map((t) => t.name)
    expect(names).toContain("run_code")
    expect(names).toContain("search_tools")
    expect(names.some((n) => n.startsWith("memory__") || n.startsWith("fs__"))).toBe(false)
    const rc = tools.find((t) => t.name === "run_code")!
    expect(rc.description).toContain("8s, 10 tool calls")
  })

  test("parallel calls to two servers in one script, with console capture", async () => {
    const r = (await c.client.callTool({
      name: "run_code",
      arguments: {
        code: `const [dir, graph] = await Promise.all([tools.fs__list_directory({ path: input.root }), tools.memory__read_graph({})])
        console.log("listed")
        return { dir, entities: graph.entities.length }`,
        input: { root },
      },
    })) as CallToolResult
    expect(r.isError).toBeFalsy()
    const s = r.structuredContent as { result: { dir: unknown; entities: number }; logs: string[]; calls: number }
    expect(JSON.stringify(s.result.dir)).toContain("two.txt")
    expect(s.result.entities).toBe(0)
    expect(s.logs).toEqual(["listed"])
    expect(s.calls).toBe(2)
  })

  test("a hostile script ends its own run; the next one works", async () => {
    const loop = (await c.client.callTool({ name: "run_code", arguments: { code: "while (true) {}" } })) as CallToolResult
    expect(loop.isError).toBe(true)
    expect(text(loop)).toBe("run_code failed: time limit: the run did not finish within 8s (codeMode.timeout)")
    const rec = (await c.client.callTool({ name: "run_code", arguments: { code: "await tools.run_code({ code: 'return 1' })" } })) as CallToolResult
    expect(rec.isError).toBe(true)
    expect(text(rec)).toContain("run_code cannot be called from inside run_code")
    const ok = (await c.client.callTool({ name: "run_code", arguments: { code: "return (await tools.fs__read_text_file({ path: input.p })).content ?? 'text'", input: { p: join(root, "one.txt") } } })) as CallToolResult
    expect(ok.isError).toBeFalsy()
    expect(JSON.stringify(ok.structuredContent)).toContain("first file")
  })
})
