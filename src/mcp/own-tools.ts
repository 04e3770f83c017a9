/**
 * @module mcp/own-tools
 * The orchestrator's own tools: listed with JSON Schemas generated from their zod schemas, called
 * with zod-validated arguments. Invalid arguments are tool errors (isError), per MCP 2025-11-25,
 * worded by mcp/tools/argument-errors (what each bad argument must be, and an example).
 */
import { z } from "zod"
import type { CallToolResult, Tool } from "@modelcontextprotocol/client"
import { errorMessage, shownName, type Logger } from "../core/index.ts"
import { redactOwnResult, toolErrorResult } from "./error-map.ts"
import { portableSchema } from "./own-schema-portable.ts"
import { PLACEHOLDER_TOOL } from "./tools/example-tool.ts"
import { argumentProblems, oneItemLists, type ArgIssue } from "./tools/argument-errors.ts"
import type { ToolContext, ToolDef } from "./tool-def.ts"

/**
 * The JSON Schema of an own tool's zod schema, as listed. A `z.record(z.string(), …)` (call_tool's
 * and run_code's free-form arguments, config_set's object value) is written without zod's
 * `propertyNames: {type: "string"}`: it says nothing (JSON keys are strings), and model APIs that
 * take a subset of JSON Schema refuse it (Gemini's function declarations: `Unknown name
 * "propertyNames"`, HTTP 400 for the whole request) when a client (AI SDK, LangChain, Cursor on a
 * Gemini model) hands our tools to the model as function-calling tools. The rest of that spelling
 * (no array `type`, no schema that constrains nothing) is mcp/own-schema-portable's.
 */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const js = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12", override: dropStringKeys }) as Record<string, unknown>
  delete js.$schema
  return portableSchema(js.type !== "object" ? { type: "object", properties: {}, ...js } : js)
}

function dropStringKeys(ctx: { jsonSchema: Record<string, unknown> }): void {
  const names = ctx.jsonSchema.propertyNames as Record<string, unknown> | undefined
  if (names && Object.keys(names).length === 1 && names.type === "string") delete ctx.jsonSchema.propertyNames
}

/**
 * The listed JSON Schema of a tool's zod schema, converted once: the list is rebuilt on every list
 * change (run_code's description follows the surface), the schemas never change (~5 ms for all).
 * Listed schemas are never mutated.
 */
const listedSchemas = { input: new WeakMap<z.ZodType, Record<string, unknown>>(), output: new WeakMap<z.ZodType, Record<string, unknown>>() }
function listedSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  let js = listedSchemas[io].get(schema)
  if (!js) listedSchemas[io].set(schema, (js = toJsonSchema(schema, io)))
  return js
}

export class OwnTools {
  private readonly defs = new Map<string, ToolDef>()
  private listCache?: Tool[]
  /** The list before the last `invalidate`: its definitions are kept where they read the same. */
  private previous?: Tool[]

  /**
   * `outputSchemas: false` lists the tools without their output schemas (results still carry
   * structuredContent): the small menus of `proxy.expose: search | code`, where every token of
   * the list is paid on each request.
   */
  constructor(defs: readonly ToolDef[] = [], private readonly opts: { outputSchemas?: boolean } = {}) {
    for (const d of defs) this.add(d)
  }

  add(def: ToolDef): void {
    if (this.defs.has(def.name)) throw new Error(`duplicate own tool ${def.name}`)
    this.defs.set(def.name, def)
    this.listCache = this.previous = undefined
  }

  /** Forget the cached list: a description computed from the tool surface (run_code's) is read again. */
  invalidate(): void {
    this.previous = this.listCache ?? this.previous
    this.listCache = undefined
  }

  has(name: string): boolean {
    return this.defs.has(name)
  }

  all(): ToolDef[] {
    return [...this.defs.values()]
  }

  /**
   * After an `invalidate`, only the descriptions are read again (the rest of a definition is fixed):
   * a definition that reads the same is the same object, and the list the same array when all do,
   * so the answer's memoised blocks (core/list-json) and redaction (core/redact) still hold.
   */
  list(): Tool[] {
    if (this.listCache) return this.listCache
    const previous = this.previous
    let same = previous !== undefined
    const list = this.all().map((d, i) => {
      const description = d.description
      const before = previous?.[i]
      if (before && before.description === description) return before
      same = false
      return this.listed(d, description)
    })
    this.previous = undefined
    this.listCache = same && previous ? previous : list
    return this.listCache
  }

  private listed(d: ToolDef, description: string): Tool {
    return {
      name: d.name,
      title: d.title,
      description,
      inputSchema: listedSchema(d.input, "input") as Tool["inputSchema"],
      ...(d.output && this.opts.outputSchemas !== false ? { outputSchema: listedSchema(d.output, "output") as Tool["outputSchema"] } : {}),
      ...(d.annotations ? { annotations: { title: d.title, ...d.annotations } } : {}),
    }
  }

  async call(name: string, args: unknown, ctx: ToolContext, log: Logger): Promise<CallToolResult> {
    const def = this.defs.get(name)
    if (!def) return toolErrorResult(new Error(`Unknown tool ${shownName(name)}`))
    let parsed = def.input.safeParse(args ?? {})
    if (!parsed.success) {
      // a single string where a list of strings is expected: the one-item list it stands for
      const lenient = oneItemLists(parsed.error.issues as ArgIssue[], def.input, args)
      const again = lenient ? def.input.safeParse(lenient) : undefined
      if (again?.success) parsed = again
    }
    if (!parsed.success) {
      const example = def.answerExample ? def.answerExample(ctx.exampleTool?.() ?? PLACEHOLDER_TOOL) : def.example?.input
      const lines = argumentProblems(parsed.error.issues as ArgIssue[], { schema: def.input, args: args ?? {}, ...(example !== undefined ? { example } : {}) })
      return redactOwnResult({ isError: true, content: [{ type: "text", text: `Invalid arguments for ${name}:\n${lines.join("\n")}` }] })
    }
    try {
      const out = await def.handler(parsed.data, ctx)
      const result: CallToolResult = { content: [{ type: "text", text: out.text }] }
      if (out.structured !== undefined && def.output && !out.isError) result.structuredContent = out.structured as Record<string, unknown>
      if (out.isError) result.isError = true
      // the redaction point of every result the orchestrator writes itself (status, management tools)
      return redactOwnResult(result)
    } catch (e) {
      log.warn("own tool failed", { tool: name, error: errorMessage(e) })
      return toolErrorResult(e)
    }
  }
}
