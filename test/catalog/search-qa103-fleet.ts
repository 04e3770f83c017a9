/** The recorded fleet of QA 103's held-out set (test/fixtures/search-queries-qa103.json): server name as configured → definitions (test/fixtures/tool-defs-qa103). */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa103", `${file}.json`), "utf8")) as ToolDef[]

export const qa103Fleet: Array<[string, ToolDef[]]> = [
  "bitbucket", "contentful", "datadog", "gdrive", "grafana", "miro", "strava", "supabase", "xero", "youtube",
].map((s): [string, ToolDef[]] => [s, read(s)])
