/**
 * A 2026-07-28 remote whose `server/discover` answer claims the revision but breaks its schema (a
 * capability that is no object, versions that are no strings). Before, the connect failed in the
 * SDK's words: pinned, "the server did not offer pinned protocol version 2026-07-28 via
 * server/discover" (it did); probed, "connect({ prior }): unrecognized prior — expected { kind:
 * 'modern', discover }…", an SDK internal. Now it names the answer as the fault (and, when the probe
 * saw it, what is wrong in it), with a remedy; never a hang. Raw Bun HTTP fixture.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { downstreamFailure } from "../helpers/failure.ts"

const LIES: Record<string, Record<string, unknown>> = {
  "/tools-yes": { supportedVersions: ["2026-07-28"], capabilities: { tools: "yes" } },
  "/versions-odd": { supportedVersions: ["2026-07-28", 7], capabilities: { tools: {} } },
}

const http = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    if (req.method !== "POST") return new Response(null, { status: 405 })
    const m = (await req.json()) as { id?: number; method?: string }
    if (m.method === "server/discover") return Response.json({ jsonrpc: "2.0", id: m.id, result: { ...LIES[new URL(req.url).pathname], resultType: "complete" } })
    // a modern-only server: initialize is no method of its revision
    return Response.json({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "Method not found" } }, { status: 400 })
  },
})
afterAll(() => http.stop(true))

function pool(path: string, protocol?: "modern"): Pool {
  const p = new Pool({ config: config({ pool: { callTimeout: 10_000, connectTimeout: 10_000 } }), log: captureLog().log })
  p.add({ name: "web", source: "config", spec: { url: `http://127.0.0.1:${http.port}${path}`, ...(protocol ? { protocol } : {}) } as ServerSpec })
  return p
}

describe("a server/discover answer that lies about its schema fails the connect saying so", () => {
  test.each([
    ["/tools-yes", "modern" as const, undefined],
    ["/versions-odd", "modern" as const, undefined],
    ["/tools-yes", undefined, 'capabilities.tools is "yes", not an object'],
  ])("%p (protocol %p)", async (path, protocol, problem) => {
    await using p = pool(path, protocol)
    const e = await downstreamFailure(p.call("web", "tools/list", {}, {}))
    expect(e.code).toBe("CONNECT_FAILED")
    expect(e.message).toContain("its server/discover answer is no valid 2026-07-28 DiscoverResult")
    if (problem !== undefined) expect(e.message).toContain(problem)
    expect(e.message).not.toMatch(/did not offer pinned|unrecognized prior|kind: 'modern'/)
    expect(e.remedy).toContain("breaks the 2026-07-28 schema")
  })
})
