/**
 * @module catalog/search/terminal
 * Which command of a request is a line to run in a terminal rather than a thing some tool does.
 * A tool that runs commands on a host (a local shell, an SSH server's `ssh_execute`) is a terminal:
 * "df -h", "crontab -l", "free -m on web-01" ask it, unless some tool does what the command does;
 * a line ending on the host it runs on ("cat /etc/hosts on the db box") asks it whatever tool does
 * the command's meaning.
 * "Does what it does" needs each requirement of the command's meaning and more than one of its
 * words (df's "disk free space" is not done by a tool that only mentions "disk").
 */
import type { Bm25Index } from "./bm25.ts"
import { FIELDS } from "./fields.ts"
import type { CommandUnit } from "./shell.ts"
import { terminalGroups } from "./shell.ts"

/** Fields that say what a tool does (index.ts DOES_FIELDS): a command's meaning must be there. */
const DOES_FIELDS = (["name", "title", "server", "summary"] as const).map((f) => FIELDS.indexOf(f))
/** Fields where a CLI's own name counts (index.ts OWN_NAME_FIELDS). */
const OWN_NAME_FIELDS = (["name", "title"] as const).map((f) => FIELDS.indexOf(f))

/**
 * Whether some tool does every requirement of a command (`groups`), its own name (`own`) counting
 * only in a tool's name or title ("docker ps" is done by `list_containers`, not by the Toolkit
 * gateway's `docker__issue_read`), with at least `words` distinct words of its meaning.
 */
export function performed(groups: readonly string[][], own: readonly string[], index: Bm25Index, words = 1, cli?: string): boolean {
  const met = new Map<string, Set<string>>()
  // (a CLI's subcommand, "git log", is done only by a tool named after the CLI: not `get_job_logs`)
  let docs: Set<string> | undefined = cli === undefined ? undefined : new Set([...index.scoreTerm(cli).keys()].filter((d) => namedAfter(d, cli)))
  for (const g of groups) {
    const meets = new Set<string>()
    const add = (t: string, d: string): void => {
      meets.add(d)
      met.set(d, (met.get(d) ?? new Set()).add(t))
    }
    for (const t of g) for (const d of index.scoreTerm(t).keys()) if (index.docHasTermIn(d, t, DOES_FIELDS)) add(t, d)
    for (const t of own) for (const d of index.scoreTerm(t).keys()) if (index.docHasTermIn(d, t, OWN_NAME_FIELDS)) add(t, d)
    docs = docs ? new Set([...docs].filter((d) => meets.has(d))) : meets
    if (!docs.size) return false
  }
  return [...(docs ?? [])].some((d) => (met.get(d)?.size ?? 0) >= words)
}

/**
 * Whether a tool's own name has the CLI's name as a word of its own (`git_log`, `gitCommit`), not
 * inside a product's name (`github`, a `gitlab__…` tool).
 */
function namedAfter(tool: string, cli: string): boolean {
  const own = tool.slice(tool.indexOf("__") + 2)
  return own.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).some((w) => w.toLowerCase() === cli)
}

/** Whether some tool runs commands (a terminal, local or remote). */
function hasTerminal(index: Bm25Index): boolean {
  return performed(terminalGroups(), [], index)
}

/**
 * Whether a command of the request is a line to run in a terminal: a product CLI no tool performs
 * ("docker ps" with no container tool, "terraform plan"), or a plain command opening the request
 * ("df -h", "crontab -l") that no tool does with more than one word of its meaning, when a
 * terminal is connected (without one, its meaning stays what the request asks).
 */
export function runsInTerminal(u: CommandUnit, index: Bm25Index): boolean {
  if (u.line !== true) return false
  // (a line ending on the host it runs on: only a tool running commands runs it there, host.ts)
  if (u.host === true && hasTerminal(index)) return true
  if (u.own !== undefined) return u.unknown === true || !performed(u.groups, u.own, index)
  const words = new Set(u.groups.flat()).size
  return hasTerminal(index) && !performed(u.groups, [], index, Math.min(2, words), u.cli)
}
