/**
 * The fleet of QA 220's held-out set (test/fixtures/search-queries-qa220.json): a researcher and
 * writer's 11 servers of recorded definitions, a domain no other set covers — web research and
 * scraping (Tavily, Exa, Firecrawl with its arXiv research tools, fetch), YouTube transcripts, PDFs,
 * library documentation (Context7), notes (Obsidian), Wikipedia, image generation (EverArt) and the
 * memory server. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa220Fleet: Array<[string, ToolDef[]]> = [
  ...(["tavily", "exa", "firecrawl", "youtube-transcript", "everart", "obsidian", "context7"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
  ...(["fetch", "memory"] as const).map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ["pdf", read("tool-defs-qa71", "pdf")],
  ["wikipedia", read("tool-defs-qa123", "wikipedia")],
]
