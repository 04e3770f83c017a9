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
 * A developer's shorthand is the word it shortens (msg, ns, cfg, dl, var, pkg, fn, cmd, svc…: synonyms.ts):
 *   hit@1 0.747 → 0.760  hit@3 0.920 → 0.933  MRR 0.830 → 0.842  first hit weak 2 → 1; no other set's figure moved.
 * A verb typed in the past that says which things ("merged pull requests last week", "invoices
 * created this month", "which issues were created in sentry today", "cards assigned to me") reads
 * them: it weighs as a detail, and a tool named with that verb does another action (intent.ts):
 *   hit@1 0.760 → 0.787  hit@3 0.933 → 0.960  MRR 0.842 → 0.871; elsewhere qa71 hit@1 0.819 → 0.833,
 *   MRR 0.895 → 0.902; qa77 hit@3 0.926 → 0.963, MRR 0.889 → 0.892; qa131 hit@1 0.732 → 0.746,
 *   MRR 0.806 → 0.816; no figure dropped.
 * A short word with a double letter typed once is that word ("isue" → issue, "pul" → pull: query.ts):
 *   no set's figure moved (their misses with it are a sense the typo hides: "open an isue").
 * A British spelling doubling the l of "-el" is the American word ("cancelling" → cancel, "labelled"
 * → label; the query meets both, tools keep theirs: tokenize.ts):
 *   hit@1 0.787 → 0.800  hit@3 0.960 → 0.973  MRR 0.871 → 0.882; no other set's figure moved.
 * A misspelt word is read as the phrase's or sense's word it means before phrases and senses are
 * ("open an isue" creates, "create a pul request" has "pull request": spelling.ts, QA 146):
 *   hit@1 0.800 → 0.827  MRR 0.882 → 0.898  first hit weak 1 → 0; no other set's figure moved.
 * A product a tool names in its brand's casing ("SQLite", "PostgreSQL") is one word that names the
 * one server whose tools name it; the products list has databases and chat/work tools known by name
 * (mysql, redis, snowflake, mattermost…), and "mysql" in a sentence is the product, its client only
 * where a command line starts (fields.ts, synonyms.ts, shell.ts, QA 146):
 *   negatives rejected 18 → 19 of 23 ("query the mysql database"); elsewhere qa66 hit@1 0.827 → 0.840,
 *   MRR 0.900 → 0.906; no figure dropped.
 * The examples an argument choosing a kind gives ("Type of resource to get (e.g., pods,
 * deployments, services)" of kubectl_get) are its choices, as "Valid values include: …" were
 * (fields.ts, QA 146): hit@1 0.827 → 0.840  MRR 0.898 → 0.907 ("k8s deployments in prod ns");
 *   elsewhere qa47 hit@3 0.951 → 0.961, MRR 0.923 → 0.924; no figure dropped.
 * A product named by an everyday word ("a teams message", "a linear issue", "… in teams") that no
 * server is named after, and a server's brand typed with another of its products ("the google
 * sheet" for google-calendar, whose tools act on nothing else the request names), make every hit
 * of theirs weak (synonyms.ts `namesWordProduct`, index.ts, QA 146):
 *   negatives rejected 19 → 22 of 23; no other set's figure moved.
 * A generic reader named with no thing of its own (its server's prefix and the request's read verb:
 * kubectl_get) whose argument chooses the thing the request names ("pods") covers its name, as
 * `get_pods` would, before a tool named with the thing and another verb (exec_in_pod; index.ts):
 *   hit@1 0.840 → 0.867  hit@3 0.973 → 0.987  MRR 0.907 → 0.924 ("list kubernetes pods namespace");
 *   elsewhere qa51 hit@1 0.875 → 0.906, hit@3 0.906 → 0.938, MRR 0.907 → 0.932; npm hit@1 0.912 →
 *   0.922, hit@3 0.980 → 0.990, MRR 0.946 → 0.954; qa66 hit@1 0.840 → 0.852, hit@3 0.963 → 0.975,
 *   MRR 0.906 → 0.917; agent MRR 0.813 → 0.814; no figure dropped.
 * A thing created, read, written or removed that no tool names anywhere makes every hit weak
 * (unnamed-object.ts, QA 170): negatives rejected 22 → 23 of 23 (QA 167 11 → 12 of 22).
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { describedByPast } from "../../src/catalog/search/intent.ts"
import { americanStem, splitWords } from "../../src/catalog/search/tokenize.ts"
import { qa140Fleet as fleet } from "./search-qa140-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa140.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 140", () => {
  heldOutSetTests(fleet, ix, set, { requests: 70, negatives: 18 }, { h1: 0.919, h3: 0.985, mrr: 0.95, rejected: 23, weakFirst: 0, since: "QA 247" })
})

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })
const top = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 3 })[0]
const topName = (index: ReturnType<typeof fleetIndex>, q: string) => top(index, q)?.tool.name

describe("a developer's shorthand is the word it shortens ('msg', 'ns', 'cfg', 'dl', 'env var')", () => {
  const one = fleetIndex([])
  one.setServer("chatter", [
    tool("chatter", "post_message", "Post a message to a channel.", { channel: str("Channel"), text: str("Text") }),
    tool("chatter", "list_channels", "List the channels of the workspace."),
  ])
  one.setServer("cluster", [
    tool("cluster", "list_namespaces", "List the namespaces of the cluster."),
    tool("cluster", "get_configuration", "Get the configuration of the cluster."),
    tool("cluster", "set_variable", "Set an environment variable on a workload.", { name: str("Name"), value: str("Value") }),
  ])
  one.setServer("store", [tool("store", "download_file", "Download a file from the store.", { path: str("Path") }), tool("store", "list_files", "List files.")])

  test("each finds the tool named with the full word, not a weak guess", () => {
    for (const [q, want] of [
      ["msg the team on chatter", "chatter__post_message"],
      ["show all ns", "cluster__list_namespaces"],
      ["cluster cfg", "cluster__get_configuration"],
      ["dl report.pdf from the store", "store__download_file"],
      ["set an env var on the api workload", "cluster__set_variable"],
    ] as const) {
      expect(topName(one, q)).toBe(want)
      expect(top(one, q)?.weak).toBeFalsy()
    }
  })
})

describe("a verb typed in the past describing what is asked for ('merged PRs', 'invoices created this month') reads", () => {
  const one = fleetIndex([])
  one.setServer("code", [
    tool("code", "merge_pull_request", "Merge a pull request.", { number: str("Pull request number") }),
    tool("code", "list_pull_requests", "List pull requests of a repository.", { state: str("open, closed or all") }),
    tool("code", "assign_reviewer", "Assign a reviewer to a pull request."),
  ])
  one.setServer("billing", [tool("billing", "create_invoice", "Create an invoice for a customer."), tool("billing", "list_invoices", "List invoices.", { created: str("Created after") })])

  test("the things, not the action done to them", () => {
    expect(topName(one, "merged pull requests last week")).toBe("code__list_pull_requests")
    expect(topName(one, "show the merged pull requests")).toBe("code__list_pull_requests")
    expect(topName(one, "which invoices were created today")).toBe("billing__list_invoices")
    expect(topName(one, "pull requests assigned to me")).toBe("code__list_pull_requests")
  })

  test("the verb typed as the action still asks for it, and so does the text a request writes", () => {
    expect(topName(one, "merge the approved pull request")).toBe("code__merge_pull_request")
    expect(topName(one, "create an invoice for the hours logged")).toBe("billing__create_invoice")
    expect(describedByPast(splitWords("comment on the pull request that the fix is merged"))).toEqual([])
    expect(describedByPast(splitWords("stage the modified files"))).toEqual([])
  })
})

describe("a short word with a double letter typed once ('isue', 'cel') is the word", () => {
  const one = fleetIndex([])
  one.setServer("tracker", [tool("tracker", "get_issue", "Get an issue by its key."), tool("tracker", "list_users", "List the users.")])
  one.setServer("sheet", [tool("sheet", "update_cell", "Update the value of a cell."), tool("sheet", "list_sheets", "List the sheets of a workbook.")])

  test("found as the word, not matched by nothing", () => {
    expect(topName(one, "show the isue")).toBe("tracker__get_issue")
    expect(top(one, "show the isue")?.weak).toBeFalsy()
    expect(topName(one, "change the cel")).toBe("sheet__update_cell")
  })
})

describe("a British spelling that doubles the l ('cancelling', 'labelled') is the American word", () => {
  const one = fleetIndex([])
  one.setServer("billing", [tool("billing", "cancel_subscription", "Cancel a subscription."), tool("billing", "list_subscriptions", "List subscriptions.")])
  one.setServer("mail", [tool("mail", "label_message", "Apply a label to a message."), tool("mail", "list_messages", "List messages.")])

  test("meets the tool named with it", () => {
    expect(topName(one, "cancelling a subscription")).toBe("billing__cancel_subscription")
    expect(topName(one, "cancelled subscriptions")).toBe("billing__list_subscriptions")
    expect(topName(one, "labelling the message as urgent")).toBe("mail__label_message")
    expect(americanStem("spelling")).toBeUndefined()
    expect(americanStem("installed")).toBeUndefined()
    expect(americanStem("travelled")).toBe("travel")
  })
})
