/**
 * Server→client relay: the policy of `relayToClient` (capabilities, protocol versions, URL-mode
 * elicitation rules of 2025-11-25, server identity) and, against a real server-everything, which
 * client connection a downstream request goes to and what happens to subscriptions on detach.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { ProtocolError, silentLogger } from "../../src/core/index.ts"
import { createProxy, type ClientLink, type Proxy } from "../../src/proxy/index.ts"
import { relayToClient } from "../../src/proxy/relay.ts"
import { config, ctx, everythingStdio, fault } from "./helpers.ts"

/** A client connection that records what reaches it and answers like a client would. */
function client(caps: ReturnType<ClientLink["capabilities"]>, version = "2025-11-25", delayMs = 0) {
  const requests: { method: string; params?: Record<string, unknown> }[] = []
  const notes: { method: string; params?: Record<string, unknown> }[] = []
  const link: ClientLink = {
    capabilities: () => caps,
    protocolVersion: () => version,
    async request(method, params) {
      requests.push({ method, ...(params ? { params } : {}) })
      if (delayMs > 0) await Bun.sleep(delayMs)
      if (method === "sampling/createMessage") return { role: "assistant", content: { type: "text", text: "ok" }, model: "m" }
      if (method === "roots/list") return { roots: [] }
      return { action: "accept", content: {} }
    },
    async notify(method, params) {
      notes.push({ method, ...(params ? { params } : {}) })
    },
  }
  return { link, requests, notes }
}

const opts = { timeoutMs: 1000 }
const form = { message: "Your name?", requestedSchema: { type: "object", properties: { name: { type: "string" } } } }
const url = { mode: "url", message: "Sign in", url: "https://example.com/auth", elicitationId: "e1" }

function refused(f: () => unknown, code: number, text: string): void {
  let err: unknown
  try {
    f()
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(ProtocolError)
  expect((err as ProtocolError).rpcCode).toBe(code)
  expect((err as Error).message).toContain(text)
}

describe("relay policy", () => {
  test("form elicitation: forwarded with the server named and the schema kept", async () => {
    const c = client({ elicitation: {} })
    await relayToClient("github", "elicitation/create", form, c.link, c.link.request, opts)
    const p = c.requests[0]!.params!
    expect(p.message).toBe("[github] Your name?")
    expect(p.requestedSchema).toEqual(form.requestedSchema)
    expect((p._meta as Record<string, unknown>)["mcp-orchestrator/server"]).toBe("github")
  })

  test("T19: no elicitation capability, or a client older than 2025-06-18, never gets elicitation/create", () => {
    const none = client({ sampling: {} })
    refused(() => relayToClient("s", "elicitation/create", form, none.link, none.link.request, opts), -32601, "Server s asked for elicitation")
    const old = client({ elicitation: {} }, "2025-03-26")
    refused(() => relayToClient("s", "elicitation/create", form, old.link, old.link.request, opts), -32601, "Server s asked for elicitation, which the client connected to mcp-orchestrator declared, but its protocol version 2025-03-26 has no elicitation (it exists since 2025-06-18)")
    const urlOnly = client({ elicitation: { url: {} } })
    refused(() => relayToClient("s", "elicitation/create", form, urlOnly.link, urlOnly.link.request, opts), -32601, "form elicitation")
    expect(none.requests.length + old.requests.length + urlOnly.requests.length).toBe(0)
  })

  test("T20: URL mode only to a client that declared elicitation.url, only https (or loopback http) URLs", async () => {
    const formOnly = client({ elicitation: { form: {} } })
    refused(() => relayToClient("s", "elicitation/create", url, formOnly.link, formOnly.link.request, opts), -32601, "URL-mode elicitation")
    const capable = client({ elicitation: { form: {}, url: {} } })
    // what the client would show as a link or open: never another scheme, nor plain http to another host
    for (const bad of ["javascript:alert(1)", "file:///etc/passwd", "smb://evil.example/share", "vscode://evil.ext/run?x=1", "http://example.com/auth", "http://10.0.0.1/login"]) {
      refused(() => relayToClient("s", "elicitation/create", { ...url, url: bad }, capable.link, capable.link.request, opts), -32602, "is not https (or http to a loopback host")
    }
    const olderUrl = client({ elicitation: { url: {} } }, "2025-06-18")
    refused(() => relayToClient("s", "elicitation/create", url, olderUrl.link, olderUrl.link.request, opts), -32601, "declared, but its protocol version 2025-06-18 has no URL-mode elicitation (it exists since 2025-11-25)")
    expect(formOnly.requests.length + capable.requests.length + olderUrl.requests.length).toBe(0)
    await relayToClient("s", "elicitation/create", url, capable.link, capable.link.request, opts)
    expect(capable.requests[0]!.params).toMatchObject({ mode: "url", url: "https://example.com/auth", message: "[s] Sign in" })
    await relayToClient("s", "elicitation/create", { ...url, url: "http://127.0.0.1:3000/connect" }, capable.link, capable.link.request, opts)
    expect(capable.requests[1]!.params).toMatchObject({ url: "http://127.0.0.1:3000/connect" })
  })

  test("URL mode without elicitationId: refused toward a 2025-11-25 client (it matches the completion by it), passed to a 2026-07-28 one (that revision has none)", async () => {
    const { elicitationId: _none, ...noId } = url
    const legacy = client({ elicitation: { url: {} } }, "2025-11-25")
    refused(() => relayToClient("s", "elicitation/create", noId, legacy.link, legacy.link.request, opts), -32602, "URL-mode elicitation without elicitationId")
    const modern = client({ elicitation: { url: {} } }, "2026-07-28")
    await relayToClient("s", "elicitation/create", noId, modern.link, modern.link.request, opts)
    expect(modern.requests[0]!.params).toMatchObject({ mode: "url", url: "https://example.com/auth", message: "[s] Sign in" })
    expect(modern.requests[0]!.params).not.toHaveProperty("elicitationId")
  })

  test("sampling: needs the capability; tools in a sampling request need sampling.tools", async () => {
    const plain = client({ sampling: {} })
    const msg = { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 10 }
    await relayToClient("s", "sampling/createMessage", msg, plain.link, plain.link.request, opts)
    expect(plain.requests[0]!.params).toMatchObject(msg)
    refused(() => relayToClient("s", "sampling/createMessage", { ...msg, tools: [] }, plain.link, plain.link.request, opts), -32602, "sampling with tools")
    refused(() => relayToClient("s", "sampling/createMessage", msg, undefined, undefined, opts), -32601, "asked for sampling")
    // the client's context is that of every server behind us: never included for one of them
    await relayToClient("s", "sampling/createMessage", { ...msg, includeContext: "allServers" }, plain.link, plain.link.request, opts)
    expect(plain.requests[1]!.params!.includeContext).toBe("none")
  })

  test("roots: empty list without a capable client; other methods are not supported", async () => {
    expect(await relayToClient("s", "roots/list", undefined, undefined, undefined, opts)).toEqual({ roots: [] })
    const c = client({ roots: {} })
    await relayToClient("s", "roots/list", undefined, c.link, c.link.request, opts)
    expect(c.requests.map((r) => r.method)).toEqual(["roots/list"])
    refused(() => relayToClient("s", "tasks/get", {}, c.link, c.link.request, opts), -32601, "tasks/get is not supported")
    const both = client({ sampling: {}, elicitation: {} })
    refused(() => relayToClient("s", "elicitation/create", { ...form, task: { ttl: 1000 } }, both.link, both.link.request, opts), -32602, "does not relay tasks")
    refused(() => relayToClient("s", "sampling/createMessage", { messages: [], maxTokens: 1, task: {} }, both.link, both.link.request, opts), -32602, "does not relay tasks")
    expect(both.requests).toHaveLength(0)
  })
})

describe("routing through the proxy (server-everything)", () => {
  let proxy: Proxy
  beforeAll(() => {
    proxy = createProxy({ config: config({ servers: { ev: everythingStdio } }), log: silentLogger, closeGraceMs: 500 })
  })
  afterAll(() => proxy[Symbol.asyncDispose]())

  test("a request made while serving a call goes to the calling client, even if another connected since", async () => {
    const a = client({ sampling: {}, roots: {} })
    const b = client({ sampling: {}, roots: {} })
    const detachA = proxy.attachClient(a.link)
    await proxy.listTools()
    const c = ctx()
    c.client = a.link
    const call = proxy.callTool("ev__trigger-sampling-request", { prompt: "p" }, c)
    // B connects while A's call runs: it is now the most recent connection
    const detachB = proxy.attachClient(b.link)
    const r = await call
    expect(r.isError).toBeFalsy()
    expect(a.requests.filter((x) => x.method === "sampling/createMessage")).toHaveLength(1)
    expect(b.requests.filter((x) => x.method === "sampling/createMessage")).toHaveLength(0)
    detachA()
    detachB()
  }, 20_000)

  test("subscriptions: updates reach every subscriber of the URI and stop once the last one is gone", async () => {
    const a = client({})
    const b = client({})
    const detachA = proxy.attachClient(a.link)
    const detachB = proxy.attachClient(b.link)
    const uri = "demo://resource/dynamic/text/2"
    await proxy.subscribeResource(uri, a.link, ctx())
    await proxy.subscribeResource(uri, b.link, ctx())
    await proxy.callTool("ev__toggle-subscriber-updates", {}, ctx())
    for (let i = 0; i < 750 && (a.notes.length === 0 || b.notes.length === 0); i++) await Bun.sleep(20)
    expect(a.notes[0]).toEqual({ method: "notifications/resources/updated", params: { uri } })
    expect(b.notes[0]).toEqual({ method: "notifications/resources/updated", params: { uri } })
    detachA()
    await proxy.unsubscribeResource(uri, b.link, ctx())
    // both gone: toggling off and on again sends nothing to anyone
    const before = a.notes.length + b.notes.length
    await proxy.callTool("ev__toggle-subscriber-updates", {}, ctx())
    await proxy.callTool("ev__toggle-subscriber-updates", {}, ctx())
    await proxy.callTool("ev__echo", { message: "flush" }, ctx())
    expect(a.notes.length + b.notes.length).toBe(before)
    await proxy.callTool("ev__toggle-subscriber-updates", {}, ctx())
    detachB()
  }, 20_000)
})

describe("time while the client answers", () => {
  let proxy: Proxy
  beforeAll(() => {
    proxy = createProxy({ config: config({ servers: { slow: { ...fault(), timeout: 1000 } } }), log: silentLogger, closeGraceMs: 500 })
  })
  afterAll(() => proxy[Symbol.asyncDispose]())

  test("a call that asks the user late keeps a full timeout for the answer and after it", async () => {
    // asks after 700 ms of its 1000 ms; the user answers 600 ms later (past the call's original deadline)
    const user = client({ elicitation: {} }, "2025-11-25", 600)
    const detach = proxy.attachClient(user.link)
    await proxy.listTools()
    const c = ctx()
    c.client = user.link
    const r = await proxy.callTool("slow__ask", { before: 700 }, c)
    expect(r.content).toEqual([{ type: "text", text: "action accept" }])
    expect((user.requests[0]!.params as { message: string }).message).toBe("[slow] Continue?")
    detach()
  }, 20_000)

  test("without a client able to answer, the downstream gets the error at once", async () => {
    const r = await proxy.callTool("slow__ask", { before: 0 }, ctx())
    expect((r.content as { text: string }[])[0]!.text).toBe("error -32601: Server slow asked for elicitation, which no client connected to mcp-orchestrator supports")
  }, 20_000)
})
