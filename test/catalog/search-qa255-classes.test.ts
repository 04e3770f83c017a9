/**
 * The classes of miss QA 255's set showed, each as a rule of src/catalog/search, checked with
 * requests that are not in any set.
 */
import { describe, expect, test } from "bun:test"
import { listTerms } from "../../src/catalog/search/all-of.ts"
import { qa243Fleet } from "./search-qa243-fleet.ts"
import { qa255Fleet } from "./search-qa255-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const desk = fleetIndex(qa255Fleet)
const rank = (q: string, tool: string) => desk.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)

describe("QA 255 classes: a support desk's words (synonyms.ts)", () => {
  test("a macro is a canned response; the FAQ, the KB, the help center are the knowledge base's articles", () => {
    // (once: no hit at all for "do we have a macro for password resets")
    expect(desk.search("any macros for late deliveries?", { limit: 3 }).map((h) => h.tool.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^freshdesk__\w*canned_response$/)]))
    expect(desk.search("any macros for late deliveries?", { limit: 1 })[0]?.tool.name).toMatch(/canned_response/)
    expect(rank("search the help center for vpn setup", "freshdesk__list_solution_articles")).toBeLessThan(3)
    expect(rank("edit the kb entry about refunds", "freshdesk__update_solution_article")).toBe(0)
  })
  test("a convo is a conversation; tl;dr asks for a summary; the back and forth is the conversation", () => {
    expect(rank("open intercom convo 99812", "intercom__get_conversation")).toBeLessThan(2)
    expect(rank("tl;dr ticket 3310", "freshdesk__view_ticket_summary")).toBe(0)
    expect(rank("the back and forth on ticket 3310", "freshdesk__get_ticket_conversation")).toBeLessThan(2)
  })
  test("texts are SMS; a text that went through was delivered; to ping a channel is to message it, no shell ping (shell.ts)", () => {
    expect(rank("did my text message to +442071234567 go through", "twilio__get_message_status")).toBe(0)
    expect(rank("texts from +442071234567 this week", "twilio__get_inbound_messages")).toBe(0)
    const [top] = desk.search("ping #billing that the refund is done", { limit: 3 })
    expect(top?.tool.name).toBe("slack__slack_post_message")
    expect(top?.weak).toBeFalsy()
    expect(rank("ping @dana about the refund", "slack__slack_post_message")).toBe(0)
  })
})

describe("a tool reading all of a kind lists them (all-of.ts; QA 243's open \"list the dags\")", () => {
  const data = fleetIndex(qa243Fleet)
  const at = (q: string, tool: string) => data.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)
  test("\"Fetch all DAGs\" answers a request to list them", () => {
    // (once: `fetch_dags` not in the first five for "list the dags", below tools listing task instances)
    expect(at("list all dags in airflow", "airflow__fetch_dags")).toBe(0)
    expect(at("list the dags", "airflow__fetch_dags")).toBeLessThan(3)
  })
  test("only reading all of a kind: not one of it, nor changing them all", () => {
    expect(listTerms("Fetch all DAGs")).toEqual(["list"])
    expect(listTerms("Gets all the users/owners from Pipedrive")).toEqual(["list"])
    expect(listTerms("Get a DAG by ID")).toEqual([])
    expect(listTerms("Delete all keys of the database")).toEqual([])
  })
})
