/**
 * @module mcp/tools/tool-summary
 * The compact form of a tool that search results carry instead of its schema: a one-line summary
 * of the description and an argument signature such as `(path: string, depth?: number)`.
 */
import type { Tool } from "@modelcontextprotocol/client"
import { cutText } from "../../core/index.ts"
import { asSchema, schemaType, type Schema } from "./code-signatures.ts"

/** Longest summary, characters (the first sentence, cut at a word). */
const SUMMARY_MAX = 100
/** An argument type longer than this is shown by its kind only (`object`, `object[]`). */
const TYPE_MAX = 32

export function oneLine(description: string | undefined): string {
  if (!description) return ""
  const flat = description.replace(/\s+/g, " ").trim()
  const sentence = /^(.+?[.!?])(\s|$)/.exec(flat)?.[1] ?? flat
  if (sentence.length <= SUMMARY_MAX) return sentence
  const cut = cutText(sentence, SUMMARY_MAX - 1)
  const space = cut.lastIndexOf(" ")
  return `${space > SUMMARY_MAX / 2 ? cut.slice(0, space) : cut}…`
}


/** Optional arguments are shown while the signature stays within this many characters. */
const SIGNATURE_MAX = 70

/**
 * `(path: string, depth?: number)`: required arguments first (all of them), then optional ones
 * while the line stays short; `…` marks optional arguments left out (describe_tools has them all).
 */
export function argSignature(inputSchema: unknown, limits: { typeMax: number; signatureMax: number; requiredMax?: number } = { typeMax: TYPE_MAX, signatureMax: SIGNATURE_MAX }): string {
  const s = asSchema(inputSchema)
  const props = asSchema(s?.properties) ?? {}
  const required = new Set(Array.isArray(s?.required) ? (s.required as string[]) : [])
  const keys = Object.keys(props)
  const parts: string[] = []
  let used = 0
  const requiredKeys = keys.filter((k) => required.has(k))
  for (const k of requiredKeys) {
    const part = `${k}: ${shortType(asSchema(props[k]), limits.typeMax)}`
    // `requiredMax`: a tool with thousands of required arguments is not spelled out whole
    if (limits.requiredMax !== undefined && used + part.length + 2 > limits.requiredMax) {
      parts.push(`… ${requiredKeys.length - parts.length} more required`)
      return `(${parts.join(", ")})`
    }
    parts.push(part)
    used += part.length + 2
  }
  used = parts.join(", ").length
  let omitted = false
  for (const k of keys.filter((k) => !required.has(k))) {
    const part = `${k}?: ${shortType(asSchema(props[k]), limits.typeMax)}`
    if (omitted || used + part.length + 2 > limits.signatureMax) {
      omitted = true
      continue
    }
    parts.push(part)
    used += part.length + 2
  }
  if (omitted) parts.push("…")
  return `(${parts.join(", ")})`
}

function shortType(s: Schema | undefined, max: number): string {
  const full = schemaType(s, 1)
  if (full.length <= max) return full
  if (full.endsWith("[]")) return "object[]"
  return full.startsWith("{") || full.startsWith("Record<") ? "object" : cutText(full, max - 1) + "…"
}

/** The hints an approval UI acts on: readOnlyHint / destructiveHint when true (absent otherwise; describe_tools has all). */
export function hints(t: Pick<Tool, "annotations">): Record<string, boolean> | undefined {
  const a = t.annotations
  if (!a) return undefined
  const out: Record<string, boolean> = {}
  for (const k of ["readOnlyHint", "destructiveHint"] as const) if (a[k] === true) out[k] = true
  return Object.keys(out).length ? out : undefined
}
