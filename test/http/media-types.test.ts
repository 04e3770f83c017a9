/**
 * POST /mcp carries JSON-RPC as JSON (QA round 7a): a body sent as text/plain, a form, or with no
 * Content-Type is refused with 415 before anything is served (as the SDK's transports answer, in
 * both eras; a form or text/plain POST is what a web page can send without a CORS preflight), and an
 * Accept header that takes neither JSON nor an event stream gets 406 instead of a stream it did not
 * ask for. Parameters, case and wildcards (`application/*`, `text/*`, `*\/*`, no Accept) are fine; a
 * type weighted `q=0` is one the client does not take.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { z } from "zod"
import { defineTool, type ToolDef } from "../../src/mcp/index.ts"
import { authHeaders, BASE, INIT, makeApp, type TestApp } from "./helpers.ts"

let t: TestApp | undefined
afterEach(async () => {
  await t?.app[Symbol.asyncDispose]()
  t = undefined
})

const META = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} }
const MODERN = { jsonrpc: "2.0", id: 7, method: "tools/list", params: { _meta: META } }
const MODERN_HEADERS = { "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" }

async function send(app: TestApp["app"], body: unknown, headers: Record<string, string>, path = "/mcp"): Promise<Response> {
  return await app.request(`${BASE}${path}`, { method: "POST", headers: authHeaders(headers), body: JSON.stringify(body) })
}

describe("Content-Type of a POST", () => {
  test("text/plain, a form or none: 415 naming what came and what is expected; no session is opened", async () => {
    t = makeApp()
    for (const type of ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) {
      const headers: Record<string, string> = { accept: "application/json, text/event-stream", ...(type ? { "content-type": type } : {}) }
      // a Request built with a string body gets text/plain unless told otherwise: remove it for "none"
      const req = new Request(`${BASE}/mcp`, { method: "POST", headers: authHeaders(headers), body: JSON.stringify(INIT) })
      if (!type) req.headers.delete("content-type")
      const res = await t.app.request(req)
      expect(res.status).toBe(415)
      expect(res.headers.get("mcp-session-id")).toBeNull()
      const j = (await res.json()) as { jsonrpc: string; id: unknown; error: { code: number; message: string } }
      expect(j).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32000 } })
      expect(j.error.message).toContain("Content-Type: application/json")
      expect(j.error.message).toContain(type ? JSON.stringify(type) : "(got none)")
    }
    expect(t.faces).toBe(0)
    expect(t.app.sessions.size).toBe(0)
  })

  test("a 2026-07-28 request and a message in a session are held to it too", async () => {
    t = makeApp()
    expect((await send(t.app, MODERN, { ...MODERN_HEADERS, "content-type": "text/plain" })).status).toBe(415)
    const init = await send(t.app, INIT, { "content-type": "application/json" })
    const sid = init.headers.get("mcp-session-id")!
    expect(sid).toBeString()
    const inSession = { "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" }
    expect((await send(t.app, { jsonrpc: "2.0", method: "notifications/initialized" }, { ...inSession, "content-type": "text/plain" })).status).toBe(415)
    expect((await send(t.app, { jsonrpc: "2.0", id: 2, method: "ping" }, { ...inSession, "content-type": "application/x-www-form-urlencoded" })).status).toBe(415)
  })

  test("application/json with parameters or in another case is JSON", async () => {
    t = makeApp()
    for (const type of ["application/json; charset=utf-8", "Application/JSON", " application/json ;charset=UTF-8"]) {
      const res = await send(t.app, MODERN, { ...MODERN_HEADERS, "content-type": type })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0)
    }
  })
})

describe("Accept of a POST", () => {
  test("an Accept that takes neither JSON nor an event stream: 406 naming it", async () => {
    t = makeApp()
    for (const accept of ["text/html", "image/png, text/plain"]) {
      const res = await send(t.app, INIT, { "content-type": "application/json", accept })
      expect(res.status).toBe(406)
      const j = (await res.json()) as { error: { code: number; message: string } }
      expect(j.error.code).toBe(-32000)
      expect(j.error.message).toContain(JSON.stringify(accept))
      expect(j.error.message).toContain("Accept: application/json, text/event-stream")
    }
    expect(t.faces).toBe(0)
  })

  test("wildcards and no Accept are served; the answer is of a type the client takes", async () => {
    t = makeApp()
    for (const [accept, type] of [
      ["application/*", "application/json"],
      ["*/*", "application/json"],
      [undefined, "application/json"],
      ["application/json", "application/json"],
      ["text/*", "text/event-stream"],
      ["text/event-stream", "text/event-stream"],
    ] as const) {
      const res = await send(t.app, MODERN, { ...MODERN_HEADERS, "content-type": "application/json", ...(accept ? { accept } : {}) })
      expect(res.status).toBe(200)
      expect(res.headers.get("content-type")).toStartWith(type)
      expect(await res.text()).toContain('"tools"')
    }
  })

  test("a type weighted q=0 is not taken (QA round 75): refused alone (406), left out next to another, over a wildcard too", async () => {
    t = makeApp()
    for (const accept of ["application/json;q=0", "application/json; q=0.0, text/html", "*/*;q=0", "text/event-stream;q=0, application/*;q=0"]) {
      const res = await send(t.app, INIT, { "content-type": "application/json", accept })
      expect({ accept, status: res.status }).toEqual({ accept, status: 406 })
    }
    expect(t.faces).toBe(0)
    for (const [accept, type] of [
      ["text/event-stream, application/json;q=0", "text/event-stream"],
      ["*/*, application/json;q=0", "text/event-stream"],
      ["application/json;q=0.5, text/event-stream;q=0", "application/json"],
      ["*/*;q=0.8, text/event-stream;Q=0", "application/json"],
      ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json"],
    ] as const) {
      const res = await send(t.app, MODERN, { ...MODERN_HEADERS, "content-type": "application/json", accept })
      expect({ accept, status: res.status, type: res.headers.get("content-type")?.split(";")[0] }).toEqual({ accept, status: 200, type })
      expect(await res.text()).toContain('"tools"')
    }
  })
})

describe("Accept of a GET stream", () => {
  test("read as a POST's (QA 155): wildcards, no Accept and text/event-stream open the stream; q=0 or JSON only: 406", async () => {
    t = makeApp()
    const init = await send(t.app, INIT, { "content-type": "application/json" })
    const sid = init.headers.get("mcp-session-id")!
    expect(sid).toBeString()
    const get = async (accept: string | undefined): Promise<Response> => {
      const req = new Request(`${BASE}/mcp`, { method: "GET", headers: authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18", ...(accept !== undefined ? { accept } : {}) }) })
      return await t!.app.request(req)
    }
    for (const accept of ["text/event-stream", "*/*", "text/*", "application/json, */*;q=0.5", undefined]) {
      const res = await get(accept)
      expect({ accept, status: res.status, type: res.headers.get("content-type")?.split(";")[0] }).toEqual({ accept, status: 200, type: "text/event-stream" })
      await res.body?.cancel()
    }
    for (const accept of ["application/json", "text/event-stream;q=0", "text/html"]) {
      const res = await get(accept)
      expect({ accept, status: res.status }).toEqual({ accept, status: 406 })
    }
  })
})

/** A tool that answers the text it was given, to see how the body was read. */
const echo = defineTool({
  name: "echo_text",
  title: "Echo",
  description: "Echoes its text.",
  input: z.object({ text: z.string() }),
  async handler(a) {
    return { text: `got:${a.text}` }
  },
})

describe("charset of a POST (QA round 15)", () => {
  async function session(app: TestApp["app"]): Promise<Record<string, string>> {
    const init = await send(app, INIT, { "content-type": "application/json" })
    return { "mcp-session-id": init.headers.get("mcp-session-id")!, "mcp-protocol-version": "2025-06-18", accept: "application/json" }
  }
  const call = (text: string) => JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo_text", arguments: { text } } })
  async function post(app: TestApp["app"], headers: Record<string, string>, body: Uint8Array): Promise<Response> {
    return await app.request(`${BASE}/mcp`, { method: "POST", headers: authHeaders(headers), body })
  }

  test("a declared charset other than UTF-8 is how the body is read (it was read as UTF-8: café came as caf\\uFFFD, UTF-16 was 'not JSON')", async () => {
    t = makeApp({ extraTools: [echo as ToolDef] })
    const s = await session(t.app)
    const latin1 = Uint8Array.from(call("café ÿ"), (c) => c.charCodeAt(0))
    const utf16 = new Uint8Array(Buffer.from(call("日本語 é"), "utf16le"))
    const [head, tail] = call("@@").split("@@") as [string, string]
    const sjis = new Uint8Array([...Buffer.from(head), 0x82, 0xa0, ...Buffer.from(tail)]) // あ in Shift_JIS
    for (const [type, body, text] of [
      ["application/json; charset=iso-8859-1", latin1, "café ÿ"],
      ['application/json;charset="ISO-8859-1"', latin1, "café ÿ"],
      ["application/json; charset=utf-16le", utf16, "日本語 é"],
      ["application/json; charset=Shift_JIS", sjis, "あ"],
      ["application/json; charset=utf-8", new TextEncoder().encode(call("café")), "café"],
      ["application/json", new TextEncoder().encode(call("café")), "café"],
    ] as const) {
      const res = await post(t.app, { ...s, "content-type": type }, body)
      const j = (await res.json()) as { result?: { content: { text: string }[] }; error?: unknown }
      expect({ type, status: res.status, text: j.result?.content[0]?.text }).toEqual({ type, status: 200, text: `got:${text}` })
    }
    // compressed and in a charset: inflated, then read in it
    const gz = await post(t.app, { ...s, "content-type": "application/json; charset=latin1", "content-encoding": "gzip" }, new Uint8Array(Bun.gzipSync(latin1)))
    expect(((await gz.json()) as { result: { content: { text: string }[] } }).result.content[0]!.text).toBe("got:café ÿ")
  })

  test("a charset no decoder knows is 415 naming it; a body not valid in its charset is a parse error naming it", async () => {
    t = makeApp({ extraTools: [echo as ToolDef] })
    const s = await session(t.app)
    const res = await post(t.app, { ...s, "content-type": "application/json; charset=klingon" }, new TextEncoder().encode(call("x")))
    expect(res.status).toBe(415)
    const j = (await res.json()) as { error: { code: number; message: string } }
    expect(j.error.code).toBe(-32000)
    expect(j.error.message).toContain('charset "klingon"')
    expect(j.error.message).toContain("UTF-8")
    // an odd number of bytes is no UTF-16 text
    const odd = await post(t.app, { ...s, "content-type": "application/json; charset=utf-16le" }, new Uint8Array([...Buffer.from(call("x"), "utf16le"), 0x41]))
    expect(odd.status).toBe(400)
    const e = (await odd.json()) as { error: { code: number; message: string } }
    expect(e.error.code).toBe(-32700)
    expect(e.error.message).toContain("not valid utf-16le text")
  })
})
