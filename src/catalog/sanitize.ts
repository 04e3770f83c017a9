/**
 * @module catalog/sanitize
 * Tool-poisoning defence for what downstream servers describe (T3 in the security notes): invisible
 * and direction-changing characters (Unicode tag block, zero-width, bidi controls, BOM) are removed
 * from tool and prompt titles and descriptions, including the `description`s inside input schemas,
 * and descriptions are capped in length. Items are copied only when something had to change.
 */

/** Tag block U+E0000–E007F, zero-width U+200B–U+200F, bidi U+202A–U+202E and U+2066–U+2069, BOM, soft hyphen. */
const HIDDEN = /[\u{E0000}-\u{E007F}\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u00AD]/gu
const MAX_SCHEMA_DEPTH = 32

export interface SanitizeOptions {
  /** Longest description kept, in characters (longer ones end with a truncation marker). */
  maxDescription: number
}

export interface SanitizeReport {
  /** Hidden characters removed. */
  hidden: number
  /** Descriptions cut to the maximum length. */
  truncated: number
}

export function cleanText(text: string, max: number, report: SanitizeReport): string {
  let out = text
  if (HIDDEN.test(out)) {
    HIDDEN.lastIndex = 0
    const before = out.length
    out = out.replace(HIDDEN, "")
    report.hidden += before - out.length
  }
  HIDDEN.lastIndex = 0
  if (out.length > max) {
    out = `${out.slice(0, max)}… [truncated by mcp-orchestrator: ${out.length} characters]`
    report.truncated++
  }
  return out
}

function cleanSchema(node: unknown, o: SanitizeOptions, report: SanitizeReport, depth: number): unknown {
  if (depth > MAX_SCHEMA_DEPTH || node === null || typeof node !== "object") return node
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined
    node.forEach((v, i) => {
      const c = cleanSchema(v, o, report, depth + 1)
      if (c !== v) (copy ??= [...node])[i] = c
    })
    return copy ?? node
  }
  let copy: Record<string, unknown> | undefined
  for (const [k, v] of Object.entries(node)) {
    const c = (k === "description" || k === "title") && typeof v === "string" ? cleanText(v, o.maxDescription, report) : cleanSchema(v, o, report, depth + 1)
    if (c !== v) (copy ??= { ...(node as Record<string, unknown>) })[k] = c
  }
  return copy ?? node
}

/** The item with clean `title`, `description` and schema descriptions (the same object if clean). */
export function sanitizeItem<T extends object>(item: T, o: SanitizeOptions, report: SanitizeReport): T {
  return cleanSchema(item, o, report, 0) as T
}
