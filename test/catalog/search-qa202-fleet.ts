/**
 * The fleet of QA 202's held-out set (test/fixtures/search-queries-qa202.json): a data and ops
 * person's 9 servers of recorded definitions: Postgres, SQLite, Puppeteer, filesystem, git, Sentry,
 * Stripe, the AWS Knowledge Base and Pinecone. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa202Fleet: Array<[string, ToolDef[]]> = [
  ...(["postgres", "sqlite", "puppeteer", "filesystem", "git", "sentry"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ["stripe", read("tool-defs-qa123", "stripe")],
  ...(["aws-kb", "pinecone"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
]
