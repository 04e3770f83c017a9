/**
 * @module manage/config-mask
 * What the model, and a confirmation the user answers, may see of Toolkit configuration values.
 * Users do put credentials into Toolkit config (a connection URL, an API key a catalog entry asks
 * for as config rather than as a secret), so the same rules as for the orchestrator's own config
 * apply: a value under a secret-looking key (token, password, api_key… — core `isSecretName` /
 * `isSecretKey`) is replaced by [REDACTED] whatever its shape, and in any other string the
 * credentials a URL carries (userinfo password, secret query parameters, token-like path segments:
 * core `collectUrlSecrets`) are. Also the one-line, capped JSON of a value for a confirmation.
 */
import { collectUrlSecrets, cutText, isRecord, isSecretKey, isSecretName, REDACTED } from "../core/index.ts"

/** Why (part of) a value is not shown. */
export type HiddenWhy = "secret-looking key" | "credential in a URL"

/** A config key (dots nest: `auth.password`) whose value is a secret. */
export function isSecretConfigKey(key: string): boolean {
  return isSecretName(key) || isSecretKey(key)
}

/** `value` with secrets replaced, and why anything was (undefined: nothing hidden). */
export function maskConfigEntry(key: string, value: unknown): { value: unknown; why?: HiddenWhy } {
  const whys = new Set<HiddenWhy>()
  const masked = walk(value, isSecretConfigKey(key), whys, 0)
  const why = whys.has("secret-looking key") ? "secret-looking key" : whys.has("credential in a URL") ? "credential in a URL" : undefined
  return why ? { value: masked, why } : { value: masked }
}

/** A server's whole config map, masked; `hidden` names the keys whose values (or part of them) were hidden. */
export function maskConfig(config: Record<string, unknown>): { config: Record<string, unknown>; hidden: Array<{ key: string; why: HiddenWhy }> } {
  const out: Record<string, unknown> = {}
  const hidden: Array<{ key: string; why: HiddenWhy }> = []
  for (const [k, v] of Object.entries(config)) {
    const m = maskConfigEntry(k, v)
    out[k] = m.value
    if (m.why) hidden.push({ key: k, why: m.why })
  }
  return { config: out, hidden }
}

function walk(v: unknown, secret: boolean, whys: Set<HiddenWhy>, depth: number): unknown {
  if (typeof v === "string") {
    if (secret && v !== "") {
      whys.add("secret-looking key")
      return REDACTED
    }
    return maskUrlCredentials(v, whys)
  }
  if (typeof v === "number" && secret) {
    whys.add("secret-looking key")
    return REDACTED
  }
  if (depth > 32) return "[…]"
  if (Array.isArray(v)) return v.map((x) => walk(x, secret, whys, depth + 1))
  if (isRecord(v)) {
    const o: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) o[k] = walk(x, secret || isSecretConfigKey(k), whys, depth + 1)
    return o
  }
  return v
}

function maskUrlCredentials(s: string, whys: Set<HiddenWhy>): string {
  const found: string[] = []
  collectUrlSecrets(s, found)
  let out = s
  for (const f of found.sort((a, b) => b.length - a.length)) if (out.includes(f)) out = out.replaceAll(f, REDACTED)
  if (out !== s) whys.add("credential in a URL")
  return out
}

/** How much of a value a confirmation shows. */
export const MAX_SHOWN_VALUE = 300

/** Format characters (bidi overrides, zero-width…) and line separators: shown as `\uXXXX` so the user sees them. */
const INVISIBLE = /[\p{Cf}\u2028\u2029]/gu

/**
 * A value as a confirmation shows it: JSON on one line, secrets masked (saying so), invisible
 * characters spelled out, cut at MAX_SHOWN_VALUE characters on a whole character with a note.
 */
export function shownValue(key: string, value: unknown): string {
  const m = maskConfigEntry(key, value)
  if (m.value === REDACTED) return `${REDACTED} (secret-looking key: not shown)`
  const json = (JSON.stringify(m.value) ?? String(m.value)).replace(INVISIBLE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`)
  const cut = json.length > MAX_SHOWN_VALUE ? `${cutText(json, MAX_SHOWN_VALUE)}… (cut; ${json.length} characters in all)` : json
  return m.why ? `${cut} (${m.why} hidden)` : cut
}

/** The value at `key` of a server's config map (a flat dotted key, or one nested by dots); `absent` when not set. */
export function configValueAt(config: Record<string, unknown>, key: string): { absent: true } | { absent: false; value: unknown } {
  if (Object.hasOwn(config, key)) return { absent: false, value: config[key] }
  let cur: unknown = config
  for (const seg of key.split(".")) {
    if (!isRecord(cur) || !Object.hasOwn(cur, seg)) return { absent: true }
    cur = cur[seg]
  }
  return { absent: false, value: cur }
}
