/**
 * Ranking classes QA 115 fixed, on made-up fleets: a light verb before "a"/"an" and a written
 * thing writes it ("leave a comment", "drop a note", "drop me a line"; "drop the table" still
 * drops), "open" before "a"/"an" or a count and a tracked thing creates it ("open a bug", "open 3
 * tickets"; "open the file" reads); a write verb's plural after a read verb in a tool's name is the
 * thing it reads (`get_updates` reads); a file name's extension says its kind ("report.xlsx" → the
 * spreadsheet tool over a generic file reader).
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { toolFamily } from "../../src/catalog/search/intent.ts"
import { fileKindWords } from "../../src/catalog/search/literals.ts"
import { sensesOf } from "../../src/catalog/search/senses.ts"
import { fleetIndex } from "./search-sets.ts"

const tool = (server: string, name: string, description: string): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties: {} } })

const ix = fleetIndex([])
ix.setServer("cms", [tool("cms", "get_comments", "Get the comments on an entry."), tool("cms", "create_comment", "Create a comment on an entry."), tool("cms", "get_entry", "Get an entry.")])
ix.setServer("tracker", [
  tool("tracker", "list_tickets", "List tickets."),
  tool("tracker", "create_ticket", "Create a ticket."),
  tool("tracker", "delete_ticket", "Delete a ticket."),
  tool("tracker", "delete_note", "Delete a note from a ticket."),
  tool("tracker", "add_note", "Add a note to a ticket."),
  tool("tracker", "get_notes", "Get the notes of a ticket."),
])
ix.setServer("db", [tool("db", "drop_table", "Drop a table."), tool("db", "list_tables", "List tables."), tool("db", "read_file", "Read a file.")])
ix.setServer("chat", [tool("chat", "send_message", "Send a message to a person."), tool("chat", "delete_message", "Delete a message."), tool("chat", "get_messages", "Get the messages of a conversation.")])

const first = (q: string) => {
  const h = ix.search(q, { limit: 3 })[0]
  return { q, first: h?.tool.name, weak: h?.weak }
}

describe("a light verb before a written thing writes it", () => {
  test("'leave a comment on the entry', 'put a comment on the entry' → create_comment (not get_comments)", () => {
    for (const q of ["leave a comment on the entry", "put a comment on the entry", "leave a short comment on the entry"]) expect(first(q)).toEqual({ q, first: "cms__create_comment", weak: undefined })
  })

  test("'drop a note on the ticket' adds a note (not delete_note); 'drop me a line' sends a message", () => {
    expect(first("drop a note on the ticket")).toEqual({ q: "drop a note on the ticket", first: "tracker__add_note", weak: undefined })
    expect(first("drop me a line")).toEqual({ q: "drop me a line", first: "chat__send_message", weak: undefined })
    expect(first("shoot me a message")).toEqual({ q: "shoot me a message", first: "chat__send_message", weak: undefined })
  })

  test("'drop the table', 'leave the channel', 'drop a column' keep their sense", () => {
    expect(first("drop the table").first).toBe("db__drop_table")
    expect(sensesOf("leave the channel").has("leave")).toBe(false)
    expect(sensesOf("drop a column from the users table").has("drop")).toBe(false)
    expect(sensesOf("drop a note on the ticket").get("drop")).toEqual(["create", "add"])
  })
})

describe("'open' before a count or an article and a tracked thing creates it", () => {
  test("'open a bug', 'open 3 tickets', 'open a new ticket' → create_ticket", () => {
    for (const q of ["open a bug", "open 3 tickets", "open a new ticket"]) expect(first(q)).toEqual({ q, first: "tracker__create_ticket", weak: undefined })
  })

  test("'open the file', 'open 3 files', 'open a pull request' keep or take their sense", () => {
    expect(first("open the file").first).toBe("db__read_file")
    expect(sensesOf("open 3 files").has("open")).toBe(false)
    expect(sensesOf("open the doc").has("open")).toBe(false)
    expect(sensesOf("open a pull request from feature to main").get("open")).toEqual(["create"])
  })
})

test("a write verb's plural after a read verb is the thing read: get_updates, list_posts read; get_or_create_label is neither", () => {
  expect(toolFamily(["get", "updates"])).toBe("read")
  expect(toolFamily(["list", "posts"])).toBe("read")
  expect(toolFamily(["get", "or", "create", "label"])).toBeUndefined()
  expect(toolFamily(["update", "posts"])).toBe("write")
  const one = fleetIndex([])
  one.setServer("board", [tool("board", "get_updates", "Get the updates posted on an item."), tool("board", "update_item", "Update an item's column values.")])
  // a request that writes: the reading tool is ranked in the other family
  expect(one.search("edit the item's status", { limit: 1 })[0]!.tool.name).toBe("board__update_item")
  const posts = fleetIndex([])
  posts.setServer("forum", [tool("forum", "list_posts", "List the posts of a forum."), tool("forum", "create_post", "Create a post in a forum.")])
  expect(posts.search("write a post for the forum", { limit: 1 })[0]!.tool.name).toBe("forum__create_post")
})

describe("a file name's extension says its kind", () => {
  const files = fleetIndex([])
  files.setServer("fs", [tool("fs", "read_file", "Read a file from disk."), tool("fs", "fetch_file_content", "Fetch the content of a file.")])
  files.setServer("office", [
    tool("office", "read_sheet", "Read the rows of an Excel worksheet."),
    tool("office", "read_document", "Read the text of a Word document."),
    tool("office", "import_csv", "Import rows from CSV into a table."),
  ])

  test("'read report.xlsx' → the spreadsheet tool, 'read notes.docx' → the Word tool, 'load data.csv' → the CSV tool", () => {
    for (const [q, want] of [["read the local report.xlsx file", "office__read_sheet"], ["read notes.docx", "office__read_document"], ["load data.csv into the table", "office__import_csv"]] as const) {
      expect({ q, first: files.search(q, { limit: 1 })[0]?.tool.name }).toEqual({ q, first: want })
    }
  })

  test("a text or source file is a file, no more: notes.md, app.ts bring no kind", () => {
    expect(fileKindWords("notes.md")).toBe("")
    expect(fileKindWords("src/app.ts")).toBe("")
    expect(fileKindWords("Q3.XLSX")).toContain("spreadsheet")
  })
})
