/**
 * Helpers for the HTTP tests: a real hono app (createHttpApp) over real MCP faces, and an SDK
 * Client whose Streamable HTTP transport talks to the app in-process through `app.request`.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { z } from "zod"
import { silentLogger } from "../../src/core/index.ts"
import { createHttpApp, Metrics, type HttpApp, type HttpAppDeps } from "../../src/http/index.ts"
import { createMcpFace, defineTool, statusTool, type Status, type ToolDef } from "../../src/mcp/index.ts"

export const TOKEN = "test-token-0123456789abcdef"
export const BASE = "http://127.0.0.1:8787"

export function fakeStatus(over: Partial<Status> = {}): Status {
  return {
    name: "mcp-orchestrator",
    version: "0.0.0",
    uptimeSeconds: 1,
    pid: 1,
    config: { file: null, logLevel: "info", servers: [], warm: [], http: null },
    servers: [],
    tools: { own: 2, proxied: 0 },
    toolkit: null,
    cache: null,
    plugins: [],
    ...over,
  }
}

/** A tool that waits until its call is cancelled, reporting start and abort. */
export function waitTool() {
  let started!: () => void
  let aborted!: (reason: unknown) => void
  const events = {
    started: new Promise<void>((r) => (started = r)),
    aborted: new Promise<unknown>((r) => (aborted = r)),
  }
  const tool = defineTool({
    name: "wait_forever",
    title: "Wait",
    description: "Waits until cancelled.",
    input: z.object({}),
    async handler(_a, ctx) {
      started()
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) return resolve()
        ctx.signal.addEventListener("abort", () => resolve(), { once: true })
      })
      aborted(ctx.signal.reason)
      return { text: "cancelled" }
    },
  })
  return { tool, events }
}

export interface TestApp {
  app: HttpApp
  metrics: Metrics
  faces: number
}

export function makeApp(over: Partial<HttpAppDeps> & { extraTools?: ToolDef[]; status?: () => Promise<Status> } = {}): TestApp {
  const metrics = new Metrics({ defaultMetrics: false })
  const status = over.status ?? (async () => fakeStatus())
  const tools: ToolDef[] = [statusTool(status) as ToolDef, ...(over.extraTools ?? [])]
  const t: TestApp = { app: undefined as unknown as HttpApp, metrics, faces: 0 }
  t.app = createHttpApp({
    createFace: () => {
      t.faces++
      return createMcpFace({ log: silentLogger, tools, onToolCall: (e) => metrics.observeToolCall(e) })
    },
    status,
    metrics,
    tools,
    token: TOKEN,
    bodyLimit: 64 * 1024,
    log: silentLogger,
    ...over,
  })
  return t
}

export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${TOKEN}`, ...extra }
}

export const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
}

/** A legacy session opened with a raw initialize: the headers of its later requests (throws unless initialize got 200). */
export async function openSession(app: HttpApp): Promise<Record<string, string>> {
  const init = await post(app, INIT)
  if (init.status !== 200) throw new Error(`initialize answered HTTP ${init.status}: ${await init.text()}`)
  const sid = init.headers.get("mcp-session-id")!
  await init.text()
  return authHeaders({ "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" })
}

export async function post(app: HttpApp, body: unknown, headers: Record<string, string> = authHeaders()): Promise<Response> {
  return await app.request(`${BASE}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  })
}

/** An SDK client connected to the app in-process. */
export async function connectClient(app: HttpApp, token = TOKEN): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
    fetch: async (url, init) => await app.request(String(url), init),
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  })
  const client = new Client({ name: "http-test", version: "1.0.0" }, { capabilities: {} })
  await client.connect(transport)
  return { client, transport }
}
