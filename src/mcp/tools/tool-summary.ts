/**
 * @module mcp/tools/tool-summary
 * The compact form of a tool that search results carry instead of its schema: a one-line summary
 * of the description and an argument signature such as `(path: string, depth?: number)`.
 */
import type { Tool } from "@modelcontextprotocol/client"
import { cutText } from "../../core/index.ts"
import { asSchema, objectShape, otherKeysType, schemaType, typeContext, type Schema, type TypeContext } from "./code-signatures.ts"

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


/** Required arguments of a search hit are spelled out up to this many characters (then `… N more required`). */
const REQUIRED_MAX = 300

/** Optional arguments are shown while the signature stays within this many characters. */
const SIGNATURE_MAX = 70

/**
 * `(path: string, depth?: number)`: required arguments first (all of them), then optional ones
 * while the line stays short; `…` marks optional arguments left out (describe_tools has them all).
 */
export function argSignature(inputSchema: unknown, limits: Limits = { typeMax: TYPE_MAX, signatureMax: SIGNATURE_MAX, requiredMax: REQUIRED_MAX }): string {
  const ctx = typeContext(inputSchema)
  const shape = objectShape(inputSchema, ctx)
  const alternatives = Object.keys(shape.properties).length === 0 ? alternativeShapes(shape.schema, ctx) : undefined
  if (alternatives) {
    // arguments in one of several shapes (a root anyOf/oneOf of objects): each, while the line stays short
    const sigs: string[] = []
    let used = 0
    for (const a of alternatives) {
      const sig = argList(a, limits, ctx)
      if (sigs.length > 0 && used + sig.length + 3 > limits.signatureMax) {
        sigs.push("…")
        break
      }
      sigs.push(sig)
      used += sig.length + 3
    }
    return sigs.join(" | ")
  }
  return argList(shape, limits, ctx)
}

type Limits = { typeMax: number; signatureMax: number; requiredMax?: number }
type Shape = { properties: Schema; required: Set<string>; schema: Schema | undefined }

/** The object shapes of a root `anyOf`/`oneOf` whose members are objects with properties (undefined when it has none such). */
function alternativeShapes(s: Schema | undefined, ctx: TypeContext): Shape[] | undefined {
  const members = Array.isArray(s?.anyOf) ? s.anyOf : Array.isArray(s?.oneOf) ? s.oneOf : undefined
  if (!members) return undefined
  const shapes = members.slice(0, 20).map((m) => objectShape(m, ctx)).filter((m) => Object.keys(m.properties).length > 0)
  return shapes.length > 0 ? shapes : undefined
}

function argList(shape: Shape, limits: Limits, ctx: TypeContext): string {
  const { properties: props, required } = shape
  const keys = Object.keys(props)
  const parts: string[] = []
  let used = 0
  const requiredKeys = keys.filter((k) => required.has(k))
  for (const k of requiredKeys) {
    const part = `${keyText(k)}: ${shortType(asSchema(props[k]), limits.typeMax, ctx)}`
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
    if (omitted) continue
    const part = `${keyText(k)}?: ${shortType(asSchema(props[k]), limits.typeMax, ctx)}`
    if (used + part.length + 2 > limits.signatureMax) {
      omitted = true
      continue
    }
    parts.push(part)
    used += part.length + 2
  }
  if (omitted) parts.push("…")
  // an object that takes other keys too (a map of labels, headers): said, as TypeScript says it
  const other = otherKeysType(shape.schema, ctx)
  if (other !== undefined && !omitted) {
    const type = other.length <= limits.typeMax ? other : "unknown"
    parts.push(`[key: string]: ${type}`)
  }
  return `(${parts.join(", ")})`
}

/** A property name as shown: a long one is cut (a key is not a place for a paragraph). */
function keyText(k: string): string {
  return k.length > KEY_MAX ? `${cutText(k, KEY_MAX - 1)}…` : k
}
const KEY_MAX = 64

function shortType(s: Schema | undefined, max: number, ctx: TypeContext): string {
  // a fresh budget per argument: one large argument does not leave the others `unknown`
  const full = schemaType(s, 1, { ...ctx, active: new Set(["#"]), visits: 2000 })
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
