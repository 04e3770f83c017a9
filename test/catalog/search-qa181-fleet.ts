/**
 * The fleet of QA 181's held-out set (test/fixtures/search-queries-qa181.json): 13 servers of
 * recorded definitions, none of QA 178's chat, monitoring or calendar servers: GitHub, Sentry and
 * Notion, Gmail, Kubernetes, HubSpot, Desktop Commander (the only terminal, a local one) and
 * Airtable, SonarQube, Asana, Netlify (operation-dispatch tools) and Reddit, Todoist.
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa181Fleet: Array<[string, ToolDef[]]> = [
  ...(["github", "sentry", "notion"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ...(["gmail", "kubernetes", "hubspot", "desktop-commander", "airtable"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
  ["sonarqube", read("tool-defs-qa123", "sonarqube")],
  ...(["asana", "netlify", "reddit"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa84", s)]),
  ["todoist", read("tool-defs-qa71", "todoist")],
]
