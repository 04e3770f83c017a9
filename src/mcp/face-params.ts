/**
 * @module mcp/face-params
 * The params of each request and notification the face serves (mcp/face-protocol dispatches them),
 * checked by hand: exactly the fields we read, as the 2025-11-25 revision requires them; unknown
 * fields pass through (`_meta` is checked before: a request with one that is not an object is
 * answered -32602). No zod and no SDK schema registry (≈ 880 zod schemas, ≈ 1 MiB of an idle
 * session). They are Standard Schemas; a failure is answered InvalidParams (-32602) naming the
 * field: `Invalid params for prompts/get: name: expected string, received number`.
 */
import type { ClientCapabilities, Implementation, LoggingLevel, StandardSchemaV1 } from "@modelcontextprotocol/client"
import { isRecord } from "../core/index.ts"

type Obj = Record<string, unknown>
type Issue = { message: string; path: string[] }
/** The first problem of `p`, or undefined. */
type Check = (p: Obj) => Issue | undefined
export type FaceParams<T> = StandardSchemaV1<unknown, T & { _meta?: Obj }>

const kind = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v)
const expected = (what: string, v: unknown, path: string[]): Issue => ({ message: `expected ${what}, received ${kind(v)}`, path })
/** A request id or a progress token. */
const isRequestId = (v: unknown): boolean => typeof v === "string" || Number.isInteger(v)

/** The check "`key` is a `what`" (`test`), absent allowed when `optional`. */
const field =
  (what: string, test: (v: unknown) => boolean) =>
  (key: string, optional = false): Check =>
  (p) =>
    test(p[key]) || (optional && p[key] === undefined) ? undefined : expected(what, p[key], [key])
const str = field("string", (v) => typeof v === "string")
const obj = field("object", isRecord)
const num = field("number", (v) => typeof v === "number")
const bool = field("boolean", (v) => typeof v === "boolean")
/** An optional object of strings (prompt arguments). */
const strings =
  (key: string): Check =>
  (p) => {
    const v = p[key]
    if (v === undefined) return undefined
    if (!isRecord(v)) return expected("object", v, [key])
    for (const [k, s] of Object.entries(v)) if (typeof s !== "string") return expected("string", s, [key, k])
    return undefined
  }
/** `checks` on the object at `key` when it is one (checked before), their issue's path under `key`. */
const inside =
  (key: string, ...checks: Check[]): Check =>
  (p) => {
    const v = p[key]
    if (!isRecord(v)) return undefined
    for (const c of checks) {
      const issue = c(v)
      if (issue) return { message: issue.message, path: [key, ...issue.path] }
    }
    return undefined
  }

function params<T>(checks: Check[], out: (p: Obj) => Obj = (p) => p): FaceParams<T> {
  const validate = (v: unknown): StandardSchemaV1.Result<T & { _meta?: Obj }> => {
    // the protocol layer hands over a copy of the params as an object, `_meta` already checked
    const p = v as Obj
    for (const c of checks) {
      const issue = c(p)
      if (issue) return { issues: [issue] }
    }
    return { value: out(p) as T & { _meta?: Obj } }
  }
  return { "~standard": { version: 1, vendor: "mcp-orchestrator", validate } }
}

/** Params with nothing to check (ping, notifications/initialized, notifications/roots/list_changed). */
export const EMPTY = params<object>([])

/** Members of ClientCapabilities the 2025-11-25 revision defines, each an object when present. */
const CAPABILITIES = ["experimental", "roots", "sampling", "elicitation", "tasks", "extensions"]
/**
 * The checks of a client's capabilities: each member above an object, and inside the ones whose
 * members we act on, those typed as the schema types them (`roots.listChanged` a boolean; the modes
 * of `elicitation` and `sampling`, and `tasks`' members, objects). Before, `{"elicitation": {"form":
 * 5}}` passed and counted as form elicitation declared: a server's question was relayed to a client
 * that had said nothing usable. Members we do not know stay free.
 */
const CAPABILITY_CHECKS: Check[] = [
  ...CAPABILITIES.map((k) => obj(k, true)),
  inside("roots", bool("listChanged", true)),
  inside("elicitation", obj("form", true), obj("url", true)),
  inside("sampling", obj("context", true), obj("tools", true)),
  inside("tasks", obj("list", true), obj("cancel", true), obj("requests", true)),
]

/**
 * Why a client's capabilities or client info are refused, as `initialize` checks them (a known
 * capability that is not an object, client info that is no object of string name and version):
 * "path: expected …", or undefined. The 2026-07-28 envelope (mcp/modern-lane `judge`) applies the
 * same rules to `_meta["io.modelcontextprotocol/clientCapabilities"]` and `…/clientInfo`.
 */
export function clientCapabilitiesProblem(caps: Obj): string | undefined {
  return issueText(inside("c", ...CAPABILITY_CHECKS)({ c: caps }), 1)
}
export function clientInfoProblem(info: unknown): string | undefined {
  return issueText(obj("i")({ i: info }) ?? inside("i", str("name"), str("version"))({ i: info }), 1)
}
/** An issue as `path: message`, its first `drop` path parts left out (the wrapper's). */
function issueText(issue: Issue | undefined, drop: number): string | undefined {
  if (!issue) return undefined
  const path = issue.path.slice(drop).join(".")
  return path ? `${path}: ${issue.message}` : issue.message
}

export const INITIALIZE = params<{ protocolVersion: string; capabilities: ClientCapabilities; clientInfo: Implementation }>(
  [str("protocolVersion"), obj("capabilities"), inside("capabilities", ...CAPABILITY_CHECKS), obj("clientInfo"), inside("clientInfo", str("name"), str("version"))],
  // `elicitation: {}` declares form mode: spelled out as the SDK's schema did, for what reads and relays it
  (p) => {
    const caps = p.capabilities as Obj
    const e = caps.elicitation
    return isRecord(e) && Object.keys(e).length === 0 ? { ...p, capabilities: { ...caps, elicitation: { form: {} } } } : p
  },
)

/** A value quoted in a message, cut short when long. */
const quoted = (v: string, max = 100): string => JSON.stringify(v.length > max ? `${v.slice(0, max)}…` : v)

/**
 * Our lists are answered whole, in one page: no answer carries `nextCursor`, so no cursor is one we
 * issued. A request with one is -32602 naming it (the spec's answer to an invalid cursor), never the
 * first page again, which a client would take as the next one (duplicates, or an endless loop).
 */
const cursor: Check = (p) => {
  const c = p.cursor
  if (c === undefined) return undefined
  if (typeof c !== "string") return expected("string", c, ["cursor"])
  return { message: `unknown cursor ${quoted(c)}: this server answers the whole list in one page and never issues a nextCursor; list again without a cursor`, path: ["cursor"] }
}

/** tools/list, prompts/list, resources/list, resources/templates/list. */
export const LIST = params<{ cursor?: string }>([cursor])

export const GET_PROMPT = params<{ name: string; arguments?: Record<string, string> }>([str("name"), strings("arguments")])

/** resources/read, resources/subscribe, resources/unsubscribe. */
export const RESOURCE = params<{ uri: string }>([str("uri")])

const LEVELS: readonly string[] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] satisfies LoggingLevel[]
export const SET_LEVEL = params<{ level: LoggingLevel }>([(p) => (LEVELS.includes(p.level as string) ? undefined : { message: `expected one of ${LEVELS.join(", ")}`, path: ["level"] })])

const ref: Check = (p) => {
  const r = p.ref
  if (!isRecord(r)) return expected("object", r, ["ref"])
  if (r.type === "ref/prompt") return inside("ref", str("name"))(p)
  if (r.type === "ref/resource") return inside("ref", str("uri"))(p)
  return { message: 'expected "ref/prompt" or "ref/resource"', path: ["ref", "type"] }
}
export const COMPLETE = params<{
  ref: { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string }
  argument: { name: string; value: string }
  context?: { arguments?: Record<string, string> }
}>([ref, obj("argument"), inside("argument", str("name"), str("value")), obj("context", true), inside("context", strings("arguments"))])

export const CANCELLED = params<{ requestId?: string | number; reason?: string }>([
  (p) => (p.requestId === undefined || isRequestId(p.requestId) ? undefined : expected("string or integer", p.requestId, ["requestId"])),
  str("reason", true),
])

export const PROGRESS = params<{ progressToken: string | number; progress: number; total?: number; message?: string }>([
  (p) => (isRequestId(p.progressToken) ? undefined : expected("string or integer", p.progressToken, ["progressToken"])),
  num("progress"),
  num("total", true),
  str("message", true),
])

/**
 * The client's answer to our own form elicitation (a confirmation): `action` one of accept, decline,
 * cancel; `content`, when present, an object of the values entered.
 */
export const ELICIT_RESULT = params<{ action: "accept" | "decline" | "cancel"; content?: Record<string, string | number | boolean | string[]> }>([
  (p) => (p.action === "accept" || p.action === "decline" || p.action === "cancel" ? undefined : { message: 'expected "accept", "decline" or "cancel"', path: ["action"] }),
  obj("content", true),
])
