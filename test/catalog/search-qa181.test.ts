/**
 * Search on a held-out set of requests (QA 181): 16 requests and 12 negatives
 * (test/fixtures/search-queries-qa181.json) written in one pass before anything was measured —
 * verbs that read as other verbs ("push today's tasks to monday" reschedules, "add a row" creates a
 * record, "rename the site" is one operation of a dispatch tool), one item by id, questions, and
 * strong negatives phrased close to real tools: an action on a thing some tool names but no tool
 * does ("log a phone call" where engagements are notes and tasks, "roll back the last deploy" where
 * the only write is deploy-site) — over 13 recorded servers (test/catalog/search-qa181-fleet.ts).
 * Baseline (HEAD d42bef8, before any ranking change of this round):
 *   hit@1 0.812  hit@3 1.000  MRR 0.875  negatives rejected 6/12  positives' first hit weak 2/16
 * QA 208: a tool is named after the thing its verb acts on only by its name's head (head-thing.ts `nameHead`): negatives rejected 6 → 7.
 */
import { describe } from "bun:test"
import { qa181Fleet as fleet } from "./search-qa181-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa181.json")

describe("QA 181 held-out set (verbs read as other verbs, strong near-miss negatives; 13 servers)", () => {
  heldOutSetTests(fleet, fleetIndex(fleet), set, { requests: 16, negatives: 12 }, { h1: 0.81, h3: 1, mrr: 0.875, rejected: 7, weakFirst: 2, since: "QA 208" })
})
