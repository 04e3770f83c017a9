/**
 * @module pool/remote-kind
 * Which HTTP transport a remote server spec asks for. Kept apart from pool/remote-transport so that
 * deciding it does not load the SDK's HTTP client transports (nor OAuth): a session that only runs
 * stdio servers never imports them (they are imported at the first remote connect).
 */
import type { RemoteServerSpec } from "../config/index.ts"

export type RemoteKind = "streamable-http" | "sse"

export function remoteKind(spec: RemoteServerSpec): RemoteKind {
  if (spec.transport) return spec.transport
  return spec.type === "sse" ? "sse" : "streamable-http"
}
