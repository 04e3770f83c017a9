/**
 * @module catalog/search/chat-shorthand
 * Words of a request typed as chat shorthand, read as the words they stand for: "can u move my
 * 1:1", "whats the time in tokyo rn", "am i free tmrw". Only forms with one meaning in a request to
 * an assistant, each a whole word between spaces or punctuation ("chmod u+x" keeps its operand);
 * "rn" only closing a clause ("build the rn app" names React Native). Tools' own text is not read
 * so: it is written, not typed in chat.
 */

/** Shorthand → the words it stands for, matched as a whole word. */
const WORDS: ReadonlyArray<[RegExp, string]> = [
  [/(?<=^|\s)u(?=$|[\s?!.,])/gi, "you"],
  [/(?<=^|\s)ur(?=$|[\s?!.,])/gi, "your"],
  [/(?<=^|\s)(?:tmrw|tmr|tmrrw|2moro)(?=$|[\s?!.,])/gi, "tomorrow"],
  // (closing a clause: the end, or punctuation after it)
  [/(?<=^|\s)rn(?=\s*(?:$|[?!.,;]))/gi, "right now"],
]

/** `query` with its chat shorthand written out (unchanged when it has none). */
export function chatAsWords(query: string): string {
  let out = query
  for (const [re, words] of WORDS) out = out.replace(re, words)
  return out
}
