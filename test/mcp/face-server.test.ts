/**
 * The face's protocol layer (mcp/face-protocol) answers a thrown -32002 ("resource not found", 2025
 * revision) as thrown to a legacy request, as its revision says; a request carrying the 2026-07-28
 * envelope gets -32602 (that revision's code for it), as the SDK's codec did.
 */
import { describe, expect, test } from "bun:test"
import { InMemoryTransport, ProtocolError, type JSONRPCMessage } from "@modelcontextprotocol/client"
import { GET_PROMPT, RESOURCE } from "../../src/mcp/face-params.ts"
import { FaceServer } from "../../src/mcp/index.ts"

const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }

async function face(): Promise<{ ask(m: Record<string, unknown>): Promise<{ error?: { code: number; message: string } }> }> {
  const server = new FaceServer({ name: "t", version: "1" }, { capabilities: { resources: {}, prompts: {} } })
  server.setRequestHandler("resources/read", { params: RESOURCE }, (params) => {
    throw new ProtocolError(-32002, `Resource not found: ${params.uri}`)
  })
  server.setRequestHandler("prompts/get", { params: GET_PROMPT }, () => {
    throw new ProtocolError(-32602, "Unknown prompt")
  })
  const [a, b] = InMemoryTransport.createLinkedPair()
  await server.connect(a)
  const waiting = new Map<unknown, (m: JSONRPCMessage) => void>()
  b.onmessage = (m) => waiting.get((m as { id?: unknown }).id)?.(m)
  await b.start()
  return {
    ask: (m) =>
      new Promise((resolve) => {
        waiting.set(m.id, resolve as (m: JSONRPCMessage) => void)
        void b.send({ jsonrpc: "2.0", ...m } as JSONRPCMessage)
      }),
  }
}

describe("face on the v2 Protocol: resource-not-found code per era", () => {
  test("legacy request: -32002 as thrown; 2026-07-28 request: -32602; other codes untouched", async () => {
    const f = await face()
    const legacy = await f.ask({ id: 1, method: "resources/read", params: { uri: "nowhere://x" } })
    expect(legacy.error).toEqual({ code: -32002, message: "Resource not found: nowhere://x" })
    const modern = await f.ask({ id: 2, method: "resources/read", params: { uri: "nowhere://x", _meta: ENVELOPE } })
    expect(modern.error?.code).toBe(-32602)
    // the same id again, legacy: nothing left over from the modern answer
    const again = await f.ask({ id: 2, method: "resources/read", params: { uri: "nowhere://y" } })
    expect(again.error?.code).toBe(-32002)
    const other = await f.ask({ id: 3, method: "prompts/get", params: { name: "p" } })
    expect(other.error?.code).toBe(-32602)
  })
})
