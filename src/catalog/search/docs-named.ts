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

/**
 * The servers whose documentation tool names, in its own words, a library or product the how-to
 * question typed ("how do i set up lora with peft": Hugging Face's `hf_doc_search` lists "peft"
 * among the libraries it documents). Such a docs tool is where the answer is, as if its server
 * were named: with several servers and none named, the ranking was the words', and "set" made
 * `set_registered_model_alias` first. Only a rare word counts (at most `RARE` tools say it): a
 * common one ("model", "set") names no library.
 */
export function docsNamingTyped(
  typed: Iterable<string>,
  toolsSaying: (term: string) => readonly string[],
  isDocsTool: (name: string) => boolean,
  serverOf: (name: string) => string,
  isThing: (term: string) => boolean,
): Set<string> {
  const servers = new Set<string>()
  for (const t of typed) {
    if (!isThing(t)) continue
    const saying = toolsSaying(t)
    if (saying.length > RARE) continue
    for (const n of saying) if (isDocsTool(n)) servers.add(serverOf(n))
  }
  return servers
}

/** At most this many tools say a word that names a library (a product's name is said by few). */
const RARE = 3
