/**
 * @module catalog/search/time-conversion
 * A request giving a time of day and asking what time it is, or will be, somewhere ("if its 3pm in
 * berlin what time is it in new york", "9:30am in tokyo is what time in london?") asks to convert
 * that time, not for the time now: "time" there means a conversion (senses.ts). Not a request
 * giving no time of day ("what time is it in tokyo").
 */

/** A time of day typed ("3pm", "9:30 am", "14:00"). */
const CLOCK = /\b(?:\d{1,2}(?::\d{2})?\s?[ap]\.?m\.?|\d{1,2}:\d{2})(?=$|[\s.,;:!?)])/i
/** Asking for a time: "what time", "time is it", "time in". */
const ASKS_TIME = /\bwhat\s+time\b|\btime\s+(?:is\s+it|will\s+it\s+be|in|at)\b/i

/** True when `text` gives a time of day and asks what time it is somewhere. */
export function asksTimeConversion(text: string): boolean {
  return CLOCK.test(text) && ASKS_TIME.test(text)
}
