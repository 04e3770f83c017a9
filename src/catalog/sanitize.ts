/**
 * @module catalog/sanitize
 * Tool-poisoning defence for what downstream servers describe (T3 in the security notes): every
 * invisible code point — Unicode format characters (`Cf`: zero-width, bidi controls, word joiner,
 * invisible operators, BOM, soft hyphen, tag characters…) and every `Default_Ignorable_Code_Point`
 * (variation selectors, Hangul fillers…) — is kept from the model in every string of a tool, prompt,
 * resource or resource template definition, and descriptions are capped in length. Items are copied
 * only when something had to change.
 *
 * Two kinds of string, two treatments:
 * - prose and illustrations (titles, descriptions, schema `description`/`title`/`default`/`examples`/
 *   `$comment`, annotations, `_meta`, resource names and MIME types…): the hidden characters are
 *   removed (a key holding some drops its entry);
 * - values the server matches exactly (schema `enum`/`const` members, property and definition names,
 *   `required`, `pattern`, `format`, `$ref` and every other schema keyword's strings, prompt argument
 *   names, resource URIs and URI templates): removing a character would change what the server
 *   accepts, and keeping it would pass the payload on, so the item is reported poisoned
 *   (`SanitizeReport.poisoned`) and proxy/surface withholds it, with a warning naming it.
 * Tool and prompt names are left alone: the exposed name (catalog/namespace) is ASCII only.
 *
 * Two exceptions keep ordinary emoji intact: one variation selector directly after a visible
 * character (❤️ is U+2764 U+FE0F), and one zero-width joiner between two pictographs (👩‍💻). A run of
 * selectors after one base (the "emoji smuggling" channel: data hidden in dozens of selectors) keeps
 * only its first. Tag characters always go (a subdivision flag such as England's degrades to 🏴).
 *
 * Every level of a definition is walked: catalog/validate has dropped any nesting deeper than
 * `MAX_NESTING` before (the walk stops there too, so it never recurses deeper whatever it is given;
 * hidden characters past it poison the item).
 */
import { cutText, INVISIBLE, jsonFacts, replaceAnsi } from "../core/index.ts"
import { MAX_NESTING } from "./schema-normalize.ts"
import type { ItemKind } from "./validate.ts"

/**
 * Control characters (C0 but tab, line feed and carriage return; DEL; C1): no text needs them, and
 * a terminal acts on them (ESC [8m conceals what follows from a person reading the description in a
 * CLI client, not from the model). Removed from prose, a whole escape sequence at a time (core/ansi:
 * removing the ESC alone left `[31m`, `]8;;https://…\` in the text); not looked for in values
 * matched exactly (a schema `pattern` may hold one as itself).
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/
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
  /**
   * Where hidden characters sit in a value the server matches exactly (an enum or const member, a
   * property name, a prompt argument name, a resource URI…), as paths such as
   * `inputSchema.properties.path.enum[0]` (the first few): the item must be withheld. Absent: none.
   */
  poisoned?: string[]
}

/**
 * `text` without invisible code points (see the module comment for what stays) and, unless
 * `controls` is false, without control characters (CONTROL); `removed` counts what went.
 */
export function stripInvisible(text: string, controls = true): { text: string; removed: number } {
  const control = controls && CONTROL.test(text)
  if (!INVISIBLE.test(text) && !control) return { text, removed: 0 }
  let removed = 0
  if (control)
    text = replaceAnsi(text, (m) => {
      removed += m.length
      return ""
    })
  const cps = Array.from(text)
  let out = ""
  /** The last kept code point, and the last kept one that was not a selector or modifier. */
  let prev = ""
  let base = ""
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!
    if (control && CONTROL.test(c)) {
      removed++
      continue
    }
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
  // over the cap: first without the indentation its lines share (an indented template literal:
  // desktop-commander's read_file is 4 557 characters, 3 300 without its 24 spaces a line), so the
  // cap cuts words, not whitespace
  if (out.length > max) out = dedent(out)
  if (out.length > max) {
    // the note counts toward the cap: `max` is the longest text passed on (a text a few characters
    // over it came out longer than it went in: desktop-commander's 4 145-character start_process)
    const note = `… [truncated by mcp-orchestrator: ${out.length} characters]`
    out = `${cutText(out, Math.max(0, max - note.length))}${note}`
    report.truncated++
  }
  return out
}

/**
 * `text` without the leading whitespace all its lines after the first share (as Python's
 * `inspect.cleandoc`: the first line is stripped on its own, relative indentation is kept, lines of
 * whitespace only become empty, a blank first and last line go). Unchanged when they share none.
 */
export function dedent(text: string): string {
  const lines = text.split("\n")
  if (lines.length < 2) return text
  let common: string | undefined
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === "") continue
    const lead = /^[ \t]*/.exec(line)![0]
    if (common === undefined) common = lead
    else {
      let n = 0
      while (n < common.length && n < lead.length && common[n] === lead[n]) n++
      common = common.slice(0, n)
    }
    if (common === "") break
  }
  const cut = common?.length ?? 0
  const out = lines.map((l, i) => (l.trim() === "" ? "" : i === 0 ? l.trimStart() : l.slice(cut)))
  while (out.length > 1 && out[0] === "") out.shift()
  while (out.length > 1 && out[out.length - 1] === "") out.pop()
  const joined = out.join("\n")
  return joined.length < text.length ? joined : text
}

/** Keywords whose string value is prose: hidden characters removed, length capped. */
const PROSE = new Set(["description", "title"])
/** Keywords whose value only illustrates (what the server accepts does not depend on it): every string in it cleaned. */
const ILLUSTRATION = new Set(["default", "examples", "$comment"])
/** Keywords whose value the server matches exactly: hidden characters in it poison the item. */
const EXACT = new Set(["enum", "const"])
/** Keywords whose value maps names (property names, definition names) to schemas. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"])
/** Paths kept per poisoned item (for the warning). */
const MAX_POISONED = 8
const IDENT = /^[A-Za-z_$][\w$]*$/

interface Walk {
  o: SanitizeOptions
  report: SanitizeReport
  /** The item is known to hold no invisible code point: only lengths are capped (and no path is built). */
  visibleOnly: boolean
}

/** What to do with one field of an object: its cleaned value. */
type Field = (key: string, value: unknown, path: string) => unknown

function hasHidden(s: string): boolean {
  return stripInvisible(s, false).removed > 0
}

/** `path` extended by `key`, for the warning (without the hidden characters the key may hold). */
function seg(w: Walk, path: string, key: string | number): string {
  if (w.visibleOnly) return ""
  if (typeof key === "number") return `${path}[${key}]`
  const k = stripInvisible(key).text
  return path === "" ? k : IDENT.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`
}

function poison(w: Walk, path: string): void {
  const p = (w.report.poisoned ??= [])
  if (p.length < MAX_POISONED) p.push(path)
}

/** Beyond the depth bound (catalog/validate drops deeper items first): a subtree with hidden characters cannot be checked. */
function tooDeep(node: unknown, w: Walk, path: string): unknown {
  if (w.visibleOnly) return node
  let json: string | undefined
  try {
    json = JSON.stringify(node)
  } catch {
    // a cycle: not JSON, not checkable
  }
  if (json === undefined || INVISIBLE.test(json)) poison(w, `${path} (nested too deep to check)`)
  return node
}

function mapArray(node: readonly unknown[], f: (v: unknown, i: number) => unknown): unknown {
  let copy: unknown[] | undefined
  node.forEach((v, i) => {
    const c = f(v, i)
    if (c !== v) (copy ??= [...node])[i] = c
  })
  return copy ?? node
}

/**
 * An object with each field given by `field`, copied only when one changed. A key with hidden
 * characters: in `exactKeys` (a schema's keywords and property names) it poisons the item; else the
 * entry goes (a key of prose or of an illustration: removing its hidden characters could land it on
 * another key).
 */
function cleanObject(node: object, w: Walk, path: string, exactKeys: boolean, field: Field): unknown {
  let copy: Record<string, unknown> | undefined
  for (const [k, v] of Object.entries(node)) {
    const at = seg(w, path, k)
    if (!w.visibleOnly && hasHidden(k)) {
      if (exactKeys) poison(w, at)
      else {
        w.report.hidden += stripInvisible(k).removed
        copy ??= { ...(node as Record<string, unknown>) }
        delete copy[k]
        continue
      }
    }
    const c = field(k, v, at)
    if (c !== v) (copy ??= { ...(node as Record<string, unknown>) })[k] = c
  }
  return copy ?? node
}

/** Prose and illustrations: every string cleaned (`description`/`title` ones also capped). */
function cleanProse(node: unknown, w: Walk, depth: number, path: string, key?: string): unknown {
  if (typeof node === "string") {
    if (key !== undefined && PROSE.has(key)) return cleanText(node, w.o.maxDescription, w.report, w.visibleOnly)
    return w.visibleOnly ? node : cleanText(node, Infinity, w.report)
  }
  if (node === null || typeof node !== "object") return node
  if (depth > MAX_SCHEMA_DEPTH) return tooDeep(node, w, path)
  if (Array.isArray(node)) return mapArray(node, (v, i) => cleanProse(v, w, depth + 1, seg(w, path, i)))
  return cleanObject(node, w, path, false, (k, v, at) => cleanProse(v, w, depth + 1, at, k))
}

/** A value the server matches exactly (an enum member, a property name, a URI): never changed, only checked. */
function checkExact(node: unknown, w: Walk, depth: number, path: string): unknown {
  if (w.visibleOnly) return node
  if (typeof node === "string") {
    if (hasHidden(node)) poison(w, path)
    return node
  }
  if (node === null || typeof node !== "object") return node
  if (depth > MAX_SCHEMA_DEPTH) return tooDeep(node, w, path)
  if (Array.isArray(node)) node.forEach((v, i) => checkExact(v, w, depth + 1, seg(w, path, i)))
  else cleanObject(node, w, path, true, (_k, v, at) => checkExact(v, w, depth + 1, at))
  return node
}

/**
 * A JSON Schema: prose (`description`, `title`) and illustrations (`default`, `examples`,
 * `$comment`) cleaned; everything else — enum and const members, property and definition names,
 * `required`, `pattern`, `format`, `$ref`, unknown keywords… — is what the server checks arguments
 * against, so it is only checked.
 */
function cleanSchema(node: unknown, w: Walk, depth: number, path: string): unknown {
  if (typeof node === "string") return checkExact(node, w, depth, path)
  if (node === null || typeof node !== "object") return node
  if (depth > MAX_SCHEMA_DEPTH) return tooDeep(node, w, path)
  if (Array.isArray(node)) return mapArray(node, (v, i) => cleanSchema(v, w, depth + 1, seg(w, path, i)))
  return cleanObject(node, w, path, true, (k, v, at) => {
    if (PROSE.has(k) || ILLUSTRATION.has(k)) return cleanProse(v, w, depth + 1, at, k)
    if (EXACT.has(k)) return checkExact(v, w, depth + 1, at)
    if (SCHEMA_MAPS.has(k) && v !== null && typeof v === "object" && !Array.isArray(v)) {
      if (depth + 1 > MAX_SCHEMA_DEPTH) return tooDeep(v, w, at)
      return cleanObject(v, w, at, true, (_name, sub, subAt) => cleanSchema(sub, w, depth + 2, subAt))
    }
    return cleanSchema(v, w, depth + 1, at)
  })
}

/** A definition's top level: which fields are prose, exact values or schemas. */
function cleanTop(item: object, kind: ItemKind, w: Walk): unknown {
  return cleanObject(item, w, "", false, (k, v, at) => {
    // the exposed name replaces a tool's or prompt's own (catalog/namespace: ASCII only), and calls route by this one
    if (k === "name" && (kind === "tool" || kind === "prompt")) return v
    if (k === "uri" || k === "uriTemplate") return checkExact(v, w, 1, at)
    if ((k === "inputSchema" || k === "outputSchema") && kind === "tool") return cleanSchema(v, w, 1, at)
    if (k === "arguments" && kind === "prompt" && Array.isArray(v)) return mapArray(v, (a, i) => cleanArgument(a, w, seg(w, at, i)))
    return cleanProse(v, w, 1, at, k)
  })
}

/** A prompt argument: its name is what the client fills in (exact); the rest is prose. */
function cleanArgument(a: unknown, w: Walk, path: string): unknown {
  if (a === null || typeof a !== "object" || Array.isArray(a)) return cleanProse(a, w, 2, path)
  return cleanObject(a, w, path, false, (k, v, at) => (k === "name" ? checkExact(v, w, 3, at) : cleanProse(v, w, 3, at, k)))
}

/**
 * The item with every string a model reads cleaned (the same object if clean): prose and
 * illustrations lose their hidden characters and descriptions are capped; values the server
 * matches exactly (see `cleanSchema`; prompt argument names; resource URIs and URI templates) are
 * never changed — hidden characters there are listed in `report.poisoned`, and the caller withholds
 * the item (stripping them would change what the server accepts; passing them on would pass the
 * payload). A tool's or prompt's `name` is left as it is: the exposed name replaces it.
 *
 * Most items are clean: one scan of the item's JSON text proves it has no invisible code point
 * anywhere (JSON.stringify leaves them as they are) and, when that text is no longer than the cap,
 * no string to cut either; only the other items are walked (and only once per definition object:
 * proxy/surface memoises the result).
 */
export function sanitizeItem<T extends object>(item: T, o: SanitizeOptions, report: SanitizeReport, kind: ItemKind = "tool"): T {
  // the definition's JSON text as serialised once per object (core/definition-digest: a listing's
  // size cap took it) is what is scanned; not JSON (a cycle, nested too deep): the walk decides
  const facts = jsonFacts(item)
  if (facts === undefined || facts.hidden) return cleanTop(item, kind, { o, report, visibleOnly: false }) as T
  if (facts.length <= o.maxDescription) return item
  return cleanTop(item, kind, { o, report, visibleOnly: true }) as T
}
