/**
 * The classes of miss QA 243's set left open, taken up in round QA 247, each as a rule of
 * src/catalog/search, checked with requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { doublingSlip } from "../../src/catalog/search/doubling.ts"
import { extractLiterals, shapesIn } from "../../src/catalog/search/literals.ts"
import { ownAmountHead } from "../../src/catalog/search/own-amount.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"
import { qa234Fleet } from "./search-qa234-fleet.ts"
import { qa243Fleet } from "./search-qa243-fleet.ts"
import { extendedFleet, fleetIndex } from "./search-sets.ts"

const data = fleetIndex(qa243Fleet)
const wide = fleetIndex(extendedFleet())
const rank = (ix: ReturnType<typeof fleetIndex>, q: string, tool: string) => ix.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("QA 247 classes: a double letter typed in the wrong place is one slip (doubling.ts)", () => {
  test("the same letters once each run is written once, a doubling in either", () => {
    expect(doublingSlip("trigerr", "trigger")).toBe(true)
    expect(doublingSlip("comitt", "commit")).toBe(true)
    expect(doublingSlip("trigger", "trigger")).toBe(false)
    expect(doublingSlip("tiger", "trigger")).toBe(false)
  })
  test("a verb so misspelt is still the request's verb: its tool first, not weak", () => {
    // (once: "trigerr" corrected to nothing, the run trigger 5th and every hit weak)
    const [top] = wide.search("trigerr the deploy workflow", { limit: 5 })
    expect(top?.tool.name).toBe("github__actions_run_trigger")
    expect(top?.weak).toBeFalsy()
    const hits = wide.search("comitt my staged changes", { limit: 5 })
    expect(hits[0]?.weak).toBeFalsy()
    expect(hits.slice(0, 3).map((h) => h.tool.name)).toContain("git-cyanheads__git_commit")
  })
})

describe("QA 247 classes: near twins told apart by number alone (number-twin.ts)", () => {
  test("the plural typed goes to the twin named in the plural", () => {
    // (once: `get_dag_run` first by its description, stemming made the two names one)
    expect(rank(data, "last 5 runs of the nightly_rollup dag", "airflow__get_dag_runs")).toBe(0)
    expect(rank(data, "show me runs for the finance_export dag", "airflow__get_dag_runs")).toBeLessThan(rank(data, "show me runs for the finance_export dag", "airflow__get_dag_run"))
  })
  test("the singular typed keeps the one-item twin first", () => {
    expect(rank(wide, "get the notion user bob", "notion__API-get-user")).toBe(0)
    expect(rank(wide, "who are the users in our notion workspace", "notion__API-get-users")).toBe(0)
  })
})

describe("QA 247 classes: the words of an identifier name its item, not a tool (index.ts literalOnly)", () => {
  test("a task called `…_events` asks for no event tool: its logs are the task's logs", () => {
    // (once: "events" of the task's name covered `get_event_logs` wholly, first above `get_log`)
    expect(rank(data, "get logs of the backfill_events task", "airflow__get_log")).toBe(0)
    expect(rank(data, "logs from the dedupe_events task last night", "airflow__get_log")).toBe(0)
  })
  test("a link's words still name what it links to", () => {
    expect(rank(wide, "who approved https://github.com/octo/app/pull/31", "github__pull_request_read")).toBe(0)
  })
})

describe("QA 247 classes: a warehouse's qualified name asks for the tool taking its database and schema (literals.ts `qualified`)", () => {
  test("DB.SCHEMA in capitals is a qualified name; \"U.S.\" is not", () => {
    expect(extractLiterals("tables in PROD.SALES please").literals).toEqual([{ text: "PROD.SALES", kind: "qualified" }])
    expect(extractLiterals("ship it to the U.S. office").literals).toEqual([])
    expect(shapesIn("", "database schema")).toContain("#qualified")
    expect(shapesIn("", "dataset_id table_name")).not.toContain("#qualified")
  })
  test("the listing taking a database and a schema goes first, not its twin that takes none", () => {
    // (once: BigQuery's `list-tables`, no arguments, tied with Snowflake's and first by name)
    expect(rank(data, "list the tables in PROD.SALES", "snowflake__list_tables")).toBe(0)
    expect(rank(data, "which tables does FINANCE.REPORTING have", "snowflake__list_tables")).toBe(0)
  })
})

describe("QA 247 classes: a server typed by its short form finds its tools as its name does (index.ts withServerNames)", () => {
  test("\"bq\" is BigQuery: its tools answer, not weak, not another server's by a shared word", () => {
    // (once: "bq" only marked BigQuery named; its tools matched no word, so Airflow's datasets came first)
    expect(data.search("bq datasets pls", { limit: 3 })[0]?.tool.server).toBe("bigquery")
    const [top] = data.search("query bq for yesterdays signups", { limit: 3 })
    expect(top?.tool.name).toBe("bigquery__execute-query")
    expect(top?.weak).toBeFalsy()
  })
})

describe("QA 247 classes: \"now\" says the present, not a date to pass (query.ts PRESENT)", () => {
  test("a state asked \"now\" / \"right now\" reads things as they are: the tools taking dates do not come first", () => {
    // (once: "now" brought the tools taking a date, `get_dag_runs` by its date filters, above `fetch_dags`)
    expect(rank(data, "which of our dags are paused now", "airflow__fetch_dags")).toBe(0)
    expect(rank(data, "are any dags paused right now", "airflow__fetch_dags")).toBe(0)
  })
  test("the current time is still the current time", () => {
    expect(rank(wide, "what time is it now in tokyo", "time__get_current_time")).toBe(0)
  })
})

describe("QA 247 classes: a question about our own thing that no tool has is answered weakly (own-amount.ts)", () => {
  const infra = fleetIndex(qa234Fleet)
  test("the head of \"what's our X\" and \"how much … X\"", () => {
    expect(ownAmountHead(splitWords("what's our datadog bill for march"))).toBe("bill")
    expect(ownAmountHead(splitWords("how much did we spend on dbt cloud last month"))).toBe("spend")
    expect(ownAmountHead(splitWords("how much disk space is left on web-01"))).toBe("disk")
    expect(ownAmountHead(splitWords("whats 3pm PST in berlin time"))).toBeUndefined()
    expect(ownAmountHead(splitWords("tail logs for api-7d9f4 pod"))).toBeUndefined()
  })
  test("a bill, a spend, an invoice no tool has: every hit weak, though the product named has tools", () => {
    // (once: every tool of the product named answered strong through its name alone)
    for (const [ix, q] of [
      [infra, "what's our datadog bill for march"],
      [data, "how much are we spending on snowflake credits"],
      [data, "how much did we spend on dbt cloud last month"],
      [data, "whats our snowflake invoice so far"],
    ] as const) expect(ix.search(q, { limit: 5 }).every((h) => h.weak)).toBe(true)
  })
  test("a thing of ours a tool has is still answered", () => {
    expect(infra.search("whats our error rate in sentry", { limit: 3 })[0]?.weak).toBeFalsy()
    expect(data.search("what are my open linear issues", { limit: 3 })[0]?.weak).toBeFalsy()
  })
})

describe("QA 247 classes: the request's verb that a tool's name has only after a reading verb is a noun there (index.ts readsVerbAsThing)", () => {
  const infra = fleetIndex(qa234Fleet)
  test("\"page someone …\" is not answered by the tools reading RUM pages", () => {
    // (once: `get_rum_page_performance` first and strong: "whoever"/"someone" after the verb did not make it the request's verb)
    const hits = infra.search("page someone on the sre rotation about the failing deploy", { limit: 5 })
    expect(hits.filter((h) => h.tool.name.includes("rum_page")).every((h) => h.weak)).toBe(true)
    expect(hits.every((h) => h.weak)).toBe(true)
  })
  test("asking for those pages still finds them", () => {
    const [top] = infra.search("show the rum page performance for the checkout page", { limit: 3 })
    expect(top?.tool.name).toBe("datadog__get_rum_page_performance")
    expect(top?.weak).toBeFalsy()
  })
})

describe("QA 247 classes: a relative clause in the past after a plural says which things (intent.ts describedByPast)", () => {
  test("\"the pull requests that were merged\" reads merged ones: the tool that merges is not first", () => {
    // (once: "that" was read as opening a message's text, and `merge_pull_request` came first)
    expect(wide.search("show me the pull requests that were merged last week", { limit: 3 })[0]?.tool.name).toBe("github__list_pull_requests")
    expect(wide.search("list the issues that are assigned to me", { limit: 3 })[0]?.tool.name).not.toBe("atlassian__jira_assign_issue")
    expect(data.search("list the dags that are paused right now", { limit: 3 }).map((h) => h.tool.name)).not.toContain("airflow__pause_dag")
  })
  test("a message after \"that\" is still a message", () => {
    expect(rank(wide, "comment on issue 12 that the fix is merged", "github__add_issue_comment")).toBeLessThan(3)
  })
})
