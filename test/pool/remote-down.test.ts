/**
 * A remote server that is down reads the same in both eras (QA: a 2026-07-28 server's call failed
 * with "[WRITE_FAILED] server v2: ECONNREFUSED: Unable to connect. Is the computer able to access
 * the url?", no endpoint and no remedy, while the legacy transport named both): "HTTP request to
 * <endpoint> failed: connection refused (ECONNREFUSED)", the endpoint without the userinfo and query
 * of the configured url (they may hold credentials), the remote remedy, no runtime hints. For a call
 * on a live connection and for a start. Servers: SDK v2 `createMcpHandler` (2026-07-28) and a
 * stateful SDK v2 server (legacy), each stopped.
 */
import { describe, expect, test } from "bun:test"
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server"
import * as z from "zod/v4"
import type { ServerSpec } from "../../src/config/index.ts"
import { DownstreamError } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"
import { downstreamFailure } from "../helpers/failure.ts"

function modernServer(): { port: number; stop(): Promise<void> } {
  const handler = createMcpHandler(
    () => {
      const s = new McpServer({ name: "modern-fixture", version: "1.0.0" })
      s.registerTool("echo", { description: "Echo", inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({ content: [{ type: "text", text: `modern:${text}` }] }))
      return s
    },
    { legacy: "reject" },
  )
  const http = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => handler.fetch(req) })
  return { port: http.port!, stop: () => http.stop(true) }
}

/** The configured url, with a password and a key in it that must not show. */
const secretUrl = (port: number) => `http://user:s3cret@127.0.0.1:${port}/mcp?key=s3cret`

function pool(name: string, spec: ServerSpec): Pool {
  const p = new Pool({ config: config({ pool: { restartDelay: 60_000 } }), log: captureLog().log })
  p.add({ name, source: "config", spec })
  return p
}

const failure = downstreamFailure

function expectPlain(e: DownstreamError, server: string, port: number): void {
  expect(e.message).toMatch(new RegExp(`^server ${server}.*HTTP request to http://127\\.0\\.0\\.1:${port}/mcp failed: connection refused \\((ECONNREFUSED|ConnectionRefused)\\)$`))
  expect(e.message).not.toMatch(/Is the computer able|verbose|fetch\(\)/i)
  expect(e.message).not.toContain("s3cret")
  expect(e.remedy).toBe("Check that the remote server is running and reachable at its url; the pool reconnects with backoff.")
}

describe("a remote server that is down", () => {
  test("a call: the 2026-07-28 connection words it as the legacy one does", async () => {
    const modern = modernServer()
    const legacy = startStatefulHttp()
    await using pm = pool("v2", { url: secretUrl(modern.port), protocol: "modern" } as ServerSpec)
    await using pl = pool("v1", { url: secretUrl(legacy.port), protocol: "legacy" } as ServerSpec)
    await pm.call("v2", "tools/call", { name: "echo", arguments: { text: "a" } }, {})
    await pl.call("v1", "tools/call", { name: "echo", arguments: { text: "a" } }, {})
    await modern.stop()
    await legacy.stop()
    const m = await failure(pm.call("v2", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))
    const l = await failure(pl.call("v1", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))
    expect(m.code).toBe("WRITE_FAILED")
    expect(l.code).toBe("WRITE_FAILED")
    expectPlain(m, "v2", modern.port)
    expectPlain(l, "v1", legacy.port)
    expect(m.message.replace(String(modern.port), "PORT").replace("v2", "X")).toBe(l.message.replace(String(legacy.port), "PORT").replace("v1", "X"))
  })

  test("a start: the 2026-07-28 connect and the legacy start name the endpoint, the cause and the same remedy", async () => {
    const modern = modernServer()
    const legacy = startStatefulHttp()
    await modern.stop()
    await legacy.stop()
    await using pm = pool("v2", { url: secretUrl(modern.port), protocol: "modern" } as ServerSpec)
    await using pl = pool("v1", { url: secretUrl(legacy.port), protocol: "legacy", transport: "streamable-http" } as ServerSpec)
    const m = await failure(pm.call("v2", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))
    const l = await failure(pl.call("v1", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))
    expect(m.code).toBe("CONNECT_FAILED")
    expect(l.code).toBe("CONNECT_FAILED")
    expectPlain(m, "v2 failed the 2026-07-28 connect: ", modern.port)
    expectPlain(l, "v1 failed to start: ", legacy.port)
  })
})
