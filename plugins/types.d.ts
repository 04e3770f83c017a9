/**
 * @module plugins/types
 * Contract types for mcp-orchestrator plugin authors. A plugin is one .js or .ts file whose default
 * export is a `Plugin`. See docs/plugins.md. Import with `import type { Plugin } from "./types"`.
 */

/**
 * JSON data: the only thing that crosses between the orchestrator and a plugin. (An object member
 * that is `undefined` is left out, as JSON.stringify does.)
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined }

/** Every hook may be `async` (there is nothing to wait for, but `async` functions are fine). */
export type MaybePromise<T> = T | Promise<T>

/**
 * A tool call, as routed: the namespaced name `server__tool` split in two. A tool named after a
 * configured value comes masked as the client was shown it (`fetch_[REDACTED]`); routing to such a
 * masked name means the tool it was masked from.
 */
export interface RouteCall {
  server: string
  tool: string
  args: Record<string, Json>
}

/**
 * What `route` returns:
 * - `undefined` (or nothing): no opinion;
 * - `{ deny: "reason" }`: refuse the call (the reason is shown to the client);
 * - `{ server?, tool?, args? }`: redirect to another server, rename the tool, and/or replace the
 *   arguments (return the full argument object, e.g. `{ ...defaults, ...call.args }`).
 */
export type RouteDecision = undefined | { deny: string } | { server?: string; tool?: string; args?: Record<string, Json> }

/** An MCP tool as listed to the client (`tools/list`). Unknown fields pass through. */
export interface Tool {
  name: string
  title?: string
  description?: string
  inputSchema: { type: "object"; properties?: Record<string, Json>; required?: string[]; [key: string]: Json | undefined }
  [key: string]: Json | undefined
}

export interface PromptArgument {
  name: string
  description?: string
  required?: boolean
}

/** A prompt message; `content` is text. */
export interface PromptMessage {
  role: "user" | "assistant"
  content: string | { type: "text"; text: string }
}

export interface Prompt {
  /** 1-64 letters, digits, `_`, `.`, `-`. */
  name: string
  title?: string
  description?: string
  arguments?: PromptArgument[]
  /** Arguments are strings; required ones are checked before `render` runs. */
  render(args: Record<string, string>): MaybePromise<string | PromptMessage[]>
}

/** Toolkit output kinds (same as `mcp-orchestrator parse <kind>`). */
export type ParserKind = "servers" | "catalog" | "tools" | "inspect" | "secrets" | "profiles" | "profile" | "config" | "catalogs"

export interface ParserContext {
  /** Toolkit CLI version (`v0.41.0`) or `unknown`. */
  version: string
  /** `legacy` or `profiles` when known. */
  era: string | undefined
  /** The command that printed the text, e.g. `docker mcp server ls --json`. */
  command: string
}

/**
 * Return the normalized value for the kind, or `undefined` to let the built-in parser handle the
 * text. The text's secret values (tokens, API keys in a config) read `[REDACTED]`.
 */
export type Parser = (text: string, ctx: ParserContext) => MaybePromise<Json | undefined>

export interface Plugin {
  /** Unique among loaded plugins: 1-64 letters, digits, `_`, `.`, `-`. */
  name: string
  version?: string
  description?: string
  prompts?: Prompt[]
  route?(call: RouteCall): MaybePromise<RouteDecision>
  /**
   * Receives the aggregated tool list as the model sees it (configured values masked:
   * `[REDACTED]`); return it filtered, renamed or re-described. A masked name kept in the result
   * stands for the tool it was masked from.
   */
  tools?(tools: Tool[]): MaybePromise<Tool[]>
  parsers?: Partial<Record<ParserKind, Parser>>
}
