/**
 * Search ranking classes of QA 88, on made-up fleets (each test fails without its change) and on
 * the held-out sets (search-qa84.test.ts and the others keep their floors).
 * A request saying when (a date "2025-03-14", "3/14", a time of day "10am", "14:30", a day word
 * "tomorrow", "next week") favours the tools that take a date or a time (`#when`: an argument named
 * `start`, `timeMin`, `due`, `scheduledAt`… at any depth, or `format: date-time`):
 *   qa84 hit@1 0.643 → 0.661 ("what meetings do I have next week" → list-events), hit@3 0.750 → 0.768,
 *   MRR 0.714 → 0.732; qa77 MRR 0.685 → 0.701; no other figure moved.
 */
import { describe, expect, test } from "bun:test"
import { extractLiterals, whenIn } from "../../src/catalog/search/literals.ts"
import { fleetIndex } from "./search-sets.ts"

const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}) => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })

describe("a request saying when asks for a tool that takes a date or a time", () => {
  const fleet = () => {
    const one = fleetIndex([])
    one.setServer("cal", [
      tool("cal", "get_event", "Get details of a specific event by ID.", { eventId: { type: "string" } }),
      tool("cal", "list_events", "List events from one or more calendars.", { calendarId: { type: "string" }, timeMin: { type: "string" }, timeMax: { type: "string" } }),
      tool("cal", "list_calendars", "List all available calendars."),
    ])
    one.setServer("notes", [
      tool("notes", "list_users", "List the users of the workspace.", { start_cursor: { type: "string" }, page_size: { type: "number" } }),
      tool("notes", "list_pages", "List the pages of the workspace."),
    ])
    return one
  }
  const top = (q: string) => fleet().search(q, { limit: 1 })[0]!.tool.name

  test("a day word or a date typed ranks the tool taking a time range above the one taking an id", () => {
    expect(top("what meetings do I have next week")).toBe("cal__list_events")
    expect(top("which events are on 2025-03-14")).toBe("cal__list_events")
    expect(top("events at 10am")).toBe("cal__list_events")
    // no time said: the shorter, id-taking tool as before
    expect(top("get the event")).toBe("cal__get_event")
  })

  test("a cursor or a line named start is no date: 'today' brings no list_users", () => {
    const hits = fleet().search("who are the users today", { limit: 2 }).map((h) => h.tool.name)
    expect(hits[0]).toBe("notes__list_users")
    const a = fleet().search("list the users", { limit: 5 }).find((h) => h.tool.name === "notes__list_users")!.score
    const b = fleet().search("list the users today", { limit: 5 }).find((h) => h.tool.name === "notes__list_users")!.score
    expect(b).toBeLessThanOrEqual(a * 1.001)
  })

  test("which tools take a date or a time", () => {
    expect(whenIn({ properties: { timeMin: {} } }, "")).toEqual(["#when"])
    expect(whenIn({ properties: { scheduledAt: {} } }, "")).toEqual(["#when"])
    expect(whenIn({ properties: { start: {}, end: {} } }, "")).toEqual(["#when"])
    expect(whenIn({ properties: { when: { type: "string", format: "date-time" } } }, "")).toEqual(["#when"])
    // nested in an array of variants (todoist's reminders: anyOf [{ due: { date } }])
    expect(whenIn({ properties: { reminders: { type: "array", items: { anyOf: [{ properties: { id: {} } }, { properties: { due: { properties: { date: {} } } } }] } } } }, "")).toEqual(["#when"])
    expect(whenIn({ properties: { id: {} } }, "The day, e.g. 2025-01-31")).toEqual(["#when"])
    for (const name of ["start_cursor", "end_line", "startIndex", "timeZone", "after", "before", "id"]) expect(whenIn({ properties: { [name]: {} } }, "")).toEqual([])
  })

  test("dates and times of day are literals that say when, not ids or words", () => {
    const kinds = (q: string) => extractLiterals(q).literals.map((l) => `${l.kind}:${l.text}`)
    expect(kinds("cancel the standup on 2025-03-14")).toEqual(["when:2025-03-14"])
    expect(kinds("move it to 3/14 at 10am")).toEqual(["when:3/14", "when:10am"])
    expect(kinds("at 14:30 or 3:30 pm")).toEqual(["when:14:30", "when:3:30 pm"])
    expect(kinds("deploy web-7f9 to prod")).toEqual(["id:web-7f9"])
  })

  test("a time of day is no thing named: a request no tool can do stays weak", () => {
    const one = fleetIndex([])
    one.setServer("cfg", [tool("cfg", "set_config_value", "Set a configuration value.", { key: {}, value: {} })])
    one.setServer("git", [tool("git", "git_set_working_dir", "Set the working directory.", { path: {} })])
    expect(one.search("set a reminder on my phone for 5pm", { limit: 5 }).every((h) => h.weak)).toBe(true)
  })
})
