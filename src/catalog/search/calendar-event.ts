/**
 * @module catalog/search/calendar-event
 * A meeting typed ("book a meeting", "cancel the standup") is an event of a calendar; "event" is
 * also what a crash reporter, a webhook or an audit log records. A tool reached from a meeting word
 * only through "event" counts only when it says something of a calendar (calendar, meeting,
 * invite, attendee, schedule…): Bugsnag's `view_event` is an error's occurrence, not a meeting.
 */
import { stem } from "./tokenize.ts"

/** Words a meeting is typed as (senses.ts reads them as an event in a request about time with people). */
export const MEETING_WORDS: ReadonlySet<string> = new Set("meeting standup sync call appointment interview huddle".split(" "))

/** The words by which a tool says its events are a calendar's (stemmed). */
const CALENDAR_WORDS = "calendar meeting invite invitation invitee attendee schedule scheduled appointment booking agenda rsvp organizer".split(" ").map(stem)

/** Stems of the generic thing a meeting word is read as (counted only for a calendar's tools). */
export const EVENT_TERMS: ReadonlySet<string> = new Set(["event"].map(stem))

/**
 * Whether term `term` of a concept counts for a tool: "event" brought by a meeting word (`meeting`:
 * the concept's word is one, or the request settles its sense to an event, "push my 1:1 to
 * Friday") counts only for a tool of a server that says a calendar word somewhere (`says`: whether
 * one of the server's tools has that stem; Calendly's `cancel_event` says only "event", its
 * `list_event_invitees` says whose).
 */
export function eventCounts(meeting: boolean, term: string, says: (stem: string) => boolean): boolean {
  if (!meeting || !EVENT_TERMS.has(term)) return true
  return CALENDAR_WORDS.some(says)
}
