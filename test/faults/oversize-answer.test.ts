/**
 * An answer too large for the client: an MCP SDK client over stdio closes the whole connection on a
 * message over 10 MiB (its read buffer's limit), so one huge tool result used to take every tool of
 * the session with it. Over `proxy.maxMessageBytes` (8 MiB) the orchestrator sends a tool error
 * naming the size instead, and the session goes on; the error names the server, the method and the
 * tool, prompt or resource the answer came from (a URI without its query: it may carry a token).
 * Driven through the binary with the SDK Client.
 */
import { describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, sandboxEnv } from "../helpers/binary.ts"
import { BUN, FAULT } from "../proxy/helpers.ts"

const MiB = 1024 * 1024
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    return (e as Error).message
  }
  return "(no error)"
}
const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("")

const BIG_READ = join(import.meta.dir, "servers", "big-read-server.ts")

async function session(proxy: Record<string, unknown> = {}) {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "c.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, proxy, servers: { f: { command: BUN, args: [FAULT] }, br: { command: BUN, args: [BIG_READ] } } }))
  return connectBinary(["serve", "--config", cfg], env)
}

describe("answers over proxy.maxMessageBytes", () => {
  test("a 12 MiB tool result becomes a tool error naming its size; the session lives on (large-bytes path and 1 MiB through)", async () => {
    const c = await session()
    try {
      const big = await c.client.callTool({ name: "f__big", arguments: { bytes: 12 * MiB } })
      expect(big.isError).toBe(true)
      expect(text(big)).toMatch(/^The tool's result was not sent: the answer of server f to tools\/call \(tool f__big\) is 12\.0 MiB of JSON, over the 8\.0 MiB one message to this client may carry \(proxy\.maxMessageBytes; MCP clients over stdio close the connection above 10 MiB\)\. Ask the tool for less/)
      const ok = await c.client.callTool({ name: "f__big", arguments: { bytes: MiB } })
      expect(ok.isError).toBeFalsy()
      expect(text(ok).length).toBe(MiB)
      // the same through call_tool
      const via = await c.client.callTool({ name: "call_tool", arguments: { name: "f__big", arguments: { bytes: 9 * MiB } } })
      expect(via.isError).toBe(true)
      // named by the tool it called and that tool's server
      expect(text(via)).toContain("the answer of server f to tools/call (tool f__big through call_tool) is 9.0 MiB of JSON")
      expect(text(await c.client.callTool({ name: "f__echo", arguments: { message: "alive" } }))).toContain("alive")
    } finally {
      await c.close()
    }
  }, 60_000)

  test("a small limit applies to a small result (string path), and a raised one lets a 9 MiB result through", async () => {
    const small = await session({ maxMessageBytes: 64 * 1024 })
    try {
      const r = await small.client.callTool({ name: "f__big", arguments: { bytes: 100_000 } })
      expect(r.isError).toBe(true)
      expect(text(r)).toContain("the answer of server f to tools/call (tool f__big) is 98 KiB of JSON, over the 64 KiB one message")
      // a resource read and a prompt: a JSON-RPC error naming server, method and subject, no token
      await small.client.listResources()
      const read = await failure(small.client.readResource({ uri: "big://data/r?token=sekrit-query-token" }))
      expect(read).toContain("the answer of server br to resources/read (resource big://data/r?…) is 98 KiB of JSON, over the 64 KiB one message")
      expect(read).not.toContain("sekrit")
      await small.client.listPrompts()
      const prompt = await failure(small.client.getPrompt({ name: "br__long" }))
      expect(prompt).toContain("the answer of server br to prompts/get (prompt br__long) is 98 KiB of JSON")
      expect(text(await small.client.callTool({ name: "f__echo", arguments: { message: "alive" } }))).toContain("alive")
    } finally {
      await small.close()
    }
    const raised = await session({ maxMessageBytes: 9.5 * MiB })
    try {
      const r = await raised.client.callTool({ name: "f__big", arguments: { bytes: 9 * MiB } })
      expect(r.isError).toBeFalsy()
      expect(text(r).length).toBe(9 * MiB)
    } finally {
      await raised.close()
    }
  }, 60_000)
})
