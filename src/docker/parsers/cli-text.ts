/**
 * @module docker/parsers/cli-text
 * A `docker mcp` command's output as its data (`cliText`), in a file of its own that imports no
 * parser library: the error classifier (docker/classify), which a stdio serve session loads, reads
 * output through it too, and must not pull `yaml` into that session's static graph.
 */
import { terminalText } from "../../core/index.ts"

/**
 * A line the CLI prints about something else than the data, at the start of a line: a Desktop
 * `Tip: …`/`Hint: …`, `WARNING: …`, a deprecation or update notice (`A new version of docker-mcp is
 * available: v0.44.0`): a notice word, a colon and words. No line of JSON opens so, and in YAML it
 * would be a top-level key with a sentence for value, which no Toolkit document has (`info:` opening
 * a server's map, or `tip: one-word`, is data and stays).
 */
const NOTICE_LINE = /^(?:(?:tip|hint|note|notice|warn(?:ing)?|info|deprecat\w*)\b[^\n:]{0,40}:\s+[A-Za-z`(][^\n]*\s\S|(?:a )?new (?:version|release)\b.*\bavailable\b|update available\b)/i

/** The Docker CLI's hint block (`What's next:` then indented lines), printed after a command's output. */
const WHATS_NEXT = /^what[\u2019']?s next\??:?\s*$/i

/**
 * Output of a `docker mcp` command as its data: without a byte-order mark (at any line's start), as a terminal shows it
 * (`terminalText`), without notice lines (`NOTICE_LINE`) and without a trailing `What's next:` hint
 * block (the header and the indented or blank lines after it, to the end). Every parser that reads
 * the CLI's text reads it through this one function: a hint printed with a legacy `config read`
 * read as a server named "What's next", and one printed with JSON made it unreadable.
 */
export function cliText(text: string): string {
  // a byte-order mark opens the output, or a line after a wrapper's or the CLI's own first lines
  // (a progress line, then the plugin's document): at a line's start it is never data
  const lines = terminalText(text.replace(/^\uFEFF+/gm, "")).replace(/^\uFEFF+/gm, "").split("\n")
  let end = lines.length
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] as string).replace(/\r$/, "")
    if (WHATS_NEXT.test(line)) {
      end = i
      break
    }
    // the block's own lines are indented (or blank); anything else ends the search
    if (line.trim() !== "" && !/^\s/.test(line)) break
  }
  const body = lines.slice(0, end)
  const data = body.filter((l) => !NOTICE_LINE.test(l))
  // output that is nothing but notices is not "no data": it stays, for the parser to refuse and quote
  const kept = (data.some((l) => l.trim() !== "") ? data : body).join("\n")
  // the blank line the block opened with goes with it (a lone CR of a CRLF blank line is no line end to YAML)
  return end < lines.length ? `${kept.replace(/\s+$/, "")}\n` : kept
}
