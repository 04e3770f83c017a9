/**
 * Search on a held-out set written as agents and users write it, over a mixed fleet (QA 140): 75
 * requests and 23 negatives (test/fixtures/search-queries-qa140.json) written in one pass before
 * anything was measured, over eighteen recorded servers chosen so that several do the same job
 * (test/catalog/search-qa140-fleet.ts: github and git, postgres and sqlite, sentry and grafana,
 * slack and discord, playwright and fetch, filesystem and gdrive, google-calendar and gmail,
 * hubspot, stripe, brave-search, kubernetes). The short keyword queries a model composes ("list
 * open PRs repo"), chat typed by users (lower case, typos: "serach", "pul request", "isue";
 * abbreviations: PR, gh, db, msg, k8s, ns, env var, cfg, dl, prom), German, Spanish and French
 * requests, tense and number variants ("listing", "created", "deletes"); negatives incl. near misses
 * ("create a gitlab merge request", "query the mysql database", "send a teams message").
 * Baseline (HEAD 93adb5b, before any ranking change of this round):
 *   hit@1 0.747  hit@3 0.920  MRR 0.830  negatives rejected 18/23  positives' first hit weak 2/75
 */
import { describe } from "bun:test"
import { qa140Fleet as fleet } from "./search-qa140-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa140.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 140", () => {
  heldOutSetTests(fleet, ix, set, { requests: 70, negatives: 18 }, { h1: 0.745, h3: 0.92, mrr: 0.83, rejected: 18, weakFirst: 2, since: "QA 140" })
})
