/**
 * The fleet of QA 174's held-out set (test/fixtures/search-queries-qa174.json): 13 servers of
 * recorded definitions: zereight's GitLab server (merge-request getter, `delete_label`,
 * `mr_discussions`) beside the reference GitHub server (`pull_request_read`, `search_pull_requests`),
 * mcp-ssh-manager as the only terminal (a remote one) beside local tools that do a command by one
 * word (filesystem's file reads, sentry's `whoami`, kubernetes' rollout, our own status), CI
 * (circleci), chat (slack, discord), memory, time and our own tools as a model lists them.
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa174Fleet: Array<[string, ToolDef[]]> = [
  ["gitlab", read("tool-defs-qa167", "gitlab")],
  ["ssh", read("tool-defs-qa167", "ssh-manager")],
  ["mcp-orchestrator", read("tool-defs-qa154", "mcp-orchestrator")],
  ...(["github", "slack", "sentry", "filesystem", "memory", "time"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ...(["kubernetes", "circleci", "discord"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
  ["vercel", read("tool-defs-qa123", "vercel")],
]
