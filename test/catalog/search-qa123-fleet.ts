/** The recorded fleet of QA 123's held-out set (test/fixtures/search-queries-qa123.json): server name as configured → definitions (test/fixtures/tool-defs-qa123). */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa123", `${file}.json`), "utf8")) as ToolDef[]

export const qa123Fleet: Array<[string, ToolDef[]]> = [
  "perplexity", "plane", "prometheus", "salesforce", "shortcut", "sonarqube", "stripe", "vercel", "wikipedia", "wordpress",
].map((s): [string, ToolDef[]] => [s, read(s)])
