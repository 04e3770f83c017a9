/**
 * LineStdioServerTransport when the face throws while taking a message (a message shape no lane
 * expected): a request is still answered, once, -32603 with its id (it held its id and waited
 * forever before); a notification is answered nothing; a request answered before the throw gets no second answer.
 */
import { expect, test } from "bun:test"
import type { LineStdioServerTransport } from "../../src/mcp/index.ts"
import { lineRig } from "../helpers/line-rig.ts"

/** The transport, the lines it wrote and the errors it reported. */
function transport(): { t: LineStdioServerTransport; lines: string[]; input: (text: string) => void; errors: Error[] } {
  const { t, lines, push } = lineRig()
  const errors: Error[] = []
  t.onerror = (e) => errors.push(e)
  return { t, lines, input: push, errors }
}

const settle = () => Bun.sleep(0)

test("a request whose handling throws is answered -32603 once, with its id; its id is free again", async () => {
  const { t, lines, input, errors } = transport()
  t.onmessage = (m) => {
    const msg = m as { id?: number; method: string }
    if (msg.method === "answered-then-throws") void t.send({ jsonrpc: "2.0", id: msg.id!, result: {} })
    if (msg.method !== "fine") throw new TypeError("null is not an object")
    void t.send({ jsonrpc: "2.0", id: msg.id!, result: { ok: true } })
  }
  await t.start()
  input('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"_meta":null}}\n')
  input('{"jsonrpc":"2.0","method":"notifications/whatever"}\n')
  input('{"jsonrpc":"2.0","id":2,"method":"answered-then-throws"}\n')
  input('{"jsonrpc":"2.0","id":1,"method":"fine"}\n')
  for (let i = 0; i < 20 && lines.length < 3; i++) await settle()
  const out = lines.map((l) => JSON.parse(l) as { id: number; result?: unknown; error?: { code: number; message: string } })
  expect(out).toHaveLength(3)
  expect(out[0]!.id).toBe(1)
  expect(out[0]!.error?.code).toBe(-32603)
  expect(out[0]!.error?.message).toContain("this tools/call request could not be served")
  // the cause goes to the log, not to the client
  expect(out[0]!.error?.message).not.toContain("null is not an object")
  expect(out[1]).toEqual({ jsonrpc: "2.0", id: 2, result: {} } as never)
  // id 1 was answered: reusing it is no duplicate
  expect(out[2]).toEqual({ jsonrpc: "2.0", id: 1, result: { ok: true } } as never)
  expect(errors.map((e) => e.message)).toEqual(["null is not an object", "null is not an object", "null is not an object"])
  expect(t.pendingRequests).toBe(0)
  await t.close()
})
