/**
 * @module catalog/search/fields
 * Which text of a tool goes into which weighted field of its search document. The tool's own name
 * (split into words) says most about what it does; its title and description explain it; the
 * server's name says which product it touches; argument names and their descriptions say what it
 * works on, but also repeat across many tools, so they weigh least. A description is split into its
 * first sentence (what the tool does) and the rest (advice that often names other tools).
 * The weights were chosen with `bun run bench -- search` on the tuning part of the labelled set.
 */
import { cutText } from "../../core/index.ts"
import type { IndexedTool } from "./types.ts"
import { shapesIn, whenIn } from "./literals.ts"
import { splitWords, stem, tokenize } from "./tokenize.ts"
import { countTerms } from "./number-of.ts"
import { listTerms } from "./all-of.ts"
import { prefixedCompounds } from "./prefixed-compound.ts"

export const FIELDS = ["name", "title", "summary", "description", "server", "argName", "argDesc", "choices", "shapes", "when", "brands"] as const
export type Field = (typeof FIELDS)[number]

/** Per-field weight and length normalisation (BM25F `w_f`, `b_f`). */
export const FIELD_WEIGHT: Record<Field, number> = {
  name: 4,
  title: 2.5,
  summary: 1.5,
  description: 0.5,
  server: 1.5,
  argName: 0.6,
  argDesc: 0.1,
  choices: 1.5,
  shapes: 1,
  when: 1,
  brands: 1.5,
}
export const FIELD_B: Record<Field, number> = {
  name: 0.3,
  title: 0.3,
  summary: 0.5,
  description: 0.75,
  server: 0.2,
  argName: 0.5,
  argDesc: 0.75,
  choices: 0.5,
  // a shape is there or not: normalised by length (b 1 over a field most tools leave empty) it
  // weighed a twentieth of a word, and "owner"/"repo" decided `owner/repo#12` (QA 118)
  shapes: 0,
  when: 0,
  brands: 0,
}

/** Bounds on what one schema contributes (a downstream's schema is untrusted input). */
const MAX_PROPS = 200
const MAX_ARG_TEXT = 8192

/** Argument names and descriptions of a tool's input schema (top-level properties, one level of nesting). */
function argText(schema: Record<string, unknown> | undefined): { names: string; descs: string } {
  const names: string[] = []
  const descs: string[] = []
  let descChars = 0
  const visit = (s: unknown, depth: number): void => {
    if (!s || typeof s !== "object" || depth > 1) return
    const props = (s as { properties?: unknown }).properties
    if (!props || typeof props !== "object") return
    for (const [k, v] of Object.entries(props as Record<string, unknown>)) {
      if (names.length >= MAX_PROPS) return
      names.push(k)
      if (v && typeof v === "object") {
        const d = (v as { description?: unknown }).description
        if (typeof d === "string" && descChars < MAX_ARG_TEXT) {
          descs.push(cutText(d, MAX_ARG_TEXT - descChars))
          descChars += d.length
        }
        visit(v, depth + 1)
        const items = (v as { items?: unknown }).items
        if (items) visit(items, depth + 1)
      }
    }
  }
  visit(schema, 0)
  return { names: names.join(" "), descs: descs.join(" ") }
}

/** At most this many values of one argument count as choices (a longer list is data, not operations). */
const MAX_CHOICES = 40
/** A description listing an argument's values: "Valid values include: contacts, deals, …", "One of: get, list". */
const VALUE_LIST = /(?:valid values|possible values|allowed values|one of|options)(?:\s+(?:include|are))?\s*:\s*([^.\n]+)/i

/** An argument that chooses a kind of thing: named or described so ("resourceType", "kind", "Type of resource to get"). */
const KIND_ARG = /(?:^|[a-z_])(?:type|kind)\b|^(?:type|kind)\b|\b(?:type|kind) of\b/i
/** The examples a description gives of its values: "(e.g., pods, deployments, services)", "such as issues or pull requests". */
const KIND_EXAMPLES = /(?:\be\.g\.|\bfor example|\bsuch as)[,:]?\s*([^.)\n]+)/i

/**
 * What a tool's top-level arguments choose between: the values of a string `enum` (github's
 * `issue_read` method: get, get_comments, get_labels…) and a list of values its description gives
 * ("The type of HubSpot object to create. Valid values include: companies, contacts, deals…"), and
 * the examples of the kinds an argument choosing a kind gives (kubernetes' `kubectl_get`
 * resourceType, "Type of resource to get (e.g., pods, deployments, services…)", QA 146).
 * A generic tool takes its operation or its object as an argument: a request naming one of them
 * ("get the comments on issue 12", "add a contact") asks for that tool, not for one that only
 * shares a word of its name.
 */
export function choiceText(schema: Record<string, unknown> | undefined): string {
  const props = schema?.properties
  if (!props || typeof props !== "object") return ""
  const out: string[] = []
  for (const [name, v] of Object.entries(props as Record<string, unknown>).slice(0, MAX_PROPS)) {
    if (!v || typeof v !== "object") continue
    const e = (v as { enum?: unknown }).enum
    if (Array.isArray(e) && e.length <= MAX_CHOICES) for (const x of e) if (typeof x === "string") out.push(x)
    const d = (v as { description?: unknown }).description
    const m = typeof d === "string" ? VALUE_LIST.exec(d.slice(0, MAX_ARG_TEXT)) ?? (KIND_ARG.test(`${name} ${d.slice(0, MAX_ARG_TEXT)}`) ? KIND_EXAMPLES.exec(d.slice(0, MAX_ARG_TEXT)) : null) : null
    if (m) out.push(...m[1]!.split(/[,;]|\bor\b/).slice(0, MAX_CHOICES))
    out.push(...variantKinds(v))
  }
  return out.join(" ")
}

/**
 * The kinds of the things a list argument holds: a string `const` of each `anyOf`/`oneOf` variant's
 * properties of its items (miro's `create-items-in-bulk` takes items whose `type` is the const
 * sticky_note, card, shape…): what a batch tool makes or takes. Not an argument's own variants
 * (often an operation chosen, netlify's `get-team`, `get-project`: a request naming a team is
 * not asking for that reader).
 */
function variantKinds(arg: object): string[] {
  const out: string[] = []
  for (const s of [(arg as { items?: unknown }).items]) {
    if (!s || typeof s !== "object") continue
    for (const key of ["anyOf", "oneOf"] as const) {
      const variants = (s as Record<string, unknown>)[key]
      if (!Array.isArray(variants)) continue
      for (const variant of variants.slice(0, MAX_CHOICES)) {
        const props = variant && typeof variant === "object" ? (variant as { properties?: unknown }).properties : undefined
        if (!props || typeof props !== "object") continue
        for (const p of Object.values(props as Record<string, unknown>).slice(0, MAX_PROPS)) {
          const c = p && typeof p === "object" ? (p as { const?: unknown }).const : undefined
          if (typeof c === "string" && out.length < MAX_CHOICES) out.push(c)
        }
      }
    }
  }
  return out
}

/**
 * A description's first sentence (what the tool does) and the rest (usage advice, caveats, often
 * naming other tools: "use search_pull_requests instead"), which says less about this tool.
 */
export function splitDescription(d: string): [string, string] {
  const text = d.trim()
  const from = summaryStart(text)
  const body = text.slice(from)
  const m = /^[\s\S]*?[.!?](?=\s|$)|^[^\n]*/.exec(body)
  const first = m ? m[0] : body
  return [first, `${text.slice(0, from)} ${body.slice(first.length)}`.trim()]
}

/** A "Purpose" heading on a line of its own: what follows says what the tool does. */
const PURPOSE = /(?:^|\n)[^\S\n]*(?:\p{Extended_Pictographic}\uFE0F?[^\S\n]*)*(?:purpose|summary|description|overview|what it does)[^\S\n]*:?[^\S\n]*\n/iu
/** Before the first sentence: emoji, a short heading line ("🎯 Purpose:"), a list marker ("1.", "-"). */
const LEAD = /^\s*(?:\p{Extended_Pictographic}\uFE0F?\s*)*(?:[\p{L}][\p{L} ]{0,30}:[^\S\n]*\n\s*)?(?:(?:\d{1,2}[.)]|[-*•])[^\S\n]+)?/u

/**
 * Where a description's first sentence starts: after a section that says what the tool does
 * (HubSpot's open with "🛡️ Guardrails: 1. Data Modification Warning…", then "🎯 Purpose: 1.
 * Creates…"), past headings, emoji and list markers, which made "Purpose 1." the summary.
 */
function summaryStart(text: string): number {
  const p = PURPOSE.exec(text)
  const at = p ? p.index + p[0].length : 0
  const lead = LEAD.exec(text.slice(at))
  return at + (lead ? lead[0].length : 0)
}

/** The tokens of each field of a tool's document. */
/** A word of letters as written, not part of an identifier ("SQLite", not "get_userInfo" nor "v2Beta"). */
const WRITTEN_WORD = /(?<![\p{L}\p{N}_\-./:#@$])[A-Za-z]+(?![\p{L}\p{N}_\-/:#@$])/gu
/** A brand's casing: a capital then a hump ("SQLite", "PostgreSQL", "MongoDB", "GitHub"), or up to three small letters then one ("iCloud", "macOS"; not "getUserInfo"). */
const BRAND_CASING = /^(?:[A-Z][A-Za-z]*(?:[a-z][A-Z]|[A-Z][A-Z][a-z])|[a-z]{1,3}(?:[A-Z][a-z]+|[A-Z]+)$)/

/**
 * The products a tool names in their brand's casing, each as one word
 * ("SQLite" → sqlite, "PostgreSQL" → postgresql, "MongoDB" → mongodb): split at the humps, as
 * every field is, they were "sq lite", "postgre sql", "mongo db", and a request typing the product
 * ("query the sqlite database") matched none of its tools (QA 146). Their own field, so the other
 * fields' words and scores stay as they were.
 */
export function brandWords(text: string): string[] {
  const out: string[] = []
  for (const [w] of text.matchAll(WRITTEN_WORD)) if (BRAND_CASING.test(w) && splitWords(w).length > 1) out.push(stem(w.toLowerCase()))
  return out
}

/** A server's name as words and as one word ("google-calendar" → google, calendar, googlecalendar). */
function serverNames(server: string): Set<string> {
  const ws = splitWords(server)
  return new Set([...ws, ws.join("")].map(stem))
}

export function documentFields(t: IndexedTool): Record<Field, string[]> {
  const args = argText(t.inputSchema)
  const [summary, rest] = splitDescription(t.description ?? "")
  return {
    name: tokenize(t.tool),
    title: tokenize(t.title ?? ""),
    // ("Get the number of keys …" counts them, number-of.ts; "Fetch all DAGs" lists them, all-of.ts)
    summary: [...tokenize(summary), ...countTerms(summary), ...listTerms(summary)],
    description: tokenize(rest),
    server: tokenize(t.server),
    // (and a prefixed compound written apart, joined as people type it: "nonStop" → nonstop, prefixed-compound.ts)
    argName: [...tokenize(args.names), ...prefixedCompounds(`${args.names} ${args.descs}`)],
    argDesc: tokenize(args.descs),
    choices: tokenize(choiceText(t.inputSchema)),
    // the shapes of identifier its arguments' help shows as examples (literals.ts `shapesIn`)
    shapes: shapesIn(args.descs, args.names),
    // whether it takes a date or a time (literals.ts `whenIn`): its own field, so the shapes' scores stay as they were
    when: whenIn(t.inputSchema, args.descs),
    // (in what it is and does, its title and first sentence: usage advice mentioning a product,
    // "can be linked to GitHub pull requests", does not connect it; nor its own server's name:
    // the server field has it, "GitHub" of every github tool)
    brands: brandWords(`${t.title ?? ""} ${summary}`).filter((w) => !serverNames(t.server).has(w)),
  }
}
