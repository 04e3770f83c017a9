/**
 * @module core/param-headers
 * `Mcp-Param-{Name}` headers of the 2026-07-28 Streamable HTTP transport (SEP-2243): a tool's
 * `inputSchema` may mark primitive properties, reachable from the root through `properties` only,
 * with `"x-mcp-header": "Name"`; a client mirrors those arguments into headers on each `tools/call`,
 * and a server rejects a call whose headers disagree with its arguments (400, -32020). A value that
 * is not a plain ASCII field value travels as `=?base64?<UTF-8 as Base64>?=`.
 */
import { utf8TextStrict } from "./utf8.ts"

export const PARAM_HEADER_PREFIX = "Mcp-Param-"
const MARK = "x-mcp-header"
/** RFC 9110 token: what a header name may be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** The spec admits string, integer and boolean; `number` is checked too, as SDK servers do. */
const PRIMITIVE = new Set(["string", "integer", "number", "boolean"])
/** Subschemas outside the `properties` chain: a mark under one makes the definition invalid. */
const ELSEWHERE = ["items", "prefixItems", "contains", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "propertyNames", "not", "if", "then", "else"]
const ELSEWHERE_LISTS = ["oneOf", "anyOf", "allOf"]
const ELSEWHERE_MAPS = ["patternProperties", "dependentSchemas", "$defs", "definitions"]

export interface ParamHeader {
  /** Property names from the root arguments object to the value. */
  path: readonly string[]
  /** As declared (header names compare case-insensitively). */
  name: string
  /** The property's JSON Schema type: integers and numbers compare numerically. */
  type: string
}

export type ParamHeaderScan = { ok: true; headers: readonly ParamHeader[] } | { ok: false; why: string }

const NONE: ParamHeaderScan = { ok: true, headers: [] }
const scans = new WeakMap<object, ParamHeaderScan>()

/** The `x-mcp-header` declarations of a tool's `inputSchema` (memoised per schema object), or why they are invalid. */
export function scanParamHeaders(inputSchema: unknown): ParamHeaderScan {
  if (typeof inputSchema !== "object" || inputSchema === null) return NONE
  let scan = scans.get(inputSchema)
  if (scan === undefined) scans.set(inputSchema, (scan = scan0(inputSchema)))
  return scan
}

function scan0(root: object): ParamHeaderScan {
  // most schemas declare none: one text search before any walk
  if (!JSON.stringify(root).includes(`"${MARK}"`)) return NONE
  const headers: ParamHeader[] = []
  const seen = new Set<string>()
  const visit = (node: unknown, path: string[], reachable: boolean): string | undefined => {
    if (typeof node !== "object" || node === null) return undefined
    const s = node as Record<string, unknown>
    if (MARK in s) {
      const where = path.length ? path.join(".") : "<root>"
      if (!reachable || path.length === 0) return `${where}: ${MARK} is allowed only on a property reached through "properties"`
      const name = s[MARK]
      if (typeof name !== "string" || !TOKEN.test(name)) return `${where}: ${MARK} must be a header name token`
      if (typeof s.type !== "string" || !PRIMITIVE.has(s.type)) return `${where}: ${MARK} is allowed only on a string, integer, number or boolean property`
      if (seen.has(name.toLowerCase())) return `${where}: ${MARK} "${name}" is declared twice`
      seen.add(name.toLowerCase())
      headers.push({ path, name, type: s.type })
    }
    if (typeof s.properties === "object" && s.properties !== null) {
      for (const [k, v] of Object.entries(s.properties)) {
        const why = visit(v, [...path, k], reachable)
        if (why) return why
      }
    }
    for (const k of ELSEWHERE) {
      const why = visit(s[k], path, false)
      if (why) return why
    }
    for (const k of ELSEWHERE_LISTS) {
      for (const v of Array.isArray(s[k]) ? (s[k] as unknown[]) : []) {
        const why = visit(v, path, false)
        if (why) return why
      }
    }
    for (const k of ELSEWHERE_MAPS) {
      const m = s[k]
      for (const v of typeof m === "object" && m !== null ? Object.values(m) : []) {
        const why = visit(v, path, false)
        if (why) return why
      }
    }
    return undefined
  }
  const why = visit(root, [], true)
  return why ? { ok: false, why } : { ok: true, headers }
}

/** Per tool list (lists are replaced, never changed): the declarations by tool name, of tools that declare some. */
const byList = new WeakMap<readonly object[], ReadonlyMap<string, readonly ParamHeader[]>>()

/** The valid `x-mcp-header` declarations of a tool list, by tool name (memoised per list array). */
export function declaredParamHeaders(tools: readonly { name: string; inputSchema?: unknown }[]): ReadonlyMap<string, readonly ParamHeader[]> {
  let m = byList.get(tools)
  if (m === undefined) {
    const found = new Map<string, readonly ParamHeader[]>()
    for (const t of tools) {
      const scan = scanParamHeaders(t.inputSchema)
      if (scan.ok && scan.headers.length > 0) found.set(t.name, scan.headers)
    }
    byList.set(tools, (m = found))
  }
  return m
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let v = args
  for (const k of path) {
    if (typeof v !== "object" || v === null) return undefined
    v = (v as Record<string, unknown>)[k]
  }
  return v
}

/** An argument as its header text; undefined for a value no header carries (absent, null, not primitive). */
function asText(v: unknown): string | undefined {
  if (typeof v === "string") return v
  if (typeof v === "boolean") return v ? "true" : "false"
  if (typeof v === "number" && Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v))) return String(v)
  return undefined
}

const SENTINEL_START = "=?base64?"
const SENTINEL_END = "?="
const isSentinel = (s: string): boolean => s.length >= SENTINEL_START.length + SENTINEL_END.length && s.startsWith(SENTINEL_START) && s.endsWith(SENTINEL_END)
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const DECIMAL = /^-?\d+(\.\d+)?$/

function needsBase64(s: string): boolean {
  if (s === "" || s !== s.trim() || isSentinel(s)) return true
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c !== 9 && (c < 32 || c > 126)) return true
  }
  return false
}

/** A header value for `text`: as it is when it is a plain ASCII field value, else the Base64 form. */
export function encodeParamValue(text: string): string {
  return needsBase64(text) ? `${SENTINEL_START}${Buffer.from(text, "utf8").toString("base64")}${SENTINEL_END}` : text
}

/**
 * A received header value as the sender meant it: the Base64 form decoded (its payload must be
 * canonical Base64 of valid UTF-8: undefined otherwise), anything else as it is.
 */
export function decodeParamValue(raw: string): string | undefined {
  if (!isSentinel(raw)) return raw
  const b64 = raw.slice(SENTINEL_START.length, raw.length - SENTINEL_END.length)
  if (!CANONICAL_BASE64.test(b64)) return undefined
  try {
    return utf8TextStrict(Buffer.from(b64, "base64"))
  } catch {
    return undefined
  }
}

/** The `Mcp-Param-*` headers of one call: one per declared argument present as a primitive. */
export function paramHeaders(declared: readonly ParamHeader[], args: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const d of declared) {
    const text = asText(valueAt(args, d.path))
    if (text !== undefined) out[PARAM_HEADER_PREFIX + d.name] = encodeParamValue(text)
  }
  return out
}

/**
 * Why a call's headers disagree with its arguments (a server's check), or undefined: each declared
 * argument present must come with its header, decoding to an equal value (integers and numbers
 * compared as numbers); a header whose argument is absent is not looked at.
 */
export function paramHeaderProblem(declared: readonly ParamHeader[], args: unknown, header: (name: string) => string | null): string | undefined {
  for (const d of declared) {
    const value = valueAt(args, d.path)
    const want = asText(value)
    if (want === undefined) continue
    const key = PARAM_HEADER_PREFIX + d.name
    const raw = header(key)
    if (raw === null) return `the ${key} header is required (argument ${d.path.join(".")})`
    const got = decodeParamValue(raw)
    if (got === undefined) return `${key} carries an invalid Base64 value`
    const numeric = (d.type === "integer" || d.type === "number") && typeof value === "number" && DECIMAL.test(got)
    if (numeric ? Number(got) !== value : got !== want) return `${key} does not match the argument ${d.path.join(".")}`
  }
  return undefined
}
