/**
 * The fleet of QA 154's held-out set (test/fixtures/search-queries-qa154.json): 26 servers from
 * earlier recordings, chosen apart from the earlier sets' fleets where a recording allowed, in
 * pairs doing one job (gitlab, bitbucket and the Toolkit's github; a local git; neon, supabase and
 * the Toolkit's database-server; circleci, vercel and netlify; datadog, prometheus and
 * elasticsearch; jira and shortcut; desktop-commander and filesystem; puppeteer and browsermcp;
 * discord and line; gsheets, excel and airtable; sonarqube; kubernetes). The Docker MCP Toolkit's
 * servers come as the gateway exposes them: one server `docker` whose tools are github-official's
 * (tool-defs/github) and database-server's (its catalog tools.json, as search-queries-toolkit.json
 * holds it); our own tools as a model lists them are one more server (tool-defs-qa154).
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]
const toolkit = (JSON.parse(readFileSync(join(FIXTURES, "search-queries-toolkit.json"), "utf8")) as { servers: Record<string, ToolDef[]> }).servers

export const qa154Fleet: Array<[string, ToolDef[]]> = [
  ["docker", [...read("tool-defs", "github"), ...toolkit["database-server"]!]],
  ["mcp-orchestrator", read("tool-defs-qa154", "mcp-orchestrator")],
  ...(["neon", "gitlab", "kubernetes", "circleci", "elasticsearch", "jira", "desktop-commander", "discord", "airtable"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
  ["git", read("tool-defs-npm", "git-cyanheads")],
  ...(["supabase", "bitbucket", "datadog"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa103", s)]),
  ...(["vercel", "prometheus", "shortcut", "sonarqube"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa123", s)]),
  ...(["netlify", "gsheets", "excel", "browsermcp"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-qa84", s)]),
  ...(["filesystem", "puppeteer"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ["line", read("tool-defs-qa71", "line")],
]
