/**
 * LineStdioServerTransport over proxy.maxMessageBytes: an oversize tool result becomes a tool error,
 * any other answer (a tools/list answer arriving as bytes, a plain result) a JSON-RPC -32603 — never
 * the wrong shape for its request.
 */
import { expect, test } from "bun:test"
import { JsonBytes, RawJson } from "../../src/core/index.ts"
import { LineStdioServerTransport, type LineIO } from "../../src/mcp/index.ts"

function transport(): { t: LineStdioServerTransport; lines: string[] } {
  const lines: string[] = []
  const dec = new TextDecoder()
  const io: LineIO = {
    input: (async function* () {})(),
    write: (line) => void lines.push(line),
    writeParts: async (parts) => void lines.push(parts.map((p) => (typeof p === "string" ? p : dec.decode(p))).join("")),
  }
  return { t: new LineStdioServerTransport(io, undefined, { maxMessageBytes: 64 * 1024 }), lines }
}

const bytes = (v: unknown) => {
  const b = new TextEncoder().encode(JSON.stringify(v))
  return new RawJson(undefined, new JsonBytes([b], b.byteLength, false))
}

test("a tools/list answer over the limit, as bytes: a JSON-RPC error, not a tool result", async () => {
  const { t, lines } = transport()
  const list = { tools: Array.from({ length: 2000 }, (_, i) => ({ name: `tool_${i}`, description: "x".repeat(40), inputSchema: { type: "object" } })) }
  await t.send({ jsonrpc: "2.0", id: 7, result: bytes(list) } as never)
  const m = JSON.parse(lines.join("")) as { id: number; error?: { code: number; message: string }; result?: unknown }
  expect(m.id).toBe(7)
  expect(m.result).toBeUndefined()
  expect(m.error?.code).toBe(-32603)
  expect(m.error?.message).toContain("proxy.maxMessageBytes")
})

test("a tool result over the limit, as bytes or as an object: a tool error naming its size", async () => {
  for (const result of [bytes({ content: [{ type: "text", text: "y".repeat(100_000) }] }), { content: [{ type: "text", text: "y".repeat(100_000) }] }]) {
    const { t, lines } = transport()
    await t.send({ jsonrpc: "2.0", id: 8, result } as never)
    const m = JSON.parse(lines.join("")) as { id: number; result?: { isError?: boolean; content: { text: string }[] } }
    expect(m.result?.isError).toBe(true)
    expect(m.result?.content[0]!.text).toContain("The tool's result was not sent")
  }
})

test("a request of ours over the limit (a downstream's sampling relayed): not written, rejected at once naming its size", async () => {
  const { t, lines } = transport()
  const errors: Error[] = []
  t.onerror = (e) => void errors.push(e)
  const params = { messages: [{ role: "user", content: { type: "text", text: "s".repeat(100_000) } }], maxTokens: 1 }
  const err = await t.send({ jsonrpc: "2.0", id: 3, method: "sampling/createMessage", params } as never).catch((e: unknown) => e)
  expect(lines).toEqual([])
  expect(err).toBeInstanceOf(Error)
  expect((err as Error).message).toMatch(/^sampling\/createMessage was not sent to the client: the request is 98 KiB of JSON, over the 64 KiB one message to it may carry/)
  expect((err as { details?: unknown }).details).toMatchObject({ maxMessageBytes: 64 * 1024 })
  // a notification over the limit is dropped, as before (nobody waits for it)
  await t.send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "x".repeat(100_000) } } as never)
  expect(lines).toEqual([])
  expect(errors.length).toBe(1)
})
