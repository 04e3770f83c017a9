/**
 * @module mcp/face-server
 * Our protocol layer (mcp/face-protocol) as an MCP server: it answers `initialize` (version
 * negotiation, capabilities, server info), tracks the client's capabilities and checks ours before
 * handlers and notifications are used. The connection stays in the 2025 wire era: modern requests
 * reach it only through the lanes, which have checked their envelope and complete their answers.
 * No SDK module is evaluated for it (the SDK's `Protocol` and `Server` hold ≈ 7.7 MiB of schemas
 * in every session); the SDK is loaded only where a modern or remote downstream or OAuth needs it.
 */
import type {
  ClientCapabilities,
  ElicitRequestFormParams,
  ElicitResult,
  Implementation,
  InitializeResult,
  JSONRPCMessage,
  ServerCapabilities,
  Transport,
} from "@modelcontextprotocol/client"
import { redactOutgoing } from "./error-map.ts"
import { FaceProtocol, type FaceRequestOptions } from "./face-protocol.ts"
import { ELICIT_RESULT, EMPTY, INITIALIZE } from "./face-params.ts"
import { InitGate, type GatedOptions } from "./init-gate.ts"
import { RpcAnswerError, RpcCode } from "./rpc-answer.ts"
import { LATEST_LEGACY_VERSION, LEGACY_VERSIONS } from "./wire-2025.ts"
import { lookupTable } from "../core/index.ts"

export interface FaceServerOptions {
  capabilities: ServerCapabilities
  instructions?: string
}

/** The server capability each notification we send needs. */
const NOTIFICATION_NEEDS: Record<string, keyof ServerCapabilities> = lookupTable({
  "notifications/message": "logging",
  "notifications/tools/list_changed": "tools",
  "notifications/prompts/list_changed": "prompts",
  "notifications/resources/list_changed": "resources",
  "notifications/resources/updated": "resources",
})

/** The server capability each request handler needs. */
const HANDLER_NEEDS: Record<string, keyof ServerCapabilities> = lookupTable({
  "logging/setLevel": "logging",
  "prompts/get": "prompts",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resources",
  "resources/read": "resources",
  "tools/call": "tools",
  "tools/list": "tools",
  "completion/complete": "completions",
})

export class FaceServer extends FaceProtocol {
  private clientCapabilities?: ClientCapabilities
  private clientInfo?: Implementation
  private negotiated?: string
  private readonly capabilities: ServerCapabilities
  private readonly instructions?: string
  /** Called when the client sends `notifications/initialized`. */
  oninitialized?: () => void
  /** Our requests to the client wait here until it sent `notifications/initialized` (mcp/init-gate). */
  private readonly initGate = new InitGate()

  constructor(
    private readonly info: Implementation,
    options: FaceServerOptions,
  ) {
    super()
    this.capabilities = options.capabilities
    if (options.instructions) this.instructions = options.instructions
    this.setRequestHandler("initialize", { params: INITIALIZE }, (params) => {
      // one handshake per connection: a second one would change the version and capabilities
      // everything already negotiated rests on (a new HTTP session is a new connection)
      if (this.negotiated !== undefined) {
        throw new RpcAnswerError(
          RpcCode.InvalidRequest,
          `Invalid Request: this connection is already initialized (protocol version ${this.negotiated}); initialize is sent once per connection, the first negotiation stays`,
        )
      }
      this.clientCapabilities = params.capabilities
      this.clientInfo = params.clientInfo
      const asked = params.protocolVersion
      this.negotiated = LEGACY_VERSIONS.includes(asked) ? asked : LATEST_LEGACY_VERSION
      const result: InitializeResult = { protocolVersion: this.negotiated, capabilities: this.capabilities, serverInfo: this.info }
      if (this.instructions) result.instructions = this.instructions
      return result
    })
    this.setNotificationHandler("notifications/initialized", { params: EMPTY }, () => {
      this.initGate.opened()
      this.oninitialized?.()
    })
  }

  /** Every message the protocol layer writes passes the redaction point of its errors and log notifications. */
  override async connect(transport: Transport): Promise<void> {
    const send = transport.send.bind(transport)
    transport.send = (message, options) => send(redactOutgoing(message) as JSONRPCMessage, options)
    await super.connect(transport)
    // the protocol's close handler, set by connect: what is held for the client is refused with it
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

  async elicitInput(params: Omit<ElicitRequestFormParams, "mode">, options?: FaceRequestOptions): Promise<ElicitResult> {
    if (!this.supportsFormElicitation()) throw new Error("Client does not support form elicitation")
    return this.whenInitialized("elicitation/create", { ...(options?.timeout !== undefined ? { timeoutMs: options.timeout } : {}), ...(options?.signal ? { signal: options.signal } : {}) }, (timeout) =>
      this.request({ method: "elicitation/create", params: { mode: "form", ...params } }, ELICIT_RESULT, { ...options, timeout }),
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

  // --- capability checks of the protocol layer ---

  protected override assertNotificationCapability(method: string): void {
    this.requireCapability(NOTIFICATION_NEEDS[method], method)
  }

  protected override assertRequestHandlerCapability(method: string): void {
    // the protocol layer registers its own handler (ping) before our fields exist
    if (!this.capabilities) return
    this.requireCapability(HANDLER_NEEDS[method], method)
  }

  private requireCapability(cap: keyof ServerCapabilities | undefined, method: string): void {
    if (cap && !this.capabilities[cap]) throw new Error(`Server does not support ${cap} (required for ${method})`)
  }
}
