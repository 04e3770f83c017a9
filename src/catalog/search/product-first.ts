/**
 * @module catalog/search/product-first
 * A request opening with a product's name and then a verb acting on a thing ("terraform apply the
 * staging workspace", "sentry resolve the WEB-4F2 issue", "slack message the team"): the product is
 * where the verb is done, as "apply the staging workspace in terraform" says it. Read as it stood,
 * the product's name was the request's opening word, so its verb was no verb of the request's own
 * and every tool of that server answered strong through the name alone (the registry's
 * `search_policies` for `terraform apply`, which no tool does). Not a CLI's command line
 * ("git add the file", "kubectl get pods": shell.ts reads those), nor a verb that is no word of
 * plain language ("sentry issues in prod" names things: the word after it must be one that
 * follows verbs, intent.ts `AFTER_VERB`).
 */
import { AFTER_VERB } from "./intent.ts"
import { knownCommand } from "./shell.ts"
import { isStop } from "./tokenize.ts"

/** A product's name as typed first, then a verb, then the rest (a colon or comma after the name allowed). */
const OPENING = /^\s*([A-Za-z][\w.-]*)[:,]?\s+([a-z]{3,})\s+(\S+)(.*)$/s

/**
 * `query` with an opening product name (`namesServer`: a word naming a server of the index) moved
 * after what is asked, as the place it is done in; unchanged when it opens otherwise.
 */
export function productLast(query: string, namesServer: (word: string) => boolean): string {
  const m = OPENING.exec(query)
  if (!m) return query
  const [, product, verb, next, rest] = m as unknown as [string, string, string, string, string]
  const p = product.toLowerCase()
  if (knownCommand(p) || !namesServer(p) || isStop(verb) || /[^s]s$/.test(verb) || !AFTER_VERB.has(next.toLowerCase())) return query
  return `${verb} ${next}${rest.replace(/[.?!\s]+$/, "")} in ${product}`
}
