/**
 * The SSE fallback of a remote with no `transport` set is tried only when the Streamable HTTP answer
 * leaves room for an HTTP+SSE-only server: not after a body that is a JSON-RPC message (the endpoint
 * speaks Streamable HTTP), an auth challenge (the SSE GET sends the same credentials), or a 429.
 * Before: a GET was sent anyway and "; the SSE fallback failed too: … Non-200 status code (401)" was
 * appended, repeating the refusal and, for a JSON-RPC error, hiding that the server does speak
 * Streamable HTTP. A plain 404 page still gets its SSE try, named in the error. Raw Bun.serve fixture.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test"
import { ConfigSchema } from "../../src/config/index.ts"
import { silentLogger, type DownstreamError } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// the values registered here (by hand or by what runs: configured headers) are not left for later files
secretsRestoredAfterFile()

const seen: string[] = []
const json = (body: unknown, status: number, headers: Record<string, string> = {}): Response => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(req) {
    const path = new URL(req.url).pathname
    seen.push(`${req.method} ${path}`)
    if (req.method === "POST") await req.text()
    switch (path) {
      case "/bearer":
        return json({ error: "invalid_token" }, 401, { "www-authenticate": 'Bearer realm="mcp", error="invalid_token"' })
      case "/rpc404":
        return json({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session not found" } }, 404)
      case "/rpc400":
        return json({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "Bad Request: Mcp-Session-Id header is required" } }, 400)
      case "/429":
        return new Response("slow down", { status: 429, headers: { "retry-after": "1" } })
    }
    return new Response("no such page", { status: 404 })
  },
})
afterAll(() => server.stop(true))

let pool: Pool | undefined
afterEach(async () => {
  await pool?.[Symbol.asyncDispose]()
  pool = undefined
  seen.length = 0
})

async function failedStart(path: string, extra: Record<string, unknown> = {}): Promise<DownstreamError> {
  pool = new Pool({ config: ConfigSchema.parse({ pool: { connectTimeout: "10s", restartDelay: "10m" } }), log: silentLogger })
  const s = pool.add({ name: "web", source: "config", spec: { url: `http://127.0.0.1:${server.port}${path}`, ...extra } } as never)
  return s.ensure().then(
    () => {
      throw new Error("the start succeeded")
    },
    (e: unknown) => e as DownstreamError,
  )
}

describe("a conclusive Streamable HTTP refusal: no SSE try, no SSE words", () => {
  test.each([
    ["a 404 whose body is a JSON-RPC error", "/rpc404", "Session not found"],
    ["a 400 whose body is a JSON-RPC error", "/rpc400", "Mcp-Session-Id header is required"],
    ["a 429", "/429", "HTTP 429"],
  ])("%s", async (_what, path, said) => {
    const e = await failedStart(path)
    expect(e.code).toBe("CONNECT_FAILED")
    expect(e.message).toContain(said)
    expect(e.message).not.toContain("SSE")
    expect(seen.filter((r) => r.startsWith("GET"))).toEqual([])
  })

  test("a 401 with a Bearer challenge to the configured token: the credentials remedy, no SSE try", async () => {
    const e = await failedStart("/bearer", { headers: { Authorization: "Bearer stale" } })
    expect(e.message).toContain("HTTP 401")
    expect(e.message).not.toContain("SSE")
    expect(e.remedy).toContain("servers.web.headers")
    expect(seen.filter((r) => r.startsWith("GET"))).toEqual([])
  })
})

test("a plain 404 page (an HTTP+SSE-only server's answer to POST): SSE is tried, and its failure named", async () => {
  const e = await failedStart("/plain")
  expect(seen).toContain("GET /plain")
  expect(e.message).toMatch(/Streamable HTTP: .*HTTP 404.*no such page; the SSE fallback failed too: .*404/)
})
