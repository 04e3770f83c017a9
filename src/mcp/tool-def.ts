/**
 * @module mcp/tool-def
 * How the orchestrator's own tools are declared: a zod input schema (validated before the handler
 * runs), an optional zod output schema (becomes `outputSchema`, results carry `structuredContent`),
 * docs metadata (used by `bun run docs` and /openapi.json) and a handler.
 */
import type { z } from "zod"
import type { Logger } from "../core/index.ts"

export interface ToolContext {
  signal: AbortSignal
  log: Logger
  /** Sends `notifications/progress` when the client asked for progress; no-op otherwise. */
  progress(progress: number, total?: number, message?: string): Promise<void>
  /** A tool this connection reaches now, for the example an answer shows (mcp/tools/example-tool). */
  exampleTool?(): string
  /**
   * The request's `_meta` as the client sent it (trace context, app keys; unset when none): the
   * tool calls an own tool makes for this request carry it on (run_code's script's calls), as a
   * direct call does (proxy/client-meta picks what goes downstream).
   */
  meta?: unknown
}

/** What a handler returns: structured data plus the text the model reads. */
export interface ToolOutput<T = unknown> {
  text: string
  structured?: T
  isError?: boolean
}

export interface ToolDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string
  title: string
  description: string
  input: I
  output?: O
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean }
  /** For docs/tools.md and /openapi.json: one worked example. */
  example?: { input: z.input<I>; output?: z.output<O> }
  /**
   * The example arguments an answer (an argument error) shows, naming `tool`: one this connection
   * reaches, or a placeholder (mcp/tools/example-tool). Instead of `example.input`, which names a
   * tool of the docs' setup that this session may not have.
   */
  answerExample?(tool: string): z.input<I>
  /** Typed errors this tool can return (codes), for docs. */
  errors?: string[]
  handler(args: z.output<I>, ctx: ToolContext): Promise<ToolOutput<z.output<O>>>
}

/** Helper that keeps the generic types when declaring a tool. */
export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def
}
