/**
 * The fleet of QA 344's held-out set (test/fixtures/search-queries-qa344.json): a developer's ops
 * day, a domain no other set covers as a whole — CI (Buildkite: pipelines, builds, jobs, logs,
 * annotations, artifacts, agents), feature flags (LaunchDarkly: flags, targeting, lifecycle status,
 * audit log, code references), observability (Honeycomb: queries, columns, SLOs, triggers, boards,
 * markers, traces), AWS CloudWatch (alarms, log groups, Logs Insights, metrics) and Cloudflare
 * (Workers, their code, observability and builds; zones and DNS). Where each came from:
 * tool-defs-qa344/SOURCES.md. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa344", `${file}.json`), "utf8")) as ToolDef[]

export const qa344Fleet: Array<[string, ToolDef[]]> = ["buildkite", "launchdarkly", "honeycomb", "cloudwatch", "cloudflare"].map((s): [string, ToolDef[]] => [s, read(s)])
