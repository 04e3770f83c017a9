/**
 * The fleet of QA 223's held-out set (test/fixtures/search-queries-qa223.json): a developer's data
 * and browser servers, a domain no other set covers as a whole — PostgreSQL (postgres-admin's 18
 * tools), SQLite, MongoDB, Redis and BigQuery (recorded from their sources, tool-defs-qa223), the
 * Playwright browser and the filesystem server. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa223Fleet: Array<[string, ToolDef[]]> = [
  ["postgres", read("tool-defs-qa84", "postgres-admin")],
  ["sqlite", read("tool-defs", "sqlite")],
  ["mongodb", read("tool-defs-npm", "mongodb")],
  ["redis", read("tool-defs-qa223", "redis")],
  ["bigquery", read("tool-defs-qa223", "bigquery")],
  ["playwright", read("tool-defs", "playwright")],
  ["filesystem", read("tool-defs", "filesystem")],
]
