/**
 * A downstream answering a call with something that is not an MCP response (issue 15 QA): a result
 * that is null, a number, a string or an array, a tool result whose content is not a list of content
 * blocks, an error that is a bare string, a result nested 100 000 levels deep. Each fails only its own call, at once, naming the server
 * and what was wrong (BAD_RESPONSE); before, `result: null` went out as is and the SDK client,
 * unable to match it to its request, waited for its own 60 s timeout. Driven through the compiled
 * binary with the SDK's real Client; the fixture writes the raw line it is given.
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected, writeConfig } from "../helpers/binary.ts"

const FAULT = join(import.meta.dir, "..", "fixtures", "servers", "fault-server.ts")
let c: Connected

beforeAll(async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const configPath = writeConfig(env, { toolkit: { enabled: "off" }, warm: ["f"], servers: { f: { command: process.execPath, args: [FAULT] } } })
  c = await connectBinary(["serve", "--config", configPath], env)
}, 60_000)

afterAll(async () => {
  await c?.close()
})

/**
 * The call's outcome as text: an error result's text, or a JSON-RPC error's message. The client's
 * own timeout is far above the test's: a call left unanswered fails as a test timeout, never as an
 * error that could pass for an answer.
 */
async function outcome(line: string): Promise<{ error: boolean; text: string }> {
  try {
    const r = (await c.client.callTool({ name: "f__raw", arguments: { line } }, undefined, { timeout: 600_000 })) as CallToolResult
    return { error: r.isError === true, text: r.content.map((b) => (b.type === "text" ? b.text : "")).join("") }
  } catch (e) {
    return { error: true, text: (e as Error).message }
  }
}

const cases: [string, string, RegExp][] = [
  ["result null", `{"result":null,"jsonrpc":"2.0","id":{ID}}`, /its result is null, not an object/],
  ["result a number (other member order)", `{"jsonrpc":"2.0","id":{ID},"result":42}`, /its result is 42, not an object/],
  ["result a string, spaced", `{ "jsonrpc": "2.0", "id": {ID}, "result": "ok" }`, /its result is "ok", not an object/],
  ["result an array", `{"result":[1],"jsonrpc":"2.0","id":{ID}}`, /its result is \[1\], not an object/],
  ["neither result nor error", `{"jsonrpc":"2.0","id":{ID}}`, /its result is missing, not an object/],
  ["content a string", `{"result":{"content":"x"},"jsonrpc":"2.0","id":{ID}}`, /its content is "x", not a list of content blocks/],
  ["a content block without a type", `{"result":{"content":[{"type":"text","text":"a"},{"text":"b"}]},"jsonrpc":"2.0","id":{ID}}`, /content\[1\] is \{"text":"b"\}, not a content block/],
  ["an error that is a string", `{"jsonrpc":"2.0","id":{ID},"error":"boom"}`, /its error is "boom", not an object/],
  // before: passed on as is without a configured secret; with one, its redaction and write held the
  // event loop for seconds, then the client got -32603 "Maximum call stack size exceeded."
  ["structuredContent nested 100 000 levels deep", `{"jsonrpc":"2.0","id":{ID},"result":{"content":[{"type":"text","text":"ok"}],"structuredContent":{"d":${"[".repeat(100_000)}${"]".repeat(100_000)}}}}`, /its result nests more than 10,000 levels of arrays and objects deep/],
]

for (const [name, line, expected] of cases) {
  test(`${name}: that call fails at once with BAD_RESPONSE naming the server; the next call works`, async () => {
    const r = await outcome(line)
    expect(r.error).toBe(true)
    expect(r.text).toMatch(expected)
    expect(r.text).toContain("server f: its answer to tools/call is not valid MCP")
    expect(r.text).toMatch(/BAD_RESPONSE|not valid MCP/)
    expect(r.text).not.toMatch(/timed? ?out/i)
    const ok = (await c.client.callTool({ name: "f__echo", arguments: { message: "still here" } })) as CallToolResult
    expect(ok.content[0]).toMatchObject({ type: "text", text: "still here" })
  }, 20_000)
}

test("an error object without code or message keeps what it had", async () => {
  const r = await outcome(`{"jsonrpc":"2.0","id":{ID},"error":{"reason":"quota"}}`)
  expect(r.error).toBe(true)
  expect(r.text).toContain(`(no message) {"reason":"quota"}`)
})
