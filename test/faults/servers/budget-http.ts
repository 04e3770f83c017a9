/**
 * @module test/faults/servers/budget-http
 * Remote MCP servers that answer with large results, some of them held part way until the test lets
 * them go on, for the tests of `pool.maxResultBytesInFlight` on remote downstreams. Served in the
 * test's process (`startBudgetHttp`); bodies are made as they are read (one reused 1 MiB chunk).
 *
 * Tools (every server): `echo` ({text}); `big` ({mib}): a result of `mib` MiB of "x" at once;
 * `gated` ({mib, at, gate}): `at` MiB of it, then nothing until the test calls `open(gate)` (the
 * rest follows) or `cut(gate)` (the connection is dropped mid-answer: Bun prints the error that drops it).
 * Servers: `plain` (a legacy-era Streamable HTTP server by hand: JSON answers; with `sse: true` in
 * the arguments the answer is one SSE event on the POST's stream), `modern` (SDK v2
 * `createMcpHandler`, 2026-07-28; `big` and `gated` answered by hand as JSON), `sse` (legacy
 * HTTP+SSE by hand: answers go on the one GET stream, in the TypeScript SDK's layout, the id last).
 */
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server"
import * as z from "zod/v4"

const MiB = 1024 * 1024
const enc = new TextEncoder()
const CHUNK = enc.encode("x".repeat(MiB))

type Id = string | number
interface Args {
  text?: string
  mib?: number
  at?: number
  gate?: string
  sse?: boolean
}
type Message = { jsonrpc: "2.0"; id?: Id; method?: string; params?: { name?: string; protocolVersion?: string; arguments?: Args } & Record<string, unknown> }

/** What a held answer waits for: "open" (go on) or "cut" (drop the connection). */
class Gates {
  private readonly waits = new Map<string, { promise: Promise<"open" | "cut">; settle: (v: "open" | "cut") => void }>()
  private get(name: string) {
    let w = this.waits.get(name)
    if (!w) {
      let settle!: (v: "open" | "cut") => void
      const promise = new Promise<"open" | "cut">((r) => (settle = r))
      w = { promise, settle }
      this.waits.set(name, w)
    }
    return w
  }
  wait(name: string): Promise<"open" | "cut"> {
    return this.get(name).promise
  }
  settle(name: string, v: "open" | "cut"): void {
    this.get(name).settle(v)
  }
}

/** `head`, then `mib` MiB of "x" (after `at` MiB, waits for `gate`), then `tail`. */
function pulled(head: string, mib: number, tail: string, gates: Gates, at?: number, gate?: string): ReadableStream<Uint8Array> {
  let sent = -1
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (sent < 0) c.enqueue(enc.encode(head))
      else if (sent < mib) {
        if (gate !== undefined && sent === at && (await gates.wait(gate)) === "cut") return c.error(new Error("budget-http: connection dropped mid-answer on purpose (cut)"))
        c.enqueue(CHUNK)
      } else {
        c.enqueue(enc.encode(tail))
        c.close()
      }
      sent++
    },
  })
}

const LEAD = (id: Id | undefined, modern = false) => `{"jsonrpc":"2.0","id":${JSON.stringify(id ?? null)},"result":{${modern ? `"resultType":"complete",` : ""}"content":[{"type":"text","text":"`
const LEAD_TAIL = `"}]}}`
/** The TypeScript SDK's layout: the id comes last. */
const TS_LEAD = `{"result":{"content":[{"type":"text","text":"`
const TS_TAIL = (id: Id | undefined) => `"}]},"jsonrpc":"2.0","id":${JSON.stringify(id ?? null)}}`

/** The large answer to `m` (`big`, `gated`) as a body, or undefined. */
function large(m: Message | undefined, gates: Gates, sse: boolean, layout: "lead" | "ts" | "modern" = "lead"): ReadableStream<Uint8Array> | undefined {
  if (m?.method !== "tools/call" || (m.params?.name !== "big" && m.params?.name !== "gated")) return undefined
  const a = m.params.arguments ?? {}
  const [head, tail] = layout === "ts" ? [TS_LEAD, TS_TAIL(m.id)] : [LEAD(m.id, layout === "modern"), LEAD_TAIL]
  const gated = m.params.name === "gated"
  return pulled(sse ? `event: message\ndata: ${head}` : head, a.mib ?? 1, sse ? `${tail}\n\n` : tail, gates, gated ? (a.at ?? 0) : undefined, gated ? a.gate : undefined)
}

const TOOLS = ["echo", "big", "gated"].map((name) => ({ name, description: name, inputSchema: { type: "object" } }))

function answerOf(m: Message, server: string): unknown {
  if (m.id === undefined || m.method === undefined) return undefined
  if (m.method === "initialize") return { protocolVersion: m.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: server, version: "1.0.0" } }
  if (m.method === "tools/list") return { tools: TOOLS }
  if (m.method === "tools/call") return { content: [{ type: "text", text: `${server}:${String(m.params?.arguments?.text)}` }] }
  if (m.method === "ping") return {}
  return { error: { code: -32601, message: `no ${m.method}` } }
}

function rpc(m: Message, answer: unknown): string {
  const a = answer as { error?: unknown }
  return JSON.stringify(a?.error !== undefined ? { jsonrpc: "2.0", id: m.id, error: a.error } : { jsonrpc: "2.0", id: m.id, result: answer })
}

export interface BudgetHttp {
  plain: string
  modern: string
  sse: string
  /** Let the held answers waiting for `gate` go on. */
  open(gate: string): void
  /** Drop the connection of the answers waiting for `gate`. */
  cut(gate: string): void
  stop(): Promise<void>
}

export function startBudgetHttp(): BudgetHttp {
  const gates = new Gates()
  const serve = (fetch: (req: Request) => Response | Promise<Response>) => Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch })

  const plain = serve(async (req) => {
    if (req.method === "GET") return new Response(null, { status: 405 })
    if (req.method === "DELETE") return new Response(null, { status: 200 })
    const m = (await req.json()) as Message
    const sse = m.params?.arguments?.sse === true
    const body = large(m, gates, sse)
    if (body) return new Response(body, { headers: { "content-type": sse ? "text/event-stream" : "application/json" } })
    const a = answerOf(m, "plain")
    if (a === undefined) return new Response(null, { status: 202 })
    return new Response(rpc(m, a), { headers: { "content-type": "application/json", "mcp-session-id": "plain-session" } })
  })

  const handler = createMcpHandler(
    () => {
      const s = new McpServer({ name: "budget-modern", version: "1.0.0" })
      s.registerTool("echo", { description: "Echo", inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({ content: [{ type: "text", text: `modern:${text}` }] }))
      for (const name of ["big", "gated"]) s.registerTool(name, { description: name, inputSchema: z.object({}).passthrough() }, () => ({ content: [{ type: "text", text: "answered by hand" }] }))
      return s
    },
    { legacy: "reject" },
  )
  const modern = serve(async (req) => {
    const m = req.method === "POST" ? ((await req.clone().json()) as Message) : undefined
    const body = large(m, gates, false, "modern")
    return body ? new Response(body, { headers: { "content-type": "application/json" } }) : handler.fetch(req)
  })

  // legacy HTTP+SSE: GET /sse opens the session's stream, POST /messages?sessionId= is answered 202 and the answer goes on the stream
  const sessions = new Map<string, { queue: ReadableStream<Uint8Array>[]; wake: (() => void) | undefined }>()
  let seq = 0
  const sse = serve(async (req) => {
    const u = new URL(req.url)
    if (req.method === "GET" && u.pathname === "/sse") {
      const id = String(++seq)
      const s = { queue: [new Blob([`event: endpoint\ndata: /messages?sessionId=${id}\n\n`]).stream()], wake: undefined as (() => void) | undefined }
      sessions.set(id, s)
      // the answer being sent on the stream (one after the other, whole)
      let reading: { read(): Promise<{ value?: Uint8Array; done: boolean }> } | undefined
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(c) {
            for (;;) {
              while (reading === undefined && s.queue.length === 0) await new Promise<void>((r) => (s.wake = r))
              const r = (reading ??= s.queue.shift()!.getReader())
              const { value, done } = await r.read()
              if (!done && value) return c.enqueue(value)
              reading = undefined
            }
          },
          cancel() {
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
      const body = large(m, gates, true, "ts")
      const a = body ? undefined : answerOf(m, "sse")
      const event = body ?? (a !== undefined ? new Blob([`event: message\ndata: ${rpc(m, a)}\n\n`]).stream() : undefined)
      if (event) {
        s.queue.push(event)
        s.wake?.()
      }
      return new Response("Accepted", { status: 202 })
    }
    return new Response("not found", { status: 404 })
  })

  const url = (s: { port?: number | undefined }, path = "/mcp") => `http://127.0.0.1:${s.port}${path}`
  return {
    plain: url(plain),
    modern: url(modern),
    sse: url(sse, "/sse"),
    open: (g) => gates.settle(g, "open"),
    cut: (g) => gates.settle(g, "cut"),
    async stop() {
      for (const s of [plain, modern, sse]) await s.stop(true)
    },
  }
}
