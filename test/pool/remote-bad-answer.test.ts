/**
 * A remote server that answers one request with something that is not MCP (QA 8b: an HTML error
 * page with HTTP 500, a body that is not JSON, JSON that is not JSON-RPC) lost its whole session:
 * the answer read as WRITE_FAILED, a failure on the wire, so the session was dropped and a restart
 * counted against the breaker; with one broken tool, every other tool of the server failed with
 * RESTARTING (then BREAKER_OPEN) too. And a body the SDK could not read was quoted as the parser's
 * error or a JSON dump of schema issues, with the remedy "check that the server is running and
 * reachable". Now the server answered, so only that call fails, with BAD_RESPONSE naming the
 * endpoint and what was wrong; the session stays. A gateway's 502/503/504 (the server behind it is
 * down) still reads as a lost connection. Servers: a stateful SDK v2 server (legacy era) and SDK v2
 * `createMcpHandler` (2026-07-28), each answering chosen calls with the bad answer.
 */
import { afterAll, describe, expect, test } from "bun:test"
import type { ServerSpec } from "../../src/config/index.ts"
import { DownstreamError } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config } from "../proxy/helpers.ts"
import { startModernEcho } from "../fixtures/modern-echo-http.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"
import { downstreamFailure } from "../helpers/failure.ts"
import { secretsRestoredAfterFile } from "../helpers/secrets.ts"

// the configured headers (`X-Api-Key: key-8b-…`) are registered as secrets as a real start does: not left for later files
secretsRestoredAfterFile()

/** The bad answers, by the text an echo call carries. */
const BAD: Record<string, () => Response> = {
  html500: () => new Response("<html><body><h1>Internal Server Error</h1></body></html>", { status: 500, headers: { "content-type": "text/html" } }),
  notjson: () => new Response("{not json", { headers: { "content-type": "application/json" } }),
  notrpc: () => Response.json({ error: "something broke" }),
  gateway: () => new Response("<html>Bad Gateway</html>", { status: 502, headers: { "content-type": "text/html" } }),
}

type Msg = { method?: string; params?: { name?: unknown; arguments?: { text?: unknown } } }
const badFor = (m: Msg): Response | undefined => (m.method === "tools/call" && typeof m.params?.arguments?.text === "string" ? BAD[m.params.arguments.text]?.() : undefined)

const legacy = startStatefulHttp()
legacy.refuse(badFor)

const modern = startModernEcho((m) => badFor(m as Msg))

afterAll(async () => {
  await legacy.stop()
  await modern.stop()
})

function pool(spec: ServerSpec): Pool {
  // a restart would wait a minute: a call after a dropped session fails with RESTARTING
  const p = new Pool({ config: config({ pool: { restartDelay: 60_000 } }), log: captureLog().log })
  p.add({ name: "web", source: "config", spec })
  return p
}

const echo = (p: Pool, text: string) => p.call("web", "tools/call", { name: "echo", arguments: { text } }, {})
const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text

const eras = [
  { era: "legacy", spec: () => ({ url: legacy.url, protocol: "legacy" }) as ServerSpec },
  { era: "2026-07-28", spec: () => ({ url: modern.url, protocol: "modern" }) as ServerSpec },
]

describe.each(eras)("remote server ($era) answering one call with something that is not MCP", ({ spec }) => {
  test("an HTTP 500 error page fails that call only (BAD_RESPONSE naming the status and page); the server's other calls keep working", async () => {
    await using p = pool(spec())
    expect(text(await echo(p, "a"))).toBe("echo:a")
    for (let i = 0; i < 6; i++) {
      const e = await downstreamFailure(echo(p, "html500"))
      expect(e).toBeInstanceOf(DownstreamError)
      expect(e.code).toBe("BAD_RESPONSE")
      expect(e.message).toContain("HTTP 500 (content type text/html)")
      expect(e.message).toContain("Internal Server Error")
      expect(e.remedy).toContain("only this request failed")
    }
    expect(text(await echo(p, "b"))).toBe("echo:b")
    expect(p.get("web")!.failures).toBe(0)
  })

  test("a body that is not JSON, or JSON that is not JSON-RPC, says so in words (no parser dump); the session stays", async () => {
    await using p = pool(spec())
    expect(text(await echo(p, "a"))).toBe("echo:a")
    const notJson = await downstreamFailure(echo(p, "notjson"))
    expect(notJson.code).toBe("BAD_RESPONSE")
    expect(notJson.message).toMatch(/is not MCP: its body is not JSON \(/)
    expect(notJson.message).toContain("HTTP 200, content type application/json")
    const notRpc = await downstreamFailure(echo(p, "notrpc"))
    expect(notRpc.code).toBe("BAD_RESPONSE")
    expect(notRpc.message).toContain("is not MCP: its body is JSON but not a JSON-RPC message")
    // not the schema's JSON dump of its issues
    expect(notRpc.message).not.toContain('"code"')
    expect(text(await echo(p, "b"))).toBe("echo:b")
    expect(p.get("web")!.failures).toBe(0)
  })

  test("a gateway's 502 (the server behind it is down) still reads as a lost connection: WRITE_FAILED, the session is made again", async () => {
    await using p = pool(spec())
    expect(text(await echo(p, "a"))).toBe("echo:a")
    const e = await downstreamFailure(echo(p, "gateway"))
    expect(e.code).toBe("WRITE_FAILED")
    expect(e.message).toContain("HTTP 502")
    expect(p.get("web")!.failures).toBe(1)
  })
})

describe("remote server refusing one call's credentials (static headers, no OAuth login)", () => {
  test("HTTP 401 fails that call only, and says to check the configured headers; the session stays", async () => {
    legacy.refuse((m) => (m.method === "tools/call" && (m as Msg).params?.arguments?.text === "expired" ? new Response("token expired", { status: 401 }) : badFor(m as Msg)))
    try {
      await using p = pool({ url: legacy.url, protocol: "legacy", headers: { Authorization: "Bearer tok-8b-abcdef123456" } } as ServerSpec)
      expect(text(await echo(p, "a"))).toBe("echo:a")
      const e = await downstreamFailure(echo(p, "expired"))
      expect(e.code).toBe("BAD_RESPONSE")
      expect(e.message).toContain("HTTP 401")
      expect(e.remedy).toContain("headers")
      expect(e.message + (e.remedy ?? "")).not.toContain("tok-8b-abcdef123456")
      expect(text(await echo(p, "b"))).toBe("echo:b")
      expect(p.get("web")!.failures).toBe(0)
    } finally {
      legacy.refuse(badFor)
    }
  })
})

describe("an answer whose headers are too large to read", () => {
  test("the error names the endpoint without the url's query (Bun's own message quotes the whole URL), and the cause in words", async () => {
    const big = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        // a minimal legacy Streamable HTTP server answering in JSON; tools/call with 20 MiB of headers
        if (req.method !== "POST") return new Response(null, { status: 405 })
        const m = (await req.json()) as Msg & { id?: number }
        if (m.id === undefined) return new Response(null, { status: 202 })
        if (m.method === "tools/call") return new Response("{}", { headers: { "content-type": "application/json", "x-big": "a".repeat(20 * 1024 * 1024) } })
        const result = m.method === "initialize" ? { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "big-headers", version: "1" } } : {}
        return Response.json({ jsonrpc: "2.0", id: m.id, result })
      },
    })
    try {
      const log = captureLog()
      const p = new Pool({ config: config({ pool: { restartDelay: 60_000 } }), log: log.log })
      await using _ = p
      p.add({ name: "web", source: "config", spec: { url: `http://127.0.0.1:${big.port}/mcp?key=k8b`, protocol: "legacy" } as ServerSpec })
      const e = await downstreamFailure(echo(p, "a"))
      expect(e.message).toBe(`server web: HTTP request to http://127.0.0.1:${big.port}/mcp failed: the answer's headers are too large to read (ResponseHeadersTooLarge)`)
      expect(JSON.stringify(log.records)).not.toContain("k8b")
    } finally {
      big.stop(true)
    }
  })
})

describe("a remote server redirecting to another origin", () => {
  test("not followed (the configured headers never reach the other host); that call fails with BAD_RESPONSE saying to put the new address in the url", async () => {
    const reached: (string | null)[] = []
    const other = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => (reached.push(req.headers.get("x-api-key")), new Response("{}")) })
    legacy.refuse((m) => (m.method === "tools/call" && (m as Msg).params?.arguments?.text === "moved" ? new Response(null, { status: 307, headers: { location: `http://localhost:${other.port}/mcp` } }) : badFor(m as Msg)))
    try {
      await using p = pool({ url: legacy.url, protocol: "legacy", headers: { "X-Api-Key": "key-8b-1234567890" } } as ServerSpec)
      expect(text(await echo(p, "a"))).toBe("echo:a")
      const e = await downstreamFailure(echo(p, "moved"))
      expect(e.code).toBe("BAD_RESPONSE")
      expect(e.message).toContain("HTTP 307")
      expect(e.remedy).toContain("`url`")
      expect(reached).toEqual([])
      expect(p.get("web")!.failures).toBe(0)
    } finally {
      legacy.refuse(badFor)
      other.stop(true)
    }
  })
})
