/**
 * Ranking classes QA 108 fixed (QA 103's held-out misses), on made-up fleets: a typo is corrected
 * only to words the tools themselves say (not their arguments' help); many things asked in one go
 * favour the tools named for batches.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { fleetIndex } from "./search-sets.ts"

const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })

describe("a typo is corrected to what a tool says, not to its arguments' help", () => {
  const ix = fleetIndex([])
  ix.setServer("books", [
    tool("books", "create_invoice", "Creates an invoice for a contact.", { type: { type: "string", description: "ACCREC is for sales invoices, ACCPAY for bills" } }),
    tool("books", "send_reminder", "Sends a payment reminder for an overdue invoice."),
  ])
  ix.setServer("cloud", [tool("cloud", "deploy_function", "Deploys a function to the project.")])

  test("'scale the deployment' is no 'sales' deployment: every hit weak when no tool scales", () => {
    const hits = ix.search("scale the deployment to 5 replicas", { limit: 5 })
    expect(hits.length).toBeGreaterThan(0)
    expect(hits.every((h) => h.weak)).toBe(true)
  })

  test("a typo of a word a tool's description says is still corrected", () => {
    const hits = ix.search("remnder about the overdue invoice", { limit: 2 })
    expect(hits[0]!.tool.name).toBe("books__send_reminder")
  })
})

describe("many things asked in one go favour the tool named for batches", () => {
  const ix = fleetIndex([])
  ix.setServer("tracker", [
    tool("tracker", "create_ticket", "Create a ticket in a queue."),
    tool("tracker", "bulk_create_tickets", "Create several tickets in one call."),
    tool("tracker", "list_tickets", "List the tickets of a queue, newest first.", { limit: { type: "number" } }),
    tool("tracker", "get_tickets_batch", "Get several tickets by their ids."),
    tool("tracker", "log_time", "Log time spent on a ticket."),
  ])
  const first = (q: string) => ix.search(q, { limit: 1 })[0]!.tool.name

  test("a count of things after the verb, or 'at once' / 'in bulk'", () => {
    expect(first("create 12 tickets for the migration")).toBe("tracker__bulk_create_tickets")
    expect(first("add three tickets for the login flows")).toBe("tracker__bulk_create_tickets")
    expect(first("create the tickets at once")).toBe("tracker__bulk_create_tickets")
  })

  test("one thing, a bound on what is read, or a quantity of time is no batch", () => {
    expect(first("create a ticket for the login bug")).toBe("tracker__create_ticket")
    expect(first("list the last 5 tickets")).toBe("tracker__list_tickets")
    expect(first("log 2 hours on the ticket")).toBe("tracker__log_time")
  })
})

test("duplicate is copy: 'duplicate the board' is the tool that copies boards", () => {
  const ix = fleetIndex([])
  ix.setServer("canvas", [
    tool("canvas", "get_board", "Get a board by its id."),
    tool("canvas", "update_board", "Update a board's name or description."),
    tool("canvas", "copy_board", "Copy a board with its items into a new board."),
  ])
  const hits = ix.search("duplicate the roadmap board", { limit: 1 })
  expect(hits[0]!.tool.name).toBe("canvas__copy_board")
  expect(hits[0]!.weak).toBeFalsy()
})
