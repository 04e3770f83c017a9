/**
 * @module catalog/search/one-item
 * A request about ONE item, named without an id's shape: a link to its page ("https://github.com/
 * acme/api/pull/12", ".../-/merge_requests/7": a path ending in a kind and a number), its kind and
 * number ("pull request 31", "issue 204"), "this"/"that" before it ("what changed in this pull
 * request"), or one file by a path to it (`~/api/.env.example`: one-file.ts). The tool that reads one item answers it, not one that searches or lists them (see
 * index.ts `oneItem`, which also takes the id shapes `#42`, `!42`, `PROJ-12`).
 */
import type { Literal } from "./literals.ts"
import { isTimeWord } from "./intent.ts"
import { namesOneFile } from "./one-file.ts"
import { isStop, stem } from "./tokenize.ts"
import type { QueryUnit } from "./query.ts"

/** A link's path ending in an item's kind and its number (`/pull/12`, `/issues/204`, `/merge_requests/7/diffs`). */
const ITEM_PAGE = /\/[a-z_-]+\/\d+(?:\/[a-z_-]*)?\/?(?:[?#].*)?$/i

/** Words before a number that bound or count, not an item's kind ("top 10", "last 5", "page 2"). */
const NOT_KIND = new Set("top last first next latest recent previous page limit per every over under about than".split(" "))

/** Words pointing at one thing already known ("this pull request", "that issue"). */
const POINTING = new Set(["this", "that"])

/**
 * True when `words` (the request's own words, its literals taken out) or its `literals` name one
 * item: a link to an item's page, a thing followed by its number, or "this"/"that" before a thing
 * (not a time: "this week"). A plural or a listing typed is the caller's to rule out.
 */
export function namesOneItem(words: readonly string[], literals: readonly Literal[]): boolean {
  if (literals.some((l) => l.kind === "url" && ITEM_PAGE.test(l.text)) || namesOneFile(literals)) return true
  return words.some((w, i) => {
    const prev = words[i - 1]
    if (/^\d+$/.test(w)) return prev !== undefined && /^[a-z]{3,}$/.test(prev) && !isStop(prev) && !NOT_KIND.has(prev) && !isTimeWord(stem(prev))
    const next = words[i + 1]
    return POINTING.has(w) && next !== undefined && !isStop(next) && !isTimeWord(stem(next))
  })
}

/**
 * True when the one item `words` name by its kind and number comes after a thing typed in the plural
 * ("what artifacts did build 88 produce", "failed jobs in build 77", "comments on issue 12"): the
 * item holds the things asked, which are several — a listing of them in it answers, not the tool
 * reading one of them (`get_artifact`). Not when the plural is the item's own kind ("issues 12").
 */
export function severalInItem(words: readonly string[], plural: RegExp): boolean {
  const at = words.findIndex((w, i) => /^\d+$/.test(w) && i > 0 && /^[a-z]{3,}$/.test(words[i - 1]!) && !isStop(words[i - 1]!) && !NOT_KIND.has(words[i - 1]!))
  return at > 1 && words.slice(0, at - 1).some((w) => plural.test(w) && !isStop(w) && !isTimeWord(stem(w)) && stem(w) !== stem(words[at - 1]!))
}

/** Literal kinds naming one item by its id ("#204", "!42", "OPS-12", "octo/api#7"). */
const ITEM_IDS = new Set<Literal["kind"]>(["number", "key", "shortid", "ref"])

/**
 * True when a request with no verb asks for an attribute of one item named by its id ("status of
 * issue #204", "assignee of OPS-12"): it opens with a word then "of", every word of it is a thing
 * (no verb, not even one unknown: "transition OPS-123 to Done" acts), and an id is typed. It reads.
 */
export function attributeOfItem(words: readonly string[], units: readonly QueryUnit[], literals: readonly Literal[]): boolean {
  return words[1] === "of" && units.length > 0 && units.every((u) => u.role === "object") && literals.some((l) => ITEM_IDS.has(l.kind))
}
