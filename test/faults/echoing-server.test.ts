/**
 * A downstream that writes back what it reads (`cat` configured as a server, a shell loop, a
 * misconfigured bridge): our own request comes back as if the server sent it. It used to be
 * answered as the server's request ("initialize is not supported by mcp-orchestrator"), and that
 * answer, echoed back, became the request's error: the start failed blaming the orchestrator. Now
 * the request fails at once saying the server echoed it (pool/rpc `echoed`); a server that echoes one
 * call fails only that call. Through the compiled binary with the SDK (v1) Client, next to
 * server-memory. Servers: the real `cat`, test/faults/servers/framing-server.ts (`echo_back`).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { beside, ensureBuilt, resultText, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "framing-server.ts")
const text = resultText
const ECHO = "request back instead of answering it: a program that echoes what it reads (cat, a shell) is no MCP server"

beforeAll(ensureBuilt, 120_000)

describe("a downstream that echoes our requests", () => {
  let c: Connected
  let first: string[]
  beforeAll(async () => {
    ;({ c, first } = await beside({
      cat: { command: "cat" },
      odd: { command: process.execPath, args: [SERVER] },
    }))
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("`cat` as a server fails its start saying it echoed initialize; the others are in the first answer", async () => {
    expect(first).toEqual(expect.arrayContaining(["odd__fine", "mem__read_graph"]))
    const status = text(await c.client.callTool({ name: "orchestrator_status", arguments: {} }))
    expect(status).toContain(`it sent our own initialize ${ECHO}`)
    expect(status).not.toContain("is not supported by mcp-orchestrator")
  }, 30_000)

  test("a call echoed back fails at once, that call alone", async () => {
    const r = (await c.client.callTool({ name: "odd__echo_back", arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(text(r)).toContain(`[BAD_RESPONSE] server odd: its answer to tools/call is not valid MCP (tool echo_back): it sent our own tools/call ${ECHO}`)
    expect(text(await c.client.callTool({ name: "odd__fine", arguments: {} }))).toBe("called fine")
    expect(text(await c.client.callTool({ name: "mem__read_graph", arguments: {} }))).toContain("entities")
  }, 30_000)
})
