/** pool/answer-envelope: what the SDK's envelope check refuses whole while the content is fine is repaired; the rest is left as it came. */
import { expect, test } from "bun:test"
import { JSONRPCMessageSchema } from "@modelcontextprotocol/core"
import { repairBody } from "../../src/pool/answer-envelope.ts"

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
