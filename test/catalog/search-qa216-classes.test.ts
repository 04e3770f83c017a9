/**
 * The classes of miss QA 211's set left open, taken up in QA 216, each as a rule of
 * src/catalog/search, checked with requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { mayJoin } from "../../src/catalog/search/joined-particle.ts"
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
