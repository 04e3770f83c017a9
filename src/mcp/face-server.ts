/**
 * @module mcp/face-server
 * The SDK `Protocol` as an MCP server, without the SDK `Server` class: that class loads Ajv (a JSON
 * Schema compiler) at import time for features we do not use, which costs cold start on every
 * spawn. This class answers `initialize` (version negotiation, capabilities, server info), tracks
 * the client's capabilities and checks ours before handlers and notifications are used.
 */
import { Protocol, type ProtocolOptions, type RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js"
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js"
import {
  ElicitResultSchema,
  InitializedNotificationSchema,
  InitializeRequestSchema,
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type ClientCapabilities,
  type ElicitRequestFormParams,
  type ElicitResult,
  type Implementation,
  type InitializeResult,
  type ServerCapabilities,
  type ServerNotification,
  type ServerRequest,
  type ServerResult,
} from "@modelcontextprotocol/sdk/types.js"
import { redactOutgoing } from "./error-map.ts"

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

export class FaceServer extends Protocol<ServerRequest, ServerNotification, ServerResult> {
  private clientCapabilities?: ClientCapabilities
  private clientInfo?: Implementation
  private negotiated?: string
  private readonly capabilities: ServerCapabilities
  private readonly instructions?: string
  /** Called when the client sends `notifications/initialized`. */
  oninitialized?: () => void

  constructor(
    private readonly info: Implementation,
    options: FaceServerOptions,
  ) {
    super(options)
    this.capabilities = options.capabilities
    if (options.instructions) this.instructions = options.instructions
    this.setRequestHandler(InitializeRequestSchema, (req) => {
      this.clientCapabilities = req.params.capabilities
      this.clientInfo = req.params.clientInfo
      const asked = req.params.protocolVersion
      this.negotiated = SUPPORTED_PROTOCOL_VERSIONS.includes(asked) ? asked : LATEST_PROTOCOL_VERSION
      const result: InitializeResult = { protocolVersion: this.negotiated, capabilities: this.capabilities, serverInfo: this.info }
      if (this.instructions) result.instructions = this.instructions
      return result
    })
    this.setNotificationHandler(InitializedNotificationSchema, () => this.oninitialized?.())
  }

  /** Every message the protocol layer writes passes the redaction point of its errors and log notifications. */
  override async connect(transport: Transport): Promise<void> {
    const send = transport.send.bind(transport)
    transport.send = (message, options) => send(redactOutgoing(message), options)
    await super.connect(transport)
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
    return this.request({ method: "elicitation/create", params: { mode: "form", ...params } as ElicitRequestFormParams }, ElicitResultSchema, options)
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

  protected assertCapabilityForMethod(method: ServerRequest["method"]): void {
    const c = this.clientCapabilities
    if (method === "elicitation/create" && !c?.elicitation) throw new Error(`Client does not support elicitation (required for ${method})`)
    if (method === "sampling/createMessage" && !c?.sampling) throw new Error(`Client does not support sampling (required for ${method})`)
    if (method === "roots/list" && !c?.roots) throw new Error(`Client does not support roots (required for ${method})`)
  }

  protected assertNotificationCapability(method: ServerNotification["method"]): void {
    this.requireCapability(NOTIFICATION_NEEDS[method], method)
  }

  protected assertRequestHandlerCapability(method: string): void {
    // Protocol registers its own handlers (ping, tasks) before our fields exist.
    if (!this.capabilities) return
    this.requireCapability(HANDLER_NEEDS[method], method)
  }

  private requireCapability(cap: keyof ServerCapabilities | undefined, method: string): void {
    if (cap && !this.capabilities[cap]) throw new Error(`Server does not support ${cap} (required for ${method})`)
  }

  protected assertTaskCapability(): void {
    throw new Error("tasks are not supported")
  }

  protected assertTaskHandlerCapability(): void {
    // no task handlers are registered
  }
}
