/**
 * The fleet of QA 178's held-out set (test/fixtures/search-queries-qa178.json): 12 servers of
 * recorded definitions: zereight's GitLab beside the reference GitHub server, mcp-ssh-manager as
 * the only terminal (a remote one, with its own monitor and service tools), chat (slack, discord),
 * monitoring (datadog, prometheus, grafana), trackers (linear, trello), stripe and Google Calendar.
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa178Fleet: Array<[string, ToolDef[]]> = [
  ["gitlab", read("tool-defs-qa167", "gitlab")],
  ["ssh", read("tool-defs-qa167", "ssh-manager")],
  ...(["github", "slack", "linear"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ["discord", read("tool-defs-npm", "discord")],
  ...(["datadog", "grafana"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa103", s)]),
  ...(["prometheus", "stripe"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa123", s)]),
  ["trello", read("tool-defs-qa71", "trello")],
  ["google-calendar", read("tool-defs-qa84", "google-calendar")],
]
