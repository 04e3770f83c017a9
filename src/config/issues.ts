/**
 * @module config/issues
 * Turns zod issues into one line per problem: `full.key.path (source): what was expected`. Server
 * entries are a union (stdio | remote); zod reports a failed union as one opaque issue, so the
 * entry's own keys pick the form the user meant and that form's issues are reported field by field
 * (`servers.a.args (file:4): expected an array of strings, got "x"`).
 */
import { z } from "zod"
import { isSecretKey, isSecretName, redactString, lookupTable, suggestServerName } from "../core/index.ts"
import { ConfigSchema, RemoteServerSchema, StdioServerSchema } from "./schema.ts"
import { clientKeyHint } from "./client-keys.ts"
import { suggest } from "./suggest.ts"
import { defOf, objectShape, unwrap } from "./zod-walk.ts"

type Issue = z.core.$ZodIssue
type Path = readonly PropertyKey[]

export interface IssueContext {
  /** "file:line", "env X", "flag --x" or "defaults" for a key path. */
  sourceOf(path: Path): string
  /** The merged input value at a path (before validation). */
  valueAt(path: Path): unknown
  /** Why the value at a path is what it is, when that explains the problem (an unset `${env:X}`). */
  noteOf?(path: Path): string | undefined
}

const SERVER_MAPS = new Set(["servers", "mcpServers"])
const FORMS = [
  { key: "command", schema: StdioServerSchema, label: "a stdio server (command)" },
  { key: "url", schema: RemoteServerSchema, label: "a remote server (url)" },
] as const

function isServerEntry(path: Path): boolean {
  return path.length === 2 && SERVER_MAPS.has(String(path[0]))
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

/** Which form a server entry is meant to be, from its keys: 0 stdio, 1 remote, or a problem. */
function serverForm(value: unknown): number | string {
  if (!isPlainObject(value)) return `expected a mapping {command, args?, env?, cwd?} or {url, transport?, headers?}, got ${typeName(value)}`
  const has = FORMS.map((f) => f.key in value)
  if (has[0] && has[1]) return "has both `command` (stdio server) and `url` (remote server); keep one"
  if (has[0]) return 0
  if (has[1]) return 1
  return missingFormKey(value)
}

/** `type` values (as spelled by clients, any case) that say which form an entry is. */
const TYPE_FORM: Readonly<Record<string, 0 | 1>> = lookupTable({ stdio: 0, http: 1, streamablehttp: 1, sse: 1 })

/**
 * An entry with neither `command` nor `url`: the key it lacks, what that key holds, and the keys it
 * has. Its `type` (Cursor's `"type": "sse"`) says which one when it is given.
 */
function missingFormKey(value: Record<string, unknown>): string {
  const keys = Object.keys(value)
  const named = keys.slice(0, 8).map((k) => `\`${k.length > 40 ? `${k.slice(0, 40)}…` : k}\``)
  const has = keys.length ? `; it has only ${named.join(", ")}${keys.length > 8 ? ` and ${keys.length - 8} more` : ""}` : "; the entry is empty"
  const type = typeof value.type === "string" ? TYPE_FORM[value.type.toLowerCase().replace(/[-_]/g, "")] : undefined
  const stdio = "`command` (the program to run, for a stdio server {command, args?, env?, cwd?})"
  const remote = "`url` (the http:// or https:// endpoint, for an HTTP/SSE server {url, transport?, headers?})"
  if (type === 0) return `missing required key ${stdio}, as its \`type: ${String(value.type)}\` says${has}`
  if (type === 1) return `missing required key ${remote}, as its \`type: ${String(value.type)}\` says${has}`
  return `missing required key: ${stdio} or ${remote}${has}`
}

/** Other clients' names for `command` and `url` (Windsurf's serverUrl, Gemini CLI's httpUrl…). */
const FORM_KEY_ALIASES: Readonly<Record<string, string>> = lookupTable({
  cmd: "command",
  exec: "command",
  executable: "command",
  program: "command",
  serverurl: "url",
  httpurl: "url",
  uri: "url",
  endpoint: "url",
  baseurl: "url",
})

/**
 * An entry with neither `command` nor `url`: its keys that neither form knows and that are one of
 * the two misspelled (`comand`, `Command`, `URL`, `serverUrl`), each with the key meant.
 */
function formKeyHints(value: Record<string, unknown>): [string, string][] {
  const known = new Set(FORMS.flatMap((f) => Object.keys(objectShape(f.schema) ?? {})))
  const out: [string, string][] = []
  for (const key of Object.keys(value)) {
    if (known.has(key)) continue
    const meant = FORM_KEY_ALIASES[key.toLowerCase()] ?? suggest(key, ["command", "url"])
    if (meant) out.push([key, meant])
  }
  return out
}

/** `servers:` written as a list (`- name: x` items, as some clients' configs and tutorials do). */
function listRemedy(key: string): string {
  return `write each server as a key of its own, its name as the key: \`${key}: { memory: { command: npx, args: [-y, @modelcontextprotocol/server-memory] } }\` (in YAML \`memory:\` indented under \`${key}:\`, not \`- name: memory\`)`
}

/**
 * Top-level keys under which other MCP clients keep their server list, pasted whole: what they are
 * and where their entries go here (before, only "unknown key; expected one of …").
 */
const ENTRY_SHAPE = "`NAME: { command, args?, env? }` or `NAME: { url, headers? }`"
const OTHER_CLIENT_TOP: Readonly<Record<string, readonly [string, string]>> = lookupTable({
  experimental: [
    "Continue's `experimental.modelContextProtocolServers` list",
    `write each of its items under \`servers\` as ${ENTRY_SHAPE}, taking command and args from the item's \`transport\``,
  ],
  mcp: ["VS Code's settings.json `mcp` section (or opencode's `mcp` map)", `move the map inside it (VS Code: its \`servers\`) to the top level as \`servers\`, each entry ${ENTRY_SHAPE}`],
  context_servers: ["Zed's `context_servers` map", `rename it \`servers\`, each entry ${ENTRY_SHAPE}`],
  mcp_servers: ["a `mcp_servers` map (Codex CLI)", `rename it \`servers\`, each entry ${ENTRY_SHAPE}`],
})

function otherClientTopKey(key: string, value: unknown): string | undefined {
  const k = OTHER_CLIENT_TOP[key.toLowerCase()]
  // an `experimental` section of other shapes is nothing of Continue's
  if (!k || (key.toLowerCase() === "experimental" && !(isPlainObject(value) && "modelContextProtocolServers" in value))) return undefined
  return `unknown key (${k[0]}); ${k[1]}`
}

/** The schema that validates `path`, following server entries into the form their keys select. */
function schemaAt(path: Path, ctx: IssueContext): z.ZodType | undefined {
  let s: z.ZodType | undefined = ConfigSchema
  for (let i = 0; i < path.length && s; i++) {
    const u = unwrap(s)
    const d = defOf(u) as ReturnType<typeof defOf> & { valueType?: z.ZodType; element?: z.ZodType }
    const shape = objectShape(u)
    if (shape) s = shape[String(path[i])]
    else if (d.type === "record") s = d.valueType
    else if (d.type === "array") s = d.element
    else return undefined
    if (s && isServerEntry(path.slice(0, i + 1))) {
      const form = serverForm(ctx.valueAt(path.slice(0, i + 1)))
      s = typeof form === "number" ? FORMS[form]!.schema : s
    }
  }
  return s
}

/** Keys a mapping at `path` accepts (for "did you mean"). */
function knownKeys(path: Path, ctx: IssueContext): string[] {
  const s = schemaAt(path, ctx)
  return s ? Object.keys(objectShape(s) ?? {}) : []
}

/** "an array of strings", "a mapping of strings", "a duration …": what a schema accepts, in words. */
export function expectedOf(s: z.ZodType | undefined): string | undefined {
  if (!s) return undefined
  // a schema that says what it expects in words (config/schema: an env value)
  const said = z.globalRegistry.get(s)?.expected ?? z.globalRegistry.get(unwrap(s))?.expected
  if (typeof said === "string") return said
  const d = defOf(unwrap(s)) as ReturnType<typeof defOf> & { valueType?: z.ZodType; entries?: Record<string, unknown> }
  switch (d.type) {
    case "string":
      return "a string"
    case "number":
    case "int":
      return isInteger(d) ? "an integer" : "a number"
    case "boolean":
      return "true or false"
    case "enum":
      return `one of ${Object.values(d.entries ?? {}).map((v) => JSON.stringify(v)).join(", ")}`
    case "array": {
      const el = expectedOf(d.element)
      return el ? `an array of ${plural(el)}` : "an array"
    }
    case "record": {
      const v = expectedOf(d.valueType)
      return v ? `a mapping of names to ${plural(v)}` : "a mapping"
    }
    case "object":
    case "union":
      return "a mapping"
    case "pipe":
      return 'a duration such as 500, "30s", "5m" or "12h"'
    default:
      return undefined
  }
}

/** `z.number().int()` keeps a `number_format` check (safeint, int32…); `z.int()` is one too. */
function isInteger(d: ReturnType<typeof defOf>): boolean {
  const checks = (d as { checks?: Array<{ _zod?: { def?: { check?: string; format?: string } } }> }).checks ?? []
  return d.type === "int" || checks.some((c) => c._zod?.def?.check === "number_format" && /int/.test(c._zod.def.format ?? ""))
}

function plural(what: string): string {
  if (what === "a string") return "strings"
  if (what === "a number") return "numbers"
  if (what === "an integer") return "integers"
  if (what === "a mapping") return "mappings"
  // "a string (note)": "strings (note)"
  const noted = /^(a string|a number|an integer) (\(.*\))$/.exec(what)
  if (noted) return `${plural(noted[1]!)} ${noted[2]}`
  return what
}

function lengthOf(v: unknown): number {
  return typeof v === "string" ? v.length : 0
}

/** A key path whose value may be a credential (a token, a password, an API key header…). */
function secretPath(path: Path | undefined): boolean {
  return path !== undefined && path.some((k) => typeof k === "string" && (isSecretName(k) || isSecretKey(k)))
}

/**
 * What was given, in words: a string (redacted, cut), a number or boolean with its value. At a key
 * that may hold a credential (`http.token: 123…`, `auth: "…"`) `gotText` says only the type of a
 * string, and of a number or boolean where text goes: a number written unquoted is still the secret.
 */
function typeName(v: unknown): string {
  if (v === null) return "null"
  if (v === undefined) return "nothing"
  if (Array.isArray(v)) return "a list"
  if (typeof v === "string") {
    // redacted before it is cut: a cut inside a secret would show its start
    const r = redactString(v)
    return JSON.stringify(r.length > 40 ? r.slice(0, 40) + "…" : r)
  }
  if (typeof v === "number" || typeof v === "boolean") return `${typeof v} ${String(v)}`
  return typeof v === "object" ? "a mapping" : typeof v
}

/** One problem: the key path, where its value came from, and what is wrong (`line()` words it). */
export interface IssuePart {
  path: readonly PropertyKey[]
  source: string
  problem: string
}

/** `full.key.path (source): what was expected` */
export function issueLine(p: IssuePart): string {
  return `${p.path.length ? p.path.map(String).join(".") : "(top level)"} (${p.source}): ${p.problem}`
}

/**
 * A server entry's `env` and `headers` hold credentials whatever their names (`env: "ghp_…"` pasted
 * where a mapping goes, `headers: { X: "…\n" }`): a value there is shown by its type only. Problem
 * lines reach the model (orchestrator_status names a left-out entry's problems).
 */
function inSecretMap(path: Path): boolean {
  return path.length >= 3 && SERVER_MAPS.has(String(path[0])) && (path[2] === "env" || path[2] === "headers")
}

/**
 * What was given, for a problem line: typeName, or only the type of a scalar in a secret-bearing
 * map, or of a string at a key path whose name may hold a credential whatever the key expects
 * (`auth: "…"` where a mapping goes: the user took the key for the token's place).
 */
function gotText(v: unknown, path: Path, expected?: string): string {
  const scalar = typeof v === "string" || typeof v === "number" || typeof v === "boolean"
  // a number where a number goes (`auth.redirectPort: 1.5`) is no credential; where text goes it may be
  const credential = inSecretMap(path) || (secretPath(path) && (typeof v === "string" || expected === "a string"))
  return scalar && credential ? `a ${typeof v}` : typeName(v)
}

export function formatIssues(issues: readonly Issue[], ctx: IssueContext): string[] {
  return [...new Set(formatIssueParts(issues, ctx).map(issueLine))]
}

/** formatIssues, each problem in its parts (a server entry's problems are told apart by their path). */
export function formatIssueParts(issues: readonly Issue[], ctx: IssueContext): IssuePart[] {
  const out: IssuePart[] = []
  for (const issue of issues) formatOne(issue, [], ctx, out)
  const seen = new Set<string>()
  return out.filter((p) => !seen.has(issueLine(p)) && !!seen.add(issueLine(p)))
}

function formatOne(issue: Issue, base: Path, ctx: IssueContext, out: IssuePart[]): void {
  const path = [...base, ...issue.path]
  const line = (what: string, p: Path = path): void => {
    const note = ctx.noteOf?.(p)
    out.push({ path: p, source: ctx.sourceOf(p), problem: `${what}${note ? ` (${note})` : ""}` })
  }
  switch (issue.code) {
    case "invalid_union": {
      if (isServerEntry(path)) {
        const value = ctx.valueAt(path)
        const form = serverForm(value)
        if (typeof form === "string") {
          // neither `command` nor `url`: a key that is one of them misspelled is named, with the fix
          const hints = isPlainObject(value) ? formKeyHints(value) : []
          if (!hints.length) return line(form)
          for (const [key, meant] of hints) line(`unknown key; did you mean "${meant}"? (a server needs \`command\` (stdio) or \`url\` (remote))`, [...path, key])
          return
        }
        // Report the chosen form's own issues, each with its full key path.
        for (const sub of issue.errors[form] ?? []) formatOne(sub, path, ctx, out)
        return
      }
      const expected = expectedOf(schemaAt(path, ctx))
      return line(expected ? `expected ${expected}, got ${gotText(ctx.valueAt(path), path, expected)}` : issue.message)
    }
    case "unrecognized_keys": {
      const known = knownKeys(path, ctx)
      for (const key of issue.keys) {
        const full = [...path, key]
        const entry = isServerEntry(path) ? serverForm(ctx.valueAt(path)) : undefined
        if (typeof entry === "number") {
          const other = FORMS[1 - entry]!
          if (Object.hasOwn(objectShape(other.schema) ?? {}, key)) {
            line(`\`${key}\` belongs to ${other.label}; ${FORMS[entry]!.label} takes ${known.join(", ")}`, full)
            continue
          }
        }
        const hint = isServerEntry(path) ? clientKeyHint(key) : path.length === 0 ? otherClientTopKey(key, ctx.valueAt(full)) : undefined
        if (hint) {
          line(hint, full)
          continue
        }
        const s = suggest(key, known)
        line(`unknown key${s ? `; did you mean "${s}"?` : known.length ? `; expected one of ${known.join(", ")}` : ""}`, full)
      }
      return
    }
    case "invalid_key": {
      const inner = issue.issues[0]
      const key = String(path[path.length - 1] ?? "")
      // a header or env line pasted whole as a key (`Authorization: Bearer …`, `X-Api-Key …`: more
      // than a name) holds its value: neither the key nor the path through it is quoted, only its length
      if (inSecretMap(path) && !/^[\w.-]+$/.test(key)) return line(`a key of ${key.length} characters (not shown: a line pasted as a key may hold its value): ${inner?.message ?? issue.message}`, path.slice(0, -1))
      // a server's name: one that would do, as the fix (`my server.v1` → `my-server-v1`)
      const better = isServerEntry(path) ? suggestServerName(key) : undefined
      return line(`invalid key ${JSON.stringify(key)}: ${inner?.message ?? issue.message}${better !== undefined ? `; rename it, e.g. to "${better}"` : ""}`)
    }
    case "invalid_element": {
      for (const sub of issue.issues) formatOne(sub, path, ctx, out)
      return
    }
    case "invalid_type": {
      const expected = expectedOf(schemaAt(path, ctx)) ?? (issue.expected === "int" ? "an integer" : issue.expected)
      const got = "input" in issue ? issue.input : ctx.valueAt(path)
      const list = path.length === 1 && SERVER_MAPS.has(String(path[0])) && Array.isArray(got) ? `; ${listRemedy(String(path[0]))}` : ""
      return line(got === undefined ? `required: expected ${expected}` : `expected ${expected}, got ${gotText(got, path, expected)}${list}`)
    }
    case "invalid_value":
      return line(`expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${gotText(ctx.valueAt(path), path)}`)
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum
      const op = issue.code === "too_small" ? (issue.inclusive === false ? ">" : ">=") : issue.inclusive === false ? "<" : "<="
      const got = gotText(ctx.valueAt(path), path)
      // A schema's own message states the rule (e.g. http.token); the value's length, never its text.
      if (issue.origin === "string" && !/^Too (small|big)/.test(issue.message)) return line(`${issue.message}; got ${lengthOf(ctx.valueAt(path))} characters`)
      if (issue.origin === "string") return line(issue.code === "too_small" && Number(bound) === 1 ? `expected a non-empty string` : `expected a string of length ${op} ${String(bound)}, got ${got}`)
      if (issue.origin === "array") return line(`expected ${op} ${String(bound)} items`)
      const what = expectedOf(schemaAt(path, ctx)) === "an integer" ? "an integer" : "a number"
      return line(`expected ${what} ${op} ${String(bound)}, got ${got}`)
    }
    case "invalid_format": {
      // Every pattern in the schema states its rule in words; a bare pattern is the fallback.
      // (a URL is not echoed: it may carry a token in its query)
      if (issue.format !== "regex") return line(`${issue.message}${urlHint(issue.format, ctx.valueAt(path))}`)
      const got = gotText(ctx.valueAt(path), path)
      if (/^Invalid string: must match pattern/.test(issue.message)) return line(`expected a string matching ${issue.pattern ?? "its pattern"}, got ${got}`)
      return line(`${issue.message}, got ${got}`)
    }
    default:
      return line(issue.message)
  }
}

/**
 * Why a string is no http(s) URL, where the fix is plain (the URL itself is not said: it may carry a
 * token): it has no scheme (`example.com/mcp`, as pasted from a browser's address bar or a README),
 * spaces inside it, or another scheme (`ws://`, `file:`).
 */
function urlHint(format: string, value: unknown): string {
  if (format !== "url" || typeof value !== "string") return ""
  const v = value.trim()
  if (/\s/.test(v)) return "; it has a space inside it (a URL has none: write %20, or remove it)"
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(v)?.[1]?.toLowerCase()
  if (scheme === undefined || (!v.includes("://") && /^[^/:]+:\d+/.test(v))) {
    return URL.canParse(`https://${v}`) ? "; it has no scheme: write https:// (or http:// for a server on this machine) before it" : ""
  }
  if (scheme !== "http" && scheme !== "https") return `; its scheme is ${scheme}: (mcp-orchestrator reaches remote servers over http:// or https://; a program run on this machine is a command, not a url)`
  return ""
}

/**
 * What is wrong with one server entry (Cursor's mcp.json shape), each problem as the config loader
 * words it but relative to the entry: `type: expected one of "stdio", …, got "streamableHttp"`,
 * `serverUrl: unknown key; did you mean "url"? …`. Empty when the entry is valid.
 */
export function serverEntryProblems(spec: unknown): string[] {
  const input = { mcpServers: { entry: spec } }
  const parsed = ConfigSchema.safeParse(input, { reportInput: true })
  if (parsed.success) return []
  const walk = (path: Path): unknown => {
    let v: unknown = input
    for (const k of path) {
      if (typeof v !== "object" || v === null) return undefined
      v = (v as Record<string, unknown>)[String(k)]
    }
    return v
  }
  const MARK = "\u0000"
  return formatIssues(parsed.error.issues, { sourceOf: () => MARK, valueAt: walk }).map((l) => {
    const m = /^mcpServers\.entry(?:\.(.*?))? \(\u0000\): ([\s\S]*)$/.exec(l)
    return m ? (m[1] ? `${m[1]}: ${m[2]}` : m[2]!) : l
  })
}
