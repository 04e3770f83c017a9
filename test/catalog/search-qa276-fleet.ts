/**
 * The fleet of QA 276's held-out set (test/fixtures/search-queries-qa276.json): a security / IT-ops
 * engineer's servers, a domain no other set covers as a whole — an identity provider (Okta: users,
 * groups, MFA factors, sessions, app assignments, the system log), a secrets manager (HashiCorp
 * Vault: KV and PKI), on-call (PagerDuty), a vulnerability scanner (Snyk), EDR (CrowdStrike Falcon),
 * MDM (Jamf Pro), compliance (Vanta), and AWS IAM with CloudTrail. Where each came from:
 * tool-defs-qa276/SOURCES.md. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa276", `${file}.json`), "utf8")) as ToolDef[]

export const qa276Fleet: Array<[string, ToolDef[]]> = ["okta", "vault", "pagerduty", "snyk", "crowdstrike", "jamf", "vanta", "aws-iam", "cloudtrail"].map((s): [string, ToolDef[]] => [s, read(s)])
