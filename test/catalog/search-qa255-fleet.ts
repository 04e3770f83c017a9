/**
 * The fleet of QA 255's held-out set (test/fixtures/search-queries-qa255.json): a customer-support
 * and communications team's servers, a domain no other set covers as a whole — a helpdesk with its
 * knowledge base (Freshdesk), live chat (Intercom), SMS (Twilio), email (SendGrid), booking
 * (Calendly), a status page, a CRM (Pipedrive) and the team's Slack. Where each came from:
 * tool-defs-qa255/SOURCES.md. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]

export const qa255Fleet: Array<[string, ToolDef[]]> = [
  ["freshdesk", read("tool-defs-qa255", "freshdesk")],
  ["intercom", read("tool-defs-qa255", "intercom")],
  ["twilio", read("tool-defs-qa255", "twilio")],
  ["sendgrid", read("tool-defs-qa255", "sendgrid")],
  ["calendly", read("tool-defs-qa255", "calendly")],
  ["statuspage", read("tool-defs-qa255", "statuspage")],
  ["pipedrive", read("tool-defs-qa255", "pipedrive")],
  ["slack", read("tool-defs", "slack")],
]
