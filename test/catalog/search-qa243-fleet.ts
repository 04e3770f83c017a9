/**
 * The fleet of QA 243's held-out set (test/fixtures/search-queries-qa243.json): a data/analytics
 * team's servers, a domain no other set covers as a whole — a warehouse (Snowflake, BigQuery), a
 * transformation layer (dbt: CLI, discovery, semantic layer, admin API), an orchestrator (Airflow),
 * a BI tool (Metabase), the app's Postgres, and the team's Notion, Linear and Slack. The first
 * five were recorded from their servers' source (tool-defs-qa243/SOURCES.md).
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa243Fleet: Array<[string, ToolDef[]]> = [
  ["snowflake", read("tool-defs-qa243", "snowflake")],
  ["bigquery", read("tool-defs-qa223", "bigquery")],
  ["dbt", read("tool-defs-qa243", "dbt")],
  ["airflow", read("tool-defs-qa243", "airflow")],
  ["metabase", read("tool-defs-qa243", "metabase")],
  ["postgres", read("tool-defs", "postgres")],
  ["notion", read("tool-defs", "notion")],
  ["linear", read("tool-defs", "linear")],
  ["slack", read("tool-defs", "slack")],
]
