/**
 * Word senses QA 97 found open (QA 84's calendar and QA 77's mail misses), on made-up fleets: a
 * word whose meaning the words around it settle (senses.ts) — a meeting called off is deleted, an
 * event pushed to a day is updated, a duration's noun is an event, a label verb modifies, "break
 * … into" splits.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { fleetIndex } from "./search-sets.ts"

const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })
const when = { start: { type: "string", format: "date-time" } }
const first = (ix: ReturnType<typeof fleetIndex>, q: string) => ix.search(q, { limit: 1 })[0]!

function agendaFleet() {
  const ix = fleetIndex([])
  ix.setServer("agenda", [
    tool("agenda", "add_event", "Add a new event to the agenda", when),
    tool("agenda", "change_event", "Change an existing event of the agenda", when),
    tool("agenda", "remove_event", "Remove an event from the agenda", { id: { type: "string" } }),
    tool("agenda", "list_events", "List the events of the agenda between two dates", when),
  ])
  ix.setServer("mailer", [
    tool("mailer", "update_draft", "Update a draft email before it is sent", { scheduledAt: { type: "string", format: "date-time" } }),
    tool("mailer", "cancel_send", "Cancel a scheduled send"),
    tool("mailer", "cancel_subscription", "Cancel the mailing subscription of a contact"),
  ])
  ix.setServer("vcs", [tool("vcs", "push_commits", "Push local commits to the remote")])
  return ix
}

describe("a word whose sense the request settles", () => {
  test("a duration with an article before a noun makes that noun an event", () => {
    const ix = agendaFleet()
    expect(first(ix, "schedule a 30 min sync with Dana tomorrow at 10am").tool.name).toBe("agenda__add_event")
    expect(first(ix, "set up an hour-long call with the vendor on Friday").tool.name).toBe("agenda__add_event")
  })

  test("cancel is delete when what is cancelled is a meeting, not otherwise", () => {
    const ix = agendaFleet()
    expect(first(ix, "cancel the standup on 2025-03-14").tool.name).toBe("agenda__remove_event")
    expect(first(ix, "cancel my 1:1 with Sam").tool.name).toBe("agenda__remove_event")
    expect(first(ix, "cancel my subscription").tool.name).toBe("mailer__cancel_subscription")
  })

  test("an event pushed, moved or bumped to a day or a date is updated; postpone and reschedule always are", () => {
    const ix = agendaFleet()
    expect(first(ix, "push my dentist appointment to Friday").tool.name).toBe("agenda__change_event")
    expect(first(ix, "move the meeting to 2025-04-02").tool.name).toBe("agenda__change_event")
    expect(first(ix, "postpone the interview").tool.name).toBe("agenda__change_event")
    // no event and no day: a push is a push
    expect(first(ix, "push my commits").tool.name).toBe("vcs__push_commits")
  })
})

describe("label verbs modify", () => {
  const ix = fleetIndex([])
  ix.setServer("post", [
    tool("post", "read_message", "Read a message by its id"),
    tool("post", "search_messages", "Search messages in the mailbox"),
    tool("post", "modify_message", "Modify a message's labels (add or remove labels)"),
    tool("post", "list_labels", "List every label of the mailbox"),
  ])
  for (const q of ["star the email from Bob", "flag this message", "tag the message with 'billing'"]) {
    test(q, () => expect(first(ix, q).tool.name).toBe("post__modify_message"))
  }
})

test("break … into parts splits, making them", () => {
  const ix = fleetIndex([])
  ix.setServer("tasks", [
    tool("tasks", "get_subtasks", "Get the subtasks of a task"),
    tool("tasks", "create_subtask", "Create a subtask under a task"),
    tool("tasks", "report_bug", "Report a bug or an error in the product"),
  ])
  expect(first(ix, "break the launch task into subtasks").tool.name).toBe("tasks__create_subtask")
})
