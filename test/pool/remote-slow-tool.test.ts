/**
 * Timeouts against a remote server count as on a stdio one (pool/session noteError): a call that
 * times out while the server answered other requests meanwhile is one slow tool (noted and shown,
 * no restart, no breaker failure); timeouts with nothing answered meanwhile are a silent server
 * (three in a row drop the connection and count against the breaker). Before, a 2026-07-28 remote's
 * timeout never said whether the server had answered others: every slow call of one tool counted
 * against the breaker, and three of them dropped a server whose other tools answered at once.
 * Server: SDK v2 `createMcpHandler` on Bun.serve (`legacy: "stateless"` serves both eras), its tool
 * `hang` never answering (its response stream never ends).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server"
import * as z from "zod/v4"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { downstreamFailure } from "../helpers/failure.ts"

const handler = createMcpHandler(
  () => {
    const s = new McpServer({ name: "slow-tool", version: "1.0.0" })
    s.registerTool("echo", { description: "Echo", inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({ content: [{ type: "text", text: `echo:${text}` }] }))
    s.registerTool("hang", { description: "Never answers", inputSchema: z.object({}) }, (_a, ctx) => new Promise((_, reject) => ctx.mcpReq.signal.addEventListener("abort", () => reject(new Error("aborted")))))
    return s
  },
  { legacy: "stateless" },
)
const http = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: (req) => handler.fetch(req) })
afterAll(() => http.stop(true))

/** Generous: the echo answered meanwhile must land inside it on a loaded machine. */
const HANG_TIMEOUT_MS = 5000

function pool(protocol: "legacy" | "modern"): Pool {
  const p = new Pool({ config: config({ pool: { callTimeout: 20_000, restartDelay: 60_000 } }), log: captureLog().log })
  p.add({ name: "web", source: "config", spec: { url: `http://127.0.0.1:${http.port}/mcp`, protocol } as ServerSpec })
  return p
}
const call = (p: Pool, name: string, args: Record<string, unknown>, timeoutMs?: number) => p.call("web", "tools/call", { name, arguments: args }, timeoutMs !== undefined ? { timeoutMs } : {})

describe("timeouts against a remote server count as on a stdio one", () => {
  for (const protocol of ["legacy", "modern"] as const) {
    test(`${protocol}: three timeouts of one slow tool while the server answers others: no restart, no breaker failure`, async () => {
      await using p = pool(protocol)
      expect(await call(p, "echo", { text: "a" })).toEqual({ content: [{ type: "text", text: "echo:a" }] })
      const hangs = [0, 1, 2].map(() => downstreamFailure(call(p, "hang", {}, HANG_TIMEOUT_MS)))
      expect(await call(p, "echo", { text: "b" })).toEqual({ content: [{ type: "text", text: "echo:b" }] })
      for (const e of await Promise.all(hangs)) {
        expect(e.code).toBe("TIMEOUT")
        expect(e.message).toContain("meanwhile, so it is this tool that is slow")
        expect(e.details?.answeredMeanwhile).toBeGreaterThanOrEqual(1)
      }
      const s = p.get("web")!
      expect(s.breaker.consecutiveFailures).toBe(0)
      expect(s.state).toBe("ready")
      expect(await call(p, "echo", { text: "c" })).toEqual({ content: [{ type: "text", text: "echo:c" }] })
    })

    test(`${protocol}: three timeouts with nothing answered meanwhile: a silent server, dropped and counted`, async () => {
      await using p = pool(protocol)
      expect(await call(p, "echo", { text: "a" })).toEqual({ content: [{ type: "text", text: "echo:a" }] })
      const errors = await Promise.all([0, 1, 2].map(() => downstreamFailure(call(p, "hang", {}, 1500))))
      for (const e of errors) {
        expect(e.code).toBe("TIMEOUT")
        expect(e.details?.answeredMeanwhile).toBeUndefined()
      }
      const s = p.get("web")!
      expect(s.breaker.consecutiveFailures).toBeGreaterThanOrEqual(3)
      expect(s.state).not.toBe("ready")
    })
  }
})
