/** The recorded fleet of QA 84's held-out set (test/fixtures/search-queries-qa84.json): server name as configured → definitions (test/fixtures/tool-defs-qa84). */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa84", `${file}.json`), "utf8")) as ToolDef[]

export const qa84Fleet: Array<[string, ToolDef[]]> = [
  "asana", "browsermcp", "excel", "google-calendar", "gsheets", "monday", "netlify", "postgres-admin", "reddit", "resend", "shopify", "weather",
].map((s): [string, ToolDef[]] => [s, read(s)])
