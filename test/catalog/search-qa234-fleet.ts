/**
 * The fleet of QA 234's held-out set (test/fixtures/search-queries-qa234.json): an on-call
 * infrastructure engineer's servers, a domain no other set covers as a whole — infrastructure as
 * code (HashiCorp's Terraform MCP server, its registry tools, recorded from its source,
 * tool-defs-qa234), Kubernetes, Sentry, Datadog, Prometheus, the AWS knowledge base and time.
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa234Fleet: Array<[string, ToolDef[]]> = [
  ["terraform", read("tool-defs-qa234", "terraform")],
  ["kubernetes", read("tool-defs-npm", "kubernetes")],
  ["sentry", read("tool-defs", "sentry")],
  ["datadog", read("tool-defs-qa103", "datadog")],
  ["prometheus", read("tool-defs-qa123", "prometheus")],
  ["aws-kb", read("tool-defs-npm", "aws-kb")],
  ["time", read("tool-defs", "time")],
]
