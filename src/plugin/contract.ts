/**
 * @module plugin/contract
 * The plugin contract as zod schemas: the default export (as described by the sandbox, functions
 * shown as `{"$fn": true}`) and the result of every hook. plugins/types.d.ts mirrors it for authors.
 */
import { z } from "zod"
import { CONFIG_SERVER_NAME_RE, DOWNSTREAM_TOOL_NAME_RE, EXPOSED_TOOL_NAME_RE, REDACTED } from "../core/index.ts"
import { suggest } from "../config/index.ts"
import { visibleText } from "../sandbox/visible.ts"

/** Toolkit output kinds a parser may override (same as `mcp-orchestrator parse <kind>`). */
export const PARSER_KINDS = ["servers", "catalog", "tools", "inspect", "secrets", "profiles", "profile", "config", "catalogs"] as const
export type ParserKind = (typeof PARSER_KINDS)[number]

export const HOOKS = ["route", "tools", "prompt", "parse"] as const
export type HookName = (typeof HOOKS)[number]

export const PLUGIN_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
export const PROMPT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

const Fn = z.object({ $fn: z.literal(true) }, { error: "expected a function" })

/** Control characters (but newline and tab) and bidi controls: they would drive the terminal that lists the plugin, or hide text from the model. */
const CONTROL_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/
/**
 * Invisible code points (Unicode format characters: zero-width space and joiners, word joiner,
 * BOM, soft hyphen, tag characters…; and every Default_Ignorable_Code_Point: variation selectors,
 * fillers): text a person reading the plugin does not see and the model does (hidden
 * instructions in a prompt description). The ones ordinary emoji need are allowed (see
 * `hiddenCharacter`), as catalog/sanitize keeps them in a downstream's text.
 */
const INVISIBLE_RE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u
const VARIATION_SELECTOR_RE = /^[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]$/u
const PICTOGRAPH_RE = /^\p{Extended_Pictographic}$/u

/**
 * The first invisible code point of `v` that is not part of an ordinary emoji (one variation
 * selector right after a visible character, ❤️; one zero-width joiner between two pictographs, 👩‍💻),
 * with its UTF-16 index; undefined when there is none.
 */
function hiddenCharacter(v: string): { cp: number; index: number } | undefined {
  if (!INVISIBLE_RE.test(v)) return undefined
  const cps = Array.from(v)
  let index = 0
  for (let i = 0; i < cps.length; index += cps[i]!.length, i++) {
    const c = cps[i]!
    if (!INVISIBLE_RE.test(c)) continue
    const prev = cps[i - 1]
    if (VARIATION_SELECTOR_RE.test(c) && prev !== undefined && !INVISIBLE_RE.test(prev)) continue
    // the pictograph before a joiner may carry its one selector (❤️‍🔥)
    const base = prev === "\uFE0F" ? cps[i - 2] : prev
    if (c === "\u200D" && base !== undefined && PICTOGRAPH_RE.test(base) && PICTOGRAPH_RE.test(cps[i + 1] ?? "")) continue
    return { cp: c.codePointAt(0)!, index }
  }
  return undefined
}

const hex = (cp: number): string => cp.toString(16).toUpperCase().padStart(4, "0")

/**
 * A plain text field of the export (version, descriptions, titles): at most `max` characters, no
 * control characters, no invisible ones: refused at load naming the field and the character, as
 * control characters are (a plugin is a file its author can fix; stripping would change silently
 * what the author wrote and the model reads).
 */
const Text = (max: number, params?: { error: string }) =>
  z
    .string(params)
    .max(max)
    .superRefine((v, ctx) => {
      const m = CONTROL_RE.exec(v)
      if (m) {
        ctx.addIssue({ code: "custom", message: `contains a control character (U+${hex(m[0].charCodeAt(0))} at ${m.index}); expected plain text (newlines and tabs are fine)` })
        return
      }
      const h = hiddenCharacter(v)
      if (h) ctx.addIssue({ code: "custom", message: `contains an invisible character (U+${hex(h.cp)} at ${h.index}: zero-width, format or tag characters hide text from whoever reads the plugin, not from the model); expected plain text` })
    })

export const PromptArgumentSchema = z.strictObject({
  name: z.string().regex(PROMPT_NAME_RE, "prompt argument names are 1-64 letters, digits, _ . - (starting with a letter or digit)"),
  description: Text(2000).optional(),
  required: z.boolean().optional(),
})

export const PromptDefSchema = z.strictObject({
  name: z.string().regex(PROMPT_NAME_RE, "prompt names are 1-64 letters, digits, _ . - (starting with a letter or digit)"),
  title: Text(200).optional(),
  description: Text(4000).optional(),
  arguments: z.array(PromptArgumentSchema).max(32).optional(),
  render: Fn,
}).superRefine((p, ctx) => {
  // one name twice: prompts/list would offer it twice (two form fields for one value) and only one
  // of the two could be the one whose `required` and description hold
  const seen = new Set<string>()
  for (const [i, a] of (p.arguments ?? []).entries()) {
    if (seen.has(a.name)) ctx.addIssue({ code: "custom", path: ["arguments", i, "name"], message: `duplicate argument name "${a.name}" of prompt "${p.name}"` })
    seen.add(a.name)
  }
})

export const PluginExportSchema = z.strictObject({
  name: z.string().regex(PLUGIN_NAME_RE, "plugin names are 1-64 letters, digits, _ . - (starting with a letter or digit)"),
  version: Text(64).optional(),
  description: Text(2000).optional(),
  prompts: z
    .array(PromptDefSchema)
    .max(100)
    .optional()
    .superRefine((ps, ctx) => {
      const seen = new Set<string>()
      for (const [i, p] of (ps ?? []).entries()) {
        if (seen.has(p.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate prompt name "${p.name}"` })
        seen.add(p.name)
      }
    }),
  route: Fn.optional(),
  tools: Fn.optional(),
  parsers: z.partialRecord(z.enum(PARSER_KINDS), Fn).optional(),
})
export type PluginExport = z.infer<typeof PluginExportSchema>
export type PromptDef = z.infer<typeof PromptDefSchema>

// --- hook inputs and results ---

export interface RouteCall {
  server: string
  tool: string
  args: Record<string, unknown>
}

/**
 * `name` matches `re`, or is masked as a hook got it (`fetch_[REDACTED]`: a tool named after a
 * configured value) and matches once each mask reads as one character; the proxy maps it back to
 * the tool it was masked from (proxy/hook-input).
 */
function nameOrMasked(re: RegExp, name: string): boolean {
  return re.test(name) || (name.includes(REDACTED) && name.length <= 256 && re.test(name.replaceAll(REDACTED, "R")))
}

/** Same shape as proxy's RouteDecision (declared here: plugin/ does not import proxy/). */
export type RouteDecision = undefined | { deny: string } | { server?: string; tool?: string; args?: Record<string, unknown>; by?: string }

const RouteDenySchema = z.strictObject(
  { deny: Text(2000, { error: "expected the reason as a string" }).min(1, "expected a non-empty reason") },
  { error: (iss) => (iss.code === "unrecognized_keys" ? `deny cannot be combined with ${iss.keys.map((k) => `"${k}"`).join(", ")}: return { deny } alone, or a redirect { server?, tool?, args? }` : undefined) },
)
const RouteRedirectSchema = z.strictObject(
  {
    server: z.string().regex(CONFIG_SERVER_NAME_RE, "not a valid server name").optional(),
    tool: z.string().refine((n) => nameOrMasked(DOWNSTREAM_TOOL_NAME_RE, n), "not a valid tool name").optional(),
    // taken as parsed, not copied key by key: a copy (z.record) assigns each key, and an own
    // "__proto__" key (the model's argument, kept by `{ ...call.args }` in the guest) would set the
    // copy's prototype instead and vanish from the arguments
    args: z
      .custom<Record<string, unknown>>((v) => isPlainObject(v), { error: "expected the arguments as an object (the whole argument object, e.g. { ...call.args, x: 1 })" })
      .optional(),
  },
  { error: (iss) => (iss.code === "unrecognized_keys" ? `unknown key${iss.keys.length > 1 ? "s" : ""} ${iss.keys.map((k) => `"${k}"`).join(", ")}: a route result has deny, or server, tool and args` : undefined) },
)
export const RouteResultSchema = z.union([z.undefined(), z.null().transform(() => undefined), RouteDenySchema, RouteRedirectSchema])
/** What a route hook may return, in words (for errors). */
const ROUTE_EXPECTED = 'undefined (no opinion), { deny: "reason" } or { server?, tool?, args? }'

/** A tool as the tools hook sees it: an MCP Tool; unknown fields pass through. */
export interface ToolLike {
  name: string
  description?: string
  inputSchema: { type: "object"; [k: string]: unknown }
  [k: string]: unknown
}

/**
 * A tools hook's result: a list (anything else is a fault of the hook). Its entries are checked one
 * by one (`toolEntries`): one bad entry costs only itself, never the hook's other work (a filter
 * that hides tools keeps hiding them).
 */
export const ToolsResultSchema = z.array(z.unknown()).max(10_000)

/** An entry of a tools hook's result left out, and why. */
export interface LeftOutEntry {
  index: number
  name?: string
  why: string
}

/**
 * The entries of a tools hook's result it may list: objects with a valid exposed name (or one
 * masked from one), each name once (the first kept). The rest of each entry is checked as a
 * downstream's definitions are (proxy/hook-tools: repaired where safe, else left out).
 */
export function toolEntries(list: readonly unknown[]): { tools: ToolLike[]; left: LeftOutEntry[] } {
  const tools: ToolLike[] = []
  const left: LeftOutEntry[] = []
  const seen = new Set<string>()
  list.forEach((t, index) => {
    if (!isPlainObject(t)) return void left.push({ index, why: `expected a tool object, got ${describeValue(t)}` })
    const name = t.name
    if (typeof name !== "string") return void left.push({ index, why: `its name is ${describeValue(name)}, not a string` })
    if (!nameOrMasked(EXPOSED_TOOL_NAME_RE, name)) return void left.push({ index, name, why: "tool names are 1-64 letters, digits, _ -" })
    if (seen.has(name)) return void left.push({ index, name, why: `duplicate tool name "${name}" (the first is kept)` })
    seen.add(name)
    tools.push(t as ToolLike)
  })
  return { tools, left }
}

const TextContent = z.strictObject({ type: z.literal("text"), text: z.string() })
const RenderMessagesSchema = z
  .array(
    z.strictObject(
      {
        role: z.enum(["user", "assistant"]),
        content: z.union([z.string(), TextContent], { error: (iss) => (iss.code === "invalid_union" ? 'expected the text as a string or { type: "text", text: "…" } (prompts carry text only)' : undefined) }),
      },
      { error: (iss) => (iss.code === "invalid_type" ? 'expected a message { role: "user" | "assistant", content }' : undefined) },
    ),
  )
  .min(1, "expected at least one message")
  .max(100)
export const RenderResultSchema = z.union([z.string(), RenderMessagesSchema])
/** What a prompt's render may return, in words (for errors). */
const RENDER_EXPECTED = 'a string (one user message) or an array of { role: "user" | "assistant", content }'

/**
 * Why a hook result failed its schema, one line per problem. A result that is one of several
 * shapes (route, render) is checked against the shape it looks meant to be, so the error says what
 * is wrong with it (`args: expected the arguments as an object`), not only that no shape matched.
 */
export function resultIssues(hook: HookName, value: unknown, error: z.ZodError): string[] {
  const got = describeValue(value)
  if (hook === "route") {
    if (!isPlainObject(value)) return [`(result): expected ${ROUTE_EXPECTED}, got ${got}`]
    const branch = "deny" in value ? RouteDenySchema : RouteRedirectSchema
    const r = branch.safeParse(value)
    if (!r.success) return formatIssues(r.error, "(result)")
  }
  if (hook === "prompt") {
    if (!Array.isArray(value)) return [`(result): expected ${RENDER_EXPECTED}, got ${got}`]
    const r = RenderMessagesSchema.safeParse(value)
    if (!r.success) return formatIssues(r.error, "(result)")
  }
  return formatIssues(error, "(result)")
}

/** A value's kind in words: `a number (5)`, `an array`, `null`… */
function describeValue(v: unknown): string {
  if (v === null) return "null"
  if (Array.isArray(v)) return "an array"
  if (typeof v === "string") return `a string (${visibleText(JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v))})`
  if (typeof v === "number" || typeof v === "boolean") return `a ${typeof v} (${String(v)})`
  return `an ${typeof v}`
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}
export type RenderResult = z.infer<typeof RenderResultSchema>

/** Context handed to a parser override. */
export interface ParserContext {
  version: string
  era: string | undefined
  command: string
}

/** MCP GetPromptResult (text messages only). */
export interface PromptResult {
  description?: string
  messages: Array<{ role: "user" | "assistant"; content: { type: "text"; text: string } }>
  [k: string]: unknown
}

/** MCP Prompt as listed by prompts/list. */
export interface PromptInfo {
  name: string
  title?: string
  description?: string
  arguments?: Array<{ name: string; description?: string; required?: boolean }>
  [k: string]: unknown
}

export function toPromptResult(r: RenderResult, description?: string): PromptResult {
  const messages: PromptResult["messages"] =
    typeof r === "string"
      ? [{ role: "user", content: { type: "text", text: r } }]
      : r.map((m) => ({ role: m.role, content: typeof m.content === "string" ? { type: "text", text: m.content } : m.content }))
  return description === undefined ? { messages } : { description, messages }
}

/**
 * One line per zod issue: `path: message` (keys and values the plugin chose, control characters
 * escaped). Given the schema, an unknown key gets the known key it is closest to (`routes`: did you
 * mean "route"?).
 */
export function formatIssues(error: z.ZodError, root = "(export)", schema?: z.ZodType): string[] {
  return error.issues.map((i) => visibleText(`${i.path.length ? i.path.join(".") : root}: ${i.message}${i.code === "unrecognized_keys" && schema ? meant(i.keys, keysAt(schema, i.path)) : ""}`))
}

/** `; did you mean "route"?` for unknown keys near a known one, else "". */
function meant(keys: readonly string[], known: readonly string[]): string {
  const pairs = keys.flatMap((k) => {
    const s = suggest(k, known)
    return s ? [[k, s] as const] : []
  })
  // no near miss: a short closed list (the parser kinds) is said whole, so the author sees the choices
  if (pairs.length === 0) return known.length > 0 && known.length <= 12 ? `; expected one of: ${known.join(", ")}` : ""
  return keys.length === 1 ? `; did you mean "${pairs[0]![1]}"?` : `; did you mean ${pairs.map(([k, s]) => `"${s}" for "${k}"`).join(", ")}?`
}

/** The keys the object schema at `path` knows (through arrays, optionals and defaults), or none. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let cur: z.ZodType | undefined = schema
  const bare = (t: z.ZodType): z.ZodType => (t instanceof z.ZodOptional || t instanceof z.ZodNullable || t instanceof z.ZodDefault ? bare(t.unwrap() as z.ZodType) : t)
  for (const p of path) {
    if (cur === undefined) return []
    const t = bare(cur)
    cur =
      typeof p === "number"
        ? t instanceof z.ZodArray
          ? (t.element as z.ZodType)
          : undefined
        : t instanceof z.ZodObject
          ? (t.shape as Record<string, z.ZodType>)[String(p)]
          : t instanceof z.ZodRecord
            ? (t.valueType as z.ZodType)
            : undefined
  }
  const t = cur && bare(cur)
  if (t instanceof z.ZodObject) return Object.keys(t.shape)
  // a record keyed by an enum (`parsers`: the output kinds): its keys are the enum's
  return t instanceof z.ZodRecord && t.keyType instanceof z.ZodEnum ? t.keyType.options.map(String) : []
}
