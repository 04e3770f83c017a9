/**
 * Search on a held-out set of requests (QA 192): 18 requests and 12 negatives
 * (test/fixtures/search-queries-qa192.json) written in one pass before anything was measured, as a
 * Cursor user types in a developer's fleet — typos, terse fragments, questions, two-step requests,
 * French, verbs that read as other verbs ("remember that …" adds an observation), and strong
 * negatives phrased close to real tools (stash, cherry-pick, record a browser video, rename a
 * default branch) — over 9 recorded servers (test/catalog/search-qa192-fleet.ts).
 * Baseline (HEAD 3ab84c8, before any ranking change of this round):
 *   hit@1 0.722  hit@3 0.833  MRR 0.792  negatives rejected 8/12  positives' first hit weak 3/18
 */
import { describe } from "bun:test"
import { qa192Fleet as fleet } from "./search-qa192-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa192.json")

describe("QA 192 held-out set (a developer's fleet as a Cursor user types; near-miss negatives; 9 servers)", () => {
  heldOutSetTests(fleet, fleetIndex(fleet), set, { requests: 18, negatives: 12 }, { h1: 0.83, h3: 0.888, mrr: 0.875, rejected: 9, weakFirst: 0, since: "QA 197" })
})
