/**
 * @module catalog/search/metric-range
 * A measure of a system over a span of time ("cpu usage of checkout service last hour", "p99
 * latency over the past 24h", "memory of the api since yesterday") asks for a time series: a query
 * of a metrics store over that range, not the thing's settings or one reading. The measure's word
 * means a range query there (senses.ts). Not a measure with no span ("cpu usage on web-01" is one
 * reading, a host's monitor), nor a span with no measure.
 */

/** Words of a measure a metrics store keeps. */
export const MEASURES = new Set("usage utilization utilisation latency throughput cpu memory load rps qps saturation".split(" "))
/** A span of time back from now: "last hour", "past 24h", "over the last 30 minutes", "since yesterday". */
const SPAN = /\b(?:(?:last|past|previous)\s+(?:\d+\s*)?(?:m|mins?|minutes?|h|hrs?|hours?|d|days?|weeks?|months?)\b|(?:last|past)\s+\d+\s*[mhdw]\b|\d+\s*[mhdw]\b(?=\s*$)|since\s+(?:yesterday|this\s+morning|midnight|\d))/i

/** The measure word of `words` when `text` asks for it over a span of time, else undefined. */
export function measuredOverSpan(text: string, words: readonly string[]): string | undefined {
  return SPAN.test(text) ? words.find((w) => MEASURES.has(w)) : undefined
}
