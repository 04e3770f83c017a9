/**
 * @module catalog/search/quoted-content
 * Quoted text after words of plain language is what a sentence says or looks for ("find records
 * similar to 'refund policy'", "find the page titled 'Q3 plan'"), not a shell operand: it does not
 * make the verb opening the request a command line (shell.ts: `find` wants an operand). Quoted text
 * with no word of letters alone before it is one ("find 'TODO'", "find . -name '*.ts'").
 */
/** Whether `tok` is quoted text as the shell reads it ('…', "…", `…`). */
function quoted(tok: string): boolean {
  return /^['"`]/.test(tok)
}

/** A word of plain language: letters alone ("records", "matching", "to"; not ".", "-name", "src/"). */
const PLAIN = /^[A-Za-z]+$/

/** Whether `toks[at]` is quoted text after a word of plain language from `toks[from]` on. */
export function quotedInSentence(toks: readonly string[], from: number, at: number): boolean {
  return quoted(toks[at]!) && toks.slice(from, at).some((t) => PLAIN.test(t))
}
