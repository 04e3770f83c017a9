/**
 * Search on a held-out set in styles the earlier sets lacked, over a mixed fleet (QA 131): 71
 * requests and 20 negatives (test/fixtures/search-queries-qa131.json) written in one pass before
 * anything was measured, over fourteen recorded servers chosen so that several do the same job
 * (test/catalog/search-qa131-fleet.ts: Jira via atlassian and linear; slack and discord; postgres
 * and mongodb; notion, Confluence and obsidian; playwright, filesystem, google-calendar, stripe,
 * figma, gmail). Terse keywords ("pg slow queries"), non-native English, long context with the ask
 * in the last sentence, pasted SQL/JSON/paths/URLs, products named indirectly ("the Atlassian
 * wiki", "the design tool"), one of two overlapping servers picked by a detail (a URL's host, an
 * id's format, a vault), questions and imperatives; negatives incl. near misses ("merge the PR",
 * "send an SMS", "create a GitHub issue" with no such server).
 * Baseline (HEAD 2ff50f0, before any ranking change of this round):
 *   hit@1 0.676  hit@3 0.831  MRR 0.766  negatives rejected 17/20  positives' first hit weak 6/71
 */
import { describe } from "bun:test"
import { qa131Fleet as fleet } from "./search-qa131-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa131.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 131", () => {
  heldOutSetTests(fleet, ix, set, { requests: 70, negatives: 15 }, { h1: 0.675, h3: 0.83, mrr: 0.765, rejected: 17, weakFirst: 6, since: "QA 131" })
})
