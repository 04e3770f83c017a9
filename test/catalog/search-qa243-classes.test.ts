/**
 * The classes of miss QA 243's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { qa243Fleet } from "./search-qa243-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const data = fleetIndex(qa243Fleet)
const rank = (ix: ReturnType<typeof fleetIndex>, q: string, tool: string) => ix.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("QA 243 classes: a pipeline's graph and freshness as its people say them (synonyms.ts)", () => {
  test("upstream is what a thing is built from, downstream what is built from it; upstream fetches nothing", () => {
    // (once: "upstream" brought in "fetch", and `fetch_dags` came first for a lineage question)
    expect(data.search("what sits upstream of dim_accounts", { limit: 3 }).map((h) => h.tool.name)).not.toContain("airflow__fetch_dags")
    expect(rank(data, "what sits upstream of dim_accounts", "dbt__get_model_parents")).toBeLessThan(3)
    expect(rank(data, "whats downstream of stg_payments", "dbt__get_model_children")).toBe(0)
  })
  test("stale asks whether a thing is fresh; healthy asks for its health", () => {
    expect(rank(data, "is fct_invoices stale?", "dbt__get_model_health")).toBe(0)
    expect(rank(data, "is the airflow webserver healthy", "airflow__get_health")).toBe(0)
  })
  test("rerunning a failed run is retrying it", () => {
    expect(rank(data, "rerun the failed job 51200", "dbt__retry_job_run")).toBe(0)
  })
})

describe("QA 243 classes: switching a thing on or off (synonyms.ts phrases, intent.ts CHANGE)", () => {
  test("back on / turn on is resuming it, turn off pausing it", () => {
    const [top] = data.search("turn the salesforce_sync dag back on", { limit: 3 })
    expect(top?.tool.name).toBe("airflow__unpause_dag")
    expect(top?.weak).toBeFalsy()
    expect(rank(data, "switch off the nightly_rollup dag", "airflow__pause_dag")).toBe(0)
  })
  test("which things are paused reads their state: the tool that pauses is not first; pausing one still is", () => {
    expect(data.search("which dags are paused at the moment", { limit: 3 })[0]?.tool.name).not.toBe("airflow__pause_dag")
    expect(data.search("pause the finance_export dag", { limit: 3 })[0]?.tool.name).toBe("airflow__pause_dag")
  })
})
