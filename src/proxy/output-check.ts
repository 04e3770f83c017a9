/**
 * @module proxy/output-check
 * A tool that declares an `outputSchema` must answer with `structuredContent` matching it (or with
 * `isError: true`): the SDK `Client.callTool` (v1 and v2) throws otherwise, so one bad tool would make
 * the client's call fail as a whole instead of giving the model something to act on. Such a result
 * becomes a tool error here, naming the server, the tool and the first mismatch, with the tool's own
 * content after it. The schema is compiled once per listed definition, on the tool's first call (one
 * Ajv instance per tool list, dropped with it); a tool without `outputSchema` costs two map lookups,
 * and its result is passed on untouched (a compact one still as its text). A large result (bytes) is
 * checked on its `structuredContent` alone, parsed from its own bytes.
 */
import { outputValidators, type OutputValidator } from "../catalog/index.ts"
import { errorMessage, JsonBytes, RawJson, type Logger } from "../core/index.ts"
import { badResponse } from "../pool/index.ts"
import type { CallToolResult, ToolCallOutput } from "./types.ts"

type Obj = Record<string, unknown>
type Compile = (schema: Obj) => OutputValidator

/** The compiler shared by the output checks of one tool list (its Ajv instance). */
class ListCompiler {
  compile: Compile | undefined
  private loading: Promise<void> | undefined

  load(): Promise<void> {
    // Ajv that cannot be loaded: every schema then "does not compile" (warned, not checked)
    const broken = (e: unknown): Compile => () => {
      throw e
    }
    return (this.loading ??= outputValidators().then(
      (c) => void (this.compile = c),
      (e: unknown) => void (this.compile = broken(e)),
    ))
  }
}

/** One listed tool's output check: its schema, compiled on first use. */
export class OutputCheck {
  /** null: the schema did not compile here (its listing kept it: the client validates, not us). */
  private validate: OutputValidator | null | undefined

  constructor(
    private readonly schema: Obj,
    private readonly list: ListCompiler,
  ) {}

  /** `r`, or a tool error result when its structured output is missing or does not match. */
  apply(server: string, tool: string, r: ToolCallOutput, log: Logger): ToolCallOutput | Promise<ToolCallOutput> {
    if (this.validate === undefined) {
      const compile = this.list.compile
      if (compile === undefined) return this.list.load().then(() => this.apply(server, tool, r, log))
      try {
        this.validate = compile(this.schema)
      } catch (e) {
        log.warn("a tool's outputSchema does not compile; its structured output is not checked", { server, tool, error: errorMessage(e) })
        this.validate = null
      }
    }
    if (this.validate === null) return r
    const why = problem(r, this.validate)
    if (why === undefined) return r
    log.warn("tool result refused: its structured output does not fit the tool's outputSchema", { server, tool, why })
    return refused(server, tool, why, r)
  }
}

/** What is wrong with `r`'s structured output, or undefined. */
function problem(r: ToolCallOutput, validate: OutputValidator): string | undefined {
  let isError: boolean
  let structured: unknown
  if (r instanceof RawJson && r.json instanceof JsonBytes) {
    // a large result: its structuredContent alone is parsed (where the content check found it)
    isError = r.json.isError
    structured = r.json.structured !== undefined ? r.json.structuredContent() : isError ? undefined : (r.value as Obj).structuredContent
  } else {
    const v = (r instanceof RawJson ? r.value : r) as Obj
    // input_required (MRTR) handed to a 2026-07-28 client: the answer comes with its retry
    if (v.resultType === "input_required") return undefined
    isError = v.isError === true
    structured = v.structuredContent
  }
  if (structured === undefined) return isError ? undefined : "it has no structuredContent, which the tool's outputSchema requires of every result that is not an error (isError: true)"
  // present: checked even on an error result (the v1 SDK client validates it then too)
  const mismatch = validate(structured)
  return mismatch === undefined ? undefined : `its structuredContent does not match the tool's outputSchema: ${mismatch}`
}

/** The tool error the model gets instead: what was wrong, then the tool's own content (a large result's is left out). */
function refused(server: string, tool: string, why: string, r: ToolCallOutput): CallToolResult {
  const large = r instanceof RawJson && r.json instanceof JsonBytes ? r.json : undefined
  const e = badResponse("tools/call", why, `Fix the server's output or its outputSchema; only this call failed.${large ? "" : " The tool's own content follows."}`, tool)
  const head = { type: "text" as const, text: `[${e.code}] server ${server}: ${e.describe()}${large ? `\nIts content (${large.byteLength} bytes of JSON) was not passed on.` : ""}` }
  if (large !== undefined) {
    large.release()
    return { isError: true, content: [head] }
  }
  const own = ((r instanceof RawJson ? r.value : r) as CallToolResult).content
  return { isError: true, content: Array.isArray(own) ? [head, ...own] : [head] }
}

const byList = new WeakMap<readonly unknown[], Map<string, OutputCheck>>()

/** The output check of `name` in a server's tool list, or undefined when it declares no outputSchema. */
export function outputCheckOf(tools: readonly { name: string; outputSchema?: unknown }[] | undefined, name: string): OutputCheck | undefined {
  if (tools === undefined) return undefined
  let checks = byList.get(tools)
  if (checks === undefined) {
    checks = new Map()
    const list = new ListCompiler()
    for (const t of tools) {
      const s = t.outputSchema
      if (typeof s === "object" && s !== null && !Array.isArray(s)) checks.set(t.name, new OutputCheck(s as Obj, list))
    }
    byList.set(tools, checks)
  }
  return checks.size === 0 ? undefined : checks.get(name)
}
