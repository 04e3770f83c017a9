/**
 * A stdio downstream that writes raw control characters in its JSON lines (a NUL or a tab copied into
 * a string unescaped, a NUL after the object: servers written by hand or over C strings), through the
 * compiled binary with the SDK (v1) Client, next to the real server-memory. `JSON.parse` refuses such
 * a line, and it used to be dropped as noise: a tools/list answered so left the server with no tools
 * in the first answer (Cursor never lists again), a tools/call waited out its whole timeout. Now the
 * line is read with its control characters escaped in strings and dropped between values
 * (core/json-controls): the first list holds every tool, each call answers at once.
 * An answer line that cannot be read even so (cut short, `NaN`, no `"jsonrpc":"2.0"`) fails the call
 * its first bytes name at once with BAD_RESPONSE saying what the line is (pool/stray-answers
 * `unreadableAnswer`), where it waited out its timeout (20 s here); a JSON log line beginning with
 * "result" fails nothing.
 * Fixture: test/faults/servers/control-chars-server.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { beside, ensureBuilt, resultText, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "control-chars-server.ts")
const text = resultText

beforeAll(ensureBuilt, 120_000)

describe("raw control characters in a downstream's lines", () => {
  let c: Connected
  let first: string[]
  beforeAll(async () => {
    ;({ c, first } = await beside({
      ctl: { command: process.execPath, args: [SERVER] },
    }))
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("a tools/list with raw control characters in its descriptions is in the first answer", () => {
    expect(first).toEqual(expect.arrayContaining(["ctl__nul_inside", "ctl__nul_after", "ctl__fine", "mem__read_graph"]))
  })

  test("a result with a raw NUL in a string, or after the object, answers its call at once", async () => {
    const inside = (await c.client.callTool({ name: "ctl__nul_inside", arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
    expect(inside.isError).toBeFalsy()
    expect(text(inside).replace(/\u0000/g, "")).toBe("ab")
    const after = (await c.client.callTool({ name: "ctl__nul_after", arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
    expect(after.isError).toBeFalsy()
    expect(text(after)).toBe("after")
    expect(text(await c.client.callTool({ name: "mem__read_graph", arguments: {} }))).toContain("entities")
  }, 60_000)

  test("an answer line that cannot be read fails its call at once, naming the server and the line", async () => {
    const cases: [string, string][] = [
      ["ctl__cut_short", "its answer line is not JSON ("],
      ["ctl__with_nan", "its answer line is not JSON ("],
      ["ctl__no_jsonrpc", 'its answer line is JSON but no JSON-RPC 2.0 message (it lacks "jsonrpc":"2.0")'],
    ]
    for (const [name, words] of cases) {
      const r = (await c.client.callTool({ name, arguments: {} }, undefined, { timeout: 25_000 })) as CallToolResult
      expect(r.isError).toBe(true)
      expect(text(r)).toContain(`[BAD_RESPONSE] server ctl: its answer to tools/call is not valid MCP (tool ${name.slice(5)}): ${words}`)
      expect(text(r)).not.toContain("TIMEOUT")
    }
    expect(text(await c.client.callTool({ name: "ctl__json_log", arguments: {} }))).toBe("called json_log")
    expect(text(await c.client.callTool({ name: "ctl__fine", arguments: {} }))).toBe("called fine")
  }, 120_000)
})
