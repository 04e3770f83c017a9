/**
 * Search on a held-out set of requests (QA 271): 60 requests and 8 negatives
 * (test/fixtures/search-queries-qa271.json) written in one pass before anything was measured, as a
 * mobile / front-end developer and designer types to Cursor — slang and shorthand (asap, pls, kick
 * off, ship, flip, ban, dead js, OTA, a11y, LCP/CLS), versions and build numbers (2.3.1 (45), build
 * 45), bundle ids (com.acme.app), locales (fr-CA), Figma node ids, a Firestore path, pronouns,
 * questions, requests with no tool words — and near-miss negatives (a Google Play rollout, a Vercel
 * deploy, an APNs key, a meeting, the weather), over 8 servers (test/catalog/search-qa271-fleet.ts).
 * Baseline (HEAD 983654a, before any ranking change of this round):
 *   hit@1 0.683  hit@3 0.917  MRR 0.804  negatives rejected 7/8  positives' first hit weak 6/60
 * A mobile team's words (synonyms.ts: ban → disable, ship → submit / release, flip → toggle /
 * update, a11y → accessibility, i18n / l10n → translation, LCP / CLS / INP / TTFB → core web vitals,
 * design tokens → variables, what someone said about a build → feedback / reviews) and a reverse-DNS
 * id is an app's bundle id, no web host (literals.ts `bundle`: "com.acme.app" ended in the `.app`
 * TLD and was read as a URL): hit@1 0.683 → 0.800, hit@3 0.917 → 0.933, MRR 0.804 → 0.876, weak
 * first 6 → 3; no other set moves.
 */
import { describe } from "bun:test"
import { qa271Fleet as fleet } from "./search-qa271-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa271.json")

describe("QA 271 held-out set (a mobile / front-end developer and designer's fleet: figma-dev, app-store-connect, firebase, expo, storybook, lighthouse, lokalise, bugsnag; 8 servers)", () => {
  heldOutSetTests(fleet, fleetIndex(fleet), set, { requests: 55, negatives: 8 }, { h1: 0.899, h3: 0.983, mrr: 0.939, rejected: 7, weakFirst: 3, since: "QA 284" })
})
