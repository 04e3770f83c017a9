/**
 * The mixed fleet of QA 131's held-out set (test/fixtures/search-queries-qa131.json): fourteen servers
 * drawn from earlier recordings so that several do the same job (two trackers, two chats, two
 * databases, two docs tools). Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa131Fleet: Array<[string, ToolDef[]]> = [
  ["atlassian", read("tool-defs", "atlassian")],
  ["linear", read("tool-defs", "linear")],
  ["slack", read("tool-defs", "slack")],
  ["discord", read("tool-defs-npm", "discord")],
  ["postgres", read("tool-defs-qa84", "postgres-admin")],
  ["mongodb", read("tool-defs-npm", "mongodb")],
  ["notion", read("tool-defs", "notion")],
  ["obsidian", read("tool-defs-npm", "obsidian")],
  ["playwright", read("tool-defs", "playwright")],
  ["filesystem", read("tool-defs", "filesystem")],
  ["google-calendar", read("tool-defs-qa84", "google-calendar")],
  ["stripe", read("tool-defs-qa123", "stripe")],
  ["figma", read("tool-defs-npm", "figma")],
  ["gmail", read("tool-defs-npm", "gmail")],
]
