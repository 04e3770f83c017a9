/**
 * The fleet of QA 286's held-out set (test/fixtures/search-queries-qa286.json): people operations,
 * finance back-office and legal, a domain no other set covers as a whole — an HRIS (BambooHR:
 * employees, time off, files, reports), payroll (Gusto: pay runs, compensation, off-cycle,
 * pay stubs), an ATS (Greenhouse: candidates, applications, interviews, scorecards, offers),
 * e-signature (DocuSign: envelopes, templates), spend management (Ramp: card transactions, receipts,
 * reimbursements, cards and limits), accounting (QuickBooks Online: invoices, bills, vendors, POs,
 * journal entries, reports) and a CLM (Ironclad: contract records, workflows, approvals). Where each
 * came from: tool-defs-qa286/SOURCES.md. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa286", `${file}.json`), "utf8")) as ToolDef[]

export const qa286Fleet: Array<[string, ToolDef[]]> = ["bamboohr", "gusto", "greenhouse", "docusign", "ramp", "quickbooks", "ironclad"].map((s): [string, ToolDef[]] => [s, read(s)])
