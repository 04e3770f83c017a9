/**
 * A name or URI a client sends that is far too long to be one (a model that pasted a document into
 * `name`) is answered with its start and its length, never echoed whole: through the compiled
 * binary over stdio, with the SDK Client, on each path that quotes the name (an unknown name, a
 * disabled server's, a down server's, one a filter hides, a prompt, a resource URI). Before, each
 * answered with the megabyte it was sent.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
import { EVERYTHING, MEMORY } from "../proxy/helpers.ts"

let c: Connected
const MB = "x".repeat(1 << 20)

beforeAll(async () => {
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    servers: {
      memory: { command: "node", args: [MEMORY], env: { MEMORY_FILE_PATH: join(env.HOME!, "memory.jsonl") } },
      ev: { command: "node", args: [EVERYTHING, "stdio"], tools: { deny: ["trigger-*"] } },
      off: { command: "node", args: [MEMORY], disabled: true },
      down: { command: "/nonexistent/bin" },
    },
    toolkit: { enabled: "off" },
  })
  c = await connectBinary(["serve", "--config", cfg], env)
}, 60_000)

afterAll(async () => {
  await c?.close()
})

/** The message of the JSON-RPC error `f` rejects with (or the text of the tool error it answers). */
async function answer(f: () => Promise<unknown>): Promise<string> {
  try {
    const r = (await f()) as { isError?: boolean; content?: { text?: string }[] }
    return JSON.stringify(r)
  } catch (e) {
    return (e as Error).message
  }
}

describe("names too long to be one", () => {
  for (const [label, name] of [
    ["under no server", MB],
    ["under a disabled server", `off__${MB}`],
    ["under a server that is down", `down__${MB}`],
    ["matching a filter's deny glob", `ev__trigger-${MB}`],
  ] as const) {
    test(`tools/call of a 1 MB name ${label}: its start and length, not the name`, async () => {
      const text = await answer(() => c.client.callTool({ name, arguments: {} }, undefined, { timeout: 60_000 }))
      expect(text.length).toBeLessThan(1000)
      expect(text).toContain(`is ${(name.length).toLocaleString("en")} characters long`)
      expect(text).toContain("search_tools")
    }, 90_000)
  }

  test("prompts/get of a 1 MB name", async () => {
    const text = await answer(() => c.client.getPrompt({ name: `ev__${MB}` }))
    expect(text.length).toBeLessThan(1000)
    expect(text).toContain("prompts/list")
  }, 60_000)

  test("resources/read of a 1 MB URI no server serves", async () => {
    const text = await answer(() => c.client.readResource({ uri: `file:///${MB}` }))
    expect(text.length).toBeLessThan(2000)
    expect(text).toContain("Resource not found")
    expect(text).toContain(`(${(MB.length + 8).toLocaleString("en")} characters)`)
  }, 60_000)

  test("a tool of a usual name is still called, and an unknown one still named whole", async () => {
    const r = await c.client.callTool({ name: "memory__read_graph", arguments: {} }, undefined, { timeout: 60_000 })
    expect(r.isError).toBeFalsy()
    const unknown = await answer(() => c.client.callTool({ name: "memory__no_such_tool", arguments: {} }))
    expect(unknown).toContain("Unknown tool: memory__no_such_tool")
  }, 90_000)
})
