/**
 * @module manage/left-out
 * A management answer built from a list the driver read only in part (entries of a shape it does
 * not know left out, `docker/parsers` lenient reading) says so, in text and structuredContent:
 * how many entries, of which command and CLI, and what makes the list whole. Without it a partial
 * catalog, server or secret list reads as the whole one.
 */
import type { LeftOut } from "../docker/index.ts"
import { oneLine } from "./one-line.ts"

/** The sentence that goes first in a partial answer. */
export function leftOutText(l: LeftOut): string {
  const entries = l.count === 1 ? "1 entry" : `${l.count} entries`
  const which = l.entries.map(oneLine).join("; ")
  return `Partial answer: ${entries} of \`${l.command}\` (Docker MCP Toolkit ${l.version}${l.era ? `, ${l.era} era` : ""}) could not be read in full: left out, or listed as printed where the note says so (${which}${l.count > l.entries.length ? "; …" : ""}). ${l.hint}`
}

/** `out` with the partial-read note first in its text and `leftOut` in its structuredContent. */
export function withLeftOut<T extends { text: string; structured: Record<string, unknown> }>(out: T, l: LeftOut | undefined): T {
  if (!l) return out
  return { ...out, text: `${leftOutText(l)}\n${out.text}`, structured: { ...out.structured, leftOut: l } }
}
