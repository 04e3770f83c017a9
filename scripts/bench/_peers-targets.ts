/**
 * The paths `bench peers` compares: direct stdio, our binary, and each npm peer started the way its
 * docs say in front of server-everything, each connected with the SDK Client transport it serves.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js"
import { freePort, installPeer, isLoopback, launch, listeners, PACKAGES, PRELOAD, type Launched, type PeerPackage } from "./_peers-launch.ts"

export interface Ctx {
  node: string
  everything: string
  home: string
  env: Record<string, string>
  binary: { bin: string; configYaml: string } | undefined
}

/** A connected path: the client, the tool to call, the proxy process (for RSS), and teardown. */
export interface Live {
  client: Client
  tool: string
  proxyPid: number | undefined
  /** listening sockets of the peer's process group (all loopback, checked) */
  listeners: string[]
  /** the process the bench started (its tree must be gone after dispose) */
  root: number | undefined
  dispose(): Promise<void>
}

export interface Target {
  name: string
  /** "direct" | "binary" | "peer" */
  kind: "direct" | "binary" | "peer"
  detail: string
  open(ctx: Ctx): Promise<Live>
}

const CONNECT_TIMEOUT_MS = 30_000

/** Polls tools/list (bounded) until a tool named `echo` (or `<prefix><sep>echo`) appears. */
async function findEcho(client: Client, timeoutMs = CONNECT_TIMEOUT_MS): Promise<string> {
  const deadline = performance.now() + timeoutMs
  let seen: string[] = []
  while (performance.now() < deadline) {
    seen = (await client.listTools(undefined, { timeout: 10_000 })).tools.map((t) => t.name)
    const hit = seen.find((n) => n === "echo") ?? seen.find((n) => /(^|[^a-zA-Z0-9])echo$/.test(n))
    if (hit) return hit
    await Bun.sleep(200)
  }
  throw new Error(`no echo tool listed after ${timeoutMs} ms (tools: ${seen.slice(0, 8).join(", ") || "none"})`)
}

async function connectClient(t: Transport): Promise<Client> {
  const client = new Client({ name: "bench-peers", version: "1" }, { capabilities: {} })
  await client.connect(t, { timeout: CONNECT_TIMEOUT_MS })
  return client
}

/** Some peers accept TCP before their MCP endpoint is ready (mcp-hub answers 500 until its hub is up). */
async function connectWithRetry(make: () => Transport, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Client> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const t = make()
    try {
      return await connectClient(t)
    } catch (e) {
      await t.close().catch(() => {})
      if (performance.now() + 300 > deadline) throw e
      await Bun.sleep(300)
    }
  }
}

function stdioTarget(name: string, kind: "direct" | "binary", detail: string, argv: (ctx: Ctx) => [string, string[]]): Target {
  return {
    name,
    kind,
    detail,
    async open(ctx) {
      const [command, args] = argv(ctx)
      const transport = new StdioClientTransport({ command, args, env: ctx.env, stderr: "ignore", cwd: ctx.home })
      const client = await connectClient(transport)
      const pid = transport.pid ?? undefined
      const tool = await findEcho(client)
      return {
        client,
        tool,
        proxyPid: kind === "binary" ? pid : undefined,
        listeners: [],
        root: pid,
        dispose: () => client.close(),
      }
    },
  }
}


/** A peer: install (pinned), pick a port, start in its own process group, verify loopback, connect. */
function peerTarget(name: string, pkg: PeerPackage, detail: string, args: (ctx: Ctx, port: number) => string[], transport: (url: URL) => Transport, path: string): Target {
  return {
    name,
    kind: "peer",
    detail: `${pkg.pkg}@${pkg.version} ${detail}`,
    async open(ctx) {
      const bin = await installPeer(pkg)
      const port = await freePort()
      const env = { ...ctx.env, NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}` }
      let peer: Launched | undefined = await launch(ctx.node, bin, args(ctx, port), env, ctx.home, port)
      let client: Client | undefined
      try {
        const socks = listeners(peer.child.pid!)
        const open = socks.filter((s) => !isLoopback(s))
        if (open.length) throw new Error(`listens beyond loopback (${open.join(", ")}); not benchmarked`)
        client = await connectWithRetry(() => transport(new URL(`http://127.0.0.1:${port}${path}`)))
        const tool = await findEcho(client)
        const p = peer
        const c = client
        peer = undefined
        return {
          client: c,
          tool,
          proxyPid: p.child.pid,
          listeners: socks,
          root: p.child.pid,
          async dispose() {
            await Promise.race([c.close().catch(() => {}), Bun.sleep(3000)])
            await p[Symbol.asyncDispose]()
          },
        }
      } catch (e) {
        const log = peer ? peer.log.text() : ""
        await client?.close().catch(() => {})
        await peer?.[Symbol.asyncDispose]()
        const tail = log.trim().split("\n").slice(-2).join(" | ").slice(0, 300)
        throw new Error(`${(e as Error).message}${tail ? ` [log: ${tail}]` : ""}`)
      }
    },
  }
}

const sse = (u: URL): Transport => new SSEClientTransport(u)
const streamable = (u: URL): Transport => new StreamableHTTPClientTransport(u)
const q = (s: string) => JSON.stringify(s) // supergateway takes one shell command string

export const TARGETS: Target[] = [
  stdioTarget("direct", "direct", "SDK Client → node server-everything (stdio)", (c) => [c.node, [c.everything, "stdio"]]),
  stdioTarget("binary", "binary", "SDK Client → dist/mcp-orchestrator serve → server-everything (stdio)", (c) => [c.binary!.bin, ["serve", "--config", c.binary!.configYaml]]),
  peerTarget(
    "mcp-proxy",
    PACKAGES["mcp-proxy"],
    "stdio → Streamable HTTP (/mcp)",
    (c, port) => ["--port", String(port), "--host", "127.0.0.1", "--", c.node, c.everything, "stdio"],
    streamable,
    "/mcp",
  ),
  peerTarget("supergateway sse", PACKAGES.supergateway, "stdio → SSE (default)", (c, port) => ["--stdio", `${q(c.node)} ${q(c.everything)} stdio`, "--port", String(port)], sse, "/sse"),
  peerTarget(
    "supergateway http",
    PACKAGES.supergateway,
    "stdio → Streamable HTTP --stateful",
    (c, port) => ["--stdio", `${q(c.node)} ${q(c.everything)} stdio`, "--outputTransport", "streamableHttp", "--stateful", "--port", String(port)],
    streamable,
    "/mcp",
  ),
  peerTarget(
    "mcp-hub",
    PACKAGES["mcp-hub"],
    "hub of stdio servers → SSE (/mcp)",
    (c, port) => {
      const cfg = join(c.home, "mcp-hub.json")
      writeFileSync(cfg, JSON.stringify({ mcpServers: { ev: { command: c.node, args: [c.everything, "stdio"] } } }))
      return ["--port", String(port), "--config", cfg]
    },
    sse,
    "/mcp",
  ),
]
