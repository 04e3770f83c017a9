/**
 * @module catalog/search/brand-short
 * The short forms a server is typed by, read from how its own tools write its name. A developer
 * types a product by its initials or its head ("bq" for BigQuery, "gh" for GitHub, "yt" for YouTube,
 * "wp" for WordPress; "mongo" for MongoDB, "sonar" for SonarQube): the casing its tools write the
 * server's name in ("Execute a SELECT query on the BigQuery database") says where its humps are.
 * Typed, such a form names that server as its name would, as a numeronym does (numeronym.ts).
 * Initials only of humps that are each a capital and small letters (not "PostgreSQL", whose "SQL"
 * is initials already), two letters or more; the head only of five letters or more ("Big", "Git",
 * "Word" are everyday words).
 */
import { splitWords } from "./tokenize.ts"

/** A word of letters as written in a brand's casing: humps of a capital and small letters, or a last hump of capitals ("BigQuery", "MongoDB"). */
const BRAND = /(?<![\p{L}\p{N}_\-./:#@$])[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:[A-Z][a-z]+|[A-Z]{2,})(?![\p{L}\p{N}_\-/:#@$])/gu
/** Humps each a capital and small letters. */
const CAPITALIZED_HUMPS = /^(?:[A-Z][a-z]+){2,}$/
const MIN_HEAD = 5

/** The short forms (lowercase) of `server`'s name found written in a brand's casing in `texts` (its tools' titles and descriptions). */
export function brandShortForms(server: string, texts: readonly string[]): Set<string> {
  const names = new Set([server.toLowerCase(), ...splitWords(server)].map((w) => w.replace(/[^a-z0-9]/g, "")))
  const out = new Set<string>()
  for (const text of texts) {
    for (const [w] of text.matchAll(BRAND)) {
      if (!names.has(w.toLowerCase())) continue
      const humps = splitWords(w)
      if (humps.length < 2) continue
      if (CAPITALIZED_HUMPS.test(w)) out.add(humps.map((h) => h[0]).join(""))
      if (humps[0]!.length >= MIN_HEAD) out.add(humps[0]!)
    }
  }
  return out
}
