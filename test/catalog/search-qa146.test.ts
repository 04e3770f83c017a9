/**
 * Search: the misses QA 140 named, fixed as classes (QA 146), each on a made-up fleet. The held-out
 * sets' figures before and after each change are in their own test files' headers.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { brandWords, choiceText, documentFields } from "../../src/catalog/search/fields.ts"
import { respelt } from "../../src/catalog/search/spelling.ts"
import { namesWordProduct } from "../../src/catalog/search/synonyms.ts"
import { splitWords } from "../../src/catalog/search/tokenize.ts"
import { fleetIndex } from "./search-sets.ts"

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })
const top = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 3 })[0]
const strong = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 5 }).filter((h) => !h.weak).map((h) => h.tool.name)
const ranked = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 3 }).map((h) => `${h.tool.name}${h.weak ? " (weak)" : ""}`)

describe("a typo does not hide a phrase or a word's sense ('open an isue', 'create a pul request')", () => {
  const one = fleetIndex([])
  one.setServer("forge", [
    tool("forge", "read_ticket", "Get a ticket (issue) with its comments.", { id: str("Issue number") }),
    tool("forge", "search_tickets", "Search issues and tickets by text."),
    tool("forge", "write_ticket", "Create or update an issue.", { title: str("Title"), body: str("Body") }),
    tool("forge", "new_pr", "Open a new pull request from a branch.", { head: str("Branch") }),
    tool("forge", "review_write", "Create, submit or delete a review of a pull request.", { pullNumber: str("Pull request number") }),
    tool("forge", "request_changes", "Request changes on a change under review."),
  ])

  test("read as the word meant, the request means what it does spelt right", () => {
    for (const [typo, right] of [
      ["open an isue about the login bug", "open an issue about the login bug"],
      ["create a pul request for the fix branch", "create a pull request for the fix branch"],
      ["open a pul request for the fix branch", "open a pull request for the fix branch"],
    ] as const) expect([typo, ranked(one, typo)[0]]).toEqual([typo, ranked(one, right)[0]!])
    expect(top(one, "open an isue about the login bug")?.tool.name).toBe("forge__write_ticket")
  })

  test("only a word the tools and the synonym table do not know, and not a phrase's own word ('who wrote')", () => {
    const fix = (w: string) => (w === "isue" ? ["issu"] : w === "pul" ? ["pull"] : w === "wrote" ? ["writ"] : [])
    expect([...respelt(["open", "an", "isue", "pul", "wrote"], fix)]).toEqual([["isue", "issue"], ["pul", "pull"]])
  })
})

describe("a product its tools name in its brand's casing ('SQLite', 'PostgreSQL', 'MongoDB') is that product, typed as one word", () => {
  const one = fleetIndex([])
  one.setServer("localdb", [tool("localdb", "run_query", "Run a SQL query against the SQLite database file.", { sql: str("SQL") }), tool("localdb", "list_tables", "List the tables of the SQLite database.")])
  one.setServer("warehouse", [tool("warehouse", "execute_sql", "Execute SQL on a PostgreSQL server.", { sql: str("SQL") }), tool("warehouse", "describe_table", "Describe a table's columns in PostgreSQL.")])
  one.setServer("docstore", [tool("docstore", "find_documents", "Find documents in a MongoDB collection.", { filter: str("Filter") }), tool("docstore", "list_collections", "List MongoDB collections.")])
  one.setServer("notes", [tool("notes", "create_note", "Create a note."), tool("notes", "search_notes", "Search notes by text.")])

  test("its server's tools answer, and another server's are weak", () => {
    expect(ranked(one, "query the sqlite database")).toEqual(["localdb__run_query", "docstore__find_documents (weak)", "localdb__list_tables"])
    expect(ranked(one, "find documents in mongodb")[0]).toBe("docstore__find_documents")
    // (the first strong hit: a tool of another server named with the request's other words may rank above, weak)
    expect(strong(one, "run a sql query on postgresql")[0]).toBe("warehouse__execute_sql")
    expect(strong(one, "list the tables in postgresql")[0]).toBe("warehouse__describe_table")
    expect(strong(one, "list the collections in mongodb")[0]).toBe("docstore__list_collections")
  })

  test("a product no server names is weak everywhere ('mysql', 'redis'), and 'mysql' is its client only where a command line starts", () => {
    for (const q of ["query the mysql database", "query the redis cache", "list the tables of the mysql database"]) expect([q, one.search(q, { limit: 5 }).every((h) => h.weak)]).toEqual([q, true])
    expect(top(one, "mysql -u root -e 'show tables'")?.weak).toBeFalsy()
  })

  test("a product only a tool's usage advice mentions is not connected", () => {
    const two = fleetIndex([])
    two.setServer("tracker", [tool("tracker", "create_issue", "Create an issue. Issues can be linked to GitHub pull requests.", { title: str("Title") }), tool("tracker", "list_issues", "List issues.")])
    expect(two.search("create a GitHub issue for the login bug", { limit: 5 }).every((h) => h.weak)).toBe(true)
  })

  test("only words in a brand's casing, not identifiers, and not the tool's own server", () => {
    expect(brandWords("SQLite, PostgreSQL and MongoDB; iCloud, macOS. getUserInfo, user_Name, v2Beta, JSON, URLs")).toEqual(["sqlit", "postgresql", "mongodb", "icloud", "maco"])
    // (what it is and does: its title and first sentence, not its usage advice)
    expect(documentFields(tool("github", "get_me", "Get the GitHub user from SQLite. Can be linked to PostgreSQL.")).brands).toEqual(["sqlit"])
  })
})

describe("the examples an argument choosing a kind gives ('Type of resource (e.g., pods, deployments)') are its choices", () => {
  const one = fleetIndex([])
  one.setServer("cluster", [
    tool("cluster", "fetch_resources", "Fetch resources of the cluster.", { resourceType: str("Type of resource to fetch (e.g., services, cronjobs, ingresses)"), name: str("Name of the resource") }),
    tool("cluster", "restart_service", "Restart a service.", { name: str("Service name") }),
  ])
  one.setServer("tracker", [tool("tracker", "search", "Search items.", { kind: str("The kind of item, such as bugs, epics or stories") }), tool("tracker", "create_epic", "Create an epic.")])

  test("a request naming one finds the generic tool, not weak", () => {
    expect(ranked(one, "find epics about billing")[0]).toBe("tracker__search")
    expect(ranked(one, "show cronjobs")[0]).toBe("cluster__fetch_resources")
  })

  test("only an argument choosing a kind: other arguments' examples are data", () => {
    expect(choiceText({ type: "object", properties: { kind: str("Kind of item (e.g., bugs, epics)"), labelSelector: str("Filter by label (e.g. 'app=nginx')") } }).split(/\s+/).filter(Boolean)).toEqual(["bugs", "epics"])
  })
})

describe("a product named by an everyday word ('a teams message', 'a linear issue') or by its brand with another product ('the google sheet')", () => {
  const one = fleetIndex([])
  one.setServer("google-calendar", [tool("google-calendar", "create-event", "Create a calendar event.", { summary: str("Title"), start: str("Start time") }), tool("google-calendar", "list-events", "List calendar events."), tool("google-calendar", "manage-accounts", "Add or remove connected accounts.")])
  one.setServer("chatter", [tool("chatter", "post_message", "Post a message to a channel.", { channel: str("Channel"), text: str("Text") }), tool("chatter", "list_teams", "List the teams of the workspace.")])
  one.setServer("forge", [tool("forge", "create_issue", "Create an issue in a repository.", { title: str("Title") }), tool("forge", "list_issues", "List issues.")])
  const allWeak = (index: ReturnType<typeof fleetIndex>, q: string) => [q, index.search(q, { limit: 5 }).every((h) => h.weak)]

  test("no server is that product: every hit is weak", () => {
    for (const q of ["send a teams message to the ops channel", "create a linear issue for the login bug", "post the release notes in teams", "add a row to the google sheet", "update the google doc"]) expect(allWeak(one, q)).toEqual([q, true])
  })

  test("the everyday word, the brand with its own product, or with a thing its server does, still find their tools", () => {
    expect(ranked(one, "list the teams")[0]).toBe("chatter__list_teams")
    expect(ranked(one, "create an issue with a linear layout bug")[0]).toBe("forge__create_issue")
    expect(ranked(one, "create a google calendar event")[0]).toBe("google-calendar__create-event")
    expect(ranked(one, "schedule a meeting with a google meet link")[0]).toBe("google-calendar__create-event")
  })

  test("connected, the product's tools answer", () => {
    const two = fleetIndex([])
    two.setServer("linear", [tool("linear", "create_issue", "Create an issue.", { title: str("Title") })])
    two.setServer("forge", [tool("forge", "create_issue", "Create an issue in a repository.", { title: str("Title") })])
    expect(ranked(two, "create a linear issue for the login bug")[0]).toBe("linear__create_issue")
    expect(namesWordProduct(splitWords("fit a linear regression"), 2)).toBe(false)
  })
})

describe("a generic reader whose argument chooses the thing named ('kubectl_get' for 'list pods') before a tool named with the thing and another verb", () => {
  const one = fleetIndex([])
  one.setServer("cloud", [
    tool("cloud", "cloudctl_get", "Get cloud resources by type and name.", { resourceType: str("Type of resource to get (e.g., instances, volumes, buckets)"), name: str("Name") }),
    tool("cloud", "cloudctl_describe", "Describe cloud resources by type and name.", { resourceType: str("Type of resource (e.g., instances, volumes, buckets)"), name: str("Name") }),
    tool("cloud", "cloudctl_delete", "Delete cloud resources.", { resourceType: str("Type of resource (e.g., instances, volumes)"), name: str("Name") }),
    tool("cloud", "exec_in_instance", "Execute a command in an instance and return the output.", { name: str("Instance name"), command: str("Command") }),
    tool("cloud", "instance_logs", "Stream the logs of an instance.", { name: str("Instance name") }),
  ])

  test("the request reading the things finds the reader", () => {
    expect(ranked(one, "show cloud instances in the project")[0]).toBe("cloud__cloudctl_get")
    expect(ranked(one, "list cloud volumes namespace")[0]).toBe("cloud__cloudctl_get")
  })

  test("not for another action, nor a reader named with another verb", () => {
    expect(ranked(one, "run a command in the instance")[0]).toBe("cloud__exec_in_instance")
    expect(ranked(one, "describe the volumes")[0]).toBe("cloud__cloudctl_describe")
  })
})
