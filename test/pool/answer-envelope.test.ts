/** pool/answer-envelope: what the SDK's envelope check refuses whole while the content is fine is repaired; the rest is left as it came. */
import { expect, test } from "bun:test"
import { JSONRPCMessageSchema } from "@modelcontextprotocol/core"
import { repairBody, SseRepair } from "../../src/pool/answer-envelope.ts"

test("a non-object result._meta and envelope members JSON-RPC has no place for are left out; the SDK then reads the answer", () => {
  for (const meta of ["x", null, [], 5, true]) {
    const m = { jsonrpc: "2.0", id: 1, result: { tools: [{ name: "a" }], _meta: meta }, server_time: 5 }
    expect(JSONRPCMessageSchema.safeParse(m).success).toBe(false)
    const said = repairBody([m])
    expect(said.length).toBe(2)
    expect(JSONRPCMessageSchema.safeParse(m).success).toBe(true)
    expect(m.result.tools).toEqual([{ name: "a" }])
  }
})

test("a fine answer, an object _meta, an error and a notification are untouched", () => {
  const ok = { jsonrpc: "2.0", id: 1, result: { _meta: { k: 1 } } }
  const note = { jsonrpc: "2.0", method: "notifications/message", params: {}, extra: 1 }
  const err = { jsonrpc: "2.0", id: 2, error: { code: -1, message: "no" } }
  expect(repairBody([ok, note, err])).toEqual([])
  expect(note.extra).toBe(1)
  expect(ok.result._meta).toEqual({ k: 1 })
})

test("SSE: an event split across chunks is repaired whole, keeping its id and type; other events pass byte for byte", () => {
  const said: string[] = []
  const r = new SseRepair((w) => void said.push(...w))
  const bad = `id: e7\r\nevent: message\r\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: 7, result: { tools: [], _meta: "x" } })}\r\n\r\n`
  const fine = `: comment\nid: e8\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{}}\n\n`
  const bytes = new TextEncoder().encode(fine + bad)
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += 17) out.push(...r.feed(bytes.subarray(i, i + 17)))
  out.push(...r.end())
  const text = out.map((b) => new TextDecoder().decode(b)).join("")
  expect(text.startsWith(fine)).toBe(true)
  const [, rest] = [text.slice(0, fine.length), text.slice(fine.length)]
  // (the LF of its last CRLF, past the event's end, follows as it came: an empty line, no event)
  expect(rest.replace(/\n+$/, "\n\n")).toBe(`id: e7\nevent: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: 7, result: { tools: [] } })}\n\n`)
  expect(said).toEqual(["its result's _meta is a string, not an object: left out"])
  // an event the stream ended in the middle of is handed on as it came
  const cut = new SseRepair(() => {})
  expect(cut.feed(new TextEncoder().encode("data: {"))).toEqual([])
  expect(new TextDecoder().decode(cut.end()[0])).toBe("data: {")
})
