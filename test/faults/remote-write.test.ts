/**
 * A request that fails while being written to an HTTP downstream (issue 11 §5): connection reset
 * mid-request, connection refused after the server went away. The error has a documented code,
 * names the endpoint without credentials, and carries no runtime hints ("pass `verbose: true`").
 */
import { afterAll, describe, expect, test } from "bun:test"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { ERROR_CATALOG, silentLogger, type DownstreamError } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config, ctx } from "../proxy/helpers.ts"

const servers: Server[] = []
afterAll(() => {
  for (const s of servers) s.close()
})

/** A minimal Streamable HTTP MCP server (JSON responses); `tools/call` resets the connection. */
async function resettingServer(): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405).end()
      return
    }
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      const msg = JSON.parse(body) as { id?: number; method: string }
      if (msg.method === "tools/call") {
        req.socket.destroy() // reset mid-request: no response at all
        return
      }
      if (msg.id === undefined) {
        res.writeHead(202).end()
        return
      }
      const result =
        msg.method === "initialize"
          ? { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "resetter", version: "1" } }
          : msg.method === "tools/list"
            ? { tools: [{ name: "echo", inputSchema: { type: "object" } }] }
            : {}
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result }))
    })
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  return { port: (server.address() as AddressInfo).port, server }
}

function expectClean(e: unknown, endpoint: string, cause: RegExp): void {
  const err = e as DownstreamError
  expect(err.code).toBe("WRITE_FAILED")
  expect(ERROR_CATALOG.some((c) => c.code === err.code)).toBe(true)
  expect(err.message).toContain(`HTTP request to ${endpoint} failed: `)
  expect(err.message).toMatch(cause)
  expect(err.message).not.toMatch(/verbose|fetch\(\)|Is the computer able/i)
  expect(err.message).not.toContain("s3cret")
}

describe("remote downstream: a request that fails on the wire", () => {
  test("connection reset mid-request", async () => {
    const { port } = await resettingServer()
    // userinfo and query may hold credentials: the endpoint label drops them
    await using proxy = createProxy({ config: config({ servers: { web: { url: `http://user:s3cret@127.0.0.1:${port}/mcp?key=s3cret`, transport: "streamable-http" } } }), log: silentLogger })
    expect((await proxy.listTools()).map((t) => t.name)).toContain("web__echo")
    const e = await proxy.callTool("web__echo", {}, ctx()).then(
      () => undefined,
      (x: unknown) => x,
    )
    expectClean(e, `http://127.0.0.1:${port}/mcp`, /connection (reset|closed) by the server \((ECONNRESET|ConnectionClosed)\)/)
  })

  test("connection refused after the server went away", async () => {
    const { port, server } = await resettingServer()
    await using proxy = createProxy({ config: config({ servers: { web: { url: `http://127.0.0.1:${port}/mcp`, transport: "streamable-http" } } }), log: silentLogger })
    await proxy.listTools()
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
    const e = await proxy.callTool("web__echo", {}, ctx()).then(
      () => undefined,
      (x: unknown) => x,
    )
    expectClean(e, `http://127.0.0.1:${port}/mcp`, /connection refused \((ECONNREFUSED|ConnectionRefused)\)/)
  })
})
