/**
 * A POST whose body is compressed (QA round 75): `Content-Encoding: gzip` used to be read as its
 * raw bytes and answered "Parse error: body is not JSON", whatever the client sent. Now gzip,
 * x-gzip and deflate are decoded (the decoded bytes held to http.bodyLimit: a gzip bomb is 413, not
 * inflated), a body that does not decode is a -32700 naming the coding, and any other coding is 415
 * with `Accept-Encoding`. Over a real socket (Bun.serve), with an SDK v1 client whose fetch
 * compresses every body it sends.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { deflateRawSync, deflateSync, gzipSync } from "node:zlib"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { authHeaders, INIT, makeApp, TOKEN, type TestApp } from "./helpers.ts"

const LIMIT = 64 * 1024
let t: TestApp | undefined
let server: ReturnType<typeof Bun.serve> | undefined
afterEach(async () => {
  await server?.stop(true)
  await t?.app[Symbol.asyncDispose]()
  server = t = undefined
})

function serve(): string {
  t = makeApp({ bodyLimit: LIMIT })
  server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: t.app.fetch })
  return `http://127.0.0.1:${server.port}/mcp`
}

async function send(url: string, body: Uint8Array | ReadableStream<Uint8Array>, coding: string): Promise<Response> {
  return await fetch(url, { method: "POST", headers: authHeaders({ "content-type": "application/json", "content-encoding": coding, accept: "application/json, text/event-stream" }), body })
}

/** A body sent in pieces with no Content-Length (chunked). */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += 1000) c.enqueue(bytes.subarray(i, i + 1000))
      c.close()
    },
  })
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v))

describe("Content-Encoding of a POST to /mcp", () => {
  test("gzip, x-gzip and deflate are decoded: initialize is answered (declared length and chunked)", async () => {
    const url = serve()
    for (const [coding, bytes] of [
      ["gzip", gzipSync(json(INIT))],
      ["x-gzip", gzipSync(json(INIT))],
      ["GZIP", gzipSync(json(INIT))],
      ["deflate", deflateSync(json(INIT))],
      // bare DEFLATE under the name deflate (zlib raw mode, .NET DeflateStream): read as browsers read it (QA round 15)
      ["deflate", deflateRawSync(json(INIT))],
      ["identity", json(INIT)],
    ] as const) {
      for (const body of [bytes, chunked(bytes)]) {
        const res = await send(url, body, coding)
        expect({ coding, status: res.status }).toEqual({ coding, status: 200 })
        expect(res.headers.get("mcp-session-id")).toBeTruthy()
        const j = (await res.json()) as { id: number; result: { serverInfo: { name: string } } }
        expect(j.id).toBe(1)
        expect(j.result.serverInfo.name).toBe("mcp-orchestrator")
      }
    }
  })

  test("an SDK client whose every request is gzipped: connect, list, call", async () => {
    const url = serve()
    const gzipFetch: typeof fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      if (typeof init?.body !== "string") return await fetch(input, init)
      const headers = new Headers(init.headers)
      headers.set("content-encoding", "gzip")
      return await fetch(input, { ...init, headers, body: gzipSync(init.body) })
    }) as typeof fetch
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } }, fetch: gzipFetch })
    const client = new Client({ name: "gzip", version: "1.0.0" }, { capabilities: {} })
    await client.connect(transport)
    const { tools } = await client.listTools()
    expect(tools.map((x) => x.name)).toContain("orchestrator_status")
    const r = await client.callTool({ name: "orchestrator_status", arguments: {} })
    expect(r.isError).toBeFalsy()
    await transport.terminateSession()
    await client.close()
  })

  test("a gzip bomb is 413 at the limit on its decoded bytes, and the endpoint goes on serving", async () => {
    const url = serve()
    // 50 MB of JSON in about 50 KB of gzip
    const big = json({ ...INIT, params: { ...INIT.params, clientInfo: { name: "x".repeat(50_000_000), version: "1" } } })
    const bomb = gzipSync(big)
    const raw = deflateRawSync(big) // bare DEFLATE is held to the limit too
    expect(bomb.length).toBeLessThan(LIMIT)
    for (const [coding, body] of [["gzip", bomb], ["gzip", chunked(bomb)], ["deflate", raw]] as const) {
      const res = await send(url, body, coding)
      expect(res.status).toBe(413)
      const j = (await res.json()) as { error: { code: number; message: string } }
      expect(j.error.code).toBe(-32600)
      expect(j.error.message).toContain(`over ${LIMIT} bytes`)
    }
    expect((await send(url, gzipSync(json(INIT)), "gzip")).status).toBe(200)
  })

  test("a body that does not decode: -32700 naming the coding, no session", async () => {
    const url = serve()
    const whole = gzipSync(json(INIT))
    for (const [coding, body] of [
      ["gzip", json(INIT)], // said gzip, sent plain
      ["gzip", whole.subarray(0, whole.length - 10)], // cut short
      ["deflate", whole], // gzip said to be deflate
      ["deflate", deflateRawSync(json(INIT)).subarray(0, 20)], // bare DEFLATE cut short: the zlib error, not a raw one
    ] as const) {
      const res = await send(url, body, coding)
      expect({ coding, status: res.status }).toEqual({ coding, status: 400 })
      expect(res.headers.get("mcp-session-id")).toBeNull()
      const j = (await res.json()) as { error: { code: number; message: string } }
      expect(j.error.code).toBe(-32700)
      expect(j.error.message).toContain(`not valid ${coding} data (Content-Encoding: ${coding})`)
    }
  })

  test("another coding (br, zstd, stacked): 415 with Accept-Encoding, the body not read, no session", async () => {
    const url = serve()
    for (const coding of ["br", "zstd", "gzip, gzip", "compress"]) {
      const res = await send(url, gzipSync(json(INIT)), coding)
      expect({ coding, status: res.status }).toEqual({ coding, status: 415 })
      expect(res.headers.get("accept-encoding")).toBe("gzip, deflate")
      expect(res.headers.get("mcp-session-id")).toBeNull()
      const j = (await res.json()) as { id: unknown; error: { code: number; message: string } }
      expect(j).toMatchObject({ id: null, error: { code: -32000 } })
      expect(j.error.message).toContain(`Content-Encoding ${JSON.stringify(coding)} is not decoded here`)
    }
  })
})
