/**
 * @module core/redact
 * Secret redaction for logs and error messages. Keys that look secret have their values replaced;
 * strings are scrubbed of well-known token shapes (Bearer, sk-, ghp_, AWS keys, JWTs).
 */

export const REDACTED = "[REDACTED]"

const SECRET_KEY = /(token|secret|passw(or)?d|passphrase|authorization|api[-_]?key|apikey|private[-_]?key|access[-_]?key|credential|cookie|^key$|_key$|-key$)/i

const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g,
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  /\b(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{16,}/g,
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
]

/** One cheap test before the individual replacements: most strings contain no secret at all. */
const ANY_SECRET = /Bearer|Basic|sk-|gh[pousr]_|github_pat_|AKIA|ASIA|eyJ|xox[abposr]-/

/** Extra literal secrets (configured tokens) to scrub wherever they appear. */
const literalSecrets = new Set<string>()

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) literalSecrets.add(value)
}

/** Keys repeat (the same few fields in every log record): remember the verdicts, boundedly. */
const keyVerdicts = new Map<string, boolean>()

export function isSecretKey(key: string): boolean {
  let v = keyVerdicts.get(key)
  if (v === undefined) {
    v = SECRET_KEY.test(key)
    if (keyVerdicts.size >= 4096) keyVerdicts.clear()
    keyVerdicts.set(key, v)
  }
  return v
}

export function redactString(s: string): string {
  let out = s
  if (ANY_SECRET.test(s))
    for (const re of SECRET_PATTERNS) out = out.replace(re, (m) => (m.startsWith("Bearer") || m.startsWith("Basic") ? `${m.split(/\s+/)[0]} ${REDACTED}` : REDACTED))
  if (literalSecrets.size) for (const lit of literalSecrets) if (out.includes(lit)) out = out.split(lit).join(REDACTED)
  return out
}

/** Deep copy with secret-looking keys masked and strings scrubbed. Cycles and depth are bounded. */
export function redact(value: unknown, depth = 0, path: object[] = []): unknown {
  if (typeof value === "string") return redactString(value)
  if (value === null || typeof value !== "object") return value
  if (depth > 12) return "[…]"
  if (path.includes(value)) return "[Circular]"
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message) }
  }
  path.push(value)
  let out: unknown
  if (Array.isArray(value)) out = value.map((v) => redact(v, depth + 1, path))
  else {
    const o: Record<string, unknown> = {}
    const src = value as Record<string, unknown>
    for (const k of Object.keys(src)) {
      const v = src[k]
      o[k] = v !== undefined && v !== null && v !== "" && isSecretKey(k) ? REDACTED : redact(v, depth + 1, path)
    }
    out = o
  }
  path.pop()
  return out
}
