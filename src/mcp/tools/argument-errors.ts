/**
 * @module mcp/tools/argument-errors
 * Invalid arguments of an own tool, in words a model can act on: what each bad argument must be
 * (from the tool's zod schema: "a list of strings", "one of "a", "b""), what it got, and an
 * example, instead of zod's raw messages (which, for a string given where a list is expected, add
 * a "Too big: expected string to have <=10 characters" from the list's own length check). Also
 * the one leniency: a single string where a list of strings is expected is read as a one-item list
 * (`describe_tools {"names": "x"}` means `["x"]`).
 */
import type { z } from "zod"
import { cutText } from "../../core/index.ts"

/** What zod reports per problem (the fields read here). */
export interface ArgIssue {
  code: string
  path: readonly PropertyKey[]
  message: string
  expected?: string
  origin?: string
  minimum?: number | bigint
  maximum?: number | bigint
  inclusive?: boolean
  keys?: readonly string[]
  values?: readonly unknown[]
}

interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  element?: z.ZodType
  innerType?: z.ZodType
  valueType?: z.ZodType
  options?: readonly z.ZodType[]
  entries?: Record<string, unknown>
  values?: readonly unknown[]
  in?: z.ZodType
}

function defOf(s: z.ZodType | undefined): Def | undefined {
  return (s as unknown as { _zod?: { def?: Def } } | undefined)?._zod?.def
}

/** `s` without optional/default/nullable wrappers. */
function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  for (let i = 0; i < 16 && s; i++) {
    const d = defOf(s)
    if (d?.innerType && (d.type === "optional" || d.type === "default" || d.type === "nullable" || d.type === "readonly" || d.type === "prefault" || d.type === "catch" || d.type === "nonoptional")) s = d.innerType
    else if (d?.type === "pipe" && d.in) s = d.in
    else break
  }
  return s
}

/** The schema of the value at `path` under `root`, when the path leads somewhere. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = root
  for (const k of path) {
    const d = defOf(unwrap(s))
    if (d?.type === "object" && d.shape) s = d.shape[String(k)]
    else if (d?.type === "array") s = d.element
    else if (d?.type === "record") s = d.valueType
    else return undefined
  }
  return s
}

/** What a schema accepts, in words: "a string", "a list of strings", "one of "a", "b"". */
export function expectedWords(schema: z.ZodType | undefined, plural = false): string {
  const s = unwrap(schema)
  const d = defOf(s)
  const one = (singular: string, many: string): string => (plural ? many : singular)
  switch (d?.type) {
    case "string":
      return one("a string", "strings")
    case "number":
    case "int":
      return one("a number", "numbers")
    case "bigint":
      return one("a whole number", "whole numbers")
    case "boolean":
      return one("true or false", "true/false values")
    case "array":
      return one(`a list of ${expectedWords(d.element, true)}`, `lists of ${expectedWords(d.element, true)}`)
    case "object":
    case "record":
      return one("an object", "objects")
    case "enum":
      return `${plural ? "each " : ""}one of ${Object.values(d.entries ?? {}).map((v) => JSON.stringify(v)).join(", ")}`
    case "literal":
      return (d.values ?? []).map((v) => JSON.stringify(v)).join(" or ")
    case "union":
      return (d.options ?? []).map((o) => expectedWords(o, plural)).join(" or ")
    case "null":
      return "null"
    default:
      return one("a value", "values")
  }
}

/** What was given, in words. */
function receivedWords(v: unknown): string {
  if (v === null) return "null"
  if (Array.isArray(v)) return v.length ? `a list of ${v.length} item${v.length === 1 ? "" : "s"}` : "an empty list"
  switch (typeof v) {
    case "string":
      return `a string (${JSON.stringify(v.length > 40 ? `${cutText(v, 40)}…` : v)})`
    case "number":
    case "boolean":
      return `${typeof v} ${String(v)}`
    case "object":
      return "an object"
    default:
      return typeof v
  }
}

function valueAt(args: unknown, path: readonly PropertyKey[]): unknown {
  let v = args
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined
    v = (v as Record<PropertyKey, unknown>)[k as string]
  }
  return v
}

function pathText(path: readonly PropertyKey[]): string {
  let out = ""
  for (const k of path) out += typeof k === "number" ? `[${k}]` : out ? `.${String(k)}` : String(k)
  return out || "the arguments"
}

function count(n: number | bigint | undefined, what: string): string {
  return `${String(n)} ${what}${n === 1 || n === 1n ? "" : "s"}`
}

function bound(i: ArgIssue, at: string, least: boolean): string {
  const n = least ? i.minimum : i.maximum
  const word = least ? "at least" : "at most"
  switch (i.origin) {
    case "array":
    case "set":
      return least && Number(n) === 1 && i.inclusive !== false ? `${at} must not be an empty list: give at least one item` : `${at} must be a list of ${word} ${count(n, "item")}`
    case "string":
      return least && Number(n) === 1 && i.inclusive !== false ? `${at} must not be empty` : `${at} must be ${word} ${count(n, "character")} long`
    case "number":
    case "int":
    case "bigint":
      return `${at} must be ${i.inclusive === false ? (least ? "greater than" : "less than") : word} ${String(n)}`
    default:
      return `${at}: ${i.message}`
  }
}

export interface ArgumentContext {
  /** The tool's input schema. */
  schema: z.ZodType
  /** The arguments as given. */
  args: unknown
  /** The tool's example arguments, shown after the problems. */
  example?: unknown
}

/**
 * One line per bad argument. An issue at a path where the value has the wrong type is the only one
 * reported for that path (zod also runs the list's length check on a string given for a list).
 */
export function argumentProblems(issues: readonly ArgIssue[], ctx: ArgumentContext): string[] {
  const wrongType = new Set(issues.filter((i) => i.code === "invalid_type").map((i) => pathText(i.path)))
  const lines: string[] = []
  for (const i of issues) {
    const at = pathText(i.path)
    if (i.code !== "invalid_type" && wrongType.has(at)) continue
    const schema = schemaAt(ctx.schema, i.path)
    const given = valueAt(ctx.args, i.path)
    const about = schema?.description ? ` (${schema.description})` : ""
    switch (i.code) {
      case "invalid_type": {
        if (i.path.length === 0) {
          lines.push(`the arguments must be an object; got ${receivedWords(given)}`)
          break
        }
        const expected = i.expected === "int" ? "a whole number" : expectedWords(schema)
        const example = exampleFor(schema, given, ctx.example, i.path)
        if (given === undefined) lines.push(`${at} is required: ${expected}${about}${example}`)
        else lines.push(`${at} must be ${expected}${about}${example}; got ${receivedWords(given)}`)
        break
      }
      case "too_small":
        lines.push(bound(i, at, true))
        break
      case "too_big":
        lines.push(bound(i, at, false))
        break
      case "unrecognized_keys": {
        const keys = i.keys ?? []
        const shape = defOf(unwrap(schemaAt(ctx.schema, i.path)))?.shape ?? {}
        const known = Object.entries(shape).map(([k, s]) => (defOf(s)?.type === "optional" || defOf(s)?.type === "default" ? `${k} (optional)` : k))
        lines.push(`unknown argument${keys.length === 1 ? "" : "s"} ${keys.map((k) => JSON.stringify(k)).join(", ")}${i.path.length ? ` in ${at}` : ""}; the arguments are: ${known.join(", ") || "none"}`)
        break
      }
      case "invalid_value":
        lines.push(`${at} must be ${(i.values ?? []).length > 1 ? "one of " : ""}${(i.values ?? []).map((v) => JSON.stringify(v)).join(", ")}; got ${receivedWords(given)}`)
        break
      case "invalid_union":
        lines.push(`${at} must be ${expectedWords(schema)}${about}; got ${receivedWords(given)}`)
        break
      default:
        lines.push(`${at}: ${i.message}`)
    }
  }
  if (ctx.example !== undefined) lines.push(`Example arguments: ${JSON.stringify(ctx.example)}`)
  return lines
}

/** ", e.g. [\"x\"]" for a string given where a list of strings is expected; else the example's value at `path`. */
function exampleFor(schema: z.ZodType | undefined, given: unknown, example: unknown, path: readonly PropertyKey[]): string {
  const d = defOf(unwrap(schema))
  if (d?.type === "array" && typeof given === "string" && given.trim() !== "" && given.length <= 80 && defOf(unwrap(d.element))?.type === "string") return `, e.g. ${JSON.stringify([given])}`
  const v = valueAt(example, path)
  if (v === undefined) return ""
  const text = JSON.stringify(v)
  return text.length <= 80 ? `, e.g. ${text}` : ""
}

/**
 * `args` with each top-level string given where a list of strings is expected made a one-item
 * list, when `issues` hold such a case; else undefined. The caller validates the result again.
 */
export function oneItemLists(issues: readonly ArgIssue[], schema: z.ZodType, args: unknown): Record<string, unknown> | undefined {
  if (args === null || typeof args !== "object" || Array.isArray(args)) return undefined
  let out: Record<string, unknown> | undefined
  for (const i of issues) {
    if (i.code !== "invalid_type" || i.expected !== "array" || i.path.length !== 1) continue
    const key = String(i.path[0])
    const v = (args as Record<string, unknown>)[key]
    if (typeof v !== "string") continue
    const d = defOf(unwrap(schemaAt(schema, i.path)))
    if (d?.type !== "array" || defOf(unwrap(d.element))?.type !== "string") continue
    out ??= { ...(args as Record<string, unknown>) }
    out[key] = [v]
  }
  return out
}
