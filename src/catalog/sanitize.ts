/**
 * @module catalog/sanitize
 * Tool-poisoning defence for what downstream servers describe (T3 in the security notes): every
 * invisible code point — Unicode format characters (`Cf`: zero-width, bidi controls, word joiner,
 * invisible operators, BOM, soft hyphen, tag characters…) and every `Default_Ignorable_Code_Point`
 * (variation selectors, Hangul fillers…) — is removed from tool, prompt and resource titles and
 * descriptions, including the `description`s and `title`s inside schemas, and descriptions are
 * capped in length. Items are copied only when something had to change.
 *
 * Two exceptions keep ordinary emoji intact: one variation selector directly after a visible
 * character (❤️ is U+2764 U+FE0F), and one zero-width joiner between two pictographs (👩‍💻). A run of
 * selectors after one base (the "emoji smuggling" channel: data hidden in dozens of selectors) keeps
 * only its first. Tag characters always go (a subdivision flag such as England's degrades to 🏴).
 *
 * Every level of a definition is walked: catalog/validate has dropped any nesting deeper than
 * `MAX_NESTING` before (the walk stops there too, so it never recurses deeper whatever it is given).
 */
import { MAX_NESTING } from "./schema-normalize.ts"

/** Fast check: any invisible code point at all (most descriptions have none). */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u
const VARIATION_SELECTOR = /^[\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u180B-\u180D\u180F]$/u
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u
const EMOJI_MODIFIER = /^\p{Emoji_Modifier}$/u
const ZWJ = "\u200D"
const MAX_SCHEMA_DEPTH = MAX_NESTING

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

/** `text` without invisible code points (see the module comment for what stays); `removed` counts what went. */
export function stripInvisible(text: string): { text: string; removed: number } {
  if (!INVISIBLE.test(text)) return { text, removed: 0 }
  const cps = Array.from(text)
  let out = ""
  let removed = 0
  /** The last kept code point, and the last kept one that was not a selector or modifier. */
  let prev = ""
  let base = ""
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!
    if (!INVISIBLE.test(c)) {
      out += c
      prev = c
      if (!EMOJI_MODIFIER.test(c)) base = c
      continue
    }
    let keep = false
    if (VARIATION_SELECTOR.test(c)) keep = prev !== "" && prev === base && prev !== ZWJ
    else if (c === ZWJ) keep = prev !== ZWJ && base !== "" && PICTOGRAPH.test(base) && i + 1 < cps.length && PICTOGRAPH.test(cps[i + 1]!)
    if (keep) {
      out += c
      prev = c
      if (c === ZWJ) base = ""
    } else removed++
  }
  return { text: out, removed }
}

export function cleanText(text: string, max: number, report: SanitizeReport, visibleOnly = false): string {
  let out = text
  const stripped = visibleOnly ? undefined : stripInvisible(out)
  if (stripped && stripped.removed > 0) {
    out = stripped.text
    report.hidden += stripped.removed
  }
  if (out.length > max) {
    out = `${out.slice(0, max)}… [truncated by mcp-orchestrator: ${out.length} characters]`
    report.truncated++
  }
  return out
}

/** `visibleOnly`: the node is known to hold no invisible code point (only lengths are capped). */
function cleanSchema(node: unknown, o: SanitizeOptions, report: SanitizeReport, depth: number, visibleOnly: boolean): unknown {
  if (depth > MAX_SCHEMA_DEPTH || node === null || typeof node !== "object") return node
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined
    node.forEach((v, i) => {
      const c = cleanSchema(v, o, report, depth + 1, visibleOnly)
      if (c !== v) (copy ??= [...node])[i] = c
    })
    return copy ?? node
  }
  let copy: Record<string, unknown> | undefined
  for (const [k, v] of Object.entries(node)) {
    const c = (k === "description" || k === "title") && typeof v === "string" ? cleanText(v, o.maxDescription, report, visibleOnly) : cleanSchema(v, o, report, depth + 1, visibleOnly)
    if (c !== v) (copy ??= { ...(node as Record<string, unknown>) })[k] = c
  }
  return copy ?? node
}

/**
 * The item with clean `title`, `description` and schema descriptions (the same object if clean).
 * Most items are clean: one scan of the item's JSON text proves it has no invisible code point
 * anywhere (JSON.stringify leaves them as they are) and, when that text is no longer than the cap,
 * no string to cut either; only the other items are walked (and only once per definition object:
 * proxy/surface memoises the result).
 */
export function sanitizeItem<T extends object>(item: T, o: SanitizeOptions, report: SanitizeReport): T {
  let json: string | undefined
  try {
    json = JSON.stringify(item)
  } catch {
    // not JSON (a cycle): the walk decides
  }
  if (json === undefined || INVISIBLE.test(json)) return cleanSchema(item, o, report, 0, false) as T
  if (json.length <= o.maxDescription) return item
  return cleanSchema(item, o, report, 0, true) as T
}
