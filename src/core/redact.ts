/**
 * @module core/redact
 * Secret redaction for everything that leaves the process. Strings are scrubbed of every value in
 * the secret registry (core/secrets: the configured secrets, the HTTP token…) and of well-known
 * token shapes (Bearer, sk-, ghp_, AWS keys, JWTs); in `redact`, keys that look secret also have
 * their values replaced. `redactValues` scrubs strings only (for results with an output schema).
 */
import { itemJson } from "./list-json.ts"
import { BASE64_KEYS, REDACTED, secrets } from "./secrets.ts"

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
  // Registered values first (longest first, whole), then the shapes nobody registered.
  let out = secrets.redact(s)
  if (ANY_SECRET.test(out))
    for (const re of SECRET_PATTERNS) out = out.replace(re, (m) => (m.startsWith("Bearer") || m.startsWith("Basic") ? `${m.split(/\s+/)[0]} ${REDACTED}` : REDACTED))
  return out
}

/** Whether `text` may hold something `redactString` replaces (one scan; false means surely not). */
export function mayHoldSecret(text: string): boolean {
  return secrets.test(text) || ANY_SECRET.test(text) || (!secrets.empty && text.includes('"blob"'))
}

/**
 * `redactValues` for a large value that rarely holds a secret (a tool list): one scan of its JSON
 * text first (the registry holds JSON-escaped spellings too), the walk only when it may.
 */
export function redactValuesChecked<T>(value: T): T {
  return checkedAt(value, 0) as T
}

/**
 * Strings scrubbed at any depth (object keys too, in place), every other value kept (a result
 * validated against an output schema keeps its shape). Returns the input itself when nothing needed scrubbing.
 */
export function redactValues<T>(value: T, depth = 0): T {
  return mapStrings(value, redactString, depth, 32)
}

/**
 * Only the configured secrets (the registry's values) replaced, at any depth: for a downstream's
 * own data (a successful result), where the generic patterns of `redactValues` would mangle text
 * that merely looks like a key. Returns the input itself when nothing matched.
 */
export function redactRegistered<T>(value: T): T {
  return mapStrings(value, registered, 0, 64)
}

const registered = (s: string): string => secrets.redact(s)

/** `value` with `fn` applied to every string, keys too (plain objects and arrays walked, order kept); the input itself when nothing changed. */
function mapStrings<T>(value: T, fn: (s: string) => string, depth: number, maxDepth: number): T {
  if (typeof value === "string") return fn(value) as T
  if (value === null || typeof value !== "object" || depth > maxDepth) return value
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as unknown
      const r = mapStrings(v, fn, depth + 1, maxDepth)
      if (r !== v) (copy ??= value.slice())[i] = r
    }
    return (copy ?? value) as T
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value
  const src = value as Record<string, unknown>
  const keys = Object.keys(src)
  // keys are text that leaves too (a result's `{ "<the value>": … }`): scrubbed as well
  let values: unknown[] | undefined
  let names: string[] | undefined
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    const v = src[k]
    // base64 data (a resource's blob) holding a value: its bytes redacted, still base64
    const r = typeof v === "string" && BASE64_KEYS.has(k) ? (secrets.redactBase64Data(v) ?? fn(v)) : mapStrings(v, fn, depth + 1, maxDepth)
    if (r !== v) (values ??= keys.map((key) => src[key]))[i] = r
    const key = fn(k)
    if (key !== k) (names ??= keys.slice())[i] = key
  }
  if (values === undefined && names === undefined) return value
  // a renamed key keeps its place: a new object in the same order; else a copy with the new values
  const copy: Record<string, unknown> = names === undefined ? { ...src } : {}
  for (let i = 0; i < keys.length; i++) {
    const v = values === undefined ? src[keys[i]!] : values[i]
    if (names !== undefined || v !== src[keys[i]!]) own(copy, names === undefined ? keys[i]! : names[i]!, v)
  }
  return copy as T
}

/** Sets `o[k] = v` as an own data property (also for a key `__proto__`). */
function own(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
}

const LIST_KEYS = new Set(["tools", "prompts", "resources", "resourceTemplates"])
/** Per definition object: its `redactValues` form, valid while the registry's generation holds. */
let itemMemo = new WeakMap<object, unknown>()
let itemMemoGeneration = -1

/**
 * `redactValues` of a list answer (`{ tools: […] }` …) with each definition object scanned once
 * while the secret registry is unchanged: the proxy's surfaces hand out the same objects on every
 * list, so a 5 000-tool list is not stringified and walked again per `tools/list` (it was ~100 ms).
 * Same result as `redactValuesChecked(result)` item by item; the objects are never mutated.
 */
export function redactListResult<T extends Record<string, unknown>>(result: T): T {
  if (itemMemoGeneration !== secrets.generation) {
    itemMemo = new WeakMap()
    itemMemoGeneration = secrets.generation
  }
  let copy: Record<string, unknown> | undefined
  for (const k of Object.keys(result)) {
    const v = result[k]
    const r = Array.isArray(v) && LIST_KEYS.has(k) ? redactItems(v) : redactValues(v, 1)
    if (r !== v) (copy ??= { ...result })[k] = r
  }
  return (copy ?? result) as T
}

function redactItems(items: unknown[]): unknown[] {
  let copy: unknown[] | undefined
  for (let i = 0; i < items.length; i++) {
    const v = items[i]
    let r: unknown
    if (v === null || typeof v !== "object") r = redactValues(v, 2)
    else if (itemMemo.has(v)) r = itemMemo.get(v)
    else {
      r = checkedText(v, 2)
      itemMemo.set(v, r)
    }
    if (r !== v) (copy ??= items.slice())[i] = r
  }
  return copy ?? items
}

/** `redactValuesChecked` at a depth (the walk's depth bound counts from the message's result, or from `value` at 0). */
function checkedAt(value: unknown, depth: number): unknown {
  let json: string
  try {
    json = JSON.stringify(value) ?? ""
  } catch {
    return redactValues(value, depth)
  }
  return mayHoldSecret(json) ? redactValues(value, depth) : value
}

/** `checkedAt` over the item's memoised JSON text (core/list-json): the list answer is built from the same texts. */
function checkedText(value: object, depth: number): unknown {
  let json: string
  try {
    json = itemJson(value)
  } catch {
    return redactValues(value, depth)
  }
  return mayHoldSecret(json) ? redactValues(value, depth) : value
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
      // a key that is a configured value (a downstream's error data keyed by it) goes out scrubbed
      o[secrets.redact(k)] = v !== undefined && v !== null && v !== "" && isSecretKey(k) ? REDACTED : redact(v, depth + 1, path)
    }
    out = o
  }
  path.pop()
  return out
}
