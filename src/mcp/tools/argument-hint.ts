/**
 * @module mcp/tools/argument-hint
 * A downstream's refusal of the arguments it was called with, made actionable: servers word it in
 * their own terms ("Invalid arguments for tool echo: expected string, received number at message",
 * with their own tool name and no signature), so the model is also told which parameters the tool
 * takes (names, types, which are optional), from the tool's listed inputSchema. The server's text
 * is kept as it is; the hint follows it. One wording for every face: a direct `server__tool` call,
 * `call_tool` (a text block after the tool's own content, or the JSON-RPC error's message) and
 * `run_code` (after the uncaught rejection).
 */
import { RpcAnswerError } from "../rpc-answer.ts"
import { isOrchestratorError, JsonBytes, RawJson } from "../../core/index.ts"
import type { CallToolResult, Tool, ToolCallOutput } from "../../proxy/index.ts"
import { toolErrorResult } from "../error-map.ts"
import { argSignature } from "./tool-summary.ts"

/** How servers word a refusal of the arguments (SDK validation, JSON-RPC -32602, pydantic). */
const ARGUMENT_ERROR = /-32602|invalid (?:arguments|params|input)|input validation|validation error|missing required|required (?:argument|parameter|property)/i

/** The text reads as a refusal of the arguments. */
export function refusesArguments(text: string): boolean {
  return ARGUMENT_ERROR.test(text)
}

/** Type and signature lengths of the hint (a search hit's are 32 and 70 characters). */
const HINT_LIMITS = { typeMax: 120, signatureMax: 240, requiredMax: 1000 }

/**
 * `<callAs> takes (a: string, b?: number) (? = optional); describe_tools gives its full schema`:
 * the parameters of a tool whose `inputSchema` is known.
 */
export function takesText(callAs: string, inputSchema: unknown): string {
  // longer than a search hit's: the model is about to call again, and a nested type is what it got wrong
  const sig = argSignature(inputSchema, HINT_LIMITS)
  return `${callAs} takes ${sig === "()" ? "no arguments ()" : sig}${sig.includes("?") ? " (? = optional)" : ""}; describe_tools gives its full schema`
}

/** Characters of an error result's text read to judge it (a refusal says so at its start). */
const JUDGED_CHARS = 4000

/**
 * A downstream's error result `r` of tool `tool` (its listed definition, under its exposed name):
 * with one more text block giving the tool's parameters when its text refuses the arguments; else
 * `r` itself. A large result (bytes) is left as it is.
 */
export function withArgumentHint(r: ToolCallOutput, tool: Described): ToolCallOutput {
  if (r instanceof RawJson && r.json instanceof JsonBytes) return r
  const value = (r instanceof RawJson ? r.value : r) as CallToolResult
  if (value?.isError !== true || !Array.isArray(value.content)) return r
  let text = ""
  for (const c of value.content) {
    if (c?.type === "text" && typeof c.text === "string") text += c.text.slice(0, JUDGED_CHARS - text.length)
    if (text.length >= JUDGED_CHARS) break
  }
  const t = refusesArguments(text) ? tool() : undefined
  if (t === undefined) return r
  return { ...value, content: [...value.content, { type: "text", text: takesText(t.name, t.inputSchema) }] }
}

/** The tool's listed definition, looked up only when a refusal is found (undefined: not listed, no hint). */
type Described = () => Pick<Tool, "name" | "inputSchema"> | undefined

/** `cause` is a downstream's own JSON-RPC error answer (the pool's DOWNSTREAM_RPC_ERROR) that refuses the arguments. */
function refusedByServer(cause: unknown): cause is { rpcCode: number; message: string } {
  if (!isOrchestratorError(cause) || cause.code !== "DOWNSTREAM_RPC_ERROR") return false
  const code = (cause as { rpcCode?: unknown }).rpcCode
  return code === -32602 || refusesArguments(cause.message)
}

/**
 * The JSON-RPC error `err` the face answers for `cause` (a downstream's own error answer, relayed
 * as it came): with the tool's parameters after its message when it refuses the arguments.
 */
export function withRpcArgumentHint(err: RpcAnswerError, cause: unknown, tool: Described): RpcAnswerError {
  const t = refusedByServer(cause) ? tool() : undefined
  if (t === undefined) return err
  return new RpcAnswerError(err.code, `${err.message}; ${takesText(t.name, t.inputSchema)}`, err.data)
}

/** The tool error result of `cause` (call_tool words every failure so), with the tool's parameters when a downstream refused the arguments. */
export function toolErrorWithHint(cause: unknown, tool: Described): CallToolResult {
  const r = toolErrorResult(cause)
  const t = refusedByServer(cause) ? tool() : undefined
  if (t === undefined) return r
  return { ...r, content: [...r.content, { type: "text", text: takesText(t.name, t.inputSchema) }] }
}
