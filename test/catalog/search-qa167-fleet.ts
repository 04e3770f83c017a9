/**
 * The fleet of QA 167's held-out set (test/fixtures/search-queries-qa167.json): 25 servers, with
 * two no earlier set had (tool-defs-qa167: zereight's GitLab server with its merge-request getter
 * beside `merge_merge_request`, and mcp-ssh-manager, whose `ssh_execute` is the only terminal, a
 * remote one), forges three ways (that GitLab, github-official, bitbucket's generic REST verbs),
 * chat (slack, discord), deploys (vercel), errors and logs (sentry, grafana), work (linear, notion,
 * todoist, google-calendar, gmail), payments (stripe), data (mongodb, postgres), kubernetes, a
 * browser, files, memory, time, weather, fetch and our own tools as a model lists them.
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa167Fleet: Array<[string, ToolDef[]]> = [
  ["gitlab", read("tool-defs-qa167", "gitlab")],
  ["ssh", read("tool-defs-qa167", "ssh-manager")],
  ["mcp-orchestrator", read("tool-defs-qa154", "mcp-orchestrator")],
  ...(["github", "slack", "sentry", "linear", "notion", "postgres", "playwright", "filesystem", "memory", "time", "fetch"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ...(["kubernetes", "discord", "gmail", "mongodb"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
  ...(["bitbucket", "grafana"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa103", s)]),
  ...(["vercel", "stripe"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa123", s)]),
  ...(["google-calendar", "weather"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa84", s)]),
  ["todoist", read("tool-defs-qa71", "todoist")],
]
