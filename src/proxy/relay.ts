/**
 * @module proxy/relay
 * Server→client requests of downstreams (sampling, elicitation, roots) relayed to one client, gated on
 * what that client declared and on the 2025-11-25 rules, with the asking server shown to the user.
 */
import { isSecureWebUrl, ProtocolError, SECURE_WEB_URL_RULE, shownName } from "../core/index.ts"
import type { ClientLink, ClientRequestOptions } from "./types.ts"
import { RELATED_TASK_META_KEY } from "./task-call.ts"
import { checkedClientAnswer } from "./client-answer.ts"

export type ClientSender = (method: string, params: Record<string, unknown> | undefined, opts: ClientRequestOptions) => Promise<unknown>

/** `_meta` key naming the downstream server on relayed sampling and elicitation requests. */
export const SERVER_META_KEY = "mcp-orchestrator/server"

/** Elicitation exists since 2025-06-18, URL-mode elicitation since 2025-11-25 (dates compare as strings). */
const ELICITATION_SINCE = "2025-06-18"
const URL_ELICITATION_SINCE = "2025-11-25"
/** From this revision on a URL-mode elicitation carries no `elicitationId` (its completion is the retried request itself). */
const URL_ELICITATION_WITHOUT_ID_SINCE = "2026-07-28"

/**
 * Relay one request from downstream `server` to `client` through `send` (the call's own channel or
 * the client connection). Throws a ProtocolError (sent back to the downstream as that JSON-RPC
 * error) when the client cannot take it; `roots/list` without a capable client answers no roots.
 */
export function relayToClient(server: string, method: string, params: Record<string, unknown> | undefined, client: ClientLink | undefined, send: ClientSender | undefined, opts: ClientRequestOptions): Promise<unknown> {
  const caps = client?.capabilities()
  // the client's answer is checked against the method's result schema before the downstream gets it (proxy/client-answer)
  const checked = (answer: Promise<unknown>): Promise<unknown> => answer.then((a) => checkedClientAnswer(server, method, a, clientLabel(client)))
  // We never declare tasks to downstreams, so a task-augmented request is not relayed (T19).
  if (params?.task !== undefined) throw new ProtocolError(-32602, `Server ${server} sent a task-augmented ${method}; mcp-orchestrator does not relay tasks`)
  switch (method) {
    case "roots/list":
      if (!send || !caps?.roots) return Promise.resolve({ roots: [] })
      return checked(send(method, params, opts))
    case "sampling/createMessage": {
      if (!send || !caps?.sampling) throw unsupported(server, "sampling")
      if ((params?.tools !== undefined || params?.toolChoice !== undefined) && !caps.sampling.tools) {
        throw new ProtocolError(-32602, `Server ${server} asked for sampling with tools, which the client connected to mcp-orchestrator does not support`)
      }
      return checked(send(method, withServer(server, ownContextOnly(params)), opts))
    }
    case "elicitation/create":
      if (!send || !caps?.elicitation) throw unsupported(server, "elicitation")
      if (!atLeast(client?.protocolVersion(), ELICITATION_SINCE)) throw tooOld(server, "elicitation", client?.protocolVersion(), ELICITATION_SINCE)
      return checked(send(method, elicitation(server, params ?? {}, caps.elicitation, client?.protocolVersion()), opts))
    default:
      throw new ProtocolError(-32601, `${method} is not supported by mcp-orchestrator`)
  }
}

/** The client as it introduced itself at initialize ("name version"), for messages and logs. */
export function clientLabel(client: ClientLink | undefined): string {
  const info = client?.clientInfo?.()
  if (info === undefined) return "a client that gave no name"
  return `${shownName(info.name, 80)}${info.version ? ` ${shownName(info.version, 40)}` : ""}`
}

/**
 * The size of a relayed request the client's connection could not take (over what one message to
 * it may carry: mcp/stdio-transport rejects it with `details.maxMessageBytes` instead of sending
 * it), or undefined for any other failure.
 */
export function overClientLimit(err: unknown): { bytes: number; maxMessageBytes: number } | undefined {
  const d = err instanceof ProtocolError ? err.details : undefined
  return typeof d?.bytes === "number" && typeof d.maxMessageBytes === "number" ? { bytes: d.bytes, maxMessageBytes: d.maxMessageBytes } : undefined
}

/** Check and rewrite an elicitation: mode allowed by the client, safe URL, message naming the server. */
function elicitation(server: string, params: Record<string, unknown>, cap: { form?: object; url?: object }, version: string | undefined): Record<string, unknown> {
  const mode = params.mode ?? "form"
  const message = typeof params.message === "string" ? params.message : ""
  if (mode === "form") {
    // `elicitation: {}` (no modes listed) means form only.
    if (cap.form === undefined && cap.url !== undefined) throw unsupported(server, "form elicitation")
    const schema = params.requestedSchema as { type?: unknown } | undefined
    if (!schema || typeof schema !== "object" || schema.type !== "object") {
      throw new ProtocolError(-32602, `Server ${server} sent an elicitation without an object requestedSchema`)
    }
  } else if (mode === "url") {
    // T20: never forwarded unless the client declared it; only an https URL (or http on this
    // machine): the client shows it as a link or opens it, and `file:`, `smb:`, an app's scheme or
    // plain http to another host must not reach the user from a downstream (as for OAuth, auth/url-guard)
    if (cap.url === undefined) throw unsupported(server, "URL-mode elicitation")
    if (!atLeast(version, URL_ELICITATION_SINCE)) throw tooOld(server, "URL-mode elicitation", version, URL_ELICITATION_SINCE)
    if (!isSecureWebUrl(params.url)) throw new ProtocolError(-32602, `Server ${server} sent a URL-mode elicitation with a URL that is not ${SECURE_WEB_URL_RULE}; it was not forwarded`)
    // a 2025-11-25 client matches the completion notice by it; a 2026-07-28 one has none to match
    if (typeof params.elicitationId !== "string" && !atLeast(version, URL_ELICITATION_WITHOUT_ID_SINCE)) throw new ProtocolError(-32602, `Server ${server} sent a URL-mode elicitation without elicitationId`)
  } else {
    throw new ProtocolError(-32602, `Server ${server} sent an elicitation with unknown mode ${JSON.stringify(mode)}`)
  }
  return withServer(server, { ...params, message: `[${server}] ${message}` })
}

/**
 * `includeContext: "thisServer" | "allServers"` would make the client add the context of its whole
 * connection to us, i.e. of every server behind the orchestrator: another server's data must not
 * reach this one, so it becomes "none".
 */
function ownContextOnly(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (params?.includeContext === undefined || params.includeContext === "none") return params
  return { ...params, includeContext: "none" }
}

function withServer(server: string, params: Record<string, unknown> | undefined): Record<string, unknown> {
  const meta = params?._meta as Record<string, unknown> | undefined
  // a request for a task the orchestrator runs (proxy/task-call) names it: the client never saw that task
  if (meta !== undefined && RELATED_TASK_META_KEY in meta) {
    const { [RELATED_TASK_META_KEY]: _drop, ...rest } = meta
    return { ...params, _meta: { ...rest, [SERVER_META_KEY]: server } }
  }
  return { ...params, _meta: { ...meta, [SERVER_META_KEY]: server } }
}

function atLeast(version: string | undefined, min: string): boolean {
  return version !== undefined && version >= min
}

/**
 * The client declared the capability, but the protocol version it negotiated has no such request:
 * said so (before, it read as if the client did not support it at all).
 */
function tooOld(server: string, what: string, version: string | undefined, since: string): ProtocolError {
  return new ProtocolError(-32601, `Server ${server} asked for ${what}, which the client connected to mcp-orchestrator declared, but its protocol version ${version ?? "(none)"} has no ${what} (it exists since ${since})`, {
    remedy: `Use a client that negotiates MCP ${since} or later, or a tool that does not need ${what}.`,
  })
}

function unsupported(server: string, what: string): ProtocolError {
  return new ProtocolError(-32601, `Server ${server} asked for ${what}, which no client connected to mcp-orchestrator supports`, {
    remedy: `Use an MCP client that declares ${what === "sampling" ? "sampling" : "elicitation"} support, or a tool that does not need it.`,
  })
}
