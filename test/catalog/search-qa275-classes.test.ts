/**
 * The classes of miss QA 271's and QA 255's sets left open, each as a rule of src/catalog/search,
 * checked with requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { eventCounts } from "../../src/catalog/search/calendar-event.ts"
import { grantsRole } from "../../src/catalog/search/grants-role.ts"
import { membersAsList } from "../../src/catalog/search/members-question.ts"
import { ownQueueAt } from "../../src/catalog/search/my-queue.ts"
import { stateValues, typedState } from "../../src/catalog/search/state-values.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"
import { qa255Fleet } from "./search-qa255-fleet.ts"
import { qa271Fleet } from "./search-qa271-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const mobile = fleetIndex(qa271Fleet)
const helpdesk = fleetIndex(qa255Fleet)
type App = typeof mobile
const rank = (app: App, q: string, tool: string) => app.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("a meeting's event is a calendar's, not a crash report's (calendar-event.ts)", () => {
  test("a meeting booked where no server has a calendar: no event tool answers strong", () => {
    // (once: Bugsnag's `view_event`, `view_latest_event`, `list_error_events` first three, strong, for "book a meeting")
    for (const q of ["book a meeting with the growth team", "book a huddle tomorrow", "push my 1:1 to thursday"]) {
      const strongEvents = mobile.search(q, { limit: 5 }).filter((h) => /event/.test(h.tool.name) && !h.weak)
      expect(strongEvents.map((h) => h.tool.name)).toEqual([])
    }
  })
  test("a calendar server's events still answer a meeting, and events asked as events still match", () => {
    expect(rank(helpdesk, "cancel my huddle with ana", "calendly__cancel_event")).toBe(0)
    expect(helpdesk.search("cancel my huddle with ana", { limit: 1 })[0]?.weak).toBeFalsy()
    expect(rank(mobile, "latest crash events on the pixel 7", "bugsnag__view_latest_event")).toBeLessThan(3)
  })
  test("only a meeting word's \"event\", only without a calendar word", () => {
    const says = (words: string[]) => (t: string) => words.includes(t)
    expect(eventCounts(true, "event", says(["error", "event"]))).toBe(false)
    expect(eventCounts(true, "event", says(["invite", "event"]))).toBe(true)
    expect(eventCounts(false, "event", says([]))).toBe(true)
    expect(eventCounts(true, "meet", says([]))).toBe(true)
  })
})

describe("\"who's in X\" asks for X's members (members-question.ts)", () => {
  test("read as a listing of members, at the opening of a sentence only", () => {
    expect(membersAsList("who's on the platform team")).toBe("list the members of the platform team")
    expect(membersAsList("ok. who is in the design group?")).toBe("ok. list the members of the design group?")
    expect(membersAsList("who belongs to org acme")).toBe("list the members of org acme")
    expect(membersAsList("tell me who is in charge")).toBe("tell me who is in charge")
    expect(membersAsList("who is on call right now")).toBe("who is on call right now")
  })
  test("the tool listing a group's people above the one listing groups", () => {
    // (once: `list_beta_groups` first for "who's in the QA beta group")
    expect(rank(mobile, "who's on the internal testers group", "app-store-connect__list_group_testers")).toBe(0)
    expect(rank(mobile, "who belongs to the internal group", "app-store-connect__list_group_testers")).toBe(0)
  })
})

describe("\"make someone a ROLE\" grants a role, it creates nothing (grants-role.ts)", () => {
  test("someone, then a/an/the and a role", () => {
    const at = (q: string) => grantsRole(splitWords(q), 0)
    expect(at("make dana an admin")).toBe(true)
    expect(at("make user 4kq2 the owner of the project")).toBe(true)
    expect(at("make an admin user")).toBe(false)
    expect(at("make a new group")).toBe(false)
    expect(at("make the build an artifact")).toBe(false)
  })
  test("the tool setting a user's claim answers, no create tool", () => {
    // (once: every hit weak, create tools first, for "make uid 9sd8f7 an admin")
    expect(rank(mobile, "make user 4kq2 an admin", "firebase__auth_set_claim")).toBe(0)
    expect(rank(mobile, "make dana an admin", "firebase__auth_set_claim")).toBe(0)
  })
})

describe("a state typed in words is an option's constant (state-values.ts)", () => {
  test("the multi-word values of enums and of argument help, a filter's too", () => {
    const schema = {
      type: "object",
      properties: {
        status: { type: "string", enum: ["in_progress", "done", "ON-HOLD"] },
        filter: { type: "object", properties: { phase: { type: "string", description: "The phase, e.g. READY_FOR_QA, BLOCKED_BY_VENDOR" } } },
      },
    }
    const values = stateValues(schema)
    expect(values.map((v) => v.join(" "))).toEqual(["in progress", "on hold", "ready for qa", "block by vendor"])
    expect(typedState("is it still on hold?", values)).toEqual(["on", "hold"])
    expect(typedState("is the hold on", values)).toBeUndefined()
    // (a kind's values are things, not states: a note's target `merge_request`)
    expect(stateValues({ type: "object", properties: { noteable_type: { type: "string", enum: ["issue", "merge_request"] } } })).toEqual([])
  })
  test("the tool filtering by it answers the question", () => {
    // (once: `submit_for_review` first for "still waiting for review?", `list_app_store_versions` 18th)
    expect(rank(mobile, "is 2.4.0 ready for sale yet", "app-store-connect__list_app_store_versions")).toBe(0)
    const [first] = mobile.search("still waiting for review?", { limit: 1 })
    expect(first?.tool.name).toBe("app-store-connect__list_app_store_versions")
    expect(first?.weak).toBeFalsy()
  })
})

describe("my queue is the work assigned to me (my-queue.ts)", () => {
  test("a queue owned by me or us, not a named queue", () => {
    const queueOf = (q: string) => splitWords(q)[ownQueueAt(splitWords(q))]
    expect(queueOf("what's left in my queue")).toBe("queue")
    expect(queueOf("anything new in our support queue")).toBe("queue")
    expect(ownQueueAt(splitWords("purge the dead letter queue"))).toBe(-1)
  })
  test("a helpdesk's tickets answer it", () => {
    // (once: every hit weak, Intercom's `fetch` first, for "whats in my queue rn")
    const hits = helpdesk.search("what's left in my queue", { limit: 3 })
    expect(hits[0]?.tool.name).toMatch(/^freshdesk__.*ticket/)
    expect(hits[0]?.weak).toBeFalsy()
    expect(hits.map((h) => h.tool.name)).toContain("freshdesk__get_tickets")
  })
})
