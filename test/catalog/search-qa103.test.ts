/**
 * Search on a held-out set nobody tuned on (QA 103): 66 requests and 16 negatives over ten real npm
 * servers no earlier set used (test/fixtures/tool-defs-qa103: datadog, grafana, supabase, contentful,
 * bitbucket, strava, xero, youtube, miro, gdrive; 318 tools), written in one pass before anything was
 * measured on them (test/fixtures/search-queries-qa103.json): questions, imperatives, typos, ids
 * (5KsDBWseXY6QegucYAoacS, INV-0042, acme/web), literals (LogQL, SQL, a YouTube URL), dates, vague
 * asks ("is anything on fire?", "who owes us money?"), requests naming the product, requests two
 * servers answer (incidents in datadog and grafana, a branch in supabase and bitbucket), a batch
 * and a two-step ask.
 * Baseline (HEAD a014608, before any ranking change of this round):
 *   hit@1 0.712  hit@3 0.818  MRR 0.785  negatives rejected 12/16  positives' first hit weak 5/66
 */
import { describe } from "bun:test"
import { qa103Fleet as fleet } from "./search-qa103-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa103.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 103", () => {
  heldOutSetTests(fleet, ix, set, { requests: 60, negatives: 15 }, { h1: 0.71, h3: 0.81, mrr: 0.78, rejected: 12, weakFirst: 5, since: "QA 103" })
})
