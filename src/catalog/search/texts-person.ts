/**
 * @module catalog/search/texts-person
 * "text my brother happy birthday", "dm her the link": a message sent to one person (senses.ts reads
 * the verb so: send, message). A tool that sends something else — a campaign to a list, a review
 * request — sends no message to that person: Klaviyo's `send_campaign` and Yotpo's
 * `send_review_request` answered "text my brother happy birthday" strongly through "send" (QA 307).
 * Such a tool must say a message in what it is or does (its name, title, server or first sentence:
 * message, SMS, text, chat, DM, and a verb sending it: a reader of a flow's messages sends none), or
 * the verb is missing from it (index.ts marks it weak).
 */
import type { Bm25Index } from "./bm25.ts"
import type { QueryUnit } from "./query.ts"
import { stem } from "./tokenize.ts"

/** What a tool sending a message to a person says it sends. */
const MESSAGE_TERMS = "message messages sms mms text texts chat dm whatsapp imessage".split(" ").map(stem)

/** The unit of a verb the request reads as messaging a person ("text my manager"), if any. */
export function messagesPerson(senses: ReadonlyMap<string, readonly string[]>, units: readonly QueryUnit[]): QueryUnit | undefined {
  return units.find((u) => {
    const m = senses.get(u.text)
    return m !== undefined && m.includes("send") && m.includes("message")
  })
}

/** Verbs of a tool that sends what it writes (a reader of a flow's messages sends none). */
const SEND_TERMS = "send post create write reply".split(" ").map(stem)

/** Things sent to many at once, named in a tool's name: no message to one person ("an SMS campaign"). */
const TO_MANY = "campaign campaigns broadcast broadcasts newsletter newsletters blast blasts bulk".split(" ").map(stem)
/** Whether tool `name` says, in `fields`, that it sends a message (a message word and a verb sending it), and is named after no thing sent to many. */
export function saysMessage(bm: Bm25Index, name: string, fields: readonly number[], nameField: readonly number[]): boolean {
  if (TO_MANY.some((t) => bm.docHasTermIn(name, t, nameField))) return false
  return MESSAGE_TERMS.some((t) => bm.docHasTermIn(name, t, fields)) && SEND_TERMS.some((t) => bm.docHasTermIn(name, t, fields))
}
