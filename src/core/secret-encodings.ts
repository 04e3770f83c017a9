/**
 * @module core/secret-encodings
 * What code holding a registered secret (core/secrets) can write of it that the spellings every
 * exit scrubs (the value, JSON-escaped, percent-encoded) do not cover: the value in another case
 * (upper, lower, any mix), reversed, as hex (either case), and as base64 or base64url (padded or
 * not, and the part of a longer text's encoding that the value alone decides, at each of the three
 * byte alignments it may start at). Plugin code is such code: what a plugin sends back (a console
 * line, a thrown error, a hook result) is scrubbed of these on receipt (sandbox/received), so a
 * plugin that reads a secret out of a tool call's arguments and re-encodes it cannot carry it past
 * the redaction of the log or the answer.
 *
 * Out of reach (documented in docs/plugins.md): a value split over several strings, lines or
 * calls; one transformed otherwise (XOR, ROT13, character codes as numbers, an encoding applied
 * twice, compression); values under MIN_CHARS characters (their encodings would match unrelated
 * text) and over MAX_CHARS (a PEM key; its body lines are registered, and re-encoded, one by one).
 */
import { freeKey } from "./masked-key.ts"
import { alternations, base64Forms, MIN_ENCODED, REDACTED, secrets, valuePattern } from "./secrets.ts"

/** Shortest value re-encoded: a shorter one's hex or base64 would match unrelated text. */
const MIN_CHARS = MIN_ENCODED
/** Longest value re-encoded (the patterns of a few dozen 3 KB keys' encodings would not compile). */
const MAX_CHARS = 1024

interface Built {
  generation: number
  /** The spellings, reversed and hex matched in any case, then base64 and base64url as written. */
  patterns: RegExp[]
}
let built: Built | undefined

function longestFirst(values: Set<string>): string[] {
  return [...values].filter((v) => v.length >= MIN_CHARS).sort((a, b) => b.length - a.length)
}

function build(): Built {
  if (built?.generation === secrets.generation) return built
  const folded = new Set<string>()
  const exact = new Set<string>()
  for (const s of secrets.spellings()) if (s.length >= MIN_CHARS && s.length <= MAX_CHARS) folded.add(s)
  // re-encoded: the values as code holds them (not their escaped spellings), whatever characters
  // they have — a password with a `\`, a `%3F` or an `&amp;` in it was taken for an escaped
  // spelling and its hex, base64 and reversed forms passed
  for (const s of secrets.plainValues()) {
    if (s.length < MIN_CHARS || s.length > MAX_CHARS) continue
    const reversed = [...s].reverse().join("")
    // and as JSON text spells it (a hook result is tested on its JSON text: `\\` for a backslash)
    folded.add(reversed).add(JSON.stringify(reversed).slice(1, -1))
    const bytes = Buffer.from(s, "utf8")
    folded.add(bytes.toString("hex"))
    for (const b of base64Forms(bytes)) exact.add(b)
  }
  const f = longestFirst(folded)
  const x = longestFirst(exact)
  built = { generation: secrets.generation, patterns: [...(f.length ? alternations(f.map(valuePattern), "gi") : []), ...(x.length ? alternations(x.map(valuePattern), "g") : [])] }
  return built
}

/** The patterns to look for in `text`: none when no secret is registered or it is too short to hold one. */
function patternsFor(text: string): readonly RegExp[] {
  return secrets.empty || text.length < MIN_CHARS ? [] : build().patterns
}

/** Whether `text` holds a registered value in any form `redactEncodings` replaces. */
export function holdsEncodedSecret(text: string): boolean {
  for (const re of patternsFor(text)) {
    re.lastIndex = 0
    if (re.test(text)) return true
  }
  return false
}

/**
 * Text the code was handed (a hook's arguments, a script's code and the answers it got): a match of
 * the forms above that it holds as it is came in, not out of a secret the code re-encoded — the
 * model's order number `87654321` with `12345678` configured, a description saying `Password1`
 * with `password1` configured — and is kept. Before, a route hook handing on `{ ...call.args }`
 * sent the server `order [REDACTED]`, and a script's console line of a tool result was mangled.
 */
export type Handed = (match: string) => boolean

/** A `Handed` of JSON text: a match it holds as it is, or as JSON spells it. */
export function handedJson(json: string): Handed {
  return (m) => json.includes(m) || json.includes(JSON.stringify(m).slice(1, -1))
}

/**
 * `text` with every registered value in any of the forms above replaced by `[REDACTED]`. A
 * registered spelling as it is stays: each exit scrubs those itself, and a tool call's arguments
 * that a route hook hands on (`{ ...call.args }`) reach the downstream as the model sent them; so
 * does any match `handed` says came in (see `Handed`).
 */
export function redactEncodings(text: string, handed?: Handed): string {
  for (const re of patternsFor(text)) {
    re.lastIndex = 0
    if (re.test(text)) text = text.replace(re, (m) => (secrets.has(m) || handed?.(m) === true ? m : REDACTED))
  }
  return text
}

/** Every match of the forms above in `text` that is no registered spelling as it is, added to `into`. */
export function collectEncodings(text: string, into: Set<string>): void {
  for (const re of patternsFor(text)) {
    re.lastIndex = 0
    for (const m of text.matchAll(re)) if (!secrets.has(m[0])) into.add(m[0])
  }
}

/** `value` (JSON data) with `redactEncodings` applied to every string in it, keys included. */
export function redactEncodingsDeep(value: unknown, handed?: Handed): unknown {
  if (typeof value === "string") return redactEncodings(value, handed)
  if (Array.isArray(value)) return value.map((v) => redactEncodingsDeep(v, handed))
  if (value === null || typeof value !== "object") return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    // defined, not assigned: an own "__proto__" key stays a key
    Object.defineProperty(out, freeKey(out, redactEncodings(k, handed)), { value: redactEncodingsDeep(v, handed), enumerable: true, writable: true, configurable: true })
  }
  return out
}
