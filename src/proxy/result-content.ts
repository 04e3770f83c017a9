/**
 * @module proxy/result-content
 * A tool result without `content` is given one. MCP's `CallToolResult` requires it (2025-11-25 and
 * 2026-07-28), and servers leave it out (a result that is only `structuredContent`, an empty `{}`
 * for "done"): the SDK v1 client reads it as `[]`, but the SDK v2 client pinned to 2026-07-28 (and
 * any strict one) refuses the whole answer ("Invalid result for tools/call: content: expected
 * array"), so the call failed there with a schema dump naming no server. The content given is what
 * the spec asks of a tool returning structured content, its JSON as one text block (a client that
 * shows only `content` then shows the answer), or `[]` without it. Results that have `content` go on
 * untouched: a compact one is only searched for the key (`"content"` is in nearly every result), a
 * large one was read by its bytes check (`JsonBytes.noContent`).
 */
import { JsonBytes, RawJson, type Logger } from "../core/index.ts"
import type { CallToolResult, ToolCallOutput } from "./types.ts"

type Obj = Record<string, unknown>

/** `r`, with `content` added when it has none (logged once per server and tool in `told`). */
export function withContent(server: string, tool: string, r: ToolCallOutput, log: Logger, told: Set<string>): ToolCallOutput {
  if (r instanceof RawJson) {
    const j = r.json
    if (j instanceof JsonBytes ? !j.noContent : j.includes('"content"')) return r
  }
  const value = (r instanceof RawJson ? r.value : r) as unknown
  if (typeof value !== "object" || value === null || Array.isArray(value)) return r
  const v = value as Obj
  // present; or no tool result to give one to (an input_required round, a task handle)
  if (v.content !== undefined || (typeof v.resultType === "string" && v.resultType !== "complete") || (typeof v.task === "object" && v.task !== null)) return r
  const structured = v.structuredContent
  const content = typeof structured === "object" && structured !== null ? [{ type: "text" as const, text: JSON.stringify(structured) }] : []
  const key = `${server}\u0000${tool}`
  if (!told.has(key)) {
    told.add(key)
    log.warn("tool result without content: content added (MCP requires it; strict clients refuse such a result)", {
      server,
      tool,
      added: content.length === 0 ? "[] (it has no structuredContent either)" : "its structuredContent as JSON text",
    })
  }
  if (r instanceof RawJson && r.json instanceof JsonBytes) r.json.release()
  return { ...v, content } as CallToolResult
}
