/**
 * QA 126: the classes the held-out set of QA 123 left open (test/fixtures/search-queries-qa123.json),
 * each on a made-up fleet: an identifier of words is a literal, not the request's intent.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { extractLiterals } from "../../src/catalog/search/literals.ts"
import { loadFleet } from "../../scripts/bench/_search-eval.ts"
import { fleetIndex } from "./search-sets.ts"

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })
const first = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 3 })[0]?.tool.name

describe("an identifier of words names a thing, it does not say what to do", () => {
  const fleet = () => {
    const one = fleetIndex([])
    one.setServer("billing", [
      tool("billing", "list_payments", "List the payments received."),
      tool("billing", "get_total", "Get the total amount of the ledger."),
      tool("billing", "send_email", "Send an email receipt to a customer.", { to: str("Address") }),
    ])
    one.setServer("metrics", [tool("metrics", "describe_series", "Describe a series: its help text and type.", { name: str("Series name") })])
    return one
  }

  test("snake_case, dotted and long kebab-case identifiers are literals; compounds and a whole request are not", () => {
    const ids = (q: string, keep?: (t: string) => boolean) => extractLiterals(q, keep).literals.filter((l) => l.kind === "id").map((l) => l.text)
    expect(ids("describe node_payments_seconds_total")).toEqual(["node_payments_seconds_total"])
    expect(ids("stop dpl_abc now")).toEqual(["dpl_abc"])
    expect(ids("graph http.server.requests please")).toEqual(["http.server.requests"])
    expect(ids("restart the send-welcome-email function")).toEqual(["send-welcome-email"])
    expect(ids("get up-to-date docs")).toEqual([])
    expect(ids("send_email")).toEqual([])
    expect(ids("use send_email now", (t) => t === "send_email")).toEqual([])
  })

  test("its words are not matched as the request's things", () => {
    expect(first(fleet(), "describe node_payments_seconds_total")).toBe("metrics__describe_series")
    expect(first(fleet(), "describe the payments_total_ledger series")).toBe("metrics__describe_series")
  })

  test("an identifier a tool is named with still finds that tool", () => {
    expect(first(fleet(), "use send_email for the receipt")).toBe("billing__send_email")
  })
})

describe("one item named by its id is that item, not a list of them", () => {
  // (over the recorded fleet: a term's weight depends on how many tools have it)
  const fleet = () => {
    const one = fleetIndex([...loadFleet()])
    one.setServer("tracker", [
      tool("tracker", "list_board_tickets", "List all tickets of a board.", { board_id: str("The board's uuid") }),
      tool("tracker", "list_sprint_tickets", "List the tickets of a sprint.", { sprint_id: str("The sprint's uuid") }),
      tool("tracker", "get_ticket_by_key", "Get one ticket by its key.", { key: str("The ticket key (e.g., 'OPS-123')") }),
      tool("tracker", "get_ticket_details", "Get the details of a ticket.", { key: str("The ticket key, e.g. OPS-123") }),
    ])
    return one
  }

  const rank = (q: string, name: string) => fleet().search(q, { limit: 10 }).findIndex((h) => h.tool.name === `tracker__${name}`)
  test("'show me ticket OPS-42' is the tool taking that key, not the ones listing tickets", () => {
    for (const q of ["show me ticket OPS-42", "show me issue OPS-42"]) {
      expect(rank(q, "get_ticket_by_key")).toBeGreaterThanOrEqual(0)
      expect(rank(q, "get_ticket_by_key")).toBeLessThan(rank(q, "list_board_tickets") < 0 ? 10 : rank(q, "list_board_tickets"))
      expect(rank(q, "get_ticket_details")).toBeLessThan(rank(q, "list_sprint_tickets") < 0 ? 10 : rank(q, "list_sprint_tickets"))
    }
  })

  test("a plural typed or a listing asked still lists", () => {
    expect(rank("list the tickets of the board", "list_board_tickets")).toBe(0)
    expect(rank("list tickets like OPS-42 on the board", "list_board_tickets")).toBe(0)
  })
})
