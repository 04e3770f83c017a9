/**
 * Search on a held-out set of requests (QA 276): 56 requests and 9 negatives
 * (test/fixtures/search-queries-qa276.json) written in one pass before anything was measured, as a
 * security / IT-ops engineer types to Cursor — slang and shorthand (asap, rn, ack, nuke, lock out,
 * offboard, kill sessions, page the on-call, rotate the key, sast, vulns), emails, CVE ids
 * (CVE-2024-3094), laptop serials, hostnames, incident ids, an IP, an ARN, Vault paths, an image
 * tag, questions, requests with no tool words — and near-miss negatives (a meeting, a sync, a home
 * router, a domain renewal, an expense, a laptop order, a Slack post, a Gmail filter, the weather),
 * over 9 servers (test/catalog/search-qa276-fleet.ts).
 * Baseline (HEAD fc80764, before any ranking change of this round):
 *   hit@1 0.714  hit@3 0.804  MRR 0.784  negatives rejected 8/9  positives' first hit weak 16/56
 */
import { describe } from "bun:test"
import { qa276Fleet as fleet } from "./search-qa276-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa276.json")

describe("QA 276 held-out set (a security / IT-ops engineer's fleet: okta, vault, pagerduty, snyk, crowdstrike, jamf, vanta, aws-iam, cloudtrail; 9 servers)", () => {
  heldOutSetTests(fleet, fleetIndex(fleet), set, { requests: 56, negatives: 9 }, { h1: 0.714, h3: 0.803, mrr: 0.783, rejected: 8, weakFirst: 16, since: "QA 276" })
})
