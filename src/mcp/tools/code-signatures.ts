/**
 * @module mcp/tools/code-signatures
 * Compact TypeScript signatures of tools for `run_code`'s description
 * (`memory__create_entities(args: { entities: { name: string; … }[] })`), and the budget check
 * that decides whether they are listed at all: a long fleet gets a pointer to `search` instead.
 */
import { isRecord } from "../../core/index.ts"

export interface SignedTool {
  name: string
  description?: string
  inputSchema?: Record<string, unknown>
  /** When present, `await tools.x()` gives structuredContent of this shape (shown as the return type). */
  outputSchema?: Record<string, unknown>
}

const IDENT = /^[A-Za-z_$][\w$]*$/
/** Nesting shown before an object is abbreviated to `object`. */
const MAX_DEPTH = 3
/** Enum members shown before the rest become `string`. */
const MAX_ENUM = 6

export type Schema = Record<string, unknown>

export const asSchema = (v: unknown): Schema | undefined => (isRecord(v) ? v : undefined)

/** TypeScript type of one JSON value (an enum member). */
function jsonType(v: unknown): string {
  if (v === null) return "null"
  if (Array.isArray(v)) return "unknown[]"
  const t = typeof v
  return t === "string" || t === "number" || t === "boolean" ? t : "object"
}

/** TypeScript type of a JSON Schema, compact and depth-limited. */
export function schemaType(s: Schema | undefined, depth = 0): string {
  if (!s) return "unknown"
  if (Array.isArray(s.enum)) {
    if (s.enum.length <= MAX_ENUM) return s.enum.map((v) => JSON.stringify(v)).join(" | ") || "never"
    // too many to show: the type of the members (a list of 7+ port numbers is not a string)
    const { enum: _members, ...rest } = s
    if (rest.type !== undefined) return schemaType(rest, depth)
    return [...new Set(s.enum.map(jsonType))].join(" | ")
  }
  if (s.const !== undefined) return JSON.stringify(s.const)
  const union = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as unknown[] | undefined
  if (union) return [...new Set(union.map((u) => schemaType(asSchema(u), depth)))].join(" | ")
  const t = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : []
  if (t.length > 1) return t.map((x) => schemaType({ ...s, type: x }, depth)).join(" | ")
  switch (t[0]) {
    case "string":
      return "string"
    case "number":
    case "integer":
      return "number"
    case "boolean":
      return "boolean"
    case "null":
      return "null"
    case "array": {
      const item = schemaType(asSchema(s.items), depth + 1)
      return /[ |]/.test(item) && !item.startsWith("{") ? `(${item})[]` : `${item}[]`
    }
    case "object":
    case undefined:
      if (s.properties === undefined && t[0] === undefined) return "unknown"
      return objectType(s, depth)
    default:
      return "unknown"
  }
}

function objectType(s: Schema, depth: number): string {
  const props = asSchema(s.properties) ?? {}
  const keys = Object.keys(props)
  if (keys.length === 0) return asSchema(s.additionalProperties) ? `Record<string, ${schemaType(asSchema(s.additionalProperties), depth + 1)}>` : "object"
  if (depth >= MAX_DEPTH) return "object"
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : [])
  const fields = keys.map((k) => `${IDENT.test(k) ? k : JSON.stringify(k)}${required.has(k) ? "" : "?"}: ${schemaType(asSchema(props[k]), depth + 1)}`)
  return `{ ${fields.join("; ")} }`
}

/** One line per tool: `name(args: {…})` (`args?: object` without declared arguments), plus `: {…}` for a declared output. */
export function signature(t: SignedTool, withOutput = false): string {
  const type = schemaType(t.inputSchema ?? { type: "object" })
  const call = type === "object" || type === "unknown" ? `${t.name}(args?: object)` : `${t.name}(args: ${type})`
  const out = withOutput && t.outputSchema ? schemaType(t.outputSchema) : undefined
  return out && out !== "object" && out !== "unknown" ? `${call}: ${out}` : call
}

/**
 * The signature block, or undefined when it would not fit `budgetChars` (the caller then points
 * the model at `search`). Sorted by name so the description is stable between lists.
 */
export function signatureBlock(tools: readonly SignedTool[], budgetChars: number): string | undefined {
  // every line is at least `name(args: x)` and a line break: a large fleet is known not to fit
  // without sorting and typing 5 000 signatures on every list change
  let least = 0
  for (const t of tools) if ((least += t.name.length + 10) > budgetChars) return undefined
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  // with the declared output shapes when they fit too, else arguments only
  return block(sorted, budgetChars, true) ?? block(sorted, budgetChars, false)
}

function block(tools: readonly SignedTool[], budgetChars: number, withOutput: boolean): string | undefined {
  const lines: string[] = []
  let used = 0
  for (const t of tools) {
    const line = signature(t, withOutput)
    used += line.length + 1
    if (used > budgetChars) return undefined
    lines.push(line)
  }
  return lines.join("\n")
}
