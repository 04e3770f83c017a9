/**
 * @module mcp/tools/tool-summary
 * The compact form of a tool that search results carry instead of its schema: a one-line summary
 * of the description and an argument signature such as `(path: string, depth?: number)`.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js"
import { schemaType } from "./code-signatures.ts"

/** Longest summary, characters (the first sentence, cut at a word). */
const SUMMARY_MAX = 140
/** An argument type longer than this is shown by its kind only (`object`, `object[]`). */
const TYPE_MAX = 32

export function oneLine(description: string | undefined): string {
  if (!description) return ""
  const flat = description.replace(/\s+/g, " ").trim()
  const sentence = /^(.+?[.!?])(\s|$)/.exec(flat)?.[1] ?? flat
  if (sentence.length <= SUMMARY_MAX) return sentence
  const cut = sentence.slice(0, SUMMARY_MAX - 1)
  const space = cut.lastIndexOf(" ")
  return `${space > SUMMARY_MAX / 2 ? cut.slice(0, space) : cut}…`
}

type Schema = Record<string, unknown>
const asSchema = (v: unknown): Schema | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Schema) : undefined)

/** `(path: string, depth?: number)`: top-level arguments, required ones first as declared. */
export function argSignature(inputSchema: unknown): string {
  const s = asSchema(inputSchema)
  const props = asSchema(s?.properties) ?? {}
  const required = new Set(Array.isArray(s?.required) ? (s.required as string[]) : [])
  const parts = Object.keys(props).map((k) => `${k}${required.has(k) ? "" : "?"}: ${shortType(asSchema(props[k]))}`)
  return `(${parts.join(", ")})`
}

function shortType(s: Schema | undefined): string {
  const full = schemaType(s, 1)
  if (full.length <= TYPE_MAX) return full
  if (full.endsWith("[]")) return "object[]"
  return full.startsWith("{") || full.startsWith("Record<") ? "object" : full.slice(0, TYPE_MAX - 1) + "…"
}

/** The annotation hints a client's approval UI cares about (absent when the tool has none). */
export function hints(t: Pick<Tool, "annotations">): Record<string, boolean> | undefined {
  const a = t.annotations
  if (!a) return undefined
  const out: Record<string, boolean> = {}
  for (const k of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) if (typeof a[k] === "boolean") out[k] = a[k]
  return Object.keys(out).length ? out : undefined
}
