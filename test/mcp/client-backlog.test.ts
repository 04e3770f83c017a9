/**
 * The stdio transport toward a client that does not read (core/outbound through
 * mcp/stdio-transport): while the output's backlog is over the bound, progress is held (the latest
 * per token), list_changed and resources/updated likewise (per kind, per URI), log messages are
 * dropped; answers and requests are always written, after what is held (an answer never overtakes
 * the progress it follows); what is held goes out once the client drained. The line I/O is a real
 * `LineIO` whose backlog the test sets (processIO's is measured from the pipe: see
 * test/faults/notification-flood.test.ts for the binary with a client that stops reading).
 */
import { describe, expect, test } from "bun:test"
import type { JSONRPCMessage } from "@modelcontextprotocol/client"
import { clientDrops, CLIENT_BACKLOG_BYTES } from "../../src/core/index.ts"
import { LineStdioServerTransport, type LineIO } from "../../src/mcp/stdio-transport.ts"

interface Io extends LineIO {
  lines: Record<string, any>[]
  behind: boolean
}

function io(): Io {
  const o: Io = {
    lines: [],
    behind: false,
    input: { [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<Uint8Array>>(() => {}) }) },
    write(line) {
      for (const l of line.split("\n")) if (l) o.lines.push(JSON.parse(l))
    },
    backlog: () => (o.behind ? CLIENT_BACKLOG_BYTES + 1 : 0),
  }
  return o
}

const progress = (token: string | number, n: number): JSONRPCMessage => ({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: token, progress: n, message: "x".repeat(500) } }) as JSONRPCMessage
const logMessage = (n: number): JSONRPCMessage => ({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", logger: "f", data: `line ${n}` } }) as JSONRPCMessage
const dropped = (method: string): number => clientDrops.byMethod.get(method) ?? 0

describe("stdio output toward a client that does not read", () => {
  test("held while behind: the latest progress per token, one list_changed, one update per URI, no log message; all of it before the answer", async () => {
    const o = io()
    const t = new LineStdioServerTransport(o)
    const before = { progress: dropped("notifications/progress"), message: dropped("notifications/message") }
    o.behind = true
    for (let i = 0; i < 1000; i++) {
      await t.send(progress("a", i))
      await t.send(progress(7, i))
      if (i % 2 === 0) await t.send(logMessage(i))
      if (i % 100 === 0) {
        await t.send({ jsonrpc: "2.0", method: "notifications/tools/list_changed" } as JSONRPCMessage)
        await t.send({ jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "mem://x" } } as JSONRPCMessage)
      }
    }
    expect(o.lines).toEqual([])
    // an answer is owed: what is held goes first, then the answer, even while the client is behind
    await t.send({ jsonrpc: "2.0", id: 1, result: { content: [] } } as JSONRPCMessage)
    expect(o.lines.map((l) => [l.method ?? `answer ${l.id}`, l.params?.progressToken, l.params?.progress])).toEqual([
      ["notifications/tools/list_changed", undefined, undefined],
      ["notifications/resources/updated", undefined, undefined],
      ["notifications/progress", "a", 999],
      ["notifications/progress", 7, 999],
      ["answer 1", undefined, undefined],
    ])
    expect(dropped("notifications/message") - before.message).toBe(500)
    expect(dropped("notifications/progress") - before.progress).toBe(2 * 999)
  })

  test("the answers the fast lane writes itself (already serialised) go after what is held, too", () => {
    const o = io()
    const t = new LineStdioServerTransport(o)
    o.behind = true
    for (let i = 0; i < 100; i++) void t.send(progress("p", i))
    t.sendSerialized('{"jsonrpc":"2.0","id":2,"result":{"content":[]}}', 2, true)
    expect(o.lines.map((l) => l.params?.progress ?? `answer ${l.id}`)).toEqual([99, "answer 2"])
  })

  test("a request to the client is never held; what is held goes out once the client drained", async () => {
    const o = io()
    const t = new LineStdioServerTransport(o)
    o.behind = true
    for (let i = 0; i < 50; i++) await t.send(progress("q", i))
    await t.send({ jsonrpc: "2.0", id: "ask-1", method: "elicitation/create", params: { message: "ok?", requestedSchema: { type: "object", properties: {} } } } as JSONRPCMessage)
    expect(o.lines.map((l) => l.params?.progress ?? l.method)).toEqual([49, "elicitation/create"])
    for (let i = 50; i < 80; i++) await t.send(progress("q", i))
    expect(o.lines).toHaveLength(2)
    o.ondrain!() // still behind: nothing
    expect(o.lines).toHaveLength(2)
    o.behind = false
    o.ondrain!()
    expect(o.lines.map((l) => l.params?.progress ?? l.method)).toEqual([49, "elicitation/create", 79])
  })

  test("a client that keeps up gets every notification as it comes", async () => {
    const o = io()
    const t = new LineStdioServerTransport(o)
    for (let i = 0; i < 300; i++) {
      await t.send(progress("k", i))
      await t.send(logMessage(i))
    }
    expect(o.lines).toHaveLength(600)
  })
})
