/**
 * @module cli/left-out
 * Server entries the config load left out as invalid (config/invalid-servers), as the CLI words
 * them: one line each (entry, file:line, the problems), the same words `doctor` uses. Commands
 * that read the config for something else (`pins`, `cache`, `auth status`) print these lines on
 * stderr and go on: a server missing from their output is said to be left out, not silently absent.
 */
import { invalidServerLines, invalidServerSummary, type InvalidServer } from "../config/index.ts"

/** `servers.bad (file:3) is invalid, so serve leaves it out (the other servers run): servers.bad.comand (file:4): unknown key…` */
export function leftOutLine(bad: InvalidServer): string {
  return bad.disabled
    ? `${bad.entry} (${bad.source}) is disabled, and invalid: fix it before enabling it: ${invalidServerSummary(bad)}`
    : `${bad.entry} (${bad.source}) is invalid, so serve leaves it out (the other servers run): ${invalidServerSummary(bad)}`
}

/** The left-out entries for a `--json` answer: name, entry, where, each problem, the fix. */
export function leftOutJson(invalid: readonly InvalidServer[] | undefined): { invalidServers?: { name: string; entry: string; source: string; problems: string[]; remedy: string }[] } {
  if (!invalid?.length) return {}
  return { invalidServers: invalid.map((s) => ({ name: s.name, entry: s.entry, source: s.source, problems: invalidServerLines([s]), remedy: s.remedy })) }
}

/** One `note:` line per left-out entry on stderr (`what`: what the command's output lacks because of it). */
export function noteLeftOut(command: string, invalid: readonly InvalidServer[] | undefined, what: string): void {
  for (const bad of invalid ?? []) process.stderr.write(`mcp-orchestrator ${command}: note: ${leftOutLine(bad)} (${what})\n`)
}
