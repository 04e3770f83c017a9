/**
 * @module catalog/search/members-question
 * "Who's in X?" asks for X's people, its members: its words are all stop words ("who", "is",
 * "in"), so the request kept only its thing, and the tool listing those things ("list_beta_groups")
 * answered above the one listing the people of one ("list_group_testers"). Opening the request or
 * a sentence of it ("who's in", "whos on", "who is in", "who are on", "who belongs to"), it is read
 * as "list the members of …" (the synonym table has a member as a user, a person, a tester).
 */

/**
 * "Who's in" / "who is on" and a group named with a determiner ("the", "our": not a state of a
 * person, "who is on call", "who's in charge"), or "who belongs to", opening the request or a sentence.
 */
const MEMBERS = /(^|[.?!]\s+)who\s*(?:(?:'?\s*s|\s+is|\s+are)\s+(?:in|on|inside)\s+(?=(?:the|our|my|your|their|this|that)\s)|\s+belongs?\s+to\s+(?=\S))/gi

/** `query` with each "who's in …" question read as "list the members of …" (unchanged when it has none). */
export function membersAsList(query: string): string {
  return query.replace(MEMBERS, (_m, lead: string) => `${lead}list the members of `)
}
