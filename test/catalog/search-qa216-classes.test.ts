/**
 * The classes of miss QA 211's set left open, taken up in QA 216, each as a rule of
 * src/catalog/search, checked with requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { mayJoin } from "../../src/catalog/search/joined-particle.ts"
import { measuredOverSpan } from "../../src/catalog/search/metric-range.ts"
import { ownerUnknownTo } from "../../src/catalog/search/owner-of.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"
import { qa178Fleet } from "./search-qa178-fleet.ts"
import { qa211Fleet } from "./search-qa211-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const ix = fleetIndex(qa211Fleet)
const top = (q: string) => ix.search(q, { limit: 5 })

describe("QA 216 classes: a verb and its particle a tool's name writes as one word (joined-particle.ts)", () => {
  test("'roll out' is the rollout tool", () => {
    // (once: "out" is a stop word, "rollout" was never brought in, and `kubectl_rollout` was not in the first fifteen)
    const [first] = top("roll out the patched image to the worker deployment")
    expect(first?.tool.name).toBe("kubernetes__kubectl_rollout")
    expect(first?.weak).toBeUndefined()
  })
  test("only particles software joins to a verb, after a word that is no stop word", () => {
    expect(mayJoin("roll", "out")).toBe(true)
    expect(mayJoin("set", "up")).toBe(true)
    expect(mayJoin("log", "in")).toBe(false)
    expect(mayJoin("the", "out")).toBe(false)
    expect(mayJoin("web", "hook")).toBe(true)
  })
})

describe("QA 216 classes: the thing named by its instance decides whose attribute is asked (owner-of.ts)", () => {
  test("the logs of a named pod are the platform's own logs tool, not an observability tool's", () => {
    // (once: Loki's `find_error_pattern_logs`, which knows no pod, ranked above `kubectl_logs`)
    for (const q of ["pull up logs of auth pod, keeps erroring", "error logs of the worker pod"]) expect(top(q)[0]?.tool.name).toBe("kubernetes__kubectl_logs")
  })
  test("a bare thing, or tools of one server, are not told apart by it", () => {
    const server = (n: string) => n.split("__")[0]!
    const names = ["a__list_releases", "b__get_project_versions", "b__list_release_notes"]
    const named = (n: string, w: string) => n.includes(w.replace(/s$/, ""))
    const knows = (n: string, w: string) => n.includes(w)
    // "the project" is bare: where the user works, not an instance of a kind
    expect(ownerUnknownTo("show the newest release of the project", names, named, knows, server).size).toBe(0)
    // an instance: a's release tool does not know it, b's does (b's other tool is b's: not told apart)
    expect([...ownerUnknownTo("show the releases of the billing project", ["a__list_releases", "b__list_project_releases", "b__list_releases"], named, knows, server)]).toEqual(["a__list_releases"])
  })
})

describe("QA 216 classes: a measure over a span of time is a range query of metrics (metric-range.ts)", () => {
  test("the metrics store's query tools answer it", () => {
    // (once: the measure's words matched only tools about services or time ranges: no query tool in the first fifteen)
    const names = top("latency of the orders service over the past 2 hours in grafana").slice(0, 3).map((h) => h.tool.name)
    expect(names).toContain("grafana__query_prometheus")
    // (once: `prometheus_query_range` 1st but weakly ahead of an unrelated `get_file_blame`)
    const ix178 = fleetIndex(qa178Fleet)
    expect(ix178.search("throughput of the ingest workers last 24h", { limit: 3 }).filter((h) => !h.weak).map((h) => h.tool.name)).toEqual(expect.arrayContaining(["prometheus__prometheus_query_range", "prometheus__prometheus_query"]))
  })
  test("a measure with no span is one reading; a span with no measure is no metric", () => {
    const at = (q: string) => measuredOverSpan(q, splitWords(q))
    expect(at("cpu usage on web-01")).toBeUndefined()
    expect(at("what did i merge in the last 2 days")).toBeUndefined()
    expect(at("p99 latency of the api over the past 24h")).toBe("latency")
  })
})
