/**
 * @module catalog/search/several
 * A request about SEVERAL things of a kind, no item named: a thing typed in the plural ("any open
 * issues labeled bug?", "isues labeled bug in our repo", "pods in the default namespace") with no
 * id, no link to one item's page, no "this", and no verb that changes anything. It asks for a
 * listing: the tool listing or searching them answers it, not the one reading one item
 * (`issue_read`, `get_issue`), whatever its arguments' choices matched ("labeled" → its method
 * `get_labels`). The reverse of one-item.ts.
 */
import type { QueryUnit } from "./query.ts"

/** A word's plural form as typed ("cards", "issues", "isues"; not "status", "class", "analysis"). */
export const PLURAL = /^[a-z]{3,}(?<![siu])s$/

/** Words for a collection of items, asked as its items ("whats in my queue": the tickets in it, my-queue.ts). */
const COLLECTIVE = new Set(["queue", "backlog"])

/**
 * The thing the request names in the plural (or a collection of them, `COLLECTIVE`), as typed, when it asks for several of them: its first
 * thing typed in its own words (`plain`, its literals taken out: a path's `merge_requests/42` is
 * one item) is a plural ("find the email about invoices" asks for an email), no item named
 * (`oneNamed`), no change asked (every unit a thing or a loose or reading verb). Empty when not.
 */
export function severalAsked(units: readonly QueryUnit[], plain: readonly string[], oneNamed: boolean, family: string | undefined): string[] {
  if (oneNamed || family === "write") return []
  if (units.some((u) => u.role === "change" || u.role === "command")) return []
  const first = units.find((u) => u.role === "object" && plain.includes(u.text))
  return first && (PLURAL.test(first.text) || COLLECTIVE.has(first.text)) ? [first.text] : []
}

/**
 * True when a tool's name (`words`, split) reads one item: a reading verb of its name (`isRead`, on
 * `stem`'s stems), no word saying it returns many (`many`) nor any plural, and a thing asked in the plural
 * (`things`: its stems as typed or corrected, "isues" → issue) named in the singular (`issue_read`).
 */
export function readsOne(words: readonly string[], things: ReadonlySet<string>, stem: (w: string) => string, isRead: (w: string) => boolean, many: ReadonlySet<string>): boolean {
  // (a name with a plural returns many or counts them: `get_project_task_counts`, `place_details`)
  if (!words.some((w) => isRead(stem(w))) || words.some((w) => many.has(stem(w)) || PLURAL.test(w))) return false
  return words.some((w) => things.has(stem(w)))
}
