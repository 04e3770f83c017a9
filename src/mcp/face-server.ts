/**
 * @module mcp/face-server
 * The SDK `Protocol` (v2) as an MCP server, without the SDK `Server` class: that class validates
 * every tools/call result and carries the 2026-07-28 serving entry we do not use here (the stdio
 * fast lane serves that era itself). This class answers `initialize` (version negotiation,
 * capabilities, server info), tracks the client's capabilities and checks ours before handlers and
 * notifications are used. The connection stays in the 2025 wire era: modern requests reach it only
 * through the fast lane, which has checked their envelope and completes their answers.
 * `Protocol` comes from the client package: the binary carries it anyway (remote and modern
 * downstreams, OAuth), the server package would add a second copy of the same protocol core.
 */
import {
  LATEST_PROTOCOL_VERSION,
  Protocol,
  ProtocolError,
  ProtocolErrorCode,
  SUPPORTED_PROTOCOL_VERSIONS,
  type BaseContext,
  type ClientCapabilities,
  type ElicitRequestFormParams,
  type ElicitResult,
  type Implementation,
  type InitializeResult,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type Notification,
  type ProtocolOptions,
  type RequestId,
  type RequestOptions,
  type Result,
  type ServerCapabilities,
  type Transport,
} from "@modelcontextprotocol/client"
import { redactOutgoing } from "./error-map.ts"
import { CANCELLED, EMPTY, INITIALIZE, PROGRESS } from "./face-params.ts"
import { InitGate, type GatedOptions } from "./init-gate.ts"

/** "Resource not found" of the 2025 revision; the SDK's codec rewrites it to -32602 (the 2026 code). */
const RESOURCE_NOT_FOUND = -32002
const REWRITTEN = -32602

export interface FaceServerOptions extends ProtocolOptions {
  capabilities: ServerCapabilities
  instructions?: string
}

/** The server capability each notification we send needs. */
const NOTIFICATION_NEEDS: Record<string, keyof ServerCapabilities> = {
  "notifications/message": "logging",
  "notifications/tools/list_changed": "tools",
  "notifications/prompts/list_changed": "prompts",
  "notifications/resources/list_changed": "resources",
  "notifications/resources/updated": "resources",
}

/** The server capability each request handler needs. */
const HANDLER_NEEDS: Record<string, keyof ServerCapabilities> = {
  "logging/setLevel": "logging",
  "prompts/get": "prompts",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resources",
  "resources/read": "resources",
  "tools/call": "tools",
  "tools/list": "tools",
  "completion/complete": "completions",
}

export class FaceServer extends Protocol<BaseContext> {
  private clientCapabilities?: ClientCapabilities
  private clientInfo?: Implementation
  private negotiated?: string
  private readonly capabilities: ServerCapabilities
  private readonly instructions?: string
  /** Called when the client sends `notifications/initialized`. */
  oninitialized?: () => void
  /** Our requests to the client wait here until it sent `notifications/initialized` (mcp/init-gate). */
  private readonly initGate = new InitGate()
  /** Legacy requests answered with -32002: the code goes out as the handler threw it (see `_wrapHandler`). */
  private readonly notFound = new Set<RequestId>()

  constructor(
    private readonly info: Implementation,
    options: FaceServerOptions,
  ) {
    super(options)
    this.capabilities = options.capabilities
    if (options.instructions) this.instructions = options.instructions
    // Every handler here and in mcp/server.ts comes with its params' schema (mcp/face-params): a
    // plain one would have the SDK build its whole 2025 schema registry at the first request. The
    // Protocol's own (ping, cancelled, progress) are registered again the same way, same behaviour.
    this.setRequestHandler("ping", { params: EMPTY }, () => ({}))
    this.setNotificationHandler("notifications/cancelled", { params: CANCELLED }, (params, n) => this.sdk._oncancel({ ...n, params }))
    this.setNotificationHandler("notifications/progress", { params: PROGRESS }, (params, n) => this.sdk._onprogress({ ...n, params }))
    this.setRequestHandler("initialize", { params: INITIALIZE }, (params) => {
      // one handshake per connection: a second one would change the version and capabilities
      // everything already negotiated rests on (a new HTTP session is a new connection)
      if (this.negotiated !== undefined) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidRequest,
          `Invalid Request: this connection is already initialized (protocol version ${this.negotiated}); initialize is sent once per connection, the first negotiation stays`,
        )
      }
      this.clientCapabilities = params.capabilities
      this.clientInfo = params.clientInfo
      const asked = params.protocolVersion
      this.negotiated = SUPPORTED_PROTOCOL_VERSIONS.includes(asked) ? asked : LATEST_PROTOCOL_VERSION
      this._negotiatedProtocolVersion = this.negotiated
      const result: InitializeResult = { protocolVersion: this.negotiated, capabilities: this.capabilities, serverInfo: this.info }
      if (this.instructions) result.instructions = this.instructions
      return result
    })
    this.setNotificationHandler("notifications/initialized", { params: EMPTY }, () => {
      this.initGate.opened()
      this.oninitialized?.()
    })
  }

  /** The Protocol's handlers of cancellation and progress (private in its types), for the registrations above. */
  private get sdk(): { _oncancel(n: Notification): void; _onprogress(n: Notification): void } {
    return this as unknown as { _oncancel(n: Notification): void; _onprogress(n: Notification): void }
  }

  /** Every message the protocol layer writes passes the redaction point of its errors and log notifications. */
  override async connect(transport: Transport): Promise<void> {
    const send = transport.send.bind(transport)
    transport.send = (message, options) => send(redactOutgoing(this.restoreNotFound(message)), options)
    await super.connect(transport)
    // the Protocol's close handler, set by connect: what is held for the client is refused with it
    const onclose = transport.onclose
    transport.onclose = () => {
      this.initGate.closed()
      onclose?.()
    }
  }

  /**
   * `send` (a request to the client, given the ms left of its timeout) once the client has sent
   * `notifications/initialized`; at once when it has. Every request of ours to the client goes
   * through here (mcp/client-link, http/call, `elicitInput`).
   */
  whenInitialized<T>(method: string, o: GatedOptions, send: (timeoutMs: number) => Promise<T>): Promise<T> {
    return this.initGate.run(method, o, send)
  }

  protected buildContext(ctx: BaseContext): BaseContext {
    return ctx
  }

  /**
   * A legacy client keeps getting -32002 (ours for a resource nobody serves, or a downstream's,
   * relayed): what the 2025 revision says and what we answered before. A 2026-07-28 request (it
   * carried an envelope) gets the SDK's -32602.
   */
  protected override _wrapHandler(_method: string, handler: (request: JSONRPCRequest, ctx: BaseContext) => Promise<Result>): (request: JSONRPCRequest, ctx: BaseContext) => Promise<Result> {
    return async (request, ctx) => {
      try {
        return await handler(request, ctx)
      } catch (e) {
        const legacy = ctx.mcpReq.envelope === undefined && !ctx.mcpReq.signal.aborted
        if (legacy && (e as { code?: unknown } | null)?.code === RESOURCE_NOT_FOUND) this.notFound.add(ctx.mcpReq.id)
        throw e
      }
    }
  }

  private restoreNotFound(message: JSONRPCMessage): JSONRPCMessage {
    if (this.notFound.size === 0) return message
    const m = message as { id?: RequestId; error?: { code: number } }
    if (m.error === undefined || m.id === undefined || !this.notFound.delete(m.id) || m.error.code !== REWRITTEN) return message
    return { ...message, error: { ...m.error, code: RESOURCE_NOT_FOUND } } as JSONRPCMessage
  }

  getClientCapabilities(): ClientCapabilities | undefined {
    return this.clientCapabilities
  }

  getClientVersion(): Implementation | undefined {
    return this.clientInfo
  }

  /** The protocol version agreed at initialize. */
  getProtocolVersion(): string | undefined {
    return this.negotiated
  }

  /** Form elicitation (the client declared `elicitation`, with `form` or without modes). */
  supportsFormElicitation(): boolean {
    const e = this.clientCapabilities?.elicitation as { form?: unknown; url?: unknown } | undefined
    return !!e && (e.form !== undefined || e.url === undefined)
  }

  async elicitInput(params: Omit<ElicitRequestFormParams, "mode">, options?: RequestOptions): Promise<ElicitResult> {
    if (!this.supportsFormElicitation()) throw new Error("Client does not support form elicitation")
    return this.whenInitialized("elicitation/create", { ...(options?.timeout !== undefined ? { timeoutMs: options.timeout } : {}), ...(options?.signal ? { signal: options.signal } : {}) }, (timeout) =>
      this.request({ method: "elicitation/create", params: { mode: "form", ...params } }, { ...options, timeout }),
    )
  }

  sendToolListChanged(): Promise<void> {
    return this.notification({ method: "notifications/tools/list_changed" })
  }

  sendPromptListChanged(): Promise<void> {
    return this.notification({ method: "notifications/prompts/list_changed" })
  }

  sendResourceListChanged(): Promise<void> {
    return this.notification({ method: "notifications/resources/list_changed" })
  }

  // --- capability checks required by Protocol ---

  protected assertCapabilityForMethod(method: string): void {
    const c = this.clientCapabilities
    if (method === "elicitation/create" && !c?.elicitation) throw new Error(`Client does not support elicitation (required for ${method})`)
    if (method === "sampling/createMessage" && !c?.sampling) throw new Error(`Client does not support sampling (required for ${method})`)
    if (method === "roots/list" && !c?.roots) throw new Error(`Client does not support roots (required for ${method})`)
  }

  protected assertNotificationCapability(method: string): void {
    this.requireCapability(NOTIFICATION_NEEDS[method], method)
  }

  protected assertRequestHandlerCapability(method: string): void {
    // Protocol registers its own handler (ping) before our fields exist.
    if (!this.capabilities) return
    this.requireCapability(HANDLER_NEEDS[method], method)
  }

  private requireCapability(cap: keyof ServerCapabilities | undefined, method: string): void {
    if (cap && !this.capabilities[cap]) throw new Error(`Server does not support ${cap} (required for ${method})`)
  }
}
