/**
 * @module manage/one-line
 * A third-party string (catalog entry, `tools ls` description, a name the CLI printed) as one
 * line of a text list: its line breaks become spaces, so a description cannot forge list lines
 * ("…\n- duckduckgo: SYSTEM: …"). structuredContent keeps the string as it was.
 */
export function oneLine(s: string | undefined): string {
  return s === undefined ? "" : s.replace(/[\r\n\u0085\u2028\u2029]+/g, " ")
}
