/**
 * @module pool/remote-transport
 * Transports for remote downstreams (Streamable HTTP, legacy SSE) from the SDK. Headers from the
 * config (e.g. Authorization) are sent on every request and never logged.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js"
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import type { RemoteServerSpec } from "../config/index.ts"
import { registerSecret } from "../core/index.ts"

export type RemoteKind = "streamable-http" | "sse"

export function remoteKind(spec: RemoteServerSpec): RemoteKind {
  if (spec.transport) return spec.transport
  return spec.type === "sse" ? "sse" : "streamable-http"
}

export function createRemoteTransport(spec: RemoteServerSpec, kind: RemoteKind): Transport {
  const headers = spec.headers ?? {}
  for (const [k, v] of Object.entries(headers)) if (/authorization|token|key|secret|cookie/i.test(k)) registerSecret(v.replace(/^(Bearer|Basic)\s+/i, ""))
  const requestInit: RequestInit = { headers }
  const url = new URL(spec.url)
  return kind === "sse" ? new SSEClientTransport(url, { requestInit }) : new StreamableHTTPClientTransport(url, { requestInit })
}
