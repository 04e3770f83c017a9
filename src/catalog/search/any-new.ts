/**
 * @module catalog/search/any-new
 * "Any new messages in my inbox?", "are there any new errors since the deploy", "anything new in
 * the forum" ask whether some recent ones exist: a listing, no making. "new" is a making word
 * ("create make new" in the synonym table), so the tools creating a message, a conversation or an
 * announcement answered above those listing them (`canvas_create_conversation` first, QA 352).
 * After "any" (or "anything"), "new" is read as the recency the listing already gives, and dropped.
 * Not "a new …", "add new …" nor "any new-checkout flag" (a hyphenated name): those make or name a thing.
 */

/** "any new" / "anything new" with a word after it, "new" not part of a hyphenated name. */
const ANY_NEW = /\b(any|anything)\s+new\b(?!-)(?=\s+\S|\s*[?.!]*$)/gi

/** `query` with "new" after "any" / "anything" dropped (unchanged when it has none). */
export function anyNewAsAny(query: string): string {
  return query.replace(ANY_NEW, (_m, any: string) => any)
}
