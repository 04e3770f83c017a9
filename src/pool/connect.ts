/**
 * @module pool/connect
 * Opens one connection to a downstream: builds the transport for its spec (stdio child, Streamable
 * HTTP, SSE with fallback), starts it and runs `initialize`, all within the connect timeout.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js"
import { remoteAuthFor } from "../auth/index.ts"
import type { RemoteServerSpec, ServerSpec, StdioServerSpec } from "../config/index.ts"
import { DownstreamError, errorMessage, idFromFrameEdges, type Logger } from "../core/index.ts"
import { childEnv } from "./child-env.ts"
import { initialize, RELAY_CAPABILITIES, type InitializeInfo } from "./handshake.ts"
import { createRemoteTransport, remoteKind, type RemoteKind } from "./remote-transport.ts"
import { RpcConnection } from "./rpc.ts"
import { StdioChildTransport } from "./stdio-transport.ts"

export interface ConnectOptions {
  server: string
  spec: ServerSpec
  log: Logger
  connectTimeoutMs: number
  maxFrameBytes: number
  closeGraceMs?: number
  onNotification(method: string, params: Record<string, unknown> | undefined): void
  /** Server→client requests (sampling, elicitation, roots); when set, `RELAY_CAPABILITIES` are declared. */
  onRequest?(method: string, params: Record<string, unknown> | undefined, signal: AbortSignal): Promise<unknown>
  /** The connection ended (not called for failures during connect). */
  onClosed(conn: Connected): void
}

export interface Connected {
  conn: RpcConnection
  info: InitializeInfo
  transport: "stdio" | RemoteKind
  pid?: number
  /** Exit code/signal and stderr tail of a stdio child, once it ended. */
  exitSummary(): string | undefined
  stderrTail(max?: number): string
}

export function isStdio(spec: ServerSpec): spec is StdioServerSpec {
  return "command" in spec
}

export function transportName(spec: ServerSpec): "stdio" | RemoteKind {
  return isStdio(spec) ? "stdio" : remoteKind(spec)
}

export async function connect(o: ConnectOptions): Promise<Connected> {
  const spec = o.spec
  if (isStdio(spec)) return open(o, "stdio")
  const kind = remoteKind(spec)
  try {
    return await open(o, kind)
  } catch (e) {
    // No explicit transport: an old server may only speak HTTP+SSE.
    if (spec.transport || kind !== "streamable-http" || (e instanceof DownstreamError && e.code === "NEEDS_AUTH")) throw e
    o.log.info("streamable HTTP failed, trying SSE", { error: errorMessage(e) })
    return open(o, "sse")
  }
}

async function open(o: ConnectOptions, kind: "stdio" | RemoteKind): Promise<Connected> {
  let stdio: StdioChildTransport | undefined
  let transport: Transport
  if (kind === "stdio") {
    const spec = o.spec as StdioServerSpec
    stdio = new StdioChildTransport({
      command: spec.command,
      args: spec.args,
      env: childEnv(spec.env),
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      maxFrameBytes: o.maxFrameBytes,
      log: o.log,
      ...(o.closeGraceMs !== undefined ? { closeGraceMs: o.closeGraceMs } : {}),
    })
    transport = stdio
  } else transport = createRemoteTransport(o.spec as RemoteServerSpec, kind, remoteAuthFor(o.server, o.spec as RemoteServerSpec))

  let connected: Connected | undefined
  const exitSummary = (): string | undefined => {
    const x = stdio?.exit
    if (!x) return undefined
    return x.signal ? `killed by ${x.signal}` : `exited with code ${x.code}`
  }
  const conn = new RpcConnection(transport, {
    log: o.log,
    onNotification: o.onNotification,
    ...(o.onRequest ? { onRequest: o.onRequest } : {}),
    describeClose: () => `server ${o.server} ${exitSummary() ?? "closed the connection"}`,
    onClosed: () => {
      if (connected) o.onClosed(connected)
    },
  })
  if (stdio) {
    stdio.onoversize = (frame) => {
      const budget = frame.overBudget
      const err = budget
        ? new DownstreamError("RESULTS_OVER_BUDGET", `server ${o.server} sent a ${mib(frame.bytes)} result while ${mib(budget.inFlight)} of large results were in flight (pool.maxResultBytesInFlight ${mib(budget.limit)}); it was dropped`, {
            remedy: "Retry once the other large results were delivered, ask the tool for less data, or raise pool.maxResultBytesInFlight.",
            details: { bytes: frame.bytes, inFlight: budget.inFlight, limit: budget.limit },
          })
        : new DownstreamError("FRAME_TOO_LARGE", `server ${o.server} sent a ${mib(frame.bytes)} message, over the ${mib(o.maxFrameBytes)} limit; it was dropped`, {
        remedy: "Ask the tool for less data, or raise pool.maxFrameBytes.",
        details: { bytes: frame.bytes, limit: o.maxFrameBytes },
      })
      if (budget) o.log.warn("large result dropped: result budget exceeded", { bytes: frame.bytes, inFlight: budget.inFlight, limit: budget.limit })
      else o.log.error("oversize message from downstream dropped", { bytes: frame.bytes, limit: o.maxFrameBytes })
      const id = idFromFrameEdges(frame)
      const ids = conn.pendingIds()
      if (id !== undefined && conn.fail(id, err)) return
      if (ids.length === 1) conn.fail(ids[0]!, err)
    }
  }

  const deadline = setTimeout(() => {
    void conn.close()
  }, o.connectTimeoutMs)
  try {
    await conn.start()
    const info = await initialize(conn, o.connectTimeoutMs, (v) => (transport as { setProtocolVersion?: (v: string) => void }).setProtocolVersion?.(v), o.onRequest ? RELAY_CAPABILITIES : {})
    connected = {
      conn,
      info,
      transport: kind,
      ...(stdio?.pid !== undefined ? { pid: stdio.pid } : {}),
      exitSummary,
      stderrTail: (max?: number) => stdio?.stderr.tail(max) ?? "",
    }
    if (conn.isClosed) throw new DownstreamError("NOT_CONNECTED", `server ${o.server} closed during initialize`)
    return connected
  } catch (e) {
    connected = undefined
    void conn.close()
    // a login is needed: that is the error (with its `auth login` remedy), not a start failure
    if (e instanceof DownstreamError && e.code === "NEEDS_AUTH") throw e
    const stderr = stdio?.stderr.tail(1000).trim()
    const why = errorMessage(e)
    throw new DownstreamError("CONNECT_FAILED", `server ${o.server} failed to start: ${why}${stderr ? `\nstderr: ${lastLines(stderr, 5)}` : ""}`, {
      cause: e,
      remedy: "Check the server definition (command/url, env) and run it by hand to see its output.",
      details: { server: o.server, transport: kind },
    })
  } finally {
    clearTimeout(deadline)
  }
}

function mib(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`
}

function lastLines(s: string, n: number): string {
  return s.split("\n").slice(-n).join("\n")
}
