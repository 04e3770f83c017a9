/**
 * Ranking classes QA 111 fixed (QA 103 / QA 84 held-out misses), on made-up fleets: "book" with a
 * party size or a time reserves (no tool reserving: every hit weak); raising, lowering or bumping a
 * value of a thing updates it ("raise an issue" still makes one); a batch tool named with a generic
 * word covers the kinds its list argument's variants name.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { sensesOf } from "../../src/catalog/search/senses.ts"
import { fleetIndex } from "./search-sets.ts"

const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })

describe("book with a party size or a time reserves", () => {
  const ix = fleetIndex([])
  ix.setServer("db", [
    tool("db", "list_tables", "List the tables of a schema."),
    tool("db", "create_table", "Create a table with the given columns."),
  ])
  ix.setServer("cal", [tool("cal", "create_event", "Create a calendar event at a time.", { start: { type: "string", format: "date-time" } })])

  test("'book a table for four at 7pm', 'book a table for two', 'reserve a table for a party of 6': every hit weak when no tool reserves", () => {
    for (const q of ["book a table for four at 7pm", "book a table for two", "book a table tonight", "reserve a table for a party of 6"]) {
      const hits = ix.search(q, { limit: 5 })
      expect({ q, weak: hits.every((h) => h.weak) }).toEqual({ q, weak: true })
    }
  })

  test("a tool that reserves answers it", () => {
    const one = fleetIndex([])
    one.setServer("db", [tool("db", "list_tables", "List the tables of a schema.")])
    one.setServer("dining", [tool("dining", "make_reservation", "Make a restaurant reservation: a table for a party at a time.")])
    const hits = one.search("book a table for four at 7pm", { limit: 3 })
    expect(hits[0]!.tool.name).toBe("dining__make_reservation")
    expect(hits[0]!.weak).toBeUndefined()
  })

  test("'book a meeting at 3pm' makes an event; 'create a table' is no reservation", () => {
    expect(sensesOf("book a meeting at 3pm with Sam").get("book") ?? []).not.toContain("reserve")
    const hits = ix.search("create a table for the orders", { limit: 1 })
    expect(hits[0]!.tool.name).toBe("db__create_table")
    expect(hits[0]!.weak).toBeUndefined()
  })
})

describe("raising, lowering or bumping a value updates the thing", () => {
  const ix = fleetIndex([])
  ix.setServer("tracker", [
    tool("tracker", "update_ticket", "Update a ticket's fields (priority, assignee, status)."),
    tool("tracker", "create_ticket", "Create a ticket in a queue."),
    tool("tracker", "get_ticket", "Get a ticket by its key."),
  ])
  ix.setServer("audio", [tool("audio", "set_output", "Change the output device or its level.")])

  test("'raise the priority of the ticket', 'lower the priority of PROJ-7', 'increase the ticket's estimate to 5' → the update tool", () => {
    for (const q of ["raise the priority of the ticket", "lower the priority of the ticket", "bump the priority of the ticket", "increase the ticket's estimate to 5"]) {
      const hits = ix.search(q, { limit: 1 })
      expect({ q, first: hits[0]?.tool.name, weak: hits[0]?.weak }).toEqual({ q, first: "tracker__update_ticket", weak: undefined })
    }
  })

  test("'raise an issue' keeps its sense: a value only after a definite determiner", () => {
    // (it makes one: QA 178, senses.ts OPENS_TRACKED)
    expect(sensesOf("raise an issue about the login bug").get("raise")).toEqual(["create"])
    expect(sensesOf("raise the priority").get("raise")).toEqual(["update"])
    expect(sensesOf("up the limit to 100").get("up")).toEqual(["update"])
    expect(sensesOf("lower the shelf").has("lower")).toBe(false)
  })

  test("'bump the 1:1' puts the meeting off", () => {
    expect(sensesOf("bump the 1:1").get("bump")).toEqual(["update", "reschedule", "event"])
  })
})

test("a batch tool named 'items' covers the kinds its list's variants name ('create 20 sticky notes at once')", () => {
  const kind = (k: string) => ({ type: "object", properties: { type: { type: "string", const: k }, data: { type: "object" } } })
  const ix = fleetIndex([])
  ix.setServer("board", [
    tool("board", "create_sticky_note", "Create a sticky note on a board."),
    tool("board", "create_items_in_bulk", "Create multiple items on a board in one operation.", { items: { type: "array", items: { anyOf: [kind("sticky_note"), kind("card"), kind("shape")] } } }),
    tool("board", "get_board", "Get a board by its id."),
  ])
  ix.setServer("books", [tool("books", "create_credit_note", "Create a credit note for a contact.")])
  const hits = ix.search("create 20 sticky notes at once", { limit: 5 })
  const bulk = hits.findIndex((h) => h.tool.name === "board__create_items_in_bulk")
  expect(bulk).toBeGreaterThanOrEqual(0)
  expect(bulk).toBeLessThan(2)
  expect(hits[bulk]!.weak).toBeUndefined()
})
