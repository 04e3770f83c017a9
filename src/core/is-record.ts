/**
 * @module core/is-record
 * The one guard for "a plain JSON object" (not null, not an array) used across parsers and config.
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}
