/**
 * @module http/sessions
 * Stateful MCP Streamable HTTP sessions: one McpFace + SDK transport per session, random UUID ids
 * bound to the caller's credential, 404 for unknown ids, idle expiry, and client disconnect during a
 * call turned into `notifications/cancelled` so the downstream call is aborted.
 */
import { randomUUID } from "node:crypto"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"
import { isInitializeRequest, isJSONRPCRequest, type JSONRPCMessage, type RequestId } from "@modelcontextprotocol/sdk/types.js"
import { errorMessage, type Logger } from "../core/index.ts"
import type { McpFace } from "../mcp/index.ts"

export interface SessionOptions {
  createFace(): McpFace
  log: Logger
  /** Sessions with no request for this long are closed (ms, 0 = never). */
  idleTtlMs: number
  maxSessions?: number
  /** SSE keep-alive comment interval (ms); keeps streams open past the server's idle timeout. */
  keepAliveMs?: number
}

interface Entry {
  id?: string
  face: McpFace
  transport: WebStandardStreamableHTTPServerTransport
  owner: string
  lastSeen: number
  /** Open streams and requests in progress; a busy session never expires. */
  active: number
  closed: boolean
}

export function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json" },
  })
}

export class McpSessions implements AsyncDisposable {
  private readonly sessions = new Map<string, Entry>()
  private readonly sweeper?: ReturnType<typeof setInterval>

  constructor(private readonly opts: SessionOptions) {
    if (opts.idleTtlMs > 0) {
      this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.min(opts.idleTtlMs / 2, 60_000)))
      this.sweeper.unref?.()
    }
  }

  get size(): number {
    return this.sessions.size
  }

  /** Handles POST/GET/DELETE /mcp. `owner` identifies the credential the session is bound to. */
  async handle(req: Request, body: unknown, owner: string): Promise<Response> {
    const sid = req.headers.get("mcp-session-id")
    let entry: Entry | undefined
    if (sid) {
      entry = this.sessions.get(sid)
      if (!entry || entry.owner !== owner) return jsonRpcError(404, -32001, "Session not found; initialize a new session")
    } else if (req.method === "POST" && isInitialize(body)) {
      this.sweep()
      if (this.sessions.size >= (this.opts.maxSessions ?? 256)) return jsonRpcError(503, -32000, "Too many open sessions; close one (DELETE /mcp) and retry")
      entry = await this.open(owner)
    } else {
      return jsonRpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required (initialize first)")
    }
    entry.lastSeen = performance.now()
    entry.active++
    let res: Response
    try {
      res = await entry.transport.handleRequest(req, req.method === "POST" ? { parsedBody: body } : undefined)
    } catch (e) {
      entry.active--
      this.opts.log.warn("mcp request failed", { error: errorMessage(e) })
      return jsonRpcError(500, -32603, "Internal error")
    }
    if (!entry.id) {
      // initialize was rejected: no session was created
      entry.active--
      this.dispose(entry)
      return res
    }
    if (req.method === "DELETE") {
      entry.active--
      this.close(entry)
      return res
    }
    if (!res.body || !res.headers.get("content-type")?.includes("text/event-stream")) {
      entry.active--
      return res
    }
    const ids = req.method === "POST" ? requestIds(body) : []
    const e = entry
    let settled = false
    const finish = (cancelled: boolean): void => {
      if (settled) return
      settled = true
      e.active--
      e.lastSeen = performance.now()
      if (cancelled && !e.closed) for (const id of ids) cancelRequest(e, id)
    }
    req.signal?.addEventListener("abort", () => finish(true), { once: true })
    return new Response(watch(res.body, finish), { status: res.status, headers: res.headers })
  }

  private async open(owner: string): Promise<Entry> {
    const face = this.opts.createFace()
    const entry: Entry = { face, owner, lastSeen: performance.now(), active: 0, closed: false } as Entry
    entry.transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        entry.id = id
        this.sessions.set(id, entry)
        this.opts.log.debug("http session opened", { session: id.slice(0, 8) })
      },
      onsessionclosed: () => this.close(entry),
      ...(this.opts.keepAliveMs !== undefined ? { keepAliveMs: this.opts.keepAliveMs } : {}),
    })
    await face.server.connect(entry.transport)
    return entry
  }

  /** Closes sessions idle for longer than the TTL. */
  sweep(now = performance.now()): void {
    if (this.opts.idleTtlMs <= 0) return
    for (const e of this.sessions.values()) {
      if (e.active === 0 && now - e.lastSeen > this.opts.idleTtlMs) {
        this.opts.log.info("http session expired", { session: e.id?.slice(0, 8), idleMs: Math.round(now - e.lastSeen) })
        this.close(e)
      }
    }
  }

  private close(e: Entry): void {
    if (e.closed) return
    e.closed = true
    if (e.id) this.sessions.delete(e.id)
    this.dispose(e)
  }

  private dispose(e: Entry): void {
    e.closed = true
    e.face.dispose()
    e.face.server.close().catch(() => {})
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper)
    for (const e of [...this.sessions.values()]) this.close(e)
  }
}

function isInitialize(body: unknown): boolean {
  return Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body)
}

function requestIds(body: unknown): RequestId[] {
  const msgs = Array.isArray(body) ? body : [body]
  return msgs.filter((m) => isJSONRPCRequest(m)).map((m) => (m as { id: RequestId }).id)
}

/** Feeds a client-side cancellation into the session's server, as if the client had sent it. */
function cancelRequest(e: Entry, id: RequestId): void {
  const msg: JSONRPCMessage = { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "client disconnected" } }
  try {
    e.transport.onmessage?.(msg)
  } catch {
    // the session is going away anyway
  }
}

/** Passes a stream through, reporting its end: finished normally, or cancelled by the reader. */
function watch(body: ReadableStream<Uint8Array>, onEnd: (cancelled: boolean) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        const r = await reader.read()
        if (r.done) {
          onEnd(false)
          c.close()
        } else c.enqueue(r.value)
      } catch (err) {
        onEnd(false)
        c.error(err)
      }
    },
    cancel(reason) {
      onEnd(true)
      return reader.cancel(reason)
    },
  })
}
