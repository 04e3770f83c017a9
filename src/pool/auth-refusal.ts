/**
 * @module pool/auth-refusal
 * What a remote's 401/403 answer is quoted as. Such a body often echoes what was refused: a session
 * id, the API key sent (`unauthorized: key 9f8e… is not valid`), a request id tied to it, with no
 * secret name or token shape beside it for the redaction to see (a header value not in the config,
 * an OAuth token from another login). So only what says *why* is kept (qa333): the `WWW-Authenticate`
 * challenge's `error` and `error_description` (RFC 6750 §3), a JSON body's `error` /
 * `error_description` / `message` (an `error` object's `message` and `code`) and a problem
 * detail's `title` / `detail` (RFC 9457), else the body's text;
 * in each, a run of 20 or more token characters ([A-Za-z0-9_.-]) that is not words is masked
 * (`[opaque]`). Other fields of a JSON body are left out.
 */
import { cutText, redactString } from "../core/index.ts"

/** A run this long of token characters may be a credential or session id. */
const OPAQUE_MIN = 20
/** Characters of one kept field or the body's text. */
const FIELD_MAX = 200
const OPAQUE = "[opaque]"

/** `text` with its opaque runs masked: runs of OPAQUE_MIN+ token characters, except words joined by `_`, `-`, `.` (`insufficient_scope`, `api.example-host.com`). */
export function maskOpaque(text: string): string {
  return text.replace(new RegExp(`[A-Za-z0-9_.-]{${OPAQUE_MIN},}`, "g"), (run) => (isWords(run) ? run : OPAQUE))
}

/**
 * Each `_`/`-`/`.`-separated part is a word: under OPAQUE_MIN letters (lowercase after a first
 * capital, or all capitals), or longer CamelCase words (`InvalidAuthenticationToken`: each capital
 * followed by 2+ lowercase letters, which a random token almost never is).
 */
function isWords(run: string): boolean {
  return run.split(/[_.-]+/).every((p) => p === "" || (p.length < OPAQUE_MIN ? /^(?:[A-Z]?[a-z]+|[A-Z]+)$/.test(p) : /^(?:[A-Z][a-z]{2,}){2,}$/.test(p)))
}

/** One line, redacted (a configured value reads `[REDACTED]`) and masked before it is cut (a cut must not leave an opaque run's first 19 characters). */
const oneLine = (s: string): string => {
  const t = maskOpaque(redactString(s.replace(/\s+/g, " ").trim()))
  return t.length > FIELD_MAX ? `${cutText(t, FIELD_MAX)}…` : t
}

/** `error="…"` and `error_description="…"` of a challenge (quoted or token values), as `error="invalid_token", error_description="…"`. */
function challengeFields(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const out: string[] = []
  for (const name of ["error", "error_description"]) {
    const m = new RegExp(`(?:^|[\\s,])${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,]+))`, "i").exec(header)
    const v = m?.[1] ?? m?.[2]
    if (v !== undefined && v !== "") out.push(`${name}="${oneLine(v.replace(/\\(.)/g, "$1"))}"`)
  }
  return out.length > 0 ? out.join(", ") : undefined
}

/** The error fields of a JSON body, or undefined when the body is no JSON object. */
function jsonFields(body: string): string | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return undefined
  const d = doc as Record<string, unknown>
  const out: string[] = []
  const add = (name: string, v: unknown): void => {
    if (typeof v === "string" && v.trim() !== "") out.push(`${name}: ${oneLine(v)}`)
    else if (typeof v === "number" && Number.isFinite(v)) out.push(`${name}: ${v}`)
  }
  if (typeof d.error === "object" && d.error !== null && !Array.isArray(d.error)) {
    const e = d.error as Record<string, unknown>
    add("error", e.message)
    add("code", e.code)
  } else add("error", d.error)
  add("error_description", d.error_description)
  add("message", d.message)
  // RFC 9457 problem details (and FastAPI's `{"detail": "Not authenticated"}`)
  add("title", d.title)
  add("detail", d.detail)
  return out.length > 0 ? out.join("; ") : "(a JSON body without error, error_description, message, title or detail)"
}

/**
 * How a 401/403 answer's body (and challenge) is quoted: `error: invalid_token; error_description: …`
 * or the body's text, opaque runs masked; then `WWW-Authenticate: error="…", …` when it has those.
 */
export function authRefusalQuote(body: string, wwwAuthenticate?: string): string {
  const trimmed = body.trim()
  const said = trimmed === "" ? "(no body)" : (jsonFields(trimmed) ?? oneLine(trimmed))
  const challenge = challengeFields(wwwAuthenticate)
  return challenge !== undefined ? `${said}; WWW-Authenticate: ${challenge}` : said
}
