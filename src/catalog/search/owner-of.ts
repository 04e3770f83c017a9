/**
 * @module catalog/search/owner-of
 * The thing whose part or attribute a request asks for: "the logs of api pod", "the price of the
 * euro" — the word before "of" (the attribute) and the words after it (the thing, its last word
 * the head), up to a stop word or punctuation, each of letters alone. Two rules read them
 * (index.ts): a thing no tool knows makes the tools having the attribute weak (`unknownOwners`),
 * and a thing some tools know ranks a tool named after the attribute that does not know the thing
 * below one that does (`ownerKnown`: "the logs of api pod" are the pod's, `kubectl_logs`, not
 * Loki's `find_error_pattern_logs`).
 */
import { isTimeWord } from "./intent.ts"
import { isStop, splitWords, stem } from "./tokenize.ts"

/**
 * Words between "of" and a kind of thing it names ("the price of the euro"). Not a demonstrative
 * or a possessive: "a transcript of that talk", "the status of my payments" name the user's own
 * instance, which tools need not know by its words.
 */
const DETERMINERS = new Set(["the"])

/** One "X of Y" of a request: the attribute's word (lowercase, the last of its identifier) and the thing's words as typed. */
export interface OfPhrase {
  attribute: string
  thing: string[]
}

/** Every "X of the Y" of `query` whose thing is words of letters ended by a stop word, punctuation or the request's end (a word of time ends them: "the price of bitcoin today"). */
export function ofPhrases(query: string): OfPhrase[] {
  const toks = query.split(/\s+/).filter(Boolean)
  const out: OfPhrase[] = []
  for (const [i, tok] of toks.entries()) {
    if (tok.toLowerCase() !== "of" || i === 0) continue
    const attribute = splitWords(toks[i - 1]!).at(-1)
    let at = i + 1
    if (DETERMINERS.has(toks[at]?.toLowerCase() ?? "")) at++
    const thing: string[] = []
    for (; at < toks.length; at++) {
      const m = /^([A-Za-z]+)([,.;:!?]?)$/.exec(toks[at]!)
      if (!m || isStop(m[1]!.toLowerCase()) || isTimeWord(stem(m[1]!.toLowerCase()))) break
      thing.push(m[1]!)
      if (m[2]) break
    }
    if (!attribute || !thing.length || (at < toks.length && !/^[A-Za-z]+[,.;:!?]?$/.test(toks[at]!))) continue
    out.push({ attribute, thing })
  }
  return out
}

/**
 * Of the tools `names`, those named after an attribute asked of a thing named by its instance
 * ("the logs of api pod": Loki's `find_error_pattern_logs`) that do not know the thing, when a tool
 * so named of another server knows it (`kubectl_logs`, "logs from … pods"), and none of their own
 * server does: the thing decides whose attribute is asked, and they have it of something else.
 * Only a thing named with a word before its kind ("api pod", "checkout service"): a bare one
 * ("the newest release of the project") is where the user works, which tools act inside without
 * saying it. Tools of one server are not told apart by it ("protected branches of the gitlab
 * repo": a branch tool need not say the repo it is in).
 * `namedAfter(name, word)`: the tool's name says the word; `knows(name, word)`: the tool uses it
 * anywhere; `serverOf(name)`: its server.
 */
export function ownerUnknownTo(query: string, names: readonly string[], namedAfter: (name: string, word: string) => boolean, knows: (name: string, word: string) => boolean, serverOf: (name: string) => string): Set<string> {
  const out = new Set<string>()
  for (const { attribute, thing } of ofPhrases(query)) {
    if (thing.length < 2) continue
    const owner = thing.at(-1)!.toLowerCase()
    const named = names.filter((n) => namedAfter(n, attribute))
    const knowing = new Set(named.filter((n) => knows(n, owner)).map(serverOf))
    if (!knowing.size) continue
    for (const n of named) if (!knowing.has(serverOf(n))) out.add(n)
  }
  return out
}
