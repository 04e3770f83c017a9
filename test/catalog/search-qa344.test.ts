/**
 * Search on a held-out set of requests (QA 344): 74 requests and 9 negatives
 * (test/fixtures/search-queries-qa344.json) written in one pass before anything was measured, as a
 * developer types to Cursor on an ops day — CI ("why did build 4521 on the web pipeline fail", "retry
 * the flaky job", "grep the job log for OOMKilled", "unblock the deploy step"), feature flags ("turn
 * off the new-checkout flag in prod", "roll out dark-mode to 10% of users", "who flipped the pricing
 * flag yesterday"), observability ("p99 latency by endpoint …", "are we burning our error budget",
 * "when did we last deploy"), CloudWatch ("any alarms firing right now"), Cloudflare ("errors from the
 * auth worker in the last 15 min") — with typos, pronouns and two-step intents, and near-miss
 * negatives (page on-call, a CNAME record, a cache purge, ECS scaling, a merge), over 5 servers
 * (test/catalog/search-qa344-fleet.ts).
 * Baseline (HEAD d5c527f2, before any ranking change of this round):
 *   hit@1 0.662  hit@3 0.824  MRR 0.758  negatives rejected 8/9  positives' first hit weak 6/74
 */
import { describe } from "bun:test"
import { qa344Fleet as fleet } from "./search-qa344-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa344.json")

describe("QA 344 held-out set (a developer's ops day: buildkite, launchdarkly, honeycomb, cloudwatch, cloudflare; 5 servers)", () => {
  heldOutSetTests(fleet, fleetIndex(fleet), set, { requests: 74, negatives: 9 }, { h1: 0.662, h3: 0.824, mrr: 0.758, rejected: 8, weakFirst: 6, since: "QA 344" })
})
