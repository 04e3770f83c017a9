/**
 * @module pool/push-refusal
 * A dual-era server written the 2025 way asks its client for input by sending a request from inside
 * a handler (`elicitation/create`, `sampling/createMessage`, `roots/list`: the SDK v2's deprecated
 * `ctx.mcpReq.elicitInput`, `requestSampling`, `listRoots`). In a 2026-07-28 session it cannot (the
 * revision forbids server→client requests), and its SDK refuses the request inside the handler: the
 * call ends with that refusal as a tool error (or a JSON-RPC error for prompts/get, resources/read).
 * Spoken to in the 2025-11-25 era the same server asks, and the client answers. This reads that refusal.
 */
import { isToolError, unwrapRaw } from "../core/index.ts"

/** The SDK v2 refusal ("Server-to-client requests are not available on protocol revision 2026-07-28: 'elicitation/create' cannot be sent …"). */
const REFUSAL = /server-to-client requests? (?:are|is) not (?:available|supported|allowed) on (?:protocol )?(?:revision|version) 2026-07-28\b[^']{0,40}(?:'([a-z]+\/[A-Za-z]+)')?/i

/** The method a modern server's handler could not send, when `text` is that refusal ("a request" when it names none); else undefined. */
export function pushRefusalIn(text: string): string | undefined {
  const m = REFUSAL.exec(text.length > 2000 ? text.slice(0, 2000) : text)
  return m === null ? undefined : (m[1] ?? "a request")
}

/** The method a tool result refused to send (an error result whose only text block is the refusal), else undefined. */
export function pushRefusalOf(result: unknown): string | undefined {
  if (!isToolError(result)) return undefined
  const content = (unwrapRaw(result) as { content?: unknown }).content
  if (!Array.isArray(content) || content.length !== 1) return undefined
  const block = content[0] as { type?: unknown; text?: unknown } | null
  return block?.type === "text" && typeof block.text === "string" ? pushRefusalIn(block.text) : undefined
}
