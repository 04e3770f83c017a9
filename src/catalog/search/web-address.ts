/**
 * @module catalog/search/web-address
 * A verb that opens something, acting on a web address ("open localhost:3000/login", "load
 * https://example.com", "open up example.com in the browser"): what opens an address is a browser
 * going there, not a file or a query read ("open" alone reads: "open notes.md", "open the node named
 * Alice"). The address typed right after the verb (after "up") is what decides: a URL, with or
 * without its scheme (literals.ts), or an IPv4 address with a port or a path ("open
 * 127.0.0.1:8080/health": no URL literal, which a bare address also is not, as a host to log into).
 */
import { extractLiterals } from "./literals.ts"

/** Verbs that open a thing, and go to it when the thing is a web address. */
export const OPENS = new Set(["open", "load", "reload"])

/** An IPv4 address with a port or a path, or both ("127.0.0.1:8080", "10.0.0.5/status"). */
const IP_ADDRESS = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5}(?:\/\S*)?|\/\S*)$/

/** Punctuation a token may end with and still be the address ("open example.com, then …"). */
const TRAILING = /[.,;:!?)]+$/

/** True when the verb `verb` (lowercase, as typed in `text`) acts on a web address typed right after it (or after "up"). */
export function opensAddress(text: string, verb: string): boolean {
  const toks = text.split(/\s+/)
  const at = toks.findIndex((t) => t.toLowerCase() === verb)
  if (at < 0) return false
  const next = toks[at + 1]?.toLowerCase() === "up" ? at + 2 : at + 1
  const tok = (toks[next] ?? "").replace(TRAILING, "")
  return tok !== "" && (IP_ADDRESS.test(tok) || extractLiterals(tok).literals.some((l) => l.kind === "url" && l.text === tok))
}
