/**
 * The fleet of QA 170's held-out set (test/fixtures/search-queries-qa170.json): 20 servers of
 * recorded definitions, where the only terminal is a remote one (mcp-ssh-manager's `ssh_execute`;
 * no local shell, no git server), forges two ways (github-official, the reference GitLab server
 * with no merge-request getter), CI (circleci), data (supabase, airtable), observability (datadog,
 * prometheus, sentry), deploys (vercel), payments (stripe), mail (resend), work (trello, linear),
 * chat (slack, discord), memory, time, fetch and our own tools as a model lists them.
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa170Fleet: Array<[string, ToolDef[]]> = [
  ["ssh", read("tool-defs-qa167", "ssh-manager")],
  ["mcp-orchestrator", read("tool-defs-qa154", "mcp-orchestrator")],
  ...(["github", "slack", "sentry", "linear", "memory", "time", "fetch"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ...(["gitlab", "circleci", "discord", "airtable"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
  ...(["supabase", "datadog"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa103", s)]),
  ...(["vercel", "stripe", "prometheus"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa123", s)]),
  ["resend", read("tool-defs-qa84", "resend")],
  ["trello", read("tool-defs-qa71", "trello")],
]
