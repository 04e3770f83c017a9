/**
 * @module proxy/old-client-content
 * Content blocks newer than a client's protocol version, said as text: a `resource_link` (2025-06-18)
 * to a client of 2025-03-26 or older, an `audio` block (2025-03-26) to one of 2024-11-05 or older.
 * Such a client's SDK rejects the whole result for one unknown block type; as a text block it reads
 * what was there. Results without such blocks go on untouched (a raw result is only searched, not
 * parsed; a large one kept as its bytes, `JsonBytes`, by the block types its bytes check found); one
 * with them is parsed and rewritten, whatever its size (the same answer for the same bytes).
 */
import { JsonBytes, RawJson } from "../core/index.ts"
import type { ToolCallOutput } from "./types.ts"

const LINKS_SINCE = "2025-06-18"
const AUDIO_SINCE = "2025-03-26"

/** For a client of `version`, the rewrite its tool results need, or undefined (current clients). */
export function oldClientContent(version: string | undefined): ((r: ToolCallOutput) => ToolCallOutput) | undefined {
  if (version === undefined || version >= LINKS_SINCE) return undefined
  const audio = version < AUDIO_SINCE
  return (r) => rewrite(r, version, audio)
}

function rewrite(r: ToolCallOutput, version: string, audio: boolean): ToolCallOutput {
  if (r instanceof RawJson) {
    const j = r.json
    if (typeof j === "string") {
      if (!j.includes('"resource_link"') && !(audio && j.includes('"audio"'))) return r
      // a large one: its block types were read with its bytes check (else it is parsed to know)
    } else if (j.types !== undefined && !j.types.has("resource_link") && !(audio && j.types.has("audio"))) return r
  }
  const value = (r instanceof RawJson ? r.value : r) as { content?: unknown }
  const content = value.content
  if (!Array.isArray(content) || !content.some((b) => isNewer(b, audio))) return r
  if (r instanceof RawJson && r.json instanceof JsonBytes) r.json.release()
  return { ...value, content: content.map((b) => (isNewer(b, audio) ? asText(b as Record<string, unknown>, version) : b)) } as ToolCallOutput
}

function isNewer(b: unknown, audio: boolean): boolean {
  const type = (b as { type?: unknown } | null)?.type
  return type === "resource_link" || (audio && type === "audio")
}

function asText(b: Record<string, unknown>, version: string): { type: "text"; text: string } {
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined)
  if (b.type === "audio") {
    const size = typeof b.data === "string" ? `, ${b.data.length} base64 characters` : ""
    return { type: "text", text: `[audio (${str(b.mimeType) ?? "unknown type"}${size}) left out: protocol ${version} has no audio content]` }
  }
  const mime = str(b.mimeType)
  const about = str(b.description)
  return { type: "text", text: `[resource link] ${str(b.title) ?? str(b.name) ?? "resource"}: ${String(b.uri)}${mime ? ` (${mime})` : ""}${about ? ` - ${about}` : ""}` }
}
