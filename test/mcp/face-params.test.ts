/**
 * The face checks the params of every request it serves through the SDK dispatch by hand
 * (src/mcp/face-params.ts) instead of through the SDK's 2025 schema registry: invalid params are
 * InvalidParams (-32602) naming the field, valid ones reach the handlers as they came (unknown
 * fields and `_meta` included), for a legacy client and a 2026-07-28 request alike.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { InMemoryTransport, type JSONRPCMessage } from "@modelcontextprotocol/client"
import { silentLogger } from "../../src/core/index.ts"
import { createMcpFace, type McpFace } from "../../src/mcp/index.ts"
import type { CompleteParams, Upstream } from "../../src/proxy/index.ts"

type Answer = { result?: Record<string, unknown>; error?: { code: number; message: string } }
const CLIENT_INFO = { name: "t", version: "1" }
const ENVELOPE = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }

/** What the fake upstream's handlers were called with. */
const seen: Array<[string, unknown]> = []

const upstream = {
  listTools: async () => [],
  listPrompts: async () => [],
  getPrompt: async (name: string, args: Record<string, string> | undefined) => {
    seen.push(["prompts/get", { name, args }])
    return { messages: [] }
  },
  listResources: async () => [],
  listResourceTemplates: async () => [],
  readResource: async (uri: string) => {
    seen.push(["resources/read", uri])
    return { contents: [] }
  },
  subscribeResource: async (uri: string) => void seen.push(["resources/subscribe", uri]),
  unsubscribeResource: async (uri: string) => void seen.push(["resources/unsubscribe", uri]),
  setLogLevel: (_c: unknown, level: string) => void seen.push(["logging/setLevel", level]),
  complete: async (params: CompleteParams) => {
    seen.push(["completion/complete", params])
    return { completion: { values: ["v"] } }
  },
  onListChanged: () => () => {},
  status: () => ({ servers: [], tools: 0 }),
  callTool: async () => ({ content: [] }),
} as unknown as Upstream

let face: McpFace | undefined

afterEach(() => {
  face?.dispose()
  face = undefined
  seen.length = 0
})

async function connect(): Promise<{ ask(method: string, params?: unknown): Promise<Answer>; notify(method: string, params?: unknown): Promise<void>; face: McpFace }> {
  const f = (face = createMcpFace({ log: silentLogger, tools: [], upstream }))
  const [a, b] = InMemoryTransport.createLinkedPair()
  await f.server.connect(a)
  const waiting = new Map<unknown, (m: Answer) => void>()
  b.onmessage = (m) => waiting.get((m as { id?: unknown }).id)?.(m as Answer)
  await b.start()
  let id = 0
  return {
    face: f,
    ask: (method, params) =>
      new Promise((resolve) => {
        const i = ++id
        waiting.set(i, resolve)
        void b.send({ jsonrpc: "2.0", id: i, method, ...(params !== undefined ? { params } : {}) } as JSONRPCMessage)
      }),
    notify: (method, params) => b.send({ jsonrpc: "2.0", method, ...(params !== undefined ? { params } : {}) } as JSONRPCMessage),
  }
}

async function initialized(): Promise<Awaited<ReturnType<typeof connect>>> {
  const c = await connect()
  expect((await c.ask("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: CLIENT_INFO })).result).toBeDefined()
  return c
}

/** Each method with params that break one rule, and the field the error must name. */
const INVALID: Array<[string, unknown, string]> = [
  ["initialize", { capabilities: {}, clientInfo: CLIENT_INFO }, "protocolVersion"],
  ["initialize", { protocolVersion: "2025-11-25", capabilities: [], clientInfo: CLIENT_INFO }, "capabilities"],
  ["initialize", { protocolVersion: "2025-11-25", capabilities: { roots: true }, clientInfo: CLIENT_INFO }, "capabilities.roots"],
  ["initialize", { protocolVersion: "2025-11-25", capabilities: {} }, "clientInfo"],
  ["initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t" } }, "clientInfo.version"],
  ["initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: 1, version: "1" } }, "clientInfo.name"],
  ["tools/list", { cursor: 5 }, "cursor"],
  ["prompts/list", { cursor: null }, "cursor"],
  ["resources/list", { cursor: {} }, "cursor"],
  ["resources/templates/list", { cursor: true }, "cursor"],
  // no list of ours has a next page: a cursor we never issued is not taken as the first page
  ["tools/list", { cursor: "c" }, "cursor"],
  ["prompts/list", { cursor: "eyJwYWdlIjoyfQ==" }, "cursor"],
  ["resources/list", { cursor: "" }, "cursor"],
  ["resources/templates/list", { cursor: "next" }, "cursor"],
  ["prompts/get", {}, "name"],
  ["prompts/get", { name: "p", arguments: ["a"] }, "arguments"],
  ["prompts/get", { name: "p", arguments: { a: 1 } }, "arguments.a"],
  ["resources/read", { uri: 7 }, "uri"],
  ["resources/subscribe", {}, "uri"],
  ["resources/unsubscribe", { uri: null }, "uri"],
  ["logging/setLevel", { level: "verbose" }, "level"],
  ["logging/setLevel", {}, "level"],
  ["completion/complete", { argument: { name: "a", value: "b" } }, "ref"],
  ["completion/complete", { ref: { type: "ref/tool", name: "x" }, argument: { name: "a", value: "b" } }, "ref.type"],
  ["completion/complete", { ref: { type: "ref/prompt" }, argument: { name: "a", value: "b" } }, "ref.name"],
  ["completion/complete", { ref: { type: "ref/resource", name: "x" }, argument: { name: "a", value: "b" } }, "ref.uri"],
  ["completion/complete", { ref: { type: "ref/prompt", name: "x" } }, "argument"],
  ["completion/complete", { ref: { type: "ref/prompt", name: "x" }, argument: { name: "a" } }, "argument.value"],
  ["completion/complete", { ref: { type: "ref/prompt", name: "x" }, argument: { name: "a", value: "b" }, context: 1 }, "context"],
  ["completion/complete", { ref: { type: "ref/prompt", name: "x" }, argument: { name: "a", value: "b" }, context: { arguments: { k: 2 } } }, "context.arguments.k"],
]

describe("face params: invalid params are -32602 naming the field", () => {
  for (const [method, params, field] of INVALID) {
    test(`${method} ${JSON.stringify(params)} → ${field}`, async () => {
      const c = method === "initialize" ? await connect() : await initialized()
      const a = await c.ask(method, params)
      expect(a.error?.code).toBe(-32602)
      expect(a.error?.message).toStartWith(`Invalid params for ${method}: ${field}: `)
      expect(seen).toEqual([])
    })
  }

  test("initialize without params at all", async () => {
    const a = await (await connect()).ask("initialize")
    expect(a.error).toMatchObject({ code: -32602, message: expect.stringContaining("protocolVersion") })
  })

  test("a 2026-07-28 request with bad params gets the same answer", async () => {
    const c = await connect()
    const a = await c.ask("completion/complete", { _meta: ENVELOPE, ref: { type: "ref/prompt", name: "x" }, argument: { name: "a", value: 3 } })
    expect(a.error).toMatchObject({ code: -32602, message: expect.stringContaining("argument.value") })
  })
})

describe("face params: valid requests reach the handlers as they came", () => {
  test("a legacy session", async () => {
    const c = await connect()
    const init = await c.ask("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: { roots: { listChanged: true }, elicitation: {}, somethingNew: 1 },
      clientInfo: { ...CLIENT_INFO, title: "T" },
      extra: true,
      _meta: { progressToken: "p" },
    })
    expect(init.result?.protocolVersion).toBe("2025-06-18")
    // the SDK's spelling of a mode-less elicitation is kept (form), the rest is the client's
    expect(c.face.server.getClientCapabilities() as Record<string, unknown>).toEqual({ roots: { listChanged: true }, elicitation: { form: {} }, somethingNew: 1 })
    expect(c.face.server.getClientVersion()).toEqual({ ...CLIENT_INFO, title: "T" })
    await c.notify("notifications/initialized")
    for (const m of ["tools/list", "prompts/list", "resources/list", "resources/templates/list"]) {
      expect((await c.ask(m)).error).toBeUndefined()
      expect((await c.ask(m, { _meta: { progressToken: 3 } })).error).toBeUndefined()
    }
    expect((await c.ask("ping")).result).toEqual({})
    expect((await c.ask("ping", { _meta: {} })).result).toEqual({})
    expect((await c.ask("logging/setLevel", { level: "warning" })).result).toEqual({})
    expect((await c.ask("prompts/get", { name: "p", arguments: { a: "1" } })).result).toEqual({ messages: [] })
    expect((await c.ask("prompts/get", { name: "q" })).result).toEqual({ messages: [] })
    expect((await c.ask("resources/read", { uri: "x://1" })).result).toEqual({ contents: [] })
    expect((await c.ask("resources/subscribe", { uri: "x://2" })).result).toEqual({})
    expect((await c.ask("resources/unsubscribe", { uri: "x://2" })).result).toEqual({})
    const complete = { ref: { type: "ref/resource", uri: "x://{id}" }, argument: { name: "id", value: "1" }, context: { arguments: { a: "b" } }, more: 1 }
    expect((await c.ask("completion/complete", complete)).result).toEqual({ completion: { values: ["v"] } })
    expect(seen).toEqual([
      ["logging/setLevel", "warning"],
      ["prompts/get", { name: "p", args: { a: "1" } }],
      ["prompts/get", { name: "q", args: undefined }],
      ["resources/read", "x://1"],
      ["resources/subscribe", "x://2"],
      ["resources/unsubscribe", "x://2"],
      ["completion/complete", complete],
    ])
  })

  test("notifications: initialized and cancelled still work, bad ones are dropped", async () => {
    const c = await connect()
    await c.ask("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: CLIENT_INFO })
    let ready = false
    c.face.server.oninitialized = () => (ready = true)
    await c.notify("notifications/initialized")
    await Bun.sleep(10)
    expect(ready).toBe(true)
    // a cancelled request is not answered; a cancellation with bad params is dropped
    const gates: Array<() => void> = []
    const read = upstream.readResource
    upstream.readResource = () => new Promise((r) => gates.push(() => r({ contents: [] })))
    try {
      const kept = c.ask("resources/read", { uri: "x://1" }) // id 2
      await Bun.sleep(10)
      await c.notify("notifications/cancelled", { requestId: 2, reason: 5 })
      await Bun.sleep(10)
      gates[0]!()
      expect((await kept).result).toEqual({ contents: [] })
      const cancelled = c.ask("resources/read", { uri: "x://2" }) // id 3
      await Bun.sleep(10)
      await c.notify("notifications/cancelled", { requestId: 3, reason: "stop" })
      await Bun.sleep(10)
      gates[1]!()
      expect(await Promise.race([cancelled, Bun.sleep(50).then(() => "unanswered")])).toBe("unanswered")
    } finally {
      upstream.readResource = read
    }
  })
})
