/**
 * @module catalog/search/family-named
 * A product inside a server: tools whose names open with the same word ("crashlytics_list_top_issues",
 * "crashlytics_get_issue" of a server called "firebase"; "firestore_…", "remoteconfig_…"). Typed,
 * that word names those tools as a server's name names its tools: "stack traces for the crashlytics
 * issue" asks Crashlytics', not another crash reporter's `view_stacktrace` that matches "stack trace"
 * better. Only a word the family owns: no other server's tool uses it, it is no verb and no word of
 * the synonym table (a `get_…` or `list_…` family names no product), and not the server's own name
 * (that names the whole server already).
 */

/** Fewest tools of one server opening with a word for it to name them as a product. */
const MIN_FAMILY = 2

export interface FamilyTool {
  name: string
  server: string
  /** The stemmed words of the tool's own name as written, first word first (stop words too: `get_board_labels` opens with "get", no family of "board"). */
  words: readonly string[]
}

/**
 * The tools of each family whose opening word the request typed (`typed`: stemmed words typed),
 * where `owned(word, server)` says no other server's tool uses the word and it names a thing.
 */
export function familiesNamed(tools: Iterable<FamilyTool>, typed: ReadonlySet<string>, serverWords: ReadonlyMap<string, readonly string[]>, owned: (word: string, server: string) => boolean): Set<string> {
  const groups = new Map<string, string[]>()
  for (const t of tools) {
    const head = t.words[0]
    if (head === undefined || t.words.length < 2 || !typed.has(head) || (serverWords.get(t.server) ?? []).includes(head)) continue
    const key = `${t.server}\u0000${head}`
    groups.set(key, [...(groups.get(key) ?? []), t.name])
  }
  const out = new Set<string>()
  for (const [key, names] of groups) {
    const [server, head] = key.split("\u0000") as [string, string]
    if (names.length >= MIN_FAMILY && owned(head, server)) for (const n of names) out.add(n)
  }
  return out
}
