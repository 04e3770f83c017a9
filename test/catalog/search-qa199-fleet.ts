/**
 * The fleet of QA 199's held-out set (test/fixtures/search-queries-qa199.json): a knowledge
 * worker's 7 servers of recorded definitions, none of QA 192's developer servers: Slack, Notion,
 * Google Drive, Google Sheets, Gmail, Google Calendar and Atlassian (Jira + Confluence). Server
 * name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa199Fleet: Array<[string, ToolDef[]]> = [
  ...(["slack", "notion", "atlassian"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ["gdrive", read("tool-defs-qa103", "gdrive")],
  ...(["gsheets", "google-calendar"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa84", s)]),
  ["gmail", read("tool-defs-npm", "gmail")],
]
