/**
 * @module sandbox/guest-line
 * A console line as the prelude hands it over: its JSON (prelude.ts `logger`). A string read from
 * the engine directly goes through its UTF-8 (CESU-8) bytes, where a lone surrogate (`"\uD800"`)
 * decodes as three U+FFFD; its JSON escapes it, so the line is the guest's own text.
 */
export function guestLine(sent: string): string {
  try {
    const v: unknown = JSON.parse(sent)
    if (typeof v === "string") return v
  } catch {
    // not JSON: only the prelude calls hostLog, but a line is never lost over its form
  }
  return sent
}
