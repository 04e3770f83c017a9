/**
 * Search on a held-out set of requests (QA 170): 38 requests and 34 negatives
 * (test/fixtures/search-queries-qa170.json) written in one pass before anything was measured —
 * shell commands whose only terminal is a remote one ("free -m on web-01", "crontab -l",
 * "whoami on the bastion" beside sentry's `whoami`), abbreviations naming their thing (PR, MR, DM,
 * CI), and negatives where the thing asked for is named by no tool though a verb or product is
 * shared ("create an invite link for the discord server", "POST /v1/transfers", "pause the
 * netlify site" beside supabase's `pause_project`) — over 20 recorded servers
 * (test/catalog/search-qa170-fleet.ts).
 * Baseline (HEAD 16d918c, before any ranking change of this round):
 *   hit@1 0.421  hit@3 0.605  MRR 0.505  negatives rejected 23/34  positives' first hit weak 9/38
 * A plain command line no tool does with more than one word of its meaning, or a command the table
 * does not know written with a flag ("free -m", "netstat -tulpn"), runs in the connected terminal
 * (terminal.ts; search-qa170-classes.test.ts): hit@1 0.421 → 0.579  hit@3 0.605 → 0.763
 *   MRR 0.505 → 0.663  first hit weak 9 → 5 (every other set's figures unchanged)
 * A pipeline asks what its first command does; `| grep node`, `| head -20` only filter (pipeline.ts):
 *   first hit weak 5 → 4 (QA 167: hit@1 0.706 → 0.721, hit@3 0.824 → 0.838, MRR 0.773 → 0.785, weak 8 → 7;
 *   QA 154: hit@1 0.787 → 0.798, hit@3 0.899 → 0.910, MRR 0.848 → 0.856, weak 4 → 3; no set dropped)
 * QA 174: an abbreviation of several words (PR, MR, DM) is read as its words, request and tool
 * (abbreviations.ts): hit@1 0.579 → 0.632, MRR 0.663 → 0.695, first hit weak 4 → 3; a hit named
 * after another thing than the one asked, which another tool is named after, is weak
 * (other-thing.ts): negatives rejected 23 → 25; a command line ending on its host runs in the
 * terminal (host.ts): hit@1 0.632 → 0.684, hit@3 0.763 → 0.842, MRR 0.695 → 0.757
 * QA 211: an opening verb before one word and where it goes is the request's own (bare-id.ts
 * `verbBeforePlace`: "invite bob to the slack workspace"): negatives rejected 27 → 28.
 */
import { describe } from "bun:test"
import { qa170Fleet as fleet } from "./search-qa170-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa170.json")

describe("QA 170 held-out set (shell commands to a remote terminal, abbreviations, unnamed things; 20 servers)", () => {
  heldOutSetTests(fleet, fleetIndex(fleet), set, { requests: 38, negatives: 34 }, { h1: 0.736, h3: 0.84, mrr: 0.786, rejected: 28, weakFirst: 2, since: "QA 266" })
})
