/**
 * @module catalog/search/doers-question
 * "Who hasn't signed the lease yet?" asks for the people who sign it and where each stands, the
 * signers: its words are a question's ("who", "hasn't") and the verb, so the tools reading the
 * thing (the contract records) answered above the one listing its signers with their status
 * (`list_recipients`, QA 322). Opening the request or a sentence of it, "who hasn't / didn't / still
 * needs to / is yet to <sign | approve | review>" is read as "list the signers / approvers / reviewers
 * of …" (the synonym table has a signer as a recipient). Where the doers' work is a record of its
 * own, the question lists those records: "who hasn't submitted / turned in / handed in homework 3"
 * is "list the submissions of homework 3" (each student's state is there), "who hasn't responded /
 * replied" the responses, "who hasn't paid" the payments (QA 352: `submit_assignment` answered it).
 */

/** Verbs whose doers are a role of the thing acted on (a document's signers, a change's approvers and reviewers), or whose doing leaves a record of each (a submission, a response, a payment). */
const ROLE_VERBS: Record<string, string> = { sign: "signers", approve: "approvers", review: "reviewers", submit: "submissions", turn: "submissions", hand: "submissions", respond: "responses", reply: "responses", pay: "payments" }

// (only the pending form: "who approved <link>" asks who did it, a history of the thing, and
// "who reviews code here" asks for a team's people)
const DOERS = new RegExp(
  String.raw`(^|[.?!]\s+)who\s+(?:still\s+)?(?:has(?:n'?t|\s+not)|have(?:n'?t|\s+not)|did(?:n'?t|\s+not)|still\s+(?:has|have)|needs?\s+to|has\s+to|is\s+yet\s+to|are\s+yet\s+to)\s+(?:yet\s+)?(?:(sign|approve|review|submit|respond|repl|pa)(?:ed|d|ted|ied|y|id|s|ies)?|(turn|hand)(?:ed|s)?\s+in)(?:\s+to)?\s+(?=\S)`,
  "gi",
)

/** The key of ROLE_VERBS for a verb's stem as the pattern caught it ("repl" of replied, "pa" of paid). */
const verbKey = (verb: string): string => ({ repl: "reply", pa: "pay" } as Record<string, string>)[verb.toLowerCase()] ?? verb.toLowerCase()

/** `query` with each "who hasn't signed …" question read as "list the signers of …" (unchanged when it has none). */
export function doersAsList(query: string): string {
  const read = query.replace(DOERS, (_m, lead: string, verb: string | undefined, inVerb: string | undefined) => `${lead}list the ${ROLE_VERBS[verbKey(verb ?? inVerb ?? "")]} of `)
  // ("… yet" closing it is the question's negation, no word of the thing: the tool resending to
  // those who "have not signed yet" matched it above the signers' list)
  return read === query ? query : read.replace(/\s+yet(?=[\s?.!]*$)/i, "")
}
