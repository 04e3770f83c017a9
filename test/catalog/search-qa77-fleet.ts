/** The recorded fleet of QA 77's held-out set (test/fixtures/search-queries-qa77.json): server name as configured → definitions. */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa77Fleet: Array<[string, ToolDef[]]> = [
  ...["atlassian", "github", "sentry", "linear"].map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ["todoist", read("tool-defs-qa71", "todoist")],
  ...["notion", "slack"].map((s): [string, ToolDef[]] => [s, read("tool-defs-qa66", s)]),
  ["gmail", read("tool-defs-npm", "gmail")],
]
