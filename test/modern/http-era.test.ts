/**
 * Streamable HTTP downstreams and the era probe (one modern `server/discover` POST): a modern-only
 * server (SDK v2 `createMcpHandler` with `legacy: "reject"`) found by the probe, remembered, pinned,
 * and still recognised from a refused `initialize` when a stale legacy verdict sends one; a dual-era
 * one (spoken to in the modern era); a legacy-only SDK v1 sessionful server (the probe's 400 is no
 * modern error: `initialize`); a server answering 401 (an auth failure, not era evidence); a dual-era
 * one behind a front refusing the probe (a legacy session, no verdict remembered), never answering it
 * (initialize after half the connect timeout: the same) or streaming its
 * DiscoverResult as odd-but-legal SSE (modern). Calls, a
 * tool error and a timeout. Servers are counted by the methods they receive.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { ServerSpec } from "../../src/config/index.ts"
import { McpServer as V1Server } from "@modelcontextprotocol/sdk/server/mcp.js"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"
import * as z from "zod"
import { FileEraStore, Pool } from "../../src/pool/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, captureLog, config, ctx, ROOT, until } from "../proxy/helpers.ts"
import { createProxy } from "../../src/proxy/index.ts"

const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")
const dir = tempDir("mcpo-era-http-")
const log = join(dir, "http.log")
let proc: ReturnType<typeof Bun.spawn> | undefined
let url = ""

beforeAll(async () => {
  const portFile = join(dir, "port")
  proc = Bun.spawn([BUN, MODERN, "http", portFile], { env: { ...process.env, MODERN_LOG: log }, stdio: ["ignore", "ignore", "inherit"] })
  expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
  url = `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`
}, 20_000)
afterAll(() => {
  proc?.kill()
  rmSync(dir, { recursive: true, force: true })
})

function methods(): string[] {
  return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []
}

function pool(state: string, notes: { method: string; params?: Record<string, unknown> }[] = []): Pool {
  return new Pool({ config: config({}), log: captureLog().log, eras: new FileEraStore(state), onNotification: (_s, method, params) => void notes.push({ method, ...(params ? { params } : {}) }) })
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text

describe("modern-only Streamable HTTP downstream", () => {
  test("the first call after a start carries its Mcp-Param header (the definition comes from the stored list, before any listing)", async () => {
    const regional = { name: "regional", inputSchema: { type: "object" as const, properties: { region: { type: "string", "x-mcp-header": "Region" } }, required: ["region"] } }
    const store = { load: async () => [regional], save: async () => {}, invalidate: async () => {} }
    await using proxy = createProxy({ config: config({ servers: { h: { url } } }), log: captureLog().log, toolListStore: store, revalidateStale: false, closeGraceMs: 200 })
    expect((await proxy.listTools()).map((t) => t.name)).toEqual(["h__regional"])
    expect(text(await proxy.callTool("h__regional", { region: "ap-south-1" }, ctx()))).toBe("region:ap-south-1")
  })

  test("an x-mcp-header argument goes out in its Mcp-Param header too (SEP-2243), Base64 where it is not plain ASCII", async () => {
    await using p = pool(join(dir, "state-params"))
    p.add({ name: "h", source: "config", spec: { url } as ServerSpec })
    const listed = (await p.call("h", "tools/list", {}, {})) as { tools: { name: string; inputSchema: { properties: Record<string, Record<string, unknown>> } }[] }
    expect(listed.tools.find((t) => t.name === "regional")!.inputSchema.properties.region!["x-mcp-header"]).toBe("Region")
    expect(text(await p.call("h", "tools/call", { name: "regional", arguments: { region: "eu-west-1" } }, {}))).toBe("region:eu-west-1")
    expect(text(await p.call("h", "tools/call", { name: "regional", arguments: { region: " Zürich " } }, {}))).toBe("region: Zürich ")
  })

  test("auto: detected by the server/discover probe (adopted, not asked twice), then a warm start does not probe", async () => {
    const state = join(dir, "state")
    const spec = { url } as ServerSpec
    writeFileSync(log, "")
    {
      await using p = pool(state)
      p.add({ name: "h", source: "config", spec })
      expect(text(await p.call("h", "tools/call", { name: "echo", arguments: { text: "h" } }, {}))).toBe("modern:h")
      expect(p.get("h")!.era).toEqual({ era: "modern", via: "probed" })
    }
    expect(methods()[0]).toBe("server/discover")
    expect(methods()).not.toContain("initialize")
    expect(methods().filter((m) => m === "server/discover")).toHaveLength(1)
    writeFileSync(log, "")
    {
      await using p = pool(state)
      p.add({ name: "h", source: "config", spec })
      expect(text(await p.call("h", "tools/call", { name: "echo", arguments: { text: "w" } }, {}))).toBe("modern:w")
      expect(p.get("h")!.era).toEqual({ era: "modern", via: "cached" })
    }
    expect(methods()).not.toContain("initialize")
  }, 30_000)

  test("a stale legacy verdict: the refused initialize's 400 body still tells a modern-only server", async () => {
    const state = join(dir, "state-stale")
    const spec = { url } as ServerSpec
    new FileEraStore(state).set(spec, "legacy")
    writeFileSync(log, "")
    await using p = pool(state)
    p.add({ name: "h", source: "config", spec })
    expect(text(await p.call("h", "tools/call", { name: "echo", arguments: { text: "s" } }, {}))).toBe("modern:s")
    expect(p.get("h")!.era).toEqual({ era: "modern", via: "probed" })
    expect(methods()[0]).toBe("initialize")
    expect(new FileEraStore(state).get(spec)).toBe("modern")
  }, 30_000)

  test("pinned modern: calls, a tool error, a timeout, prompts, resources, health check, log level", async () => {
    writeFileSync(log, "")
    const notes: { method: string; params?: Record<string, unknown> }[] = []
    await using p = pool(join(dir, "state2"), notes)
    p.add({ name: "h", source: "config", spec: { url, protocol: "modern" } as ServerSpec })
    const fail = (await p.call("h", "tools/call", { name: "fail", arguments: {} }, {})) as { isError?: boolean }
    expect(fail.isError).toBe(true)
    const slow = await p.call("h", "tools/call", { name: "slow", arguments: { ms: 5000 } }, { timeoutMs: 300 }).then(() => undefined, (x: unknown) => x as { code?: string })
    expect(slow?.code).toBe("TIMEOUT")
    expect(text(await p.call("h", "tools/call", { name: "echo", arguments: { text: "after" } }, {}))).toBe("modern:after")
    const prompt = (await p.call("h", "prompts/get", { name: "greet" }, {})) as { messages: { content: { text: string } }[] }
    expect(prompt.messages[0]!.content.text).toBe("hello from modern")
    const read = (await p.call("h", "resources/read", { uri: "mem://note" }, {})) as { contents: { text: string }[] }
    expect(read.contents[0]!.text).toBe("modern note")
    expect(await (await p.get("h")!.ensure()).check(2000)).toMatchObject({ supportedVersions: ["2026-07-28"] })
    expect(methods()).not.toContain("initialize")
    expect(methods().filter((m) => m === "tools/call")).toHaveLength(3) // the timed-out call was not re-sent
    const logs = () => notes.filter((n) => n.method === "notifications/message").map((n) => n.params?.data)
    await p.call("h", "tools/call", { name: "chatty", arguments: {} }, {})
    expect(logs()).toEqual([])
    await p.call("h", "logging/setLevel", { level: "debug" }, {})
    await p.call("h", "tools/call", { name: "chatty", arguments: {} }, {})
    expect(await until(() => logs().length > 0, 5000)).toBe(true)
    expect(logs()).toEqual(["hello log"])
  }, 30_000)
})

describe("the HTTP probe against other servers", () => {
  test("a dual-era server (createMcpHandler, legacy: stateless) is spoken to in the modern era, also after a refused 2025-style push", async () => {
    const d = join(dir, "dual")
    const dlog = join(dir, "dual.log")
    const portFile = join(dir, "dual.port")
    const dual = Bun.spawn([BUN, MODERN, "http", portFile, "--dual"], { env: { ...process.env, MODERN_LOG: dlog }, stdio: ["ignore", "ignore", "inherit"] })
    try {
      expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
      await using p = pool(d)
      p.add({ name: "d", source: "config", spec: { url: `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp` } as ServerSpec })
      expect(text(await p.call("d", "tools/call", { name: "echo", arguments: { text: "d" } }, {}))).toBe("modern:d")
      expect(p.get("d")!.era).toEqual({ era: "modern", via: "probed" })
      // a 2025-style push refused by its modern session stays the call's result over HTTP: the handler's
      // legacy side is stateless (no session to ask on), so the era is kept (stdio: test/modern/pool-era)
      const pushed = (await p.call("d", "tools/call", { name: "push_ask", arguments: { question: "q" } }, {})) as { content: { text: string }[]; isError?: boolean }
      expect(pushed.isError).toBe(true)
      expect(pushed.content[0]!.text).toContain("Server-to-client requests are not available")
      expect(p.get("d")!.era).toEqual({ era: "modern", via: "probed" })
      const got = readFileSync(dlog, "utf8").split("\n").filter(Boolean)
      expect(got[0]).toBe("server/discover")
      expect(got).not.toContain("initialize")
    } finally {
      dual.kill()
    }
  }, 30_000)

  test("a legacy-only SDK v1 sessionful server: the probe's 400 carries no modern error, so initialize; remembered", async () => {
    const seen: string[] = []
    const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>()
    const v1 = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (req) => {
        const body = req.method === "POST" ? ((await req.clone().json()) as { method?: string }) : undefined
        seen.push(body?.method ?? req.method)
        const sid = req.headers.get("mcp-session-id")
        let t = sid ? sessions.get(sid) : undefined
        if (!t) {
          if (body?.method !== "initialize") return t === undefined && sid ? new Response("unknown session", { status: 404 }) : new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() }).handleRequest(req)
          const nt = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID(), onsessioninitialized: (id) => void sessions.set(id, nt) })
          const s = new V1Server({ name: "v1-http", version: "1.0.0" })
          s.tool("echo", "Echo", { text: z.string() }, ({ text }) => ({ content: [{ type: "text" as const, text: `v1:${text}` }] }))
          await s.connect(nt)
          t = nt
        }
        return t.handleRequest(req)
      },
    })
    try {
      const state = join(dir, "state-v1")
      const spec = { url: `http://127.0.0.1:${v1.port}/mcp` } as ServerSpec
      for (const via of ["probed", "cached"] as const) {
        seen.length = 0
        await using p = pool(state)
        p.add({ name: "v", source: "config", spec })
        expect(text(await p.call("v", "tools/call", { name: "echo", arguments: { text: via } }, {}))).toBe(`v1:${via}`)
        expect(p.get("v")!.era).toEqual({ era: "legacy", via })
        expect(seen.filter((m) => m === "server/discover")).toHaveLength(via === "probed" ? 1 : 0)
        expect(seen).toContain("initialize")
      }
    } finally {
      void v1.stop(true)
    }
  }, 30_000)

  test("a dual-era server whose front refuses the probe (403) but lets initialize through: a working legacy session, nothing remembered", async () => {
    const portFile = join(dir, "waf.port")
    const dual = Bun.spawn([BUN, MODERN, "http", portFile, "--dual"], { env: { ...process.env }, stdio: ["ignore", "ignore", "inherit"] })
    // a gateway in front that refuses what it does not know (the probe), as a WAF rule would
    const front = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (req) => {
        if (req.headers.get("mcp-method") === "server/discover") return new Response("forbidden", { status: 403 })
        const target = `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`
        return fetch(target, { method: req.method, headers: req.headers, body: req.method === "POST" ? await req.text() : undefined })
      },
    })
    try {
      expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
      const state = join(dir, "state-waf")
      const spec = { url: `http://127.0.0.1:${front.port}/mcp` } as ServerSpec
      await using p = pool(state)
      p.add({ name: "w", source: "config", spec })
      expect(text(await p.call("w", "tools/call", { name: "echo", arguments: { text: "w" } }, {}))).toBe("modern:w")
      expect(p.get("w")!.era).toEqual({ era: "legacy", via: "probed" })
      // no era evidence: the next start asks again (before, legacy was remembered for 7 days)
      expect(new FileEraStore(state).get(spec)).toBeUndefined()
    } finally {
      void front.stop(true)
      dual.kill()
    }
  }, 30_000)

  test("a front that never answers the probe (no status, no headers): initialize after half the connect timeout, a working legacy session, nothing remembered", async () => {
    const portFile = join(dir, "hang.port")
    const dual = Bun.spawn([BUN, MODERN, "http", portFile, "--dual"], { env: { ...process.env }, stdio: ["ignore", "ignore", "inherit"] })
    // a gateway that holds what it does not know (the probe) open for ever
    const front = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      idleTimeout: 0,
      fetch: async (req) => {
        if (req.headers.get("mcp-method") === "server/discover") return new Promise<Response>(() => {})
        const target = `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`
        return fetch(target, { method: req.method, headers: req.headers, body: req.method === "POST" ? await req.text() : undefined })
      },
    })
    try {
      expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
      const state = join(dir, "state-hang")
      const spec = { url: `http://127.0.0.1:${front.port}/mcp`, connectTimeout: 4000 } as ServerSpec
      await using p = pool(state)
      p.add({ name: "g", source: "config", spec })
      expect(text(await p.call("g", "tools/call", { name: "echo", arguments: { text: "g" } }, {}))).toBe("modern:g")
      expect(p.get("g")!.era).toEqual({ era: "legacy", via: "probed" })
      // no era evidence: the next start asks again
      expect(new FileEraStore(state).get(spec)).toBeUndefined()
    } finally {
      void front.stop(true)
      dual.kill()
    }
  }, 30_000)

  test("a DiscoverResult streamed as SSE after a priming event and a notification, its JSON over several data lines: modern", async () => {
    const portFile = join(dir, "sse.port")
    const dual = Bun.spawn([BUN, MODERN, "http", portFile, "--dual"], { env: { ...process.env }, stdio: ["ignore", "ignore", "inherit"] })
    const front = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (req) => {
        const target = `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp`
        const body = req.method === "POST" ? await req.text() : undefined
        const res = await fetch(target, { method: req.method, headers: req.headers, body })
        if (req.headers.get("mcp-method") !== "server/discover") return res
        // the same answer, framed as a streaming server may: legal SSE the probe must read
        const answer = JSON.stringify(JSON.parse(await res.text()), null, 2).split("\n").map((l) => `data: ${l}`).join("\r\n")
        const note = JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "warming up" } })
        return new Response(`id: p-0\r\ndata:\r\n\r\n: a comment\r\n\r\nevent: message\r\ndata: ${note}\r\n\r\n${answer}\r\n\r\n`, { headers: { "content-type": "text/event-stream" } })
      },
    })
    try {
      expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
      const state = join(dir, "state-sse")
      const spec = { url: `http://127.0.0.1:${front.port}/mcp` } as ServerSpec
      await using p = pool(state)
      p.add({ name: "s", source: "config", spec })
      expect(text(await p.call("s", "tools/call", { name: "echo", arguments: { text: "s" } }, {}))).toBe("modern:s")
      expect(p.get("s")!.era).toEqual({ era: "modern", via: "probed" })
      expect(new FileEraStore(state).get(spec)).toBe("modern")
    } finally {
      void front.stop(true)
      dual.kill()
    }
  }, 30_000)

  test("a server answering 401: an auth failure, not an era verdict", async () => {
    const seen: string[] = []
    const locked = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (req) => {
        const body = req.method === "POST" ? await req.text() : ""
        seen.push(/"method"\s*:\s*"([^"]+)"/.exec(body)?.[1] ?? `${req.method} ${new URL(req.url).pathname}`)
        return new Response("unauthorized", { status: 401 })
      },
    })
    try {
      const state = join(dir, "state-401")
      const spec = { url: `http://127.0.0.1:${locked.port}/mcp` } as ServerSpec
      await using p = pool(state)
      p.add({ name: "a", source: "config", spec })
      const e = await p.call("a", "tools/list", undefined, {}).then(() => undefined, (x: unknown) => x as { code?: string; message?: string })
      expect(e).toBeDefined()
      // the legacy path's auth handling answers (sign in), not an era error
      expect(e?.code).toBe("NEEDS_AUTH")
      // the probe was refused, then the legacy path (where sign-in is handled) was taken
      expect(seen[0]).toBe("server/discover")
      expect(seen).toContain("initialize")
      expect(new FileEraStore(state).get(spec)).toBeUndefined()
    } finally {
      void locked.stop(true)
    }
  }, 30_000)
})
