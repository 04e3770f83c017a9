/**
 * @module cache/json
 * JSON helpers for cached values: checked serialisation, deep freeze and a canonical key form.
 */
import { CacheError } from "../core/index.ts"

/** `JSON.stringify` that refuses what would not round-trip (undefined, functions, symbols, bigint, cycles). */
export function serialize(value: unknown, key: string): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (cause) {
    throw new CacheError("CACHE_NOT_JSON", `[cache] value for a key is not JSON-serialisable`, {
      cause,
      details: { keyLength: key.length },
    })
  }
  if (text === undefined) {
    throw new CacheError("CACHE_NOT_JSON", `[cache] value for a key is not JSON-serialisable (${typeof value})`, {
      details: { keyLength: key.length },
    })
  }
  return text
}

/** Freezes a freshly parsed JSON tree so callers sharing it cannot corrupt the cache. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v)
  }
  return value
}

/** Stable JSON with sorted object keys: the same parts always give the same key string. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`
}

/** Byte length of a UTF-8 string. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8")
}
