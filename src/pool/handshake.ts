/**
 * @module pool/handshake
 * The MCP `initialize` exchange with a downstream (legacy era, what every current server speaks).
 * Client capabilities are declared only when server→client requests are relayed (`RELAY_CAPABILITIES`).
 */
import { cutText, DownstreamError, isRecord, NAME, VERSION } from "../core/index.ts"
import type { RpcConnection } from "./rpc.ts"

export const CLIENT_PROTOCOL_VERSION = "2025-11-25"
export const ACCEPTED_PROTOCOL_VERSIONS: readonly string[] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"]

/**
 * What we declare to downstreams when server→client requests are relayed to our clients: sampling,
 * form elicitation and roots (never URL elicitation, tasks or sampling with tools). A request for a
 * capability no connected client has is answered with an error (roots: an empty list). And MCP Apps
 * (`extensions["io.modelcontextprotocol/ui"]`): a server lists its App tools (a view a host renders,
 * text for any other client) only to a client that declares it; its app-only tools are left out by
 * the proxy (proxy/app-only), never shown to a model.
 */
export const RELAY_CAPABILITIES: Readonly<Record<string, object>> = { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true }, extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } } }

export interface ServerCapabilities {
  tools?: { listChanged?: boolean }
  prompts?: { listChanged?: boolean }
  resources?: { listChanged?: boolean; subscribe?: boolean }
  logging?: object
  completions?: object
  [k: string]: unknown
}

export interface InitializeInfo {
  protocolVersion: string
  capabilities: ServerCapabilities
  serverInfo: { name: string; version: string; [k: string]: unknown }
  instructions?: string
}

export async function initialize(conn: RpcConnection, timeoutMs: number, setProtocolVersion?: (v: string) => void, capabilities: Readonly<Record<string, object>> = {}): Promise<InitializeInfo> {
  const result = (await conn.request(
    "initialize",
    { protocolVersion: CLIENT_PROTOCOL_VERSION, capabilities, clientInfo: { name: NAME, version: VERSION } },
    { timeoutMs },
  )) as Partial<InitializeInfo> | undefined
  const version = result?.protocolVersion
  if (typeof version !== "string" || !ACCEPTED_PROTOCOL_VERSIONS.includes(version)) {
    const what =
      version === undefined || version === null
        ? "without a protocolVersion (the MCP initialize result requires one)"
        : typeof version !== "string"
          ? `with a protocolVersion that is no string (${String(JSON.stringify(version)).slice(0, 60)})`
          : `with unsupported protocol version ${JSON.stringify(cutText(version, 60))}${version.length > 60 ? ` (${version.length.toLocaleString("en")} characters)` : ""}`
    // a server answering initialize with 2026-07-28 (a revision without initialize) may speak it on server/discover
    const modern = typeof version === "string" && version >= "2026-07-28" && /^\d{4}-\d{2}-\d{2}$/.test(version)
    throw new DownstreamError("PROTOCOL_VERSION", `downstream answered initialize ${what}; we asked for ${CLIENT_PROTOCOL_VERSION} and accept ${ACCEPTED_PROTOCOL_VERSIONS.join(", ")}`, {
      remedy: modern
        ? `If the server speaks 2026-07-28 (server/discover, no initialize), set servers.<name>.protocol: modern; else use a version of it that speaks one of ${ACCEPTED_PROTOCOL_VERSIONS.join(", ")}.`
        : `Use a server (or a version of it) that speaks one of ${ACCEPTED_PROTOCOL_VERSIONS.join(", ")}, or 2026-07-28.`,
    })
  }
  setProtocolVersion?.(version)
  await conn.notify("notifications/initialized")
  return {
    protocolVersion: version,
    capabilities: (isRecord(result?.capabilities) ? result.capabilities : {}) as ServerCapabilities,
    serverInfo: peerInfo(result?.serverInfo),
    ...(typeof result?.instructions === "string" ? { instructions: result.instructions } : {}),
  }
}

/** Characters of a server's name or version kept (they go into log lines and `doctor`): a hostile server's 100 000-character name is cut. */
export const MAX_PEER_INFO_CHARS = 200

/**
 * A server's `serverInfo` (initialize, or a 2026-07-28 discover) as we keep it: its name and
 * version strings ("unknown" and "0" for a missing one or one that is no string), each at most
 * `MAX_PEER_INFO_CHARS`.
 */
export function peerInfo(v: unknown): { name: string; version: string } {
  const i = isRecord(v) ? v : {}
  const text = (x: unknown, dflt: string) => (typeof x !== "string" ? dflt : x.length <= MAX_PEER_INFO_CHARS ? x : `${cutText(x, MAX_PEER_INFO_CHARS)}…`)
  return { name: text(i.name, "unknown"), version: text(i.version, "0") }
}
