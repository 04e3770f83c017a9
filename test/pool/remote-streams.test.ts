/**
 * A remote server that closes a request's response stream (its SSE body) before the answer (QA: the
 * call hung for its whole timeout, then read "[TIMEOUT] … Raise the server's timeout", nothing
 * logged). The call fails at once with WRITE_FAILED "server X closed the response stream of
 * tools/call before answering", a warning is logged, and the failure counts (the connection is
 * dropped and opened again, as for any request that failed on the wire). A stream that gave an event
 * id is resumed as before (SEP-1699 polling on the SDK v2 server); a resumption that is refused, or
 * that ends again without anything new, fails the call the same way; so does a call whose server is
 * killed mid-call (server-everything). Both eras: the legacy session (stateful SDK v2 server,
 * `stateful-http.ts`) and a 2026-07-28 server (SDK v2 `createMcpHandler`).
 * Each call has a 20 s budget: a failure at its timeout would read TIMEOUT, which the tests refuse.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server"
import { join } from "node:path"
import * as z from "zod/v4"
import type { ServerSpec } from "../../src/config/index.ts"
import { DownstreamError } from "../../src/core/index.ts"
import { Pool } from "../../src/pool/index.ts"
import { captureLog, config, EVERYTHING, ROOT } from "../proxy/helpers.ts"
import { startStatefulHttp } from "../fixtures/stateful-http.ts"
import { downstreamFailure } from "../helpers/failure.ts"
import { waitForStderr } from "../helpers/wait.ts"

const legacy = startStatefulHttp()
const modern = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(req) {
    const body = req.method === "POST" ? ((await req.clone().json()) as { method?: string; params?: { name?: string } }) : undefined
    // scripted: the stream of this one call ends at once, without its answer
    if (body?.method === "tools/call" && body.params?.name === "cut") return new Response(": closing without an answer\n\n", { headers: { "content-type": "text/event-stream" } })
    if (body?.method === "tools/call" && body.params?.name === "accepted") return new Response(null, { status: 202 })
    return handler.fetch(req)
  },
})
const handler = createMcpHandler(
  () => {
    const s = new McpServer({ name: "modern-fixture", version: "1.0.0" })
    s.registerTool("echo", { description: "Echo", inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({ content: [{ type: "text", text: `modern:${text}` }] }))
    s.registerTool("cut", { description: "Its stream is cut by the fixture", inputSchema: z.object({}) }, () => ({ content: [{ type: "text", text: "never sent" }] }))
    return s
  },
  { legacy: "reject" },
)

afterAll(async () => {
  await legacy.stop()
  await modern.stop(true)
})

const BUDGET = 20_000
const PRELOAD = join(ROOT, "test", "fixtures", "servers", "loopback.cjs")

/** Waits for server-everything's "listening" line on stderr. */
async function listening(p: Bun.Subprocess<"ignore", "ignore", "pipe">): Promise<void> {
  await waitForStderr(p, /listening/i, "server-everything did not start")
}

function pool(spec: ServerSpec, records = captureLog()): Pool {
  const p = new Pool({ config: config({ pool: { restartDelay: 50 } }), log: records.log })
  p.add({ name: "web", source: "config", spec: { timeout: BUDGET, ...spec } as ServerSpec })
  return p
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text

const failure = downstreamFailure

describe("a response stream that ends before the answer", () => {
  test("legacy session: the call fails at once, names the server and method, is logged; the session is kept and the next call works", async () => {
    const log = captureLog()
    await using p = pool({ url: legacy.url, protocol: "legacy" } as ServerSpec, log)
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {}))).toBe("echo:a")
    const e = await failure(p.call("web", "tools/call", { name: "cut", arguments: {} }, {}))
    expect(e.code).toBe("WRITE_FAILED")
    expect(e.message).toBe("server web closed the response stream of tools/call before answering")
    expect(e.remedy).not.toMatch(/timeout/i)
    expect(log.records.some((r) => r.level === "warn" && r.msg === "downstream closed a response stream before answering")).toBe(true)
    // only that request's stream ended: the connection is no failure of the server (it was dropped, with the calls in flight on it)
    expect(p.get("web")!.failures).toBe(0)
    // reconnected after the backoff: the server is fine
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))).toBe("echo:b")
  })

  test("server-everything killed mid-call: the call fails at once (its stream broke off and cannot be resumed), not at its timeout", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000)
    const everything = Bun.spawn(["node", "--require", PRELOAD, EVERYTHING, "streamableHttp"], { env: { PATH: process.env.PATH ?? "", PORT: String(port) }, stdout: "ignore", stderr: "pipe" })
    try {
      await listening(everything)
      await using p = pool({ url: `http://127.0.0.1:${port}/mcp` } as ServerSpec)
      let progressed!: () => void
      const started = new Promise<void>((r) => (progressed = r))
      const call = failure(p.call("web", "tools/call", { name: "trigger-long-running-operation", arguments: { duration: 60, steps: 60 } }, { onProgress: () => progressed() }))
      await started
      everything.kill("SIGKILL")
      const e = await call
      expect(e.code).toBe("WRITE_FAILED")
      expect(e.message).toStartWith("server web closed the response stream of tools/call before answering")
    } finally {
      everything.kill("SIGKILL")
      await everything.exited
    }
  })

  test("legacy session: a stream that gave event ids is resumed (Last-Event-ID) and the answer still comes", async () => {
    await using p = pool({ url: legacy.url, protocol: "legacy" } as ServerSpec)
    const progress: number[] = []
    const before = legacy.methods.filter((m) => m === "GET Last-Event-ID").length
    const r = await p.call("web", "tools/call", { name: "poll", arguments: { rounds: 3 } }, { onProgress: (n) => void progress.push(n.progress) })
    expect(text(r)).toBe("polled:3")
    expect(progress).toEqual([1, 2, 3])
    expect(legacy.methods.filter((m) => m === "GET Last-Event-ID").length - before).toBeGreaterThanOrEqual(1)
  })

  test("legacy session: a resumption the server refuses fails the call at once", async () => {
    await using p = pool({ url: legacy.url, protocol: "legacy" } as ServerSpec)
    const e = await failure(p.call("web", "tools/call", { name: "lost", arguments: {} }, {}))
    expect(e.code).toBe("WRITE_FAILED")
    expect(e.message).toBe("server web closed the response stream of tools/call before answering, and refused to resume it (HTTP 400)")
  })

  test("legacy session: a resumed stream that ends again without anything new fails the call", async () => {
    await using p = pool({ url: legacy.url, protocol: "legacy" } as ServerSpec)
    const e = await failure(p.call("web", "tools/call", { name: "stall", arguments: {} }, {}))
    expect(e.code).toBe("WRITE_FAILED")
    expect(e.message).toBe("server web closed the response stream of tools/call before answering, and its resumed stream ended without the answer too")
  })

  test("2026-07-28 server: the call fails at once with the same error, logged; the connection is kept and the next call works", async () => {
    const log = captureLog()
    await using p = pool({ url: `http://127.0.0.1:${modern.port}/mcp`, protocol: "modern" } as ServerSpec, log)
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {}))).toBe("modern:a")
    const cut = await failure(p.call("web", "tools/call", { name: "cut", arguments: {} }, {}))
    expect(cut.code).toBe("WRITE_FAILED")
    expect(cut.message).toBe("server web closed the response stream of tools/call before answering")
    expect(log.records.some((r) => r.level === "warn" && r.msg === "downstream closed a response stream before answering")).toBe(true)
    // only that request's stream ended: the connection is no failure of the server (it was dropped, with the calls in flight on it)
    expect(p.get("web")!.failures).toBe(0)
    expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "c" } }, {}))).toBe("modern:c")
  })
})

describe("a request answered 202 Accepted (no answer: the transport allows it only for notifications and responses)", () => {
  const ACCEPTED = "server web answered tools/call with HTTP 202 Accepted and no answer (202 is for notifications and responses; a request needs a JSON or SSE answer)"
  for (const era of ["legacy", "modern"] as const) {
    test(`${era}: the call fails at once saying so, not at its timeout; the next call works`, async () => {
      const url = era === "legacy" ? legacy.url : `http://127.0.0.1:${modern.port}/mcp`
      await using p = pool({ url, protocol: era } as ServerSpec)
      const echo = era === "legacy" ? "echo:" : "modern:"
      expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "a" } }, {}))).toBe(`${echo}a`)
      const e = await failure(p.call("web", "tools/call", { name: "accepted", arguments: {} }, {}))
      expect(e.code).toBe("WRITE_FAILED")
      expect(e.message).toBe(ACCEPTED)
      expect(e.remedy).toContain("does not follow the Streamable HTTP transport")
      // (not its timeout: that would be a TIMEOUT after the 20 s budget, or the test timing out first)
      expect(text(await p.call("web", "tools/call", { name: "echo", arguments: { text: "b" } }, {}))).toBe(`${echo}b`)
    })
  }
})
