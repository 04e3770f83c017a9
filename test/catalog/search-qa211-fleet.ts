/**
 * The fleet of QA 211's held-out set (test/fixtures/search-queries-qa211.json): a devops and team
 * person's 9 servers of recorded definitions, apart from QA 178's (no GitLab, terminal, Discord,
 * Datadog, Prometheus, Stripe, Trello or Linear): Kubernetes, GitHub, Slack, Jira (the generic REST
 * server), Google Calendar, Grafana, time, CircleCI and Vercel. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa211Fleet: Array<[string, ToolDef[]]> = [
  ...(["kubernetes", "jira", "circleci"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
  ...(["github", "slack", "time"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ["google-calendar", read("tool-defs-qa84", "google-calendar")],
  ["grafana", read("tool-defs-qa103", "grafana")],
  ["vercel", read("tool-defs-qa123", "vercel")],
]
