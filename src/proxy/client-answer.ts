/**
 * @module proxy/client-answer
 * A client's answer to a downstream's request (roots/list, sampling/createMessage,
 * elicitation/create) is checked against that request's MCP result schema before it goes to the
 * downstream. Passed on unchecked, a malformed answer (`{roots: "notarray"}`, `{bogus: true}`,
 * `{action: "maybe"}`) failed in the downstream's SDK, and the user saw its raw zod dump as the
 * tool's result, with nothing saying the client was at fault. Now the downstream gets a -32602
 * naming the client and the field that is wrong. Lenient as the MCP schema is: extra fields and
 * `_meta` pass (and go on as they came: the answer is checked, never rewritten).
 */
import { z } from "zod"
import { ProtocolError, quoteName } from "../core/index.ts"

const Meta = z.record(z.string(), z.unknown()).optional()

const Root = z.object({ uri: z.string().startsWith("file://", { message: "must be a file:// URI" }), name: z.string().optional(), _meta: Meta })
const RootsResult = z.object({ roots: z.array(Root), _meta: Meta })

const Text = z.object({ type: z.literal("text"), text: z.string() })
const Media = z.object({ type: z.enum(["image", "audio"]), data: z.string(), mimeType: z.string() })
const ToolUse = z.object({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) })
const ToolResult = z.object({ type: z.literal("tool_result"), toolUseId: z.string(), content: z.array(z.unknown()) })
const Block = z.discriminatedUnion("type", [Text, Media, ToolUse, ToolResult])

/** As the MCP schema (2025-11-25) has it: a block or a list of them (a downstream's SDK may take less: that is its to say). */
const SamplingResult = z.object({ model: z.string(), role: z.enum(["user", "assistant"]), stopReason: z.string().optional(), content: z.union([Block, z.array(Block)]), _meta: Meta })

const ElicitResult = z.object({
  action: z.enum(["accept", "decline", "cancel"]),
  // null is read as absent, as the SDKs do
  content: z.union([z.null(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))]).optional(),
  _meta: Meta,
})

/** The result schema of `method`'s answer; undefined for a method not relayed (nothing to check). */
function schemaOf(method: string): z.ZodType | undefined {
  if (method === "roots/list") return RootsResult
  if (method === "sampling/createMessage") return SamplingResult
  if (method === "elicitation/create") return ElicitResult
  return undefined
}

/** Issues named in the refusal; more are counted. */
const SHOWN_ISSUES = 3

/** `issue` as "field: what is wrong" (the path as `roots[0].uri`; the whole result when there is none). */
function described(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("")
  // zod says an absent field as "received undefined": said as missing
  const what = issue.message.replace(/^Invalid input: expected (\w+), received undefined$/, "missing (a $1 is required)")
  return `${path ? quoteName(path, 80) : "the result"}: ${what}`
}

/**
 * `answer` when it is a valid result of `method`; else throws the -32602 the downstream gets,
 * naming `client` (as the client introduced itself) and the fields that are wrong.
 */
export function checkedClientAnswer(server: string, method: string, answer: unknown, client: string): unknown {
  const schema = schemaOf(method)
  if (schema === undefined) return answer
  const r = schema.safeParse(answer)
  if (r.success) return answer
  const issues = r.error.issues
  const shown = issues.slice(0, SHOWN_ISSUES).map(described).join("; ")
  const more = issues.length > SHOWN_ISSUES ? `; ${issues.length - SHOWN_ISSUES} more` : ""
  throw new ProtocolError(-32602, `The client connected to mcp-orchestrator (${client}) answered ${method} with an invalid result (${shown}${more}); it was not passed on: the client must answer as the MCP schema says`, {
    remedy: "The client must answer as the MCP schema says; report it to the client's authors. Meanwhile, use the tool without that feature or from another client.",
    details: { server, method, client, badClientAnswer: true, fields: issues.slice(0, SHOWN_ISSUES).map((i) => i.path.join(".")) },
  })
}

/** The refusal `checkedClientAnswer` threw, or undefined for any other failure. */
export function badClientAnswer(err: unknown): { client: string; fields: string[] } | undefined {
  const d = err instanceof ProtocolError ? err.details : undefined
  return d?.badClientAnswer === true ? { client: String(d.client), fields: d.fields as string[] } : undefined
}
