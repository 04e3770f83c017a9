/**
 * The classes of miss QA 344's set left, each as a rule of src/catalog/search, checked with
 * requests that are in no set (over QA 344's fleet of a developer's ops day, and others).
 */
import { describe, expect, test } from "bun:test"
import { qa344Fleet } from "./search-qa344-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ops = fleetIndex(qa344Fleet)
const rank = (q: string, tool: string) => ops.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("a hyphenated word between \"the\" and a named thing's noun is its name (literals.ts namesThing)", () => {
  test("\"turn off the new-pricing flag\": no request to create anything", () => {
    // (once: `create-feature-flag` first, by "new" of the flag's key)
    for (const q of ["turn off the new-pricing flag", "turn off the new-nav flag in staging"]) expect(rank(q, "launchdarkly__update-feature-flag")).toBe(0)
    // "new" outside a name still asks to create
    expect(rank("add a new flag for the pricing page", "launchdarkly__create-feature-flag")).toBe(0)
  })
})

describe("several things asked inside one item named (one-item.ts severalInItem)", () => {
  test("\"the artifacts of build 91\" lists them, it reads no one artifact", () => {
    // (once: `get_artifact` first: "build 91" named one item, so no listing was asked)
    for (const q of ["what artifacts did build 91 produce", "artifacts from build 3120"]) {
      const hits = ops.search(q, { limit: 5 }).map((h) => h.tool.name)
      expect(hits.indexOf("buildkite__get_artifact")).toBeGreaterThan(hits.findIndex((n) => n.startsWith("buildkite__list_artifacts")))
    }
    // one artifact of it still reads one
    expect(rank("get the artifact abc of build 91", "buildkite__get_artifact")).toBe(0)
  })
})

describe("doing a thing again is rerunning it, whichever verb the \"re\" prefixes (synonyms.ts)", () => {
  test("\"retrigger\", \"rerun the entire build\": the rebuild", () => {
    // (once: "retrigger" met nothing, the first hit `get_job`; "rerun the whole build" `retry_job`)
    expect(rank("retrigger build 55 on the api pipeline", "buildkite__rebuild_build")).toBeLessThan(2)
    expect(rank("rerun the whole thing, build 12", "buildkite__rebuild_build")).toBe(0)
  })
})

describe("a verb judged in a question is not asked for (intent.ts judgedAt)", () => {
  test("\"is it safe to delete X\" reads a state, it deletes nothing", () => {
    // (once: `delete-feature-flag` first and strong)
    for (const q of ["is it safe to delete the legacy-banner flag", "which toggles are safe to remove now"]) {
      const hits = ops.search(q, { limit: 5 })
      expect(hits[0]?.tool.name).not.toBe("launchdarkly__delete-feature-flag")
      expect(hits[0]?.tool.name).toBe("launchdarkly__get-flag-status-across-environments")
    }
    expect(rank("delete the legacy-banner flag", "launchdarkly__delete-feature-flag")).toBe(0)
  })
})

describe("a phrasal verb's synonym a tool names as its thing reaches no action of it (verb-sense.ts namesAsThing)", () => {
  test("\"kick off a build\" is no `get_trigger` of alerts", () => {
    // (once: honeycomb's `get_trigger` first, "kick off" → trigger)
    for (const q of ["kick off a build of the release branch", "kick off a new build", "kick off a build for commit abc123"]) {
      expect(rank(q, "buildkite__create_build")).toBe(0)
      const trigger = rank(q, "honeycomb__get_trigger")
      expect(trigger === -1 || trigger > 2).toBe(true)
    }
    // the thing itself still names it
    expect(rank("show the trigger 8f2 on the api dataset", "honeycomb__get_trigger")).toBeLessThan(2)
  })
})

describe("an ops engineer's words (synonyms.ts)", () => {
  test("a dashboard is a board, a dataset's fields its columns, who is notified its recipients", () => {
    // (once: `read_logs` above the board, "open"; `list_columns` fifth; `list_recipients` fifth)
    expect(rank("open the latency dashboard", "honeycomb__get_board")).toBe(0)
    expect(rank("which fields are in the orders dataset", "honeycomb__list_columns")).toBeLessThan(2)
    expect(rank("who is notified by the slo alerts", "honeycomb__list_recipients")).toBeLessThan(3)
  })
})

describe("where a thing is used are its references (synonyms.ts)", () => {
  test("\"where is X used in the code\", \"is X used in any code\"", () => {
    // (once: `workers_get_worker_code` first by "code", the references second)
    for (const q of ["where is enable-dark-theme used in the code", "is show-promo-banner used in any code"]) expect(rank(q, "launchdarkly__get-code-references")).toBe(0)
  })
})
