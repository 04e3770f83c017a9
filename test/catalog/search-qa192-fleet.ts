/**
 * The fleet of QA 192's held-out set (test/fixtures/search-queries-qa192.json): a developer's 9
 * servers of recorded definitions, none of QA 178's chat or monitoring servers nor QA 181's
 * SaaS ones: the reference filesystem, git, GitHub, SQLite, Playwright, fetch, memory and time
 * servers, and Context7 (library docs). Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa192Fleet: Array<[string, ToolDef[]]> = [
  ...(["filesystem", "git", "github", "sqlite", "playwright", "fetch", "memory", "time"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ["context7", read("tool-defs-npm", "context7")],
]
