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
 * A request's own verb that a tool has only in its arguments' names or help is not one it performs
 * ("compile my rust project": supabase's deploy_edge_function has "compiler options" in an
 * argument's help):
 *   negatives 12 → 13/16; no other figure moved. Elsewhere: qa77 negatives 9 → 10/10, qa84 8 →
 *   9/12 ("scale the deployment to 5 replicas in kubernetes"); no other set's figure moved.
 * QA 118, a verb typed that a tool is named with ("tag the card": attach-tag) beats the tools
 * matching it only through its meaning (update-card-item) (search-qa118.test.ts):
 *   hit@1 0.758 → 0.773  hit@3 0.848 → 0.864  MRR 0.824 → 0.835; no other figure moved.
 * QA 123, everyday words for money owed (owe → invoice, unpaid, outstanding, receivable): "who owes
 * us money?" → xero's list-aged-receivables-by-contact (search-qa123.test.ts):
 *   hit@1 0.773 → 0.788  hit@3 0.864 → 0.879  MRR 0.835 → 0.850  first hit weak 4 → 3.
 * QA 128, a noun in -ing(s) reached only through its stem's synonyms is one of three words matched
 * loosely ("turn off the living room lights", search-qa128.test.ts):
 *   negatives 15 → 16/16; no other figure moved.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { qa103Fleet as fleet } from "./search-qa103-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa103.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 103", () => {
  heldOutSetTests(fleet, ix, set, { requests: 60, negatives: 15 }, { h1: 0.817, h3: 0.893, mrr: 0.866, rejected: 16, weakFirst: 3, since: "QA 284" })
})

describe("a verb of its own that a tool only has in its arguments' help is not done by it", () => {
  const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })
  const fleet = (builder?: IndexedTool) => {
    const one = fleetIndex([])
    one.setServer("cloud", [
      tool("cloud", "get_project", "Gets details for a project."),
      tool("cloud", "deploy_function", "Deploys a function to a project.", { config: { type: "string", description: "A deno.json file with compiler options and imports" } }),
    ])
    if (builder) one.setServer("ci", [builder])
    return one
  }

  test("'compile my rust project' is weak for every hit when only argument help says 'compiler'", () => {
    const hits = fleet().search("compile my rust project", { limit: 5 })
    expect(hits.length).toBeGreaterThan(0)
    expect(hits.every((h) => h.weak)).toBe(true)
    // QA 103's supabase, whose deploy_edge_function has that argument help
    expect(ix.search("compile my rust project", { limit: 5 }).every((h) => h.weak)).toBe(true)
  })

  test("a tool that says it compiles, in its description, answers it strong", () => {
    const hits = fleet(tool("ci", "run_build", "Runs a build of a project. It compiles the sources with cargo or npm.")).search("compile my rust project", { limit: 3 })
    expect(hits[0]!.tool.name).toBe("ci__run_build")
    expect(hits[0]!.weak).toBeFalsy()
  })
})
