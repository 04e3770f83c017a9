/**
 * The mixed fleet of QA 140's held-out set (test/fixtures/search-queries-qa140.json): eighteen servers
 * drawn from earlier recordings so that several do the same job (a git host and a local git, two
 * databases, two observability tools, two chats, a browser and a fetcher, a filesystem and a cloud
 * drive, a calendar and an email). Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa140Fleet: Array<[string, ToolDef[]]> = [
  ["github", read("tool-defs", "github")],
  ["git", read("tool-defs", "git")],
  ["postgres", read("tool-defs-qa84", "postgres-admin")],
  ["sqlite", read("tool-defs", "sqlite")],
  ["sentry", read("tool-defs", "sentry")],
  ["grafana", read("tool-defs-qa103", "grafana")],
  ["slack", read("tool-defs", "slack")],
  ["discord", read("tool-defs-npm", "discord")],
  ["playwright", read("tool-defs", "playwright")],
  ["fetch", read("tool-defs", "fetch")],
  ["filesystem", read("tool-defs", "filesystem")],
  ["gdrive", read("tool-defs-qa103", "gdrive")],
  ["google-calendar", read("tool-defs-qa84", "google-calendar")],
  ["gmail", read("tool-defs-npm", "gmail")],
  ["hubspot", read("tool-defs-npm", "hubspot")],
  ["stripe", read("tool-defs-qa123", "stripe")],
  ["brave-search", read("tool-defs", "brave-search")],
  ["kubernetes", read("tool-defs-npm", "kubernetes")],
]
