/**
 * @module catalog/search/grants-role
 * "Make someone a/an ROLE" ("make uid 9sd8f7 an admin", "make dana the owner of the repo") gives
 * them that role: it grants or sets a role (or a claim) of an account that exists, nothing is
 * made. "make" read as create answered with every create tool, weak, and none that sets a role.
 * Only with someone between the verb and the role: "make an admin user" creates one.
 */

/** Roles an account is given. */
export const ROLES: ReadonlySet<string> = new Set(
  "admin admins administrator owner owners moderator mod editor viewer maintainer collaborator manager superuser superadmin reviewer contributor guest member".split(" "),
)

/** The verbs that give someone a role when a role follows their object. */
const GIVES = new Set(["make"])

/** Articles before the role ("an admin", "the owner"). */
const ARTICLES = new Set(["a", "an", "the"])

/**
 * True when the verb at `at` of `words` (the request's words, lowercase) gives its object a role:
 * 1 to 4 words of someone, then "a", "an" or "the" and a role (`ROLES`).
 */
export function grantsRole(words: readonly string[], at: number): boolean {
  if (!GIVES.has(words[at] ?? "")) return false
  for (let k = at + 2; k <= at + 5 && k + 1 < words.length; k++) {
    if (ARTICLES.has(words[k]!) && ROLES.has(words[k + 1]!)) return !words.slice(at + 1, k).some((w) => ARTICLES.has(w))
  }
  return false
}
