/** startHttpServer (Bun.serve wrapper): token handling, loopback rule, SSE kept open past the idle timeout. */
import { describe, expect, test } from "bun:test"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { z } from "zod"
import { startHttpServer } from "../../src/app/http-server.ts"
import { ConfigSchema } from "../../src/config/index.ts"
import { createLogHub, createLogger, silentLogger } from "../../src/core/index.ts"
import { Metrics } from "../../src/http/index.ts"
import { createMcpFace, defineTool, type ToolDef } from "../../src/mcp/index.ts"
import { fakeStatus } from "./helpers.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// what this file registers (its configs' secrets, by hand or through the code it drives) is not left for later files
secretsRestoredAfterFile()

const slowTool = defineTool({
  name: "slow",
  title: "Slow",
  description: "Answers after `ms` milliseconds without sending anything meanwhile.",
  input: z.object({ ms: z.number() }),
  async handler(a) {
    await Bun.sleep(a.ms)
    return { text: `slept ${a.ms}` }
  },
})

function httpConfig(over: Record<string, unknown>) {
  return ConfigSchema.parse({ http: { listen: "127.0.0.1:0", ...over } }).http
}

function deps(over: Partial<Parameters<typeof startHttpServer>[0]> = {}): Parameters<typeof startHttpServer>[0] {
  const tools = [slowTool as unknown as ToolDef]
  return {
    config: httpConfig({}),
    createFace: () => createMcpFace({ log: silentLogger, tools }),
    status: async () => fakeStatus(),
    stopping: () => false,
    metrics: new Metrics({ defaultMetrics: false }),
    tools,
    log: silentLogger,
    ...over,
  }
}

describe("startHttpServer", () => {
  test("without http.token: a 256-bit token is generated, announced once, required, and redacted from logs", async () => {
    const lines: string[] = []
    const logged: string[] = []
    const log = createLogger(createLogHub("debug", (l) => logged.push(l)), "http")
    await using srv = startHttpServer(deps({ announce: (l) => lines.push(l), log }))
    expect(lines).toHaveLength(1)
    const token = /bearer token .*: (\S+)\n$/.exec(lines[0]!)![1]!
    expect(Buffer.from(token, "base64url")).toHaveLength(32)
    expect((await fetch(srv.url, { method: "POST", body: "{}" })).status).toBe(401)
    const ok = await fetch(srv.url, { method: "POST", headers: { Authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }) })
    expect(ok.status).toBe(200)
    await ok.text()
    log.info("echo of a secret", { note: `token is ${token}` })
    expect(logged.join("")).not.toContain(token)
    expect(logged.join("")).toContain("[REDACTED]")
  })

  test("a configured token is not announced", async () => {
    const lines: string[] = []
    await using srv = startHttpServer(deps({ config: httpConfig({ token: "configured-token-0123456789" }), announce: (l) => lines.push(l) }))
    expect(lines).toEqual([])
    expect(srv.address).toMatch(/^127\.0\.0\.1:\d+$/)
  })

  test("non-loopback addresses are refused unless allowed; no-auth only on loopback", () => {
    expect(() => startHttpServer(deps({ config: httpConfig({ listen: "0.0.0.0:0" }) }))).toThrow(/not a loopback address/)
    expect(() => startHttpServer(deps({ config: httpConfig({ listen: "0.0.0.0:0", allowNonLoopback: true, allowUnauthenticated: true }) }))).toThrow(/only accepted on a loopback/)
  })

  // F17. Bun 1.4.5 does not cut a pending streamed response at idleTimeout, but older/newer Bun
  // versions did; the keep-alive comments make this hold either way. Guards the behaviour.
  test("a call longer than the server idle timeout completes (SSE keep-alive comments)", async () => {
    await using srv = startHttpServer(deps({ config: httpConfig({ allowUnauthenticated: true }), idleTimeoutSec: 1, keepAliveMs: 400, announce: () => {} }))
    const client = new Client({ name: "t", version: "1" }, { capabilities: {} })
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.url)))
    const r = await client.callTool({ name: "slow", arguments: { ms: 2500 } }, undefined, { timeout: 10_000 })
    expect((r.content as { text: string }[])[0]!.text).toBe("slept 2500")
    await client.close()
  }, 15_000)
})
