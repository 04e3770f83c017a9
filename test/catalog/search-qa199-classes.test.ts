/**
 * The classes of miss QA 199's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { sensesOf } from "../../src/catalog/search/senses.ts"
import { qa199Fleet } from "./search-qa199-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

describe("QA 199 classes: an event named only by its shape (senses.ts EVENT_SHAPES)", () => {
  test("the verb moving or calling it off says it is an event", () => {
    // (once: "1:1" gave no event word, `modify_email` ranked above `update-event`)
    expect(sensesOf("move the one-on-one to next Tuesday").get("move")).toContain("event")
    expect(sensesOf("push the 1:1 with Priya to Monday").get("push")).toContain("event")
    // (an event named by a word is that word's: the verb keeps its own meaning)
    expect(sensesOf("push the standup to Monday").get("push")).toEqual(["update", "reschedule"])
  })
  test("the calendar's update ranks first", () => {
    const ix = fleetIndex(qa199Fleet)
    for (const q of ["push the 1:1 with Priya to Monday", "bump my 1:1 to thursday"]) expect(ix.search(q, { limit: 5 })[0]!.tool.name).toBe("google-calendar__update-event")
  })
})
