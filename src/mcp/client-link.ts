/**
 * @module mcp/client-link
 * How the proxy reaches one client connection (`ClientLink`, created once per face) and the request
 * context of requests the face protocol dispatches (`ExtraContext`: no closure per request, request on the call's own stream).
 */
import { z } from "zod"
import type { CallContext, ClientLink, ClientRequestOptions } from "../proxy/index.ts"
import type { FaceContext } from "./face-protocol.ts"
import type { FaceServer } from "./face-server.ts"

/** Client answers are passed to the downstream as they are (the downstream validates them). */
const AnyResult = z.looseObject({})

type Extra = FaceContext

function sdkOptions(o: ClientRequestOptions, timeout: number): { signal?: AbortSignal; timeout: number } {
  return o.signal ? { signal: o.signal, timeout } : { timeout }
}

/** Each link's face server (ExtraContext reaches the lifecycle gate through its link). */
const servers = new WeakMap<ClientLink, () => FaceServer>()

/** `server` is a getter: the face creates its link before its server. */
export function createClientLink(server: () => FaceServer): ClientLink {
  let modern = false
  const link: ClientLink = {
    capabilities: () => server().getClientCapabilities() as ReturnType<ClientLink["capabilities"]>,
    protocolVersion: () => server().getProtocolVersion(),
    clientInfo: () => server().getClientVersion(),
    // held until the client sent notifications/initialized (mcp/init-gate), within its own timeout
    request: (method, params, o) => server().whenInitialized(method, o, (left) => server().request({ method, ...(params ? { params } : {}) }, AnyResult, sdkOptions(o, left))),
    notify: (method, params) => server().notification({ method, ...(params ? { params } : {}) }),
    /** Set by the face on a modern request; a client that (also) sent `initialize` is legacy. */
    get modern(): boolean {
      return modern && server().getClientVersion() === undefined
    },
    set modern(v: boolean | undefined) {
      modern = v === true
    },
  }
  servers.set(link, server)
  return link
}

/** The CallContext of a request dispatched by the face protocol (mcp/face-protocol). */
export class ExtraContext implements CallContext {
  readonly signal: AbortSignal
  progressToken?: string | number
  routedTo?: string
  routedTool?: string

  constructor(
    private readonly extra: Extra,
    readonly client: ClientLink,
    progressToken?: string | number,
  ) {
    this.signal = extra.mcpReq.signal
    if (progressToken !== undefined) this.progressToken = progressToken
  }

  /** The request's `_meta` as the client sent it (the proxy forwards what of it is not this hop's). */
  get meta(): unknown {
    return this.extra.mcpReq._meta
  }

  notify(n: { method: string; params?: Record<string, unknown> }): Promise<void> {
    return this.extra.mcpReq.notify(n)
  }

  /** Sent as part of this request (Streamable HTTP: on the request's own SSE stream). */
  request(method: string, params: Record<string, unknown> | undefined, o: ClientRequestOptions): Promise<unknown> {
    const send = (left: number): Promise<unknown> => this.extra.mcpReq.send({ method, ...(params ? { params } : {}) }, AnyResult, sdkOptions(o, left))
    const server = servers.get(this.client)?.()
    return server ? server.whenInitialized(method, o, send) : send(o.timeoutMs)
  }
}
