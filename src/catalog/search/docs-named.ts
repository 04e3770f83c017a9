/**
 * @module catalog/search/docs-named
 * A how-to question that names documentation as where the answer is ("how do i do cleanup in a
 * react useEffect? check the docs", "how do I crawl pages in scrapy? the docs should say") asks the
 * documentation tools (questions.ts `answersFromDocs`: Context7's `query-docs`) whatever server has
 * them, as naming that server would: no server named among several, the ranking was the words', and
 * "check" made Firecrawl's `firecrawl_monitor_check` first.
 */
import { splitWords } from "./tokenize.ts"

/** Words a request names documentation with. */
const DOCS_NAMED = new Set("doc docs documentation".split(" "))

/** True when `query` (the whole request, its context sentences too) names documentation. */
export function namesDocs(query: string): boolean {
  return splitWords(query).some((w) => DOCS_NAMED.has(w))
}
