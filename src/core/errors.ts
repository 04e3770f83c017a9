/**
 * @module core/errors
 * One typed error family for everything that happens at home. Each error has a string `code`,
 * the `component` it comes from, an optional `remedy` line for the user, and a `cause`.
 * Mapping to MCP results happens in one place: `mcp/error-map.ts`.
 */
import { groupProblemLines } from "./problem-groups.ts"

export type ErrorKind = "config" | "toolkit" | "downstream" | "plugin" | "cache" | "protocol" | "internal"

export interface ErrorOptions {
  /** What the user can do about it, one line. */
  remedy?: string
  cause?: unknown
  /** Extra, already-redacted facts (command, version, server name…). */
  details?: Record<string, unknown>
}

export class OrchestratorError extends Error {
  override name = "OrchestratorError"
  readonly kind: ErrorKind
  readonly code: string
  readonly remedy?: string
  readonly details?: Record<string, unknown>

  constructor(kind: ErrorKind, code: string, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.kind = kind
    this.code = code
    if (options.remedy !== undefined) this.remedy = options.remedy
    if (options.details !== undefined) this.details = options.details
  }

  /** Message plus remedy, as shown to a user or a model. */
  describe(): string {
    return this.remedy ? `${this.message}\nRemedy: ${this.remedy}` : this.message
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, code: this.code, message: this.message, remedy: this.remedy, details: this.details }
  }
}

export class ConfigError extends OrchestratorError {
  override name = "ConfigError"
  /** One line per problem: `key.path (source): expected …`. */
  readonly problems: readonly string[]
  constructor(problems: readonly string[], options: ErrorOptions = {}) {
    // every problem stays in `problems`; the message says one shared by many entries once (core/problem-groups)
    super("config", "CONFIG_INVALID", `Invalid configuration:\n${groupProblemLines(problems).map((p) => `  - ${p}`).join("\n")}`, options)
    this.problems = problems
  }
}

export class ToolkitError extends OrchestratorError {
  override name = "ToolkitError"
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super("toolkit", code, message, options)
  }
}

export class DownstreamError extends OrchestratorError {
  override name = "DownstreamError"
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super("downstream", code, message, options)
  }
}

export class PluginError extends OrchestratorError {
  override name = "PluginError"
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super("plugin", code, message, options)
  }
}

export class CacheError extends OrchestratorError {
  override name = "CacheError"
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super("cache", code, message, options)
  }
}

/** Misuse of the protocol by the client: becomes a JSON-RPC error, not an `isError` result. */
export class ProtocolError extends OrchestratorError {
  override name = "ProtocolError"
  /** JSON-RPC error code (e.g. -32602 invalid params). */
  readonly rpcCode: number
  constructor(rpcCode: number, message: string, options: ErrorOptions = {}) {
    super("protocol", "PROTOCOL_ERROR", message, options)
    this.rpcCode = rpcCode
  }
}

export function isOrchestratorError(e: unknown): e is OrchestratorError {
  return e instanceof OrchestratorError
}

/** Best-effort message of anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  if (typeof e === "string") return e
  try {
    return JSON.stringify(e)
  } catch {
    return String(e)
  }
}
