/**
 * Search on a held-out set of requests (QA 220): 16 requests and 4 negatives
 * (test/fixtures/search-queries-qa220.json) written in one pass before anything was measured, as a
 * researcher and writer types to an assistant — papers and citations, YouTube links, scraping and
 * mapping sites, library docs, notes in a vault, a PDF viewer, Wikipedia, image generation, the
 * memory server — and near-miss negatives (translate a PDF, download a video, remove an image's
 * background, publish a note), over 11 recorded servers (test/catalog/search-qa220-fleet.ts).
 * Baseline (HEAD 1e22199, before any ranking change of this round):
 *   hit@1 0.688  hit@3 1.000  MRR 0.813  negatives rejected 3/4  positives' first hit weak 2/16
 * Several things of a kind asked, no item named, is a listing (several.ts: "which pdfs do i have"): hit@1 0.688 → 0.750, MRR 0.813 → 0.854.
 * A how-to question naming documentation asks the documentation tools (docs-named.ts: "… check the docs"): hit@1 0.750 → 0.813, MRR 0.854 → 0.885.
 * QA 223: a URL that is only a host names a whole website (site-host.ts: "list every url on docs.acme.io"): hit@1 0.813 → 0.875, MRR 0.885 → 0.927, first hit weak 2 → 1.
 */
import { describe } from "bun:test"
import { qa220Fleet as fleet } from "./search-qa220-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa220.json")

describe("QA 220 held-out set (a researcher and writer's fleet: web research, papers, transcripts, PDFs, notes, docs; 11 servers)", () => {
  heldOutSetTests(fleet, fleetIndex(fleet), set, { requests: 16, negatives: 4 }, { h1: 0.875, h3: 1, mrr: 0.937, rejected: 3, weakFirst: 1, since: "QA 284" })
})
