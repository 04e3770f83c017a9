/**
 * A request with no Host header (QA round 75): HTTP/1.0 allows it, and Bun then hands on a URL with
 * no host ("/mcp"). Every such request, on every route, used to be a 500 "internal error" and an
 * error line in the log (`new URL` threw in the Host check; hono read the path as "p"). It is a
 * 403 naming the missing header, as for an empty Host, and nothing is logged as a fault; the same
 * server goes on serving requests that name their host. A Host that is no host name (Bun drops it
 * the same way) is told so rather than "missing". Over a real socket (Bun.serve), written raw.
 */
import { afterEach, describe, expect, test } from "bun:test"
import { silentLogger, type Logger } from "../../src/core/index.ts"
import { makeApp, TOKEN, type TestApp } from "./helpers.ts"

let t: TestApp | undefined
let server: ReturnType<typeof Bun.serve> | undefined
afterEach(async () => {
  await server?.stop(true)
  await t?.app[Symbol.asyncDispose]()
  server = t = undefined
})

/** Writes `request` on a new connection and returns everything the server sent until it closed. */
async function raw(port: number, request: string): Promise<string> {
  let got = ""
  const { promise, resolve } = Promise.withResolvers<string>()
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_s, d) {
        got += d.toString()
      },
      close() {
        resolve(got)
      },
      error() {
        resolve(got)
      },
    },
  })
  socket.write(request)
  return await promise
}

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } })

describe("a request with no Host header", () => {
  test("HTTP/1.0 without Host: 403 naming the missing header on every route, no fault logged; with Host it is served", async () => {
    const errors: string[] = []
    const log: Logger = { ...silentLogger, error: (msg) => void errors.push(msg), child: () => log }
    t = makeApp({ log })
    server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: t.app.fetch })
    const auth = `Authorization: Bearer ${TOKEN}\r\n`
    const requests = [
      "GET /healthz HTTP/1.0\r\n\r\n",
      "GET /metrics HTTP/1.0\r\n\r\n",
      "GET /nope HTTP/1.0\r\n\r\n",
      `GET /mcp HTTP/1.0\r\n${auth}Accept: text/event-stream\r\n\r\n`,
      `DELETE /mcp/t/x HTTP/1.0\r\n${auth}\r\n`,
      `POST /mcp HTTP/1.0\r\n${auth}Content-Type: application/json\r\nContent-Length: ${INIT.length}\r\n\r\n${INIT}`,
    ]
    for (const r of requests) {
      const res = await raw(server.port!, r)
      const line = r.slice(0, r.indexOf("\r\n"))
      expect({ line, status: res.slice(0, 12) }).toEqual({ line, status: "HTTP/1.1 403" })
      expect(res).toContain("Host header missing")
      expect(res).not.toContain("mcp-session-id")
    }
    expect(t.app.sessions.size).toBe(0)
    expect(errors).toEqual([])
    // a Host that is no host name (a path, a space, a non-ASCII letter): Bun drops it, and the 403 says it may be malformed, not only missing
    for (const host of ["127.0.0.1/evil", "127.0.0.1 evil.com", "locаlhost"]) {
      const res = await raw(server.port!, `POST /mcp HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\nConnection: close\r\nContent-Length: ${INIT.length}\r\n\r\n${INIT}`)
      expect({ host, status: res.slice(0, 12) }).toEqual({ host, status: "HTTP/1.1 403" })
      expect(res).toContain("Host header missing or not a host name")
    }
    // the same request naming its host is served
    const ok = await raw(server.port!, `POST /mcp HTTP/1.0\r\nHost: 127.0.0.1\r\n${auth}Content-Type: application/json\r\nContent-Length: ${INIT.length}\r\n\r\n${INIT}`)
    expect(ok.slice(0, 12)).toBe("HTTP/1.1 200")
    expect(ok).toContain('"serverInfo"')
  })
})
