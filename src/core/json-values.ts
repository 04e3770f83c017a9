/**
 * @module core/json-values
 * Where the JSON objects and arrays written one after another in a text begin and end, by their
 * brackets and strings alone (no grammar check: each span is parsed by its reader). For a stdio
 * downstream that writes messages without a line break between them (`{…}{…}`, `{…}\r{…}`: a
 * server ending its lines with a bare carriage return, or forgetting the newline), so each message
 * can be read on its own rather than the whole line skipped as noise; and for one that pretty-prints
 * its messages over several lines (`bracketScan`: the depth a held message has reached).
 */

export interface ValueSpans {
  /** [start, end) of each whole value, in order. */
  spans: [number, number][]
  /** Where the text stops being whole values (its length when it is only values and white space). */
  rest: number
  /** True when the text ends inside a value (an opening bracket not yet closed). */
  open: boolean
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13

/** The objects and arrays of `text`, white space between them allowed; stops at anything else. */
export function jsonValueSpans(text: string): ValueSpans {
  const spans: [number, number][] = []
  let i = 0
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++
    if (i === text.length) return { spans, rest: i, open: false }
    const first = text.charCodeAt(i)
    if (first !== 123 /* { */ && first !== 91 /* [ */) return { spans, rest: i, open: false }
    const end = valueEnd(text, i)
    if (end < 0) return { spans, rest: i, open: true }
    spans.push([i, end])
    i = end
  }
}

/** The end of the object or array opening at `start`, or -1 when the text ends first. */
function valueEnd(text: string, start: number): number {
  return bracketScan(text, start, 0).end
}

export interface BracketScan {
  /** Just past the bracket that brings the depth back to 0, or -1 when none does. */
  end: number
  /** The depth at the text's end when no bracket closed the value (-1: it ends inside a string). */
  depth: number
}

/**
 * The brackets of `text` from `start`, `depth` levels deep already (a value begun on earlier lines:
 * a message written over several lines, pretty-printed, never has a line break inside a string).
 */
export function bracketScan(text: string, start: number, depth: number): BracketScan {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      // to the closing quote, past escapes
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i)
        if (s === 92 /* \ */) i++
        else if (s === 34) break
      }
      if (i >= text.length) return { end: -1, depth: -1 }
    } else if (c === 123 || c === 91) depth++
    else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--
      if (depth === 0) return { end: i + 1, depth }
    }
  }
  return { end: -1, depth }
}
