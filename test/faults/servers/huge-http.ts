/**
 * @module test/faults/servers/huge-http
 * Remote MCP servers that answer some calls with bodies no client should hold, for the tests of
 * `pool.maxFrameBytes` on remote downstreams. Imported (`startHugeHttp`) or run with `bun` (prints
 * the URLs as one JSON line, then serves until killed). Bodies are made as they are read (one
 * reused chunk, pulled: the server holds no copy), so the memory measured is the reader's.
 *
 * Every server has `echo` ({text}) and answers these tool names so:
 * - `json-huge`: a valid JSON answer of HUGE_MIB (100 MiB), chunked (no Content-Length);
 * - `gzip-huge`: the same, gzip-coded (a few hundred KiB on the wire);
 * - `sse-endless`: an SSE answer whose `data:` line never ends;
 * - `big` / `big-sse` / `big-gzip`: a legitimate BIG_MIB (4 MiB) result, as JSON / as one SSE event /
 *   as gzip-coded JSON.
 * Servers: `legacy` (stateful SDK v2 Streamable HTTP, legacy era), `modern` (SDK v2
 * `createMcpHandler`, 2026-07-28), `sse` (legacy HTTP+SSE, by hand: its one GET stream carries the
 * answers; `sse-endless` starts an endless event on it; `json-huge` and `sdk-huge` send a HUGE_MIB
 * event on it, its id first / last), `plain` (a by-hand legacy Streamable HTTP
 * server answering in JSON; on the path `/get-endless` its standalone GET stream is one endless
 * event), and start failures: `initJson`,
 * `initSse` and `initGzip` answer every POST (so `initialize`) as `json-huge`, `sse-endless` and
 * `gzip-huge` do; `initDeclared` (node:http) declares a Content-Length of HUGE_MIB and counts the
 * bytes it could write (`declaredWritten()`).
 */
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server"
import { createServer, type Server } from "node:http"
import * as z from "zod/v4"
import { startStatefulHttp } from "../../fixtures/stateful-http.ts"

export const HUGE_MIB = 100
export const BIG_MIB = 4
const MiB = 1024 * 1024
const enc = new TextEncoder()
const CHUNK = enc.encode("x".repeat(MiB))

type Id = string | number
type Message = { jsonrpc: "2.0"; id?: Id; method?: string; params?: { name?: string; protocolVersion?: string } & Record<string, unknown> }

/** `head`, then `mib` MiB of "x" in reused chunks as they are read, then `tail` (endless when `mib` is Infinity). */
function pulled(head: string, mib: number, tail: string): ReadableStream<Uint8Array> {
  let sent = -1
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent < 0) c.enqueue(enc.encode(head))
      else if (sent < mib) c.enqueue(CHUNK)
      else {
        c.enqueue(enc.encode(tail))
        c.close()
      }
      sent++
    },
  })
}

const resultHead = (id: Id | undefined) => `{"jsonrpc":"2.0","id":${JSON.stringify(id ?? null)},"result":{"content":[{"type":"text","text":"`
const RESULT_TAIL = `"}]}}`

export function hugeJson(id: Id | undefined): Response {
  return new Response(pulled(resultHead(id), HUGE_MIB, RESULT_TAIL), { headers: { "content-type": "application/json" } })
}

export function hugeGzip(id: Id | undefined): Response {
  return new Response(pulled(resultHead(id), HUGE_MIB, RESULT_TAIL).pipeThrough(new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>), { headers: { "content-type": "application/json", "content-encoding": "gzip" } })
}

export function endlessSse(id: Id | undefined): Response {
  return new Response(pulled(`event: message\ndata: ${resultHead(id)}`, Infinity, ""), { headers: { "content-type": "text/event-stream" } })
}

export function bigText(): string {
  return "b".repeat(BIG_MIB * MiB)
}

function bigJson(id: Id | undefined): Response {
  return new Response(`${resultHead(id)}${bigText()}${RESULT_TAIL}`, { headers: { "content-type": "application/json" } })
}

function bigGzip(id: Id | undefined): Response {
  return new Response(new Blob([`${resultHead(id)}${bigText()}${RESULT_TAIL}`]).stream().pipeThrough(new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>), {
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
  })
}

function bigSse(id: Id | undefined): Response {
  return new Response(`event: message\ndata: ${resultHead(id)}${bigText()}${RESULT_TAIL}\n\n`, { headers: { "content-type": "text/event-stream" } })
}

/** The hostile answer to `m`, or undefined for the real server's. */
function hostile(m: Message | undefined): Response | undefined {
  if (m?.method !== "tools/call") return undefined
  switch (m.params?.name) {
    case "json-huge":
      return hugeJson(m.id)
    case "gzip-huge":
      return hugeGzip(m.id)
    case "sse-endless":
      return endlessSse(m.id)
    case "big":
      return bigJson(m.id)
    case "big-sse":
      return bigSse(m.id)
    case "big-gzip":
      return bigGzip(m.id)
  }
  return undefined
}

const TOOLS = ["echo", "json-huge", "gzip-huge", "sdk-huge", "sse-endless", "big", "big-sse", "big-gzip"].map((name) => ({ name, description: name, inputSchema: { type: "object" } }))

export interface HugeHttp {
  legacy: string
  modern: string
  sse: string
  plain: string
  initJson: string
  initSse: string
  initGzip: string
  initDeclared: string
  /** Bytes the `initDeclared` server could write of its declared HUGE_MIB. */
  declaredWritten(): number
  stop(): Promise<void>
}

export async function startHugeHttp(): Promise<HugeHttp> {
  const legacy = startStatefulHttp()
  legacy.refuse((m) => hostile(m as Message))

  const handler = createMcpHandler(
    () => {
      const s = new McpServer({ name: "huge-modern", version: "1.0.0" })
      s.registerTool("echo", { description: "Echo", inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({ content: [{ type: "text", text: `modern:${text}` }] }))
      // the legitimate large result from the SDK itself (its answer in the era's own shape)
      s.registerTool("big", { description: "4 MiB", inputSchema: z.object({}) }, () => ({ content: [{ type: "text", text: bigText() }] }))
      for (const name of ["json-huge", "gzip-huge", "sse-endless"]) s.registerTool(name, { description: name, inputSchema: z.object({}) }, () => ({ content: [{ type: "text", text: "never sent" }] }))
      return s
    },
    { legacy: "reject" },
  )
  const modern = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const m = req.method === "POST" ? ((await req.clone().json()) as Message) : undefined
      const name = m?.params?.name
      if (name === "big") return handler.fetch(req)
      return hostile(m) ?? handler.fetch(req)
    },
  })

  const sse = legacySseServer()
  const plain = plainServer()

  const init = (answer: (id: Id | undefined) => Response) =>
    Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      idleTimeout: 0,
      async fetch(req) {
        if (req.method !== "POST") return new Response(null, { status: 405 })
        const m = (await req.json()) as Message
        return answer(m.id)
      },
    })
  const initJson = init(hugeJson)
  const initSse = init(endlessSse)
  const initGzip = init(hugeGzip)

  let written = 0
  const declared: Server = createServer((req, res) => {
    req.resume()
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(HUGE_MIB * MiB) })
      let n = 0
      const more = (): void => {
        while (n < HUGE_MIB) {
          n++
          written += CHUNK.byteLength
          if (!res.write(CHUNK)) return void res.once("drain", more)
        }
        res.end()
      }
      res.on("close", () => (n = HUGE_MIB))
      more()
    })
  })
  await new Promise<void>((r) => declared.listen(0, "127.0.0.1", r))
  const declaredPort = (declared.address() as { port: number }).port

  const url = (s: { port?: number | undefined }, path = "/mcp") => `http://127.0.0.1:${s.port}${path}`
  return {
    legacy: legacy.url,
    modern: url(modern),
    sse: url(sse.http, "/sse"),
    plain: url(plain),
    initJson: url(initJson),
    initSse: url(initSse),
    initGzip: url(initGzip),
    initDeclared: `http://127.0.0.1:${declaredPort}/mcp`,
    declaredWritten: () => written,
    async stop() {
      await legacy.stop()
      sse.stop()
      for (const s of [modern, plain, initJson, initSse, initGzip]) await s.stop(true)
      declared.closeAllConnections?.()
      await new Promise<void>((r) => declared.close(() => r()))
    },
  }
}

/** A legacy MCP answer to `m` from the by-hand servers (undefined for notifications and responses). */
function answerOf(m: Message, server: string): unknown {
  if (m.id === undefined || m.method === undefined) return undefined
  if (m.method === "initialize") return { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: server, version: "1.0.0" } }
  if (m.method === "tools/list") return { tools: TOOLS }
  if (m.method === "tools/call") return { content: [{ type: "text", text: `${server}:${String((m.params?.arguments as { text?: unknown } | undefined)?.text)}` }] }
  if (m.method === "ping") return {}
  return { error: { code: -32601, message: `no ${m.method}` } }
}

function rpc(m: Message, answer: unknown): string {
  const a = answer as { error?: unknown }
  return JSON.stringify(a?.error !== undefined ? { jsonrpc: "2.0", id: m.id, error: a.error } : { jsonrpc: "2.0", id: m.id, result: answer })
}

/**
 * Legacy HTTP+SSE by hand: `GET /sse` opens the session's stream (its first event names the POST
 * endpoint), `POST /messages?sessionId=` is answered 202 and the answer goes on the stream.
 * `sse-endless` starts an event that never ends on it; `big` sends a 4 MiB event.
 */
function legacySseServer(): { http: ReturnType<typeof Bun.serve>; stop(): void } {
  const sessions = new Map<string, { queue: Uint8Array[]; endless: boolean; wake: (() => void) | undefined; closed: boolean }>()
  let seq = 0
  const http = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const u = new URL(req.url)
      if (req.method === "GET" && u.pathname === "/sse") {
        const id = String(++seq)
        const s = { queue: [enc.encode(`event: endpoint\ndata: /messages?sessionId=${id}\n\n`)], endless: false, wake: undefined as (() => void) | undefined, closed: false }
        sessions.set(id, s)
        return new Response(
          new ReadableStream<Uint8Array>({
            async pull(c) {
              while (s.queue.length === 0 && !s.endless) await new Promise<void>((r) => (s.wake = r))
              if (s.queue.length > 0) c.enqueue(s.queue.shift()!)
              else c.enqueue(CHUNK)
            },
            cancel() {
              s.closed = true
              sessions.delete(id)
            },
          }),
          { headers: { "content-type": "text/event-stream" } },
        )
      }
      if (req.method === "POST" && u.pathname === "/messages") {
        const s = sessions.get(u.searchParams.get("sessionId") ?? "")
        if (!s) return new Response("no session", { status: 404 })
        const m = (await req.json()) as Message
        const send = (text: string) => {
          s.queue.push(enc.encode(text))
          s.wake?.()
        }
        if (m.method === "tools/call" && m.params?.name === "sse-endless") {
          send(`event: message\ndata: ${resultHead(m.id)}`)
          s.endless = true
        } else if (m.method === "tools/call" && (m.params?.name === "json-huge" || m.params?.name === "sdk-huge")) {
          // one HUGE_MIB event on the stream, made of the reused chunk; `sdk-huge` in the SDK's layout (its id at its end)
          const sdk = m.params.name === "sdk-huge"
          send(`event: message\ndata: ${sdk ? `{"result":{"content":[{"type":"text","text":"` : resultHead(m.id)}`)
          for (let i = 0; i < HUGE_MIB; i++) s.queue.push(CHUNK)
          send(`${RESULT_TAIL.slice(0, sdk ? -1 : undefined)}${sdk ? `,"jsonrpc":"2.0","id":${JSON.stringify(m.id)}}` : ""}\n\n`)
        } else if (m.method === "tools/call" && (m.params?.name === "big" || m.params?.name === "big-sse")) {
          send(`event: message\ndata: ${resultHead(m.id)}${bigText()}${RESULT_TAIL}\n\n`)
        } else {
          const a = answerOf(m, "sse")
          if (a !== undefined) send(`event: message\ndata: ${rpc(m, a)}\n\n`)
        }
        return new Response("Accepted", { status: 202 })
      }
      return new Response("not found", { status: 404 })
    },
  })
  return {
    http,
    stop: () => {
      for (const s of sessions.values()) {
        s.closed = true
        s.wake?.()
      }
      void http.stop(true)
    },
  }
}

/**
 * A legacy-era Streamable HTTP server by hand, answering in JSON (the hostile tools as above); on
 * `/get-endless` its standalone GET stream (opened by the client after `notifications/initialized`)
 * is one event that never ends.
 */
function plainServer(): ReturnType<typeof Bun.serve> {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      // the standalone stream: none on /mcp, one endless event on /get-endless
      if (req.method === "GET") return new URL(req.url).pathname === "/get-endless" ? endlessSse(undefined) : new Response(null, { status: 405 })
      if (req.method === "DELETE") return new Response(null, { status: 200 })
      const m = (await req.json()) as Message
      const h = hostile(m)
      if (h) return h
      const a = answerOf(m, "plain")
      if (a === undefined) return new Response(null, { status: 202 })
      return new Response(rpc(m, a), { headers: { "content-type": "application/json", "mcp-session-id": "plain-session" } })
    },
  })
}

if (import.meta.main) {
  const s = await startHugeHttp()
  const { stop: _stop, declaredWritten: _w, ...urls } = s
  console.log(JSON.stringify(urls))
}
