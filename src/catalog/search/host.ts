/**
 * @module catalog/search/host
 * A command line ending on the host it runs on ("uptime on web-01", "cat /etc/hosts on the db box",
 * "whoami on the bastion", "systemctl restart nginx on 10.0.0.5"): that clause is no plain
 * language after the command, it says where the line runs, which only a tool running commands on a
 * host does (terminal.ts), whatever local tool does the command's meaning by one word.
 */

/** Nouns naming a machine ("the db box", "the build host", "the bastion"). */
const HOST_NOUNS = new Set("box host server bastion machine node vm instance droplet jumpbox".split(" "))

/** A host's name: an identifier with digits ("web-01", "app-2", "db02"), a dotted name or an address. */
const HOST_NAME = /^(?:(?=[a-z0-9-]*\d)[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[a-z0-9-]+(?:\.[a-z0-9-]+)+|\d{1,3}(?:\.\d{1,3}){3})$/i

/**
 * Where a trailing "on <host>" clause starts in `toks` (a request's tokens), or `toks.length` when
 * it has none: "on" then a host's name alone, or "the" and up to two words ending with a noun naming
 * a machine.
 */
export function hostClauseAt(toks: readonly string[]): number {
  const at = toks.findLastIndex((t) => t.toLowerCase() === "on")
  if (at < 1) return toks.length
  const rest = toks.slice(at + 1).map((t) => t.toLowerCase().replace(/[.,;:!?]$/, ""))
  if (rest.length === 1 && HOST_NAME.test(rest[0]!)) return at
  if (rest[0] === "the" && rest.length >= 2 && rest.length <= 4 && HOST_NOUNS.has(rest.at(-1)!)) return at
  return toks.length
}

/**
 * Whether the words before an "on <host>" clause name things the tools know rather than a command
 * the table lacks ("memory usage on web-01", "cpu load on db-02", "disk usage on the db box"): two
 * words or more, each a plain word (letters only) that some tool uses (`known`). A command line has
 * a word no tool uses ("systemctl restart nginx", "pm2 restart api") or is one word ("uptime").
 */
export function thingsOnHost(words: readonly string[], known: (word: string) => boolean): boolean {
  return words.length >= 2 && words.every((w) => /^[a-z]+$/i.test(w) && known(w.toLowerCase()))
}
