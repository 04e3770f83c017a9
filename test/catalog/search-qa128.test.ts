/**
 * QA 128: three classes the held-out set of QA 123 left open (test/fixtures/search-queries-qa123.json),
 * each on a made-up fleet: whether a server named as a question's subject answers (its ping, health
 * or status tool), how to do something with a server (its documentation tool), and a hit sharing
 * only one of three or more words of the request through its verb or a stem collision (weak).
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { asksHowTo, livenessSubject, namesService, reportsLiveness } from "../../src/catalog/search/questions.ts"
import { qa123Fleet } from "./search-qa123-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })
const first = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 3 })[0]?.tool.name
const strong = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 5 }).filter((h) => !h.weak).map((h) => h.tool.name)

describe("is the server up: its ping, health or status tool", () => {
  const fleet = () => {
    const one = fleetIndex([])
    // (names that sort before the health tool: a tie would list them first)
    one.setServer("gauger", [
      tool("gauger", "add_dashboard", "Add a dashboard.", { title: str("Dashboard title") }),
      tool("gauger", "alert_rules", "List the alert rules and their targets."),
      tool("gauger", "list_scrape_targets", "List the scrape targets and whether each is down or healthy."),
      tool("gauger", "panel_status", "Get the status of a dashboard panel.", { panel: str("Panel id") }),
      tool("gauger", "server_health", "Get the health of the Gauger instance."),
    ])
    one.setServer("ledgerly", [tool("ledgerly", "get_status", "Get the status of the Ledgerly service."), tool("ledgerly", "list_accounts", "List accounts.")])
    return one
  }

  test("'is X up', 'is the X server down?', 'X is down', 'can you reach X', 'is X healthy' reach its health tool", () => {
    const ix = fleet()
    for (const q of ["is gauger up?", "is the gauger server down?", "gauger is down", "can you reach gauger?", "is gauger up and running?", "is our gauger instance still responding?"]) expect(first(ix, q)).toBe("gauger__server_health")
    expect(first(ix, "is ledgerly down right now?")).toBe("ledgerly__get_status")
  })

  test("a thing of the server as the subject keeps its own answer", () => {
    const ix = fleet()
    expect(first(ix, "which scrape targets are down?")).toBe("gauger__list_scrape_targets")
    expect(first(ix, "are the gauger scrape targets down?")).toBe("gauger__list_scrape_targets")
  })

  test("the question's forms and the tools that report liveness", () => {
    expect(livenessSubject("is the sonarqube server up?")).toEqual(["sonarqube", "server"])
    expect(livenessSubject("can you reach grafana")).toEqual(["grafana"])
    expect(livenessSubject("which scrape targets are down?")).toEqual(["which", "scrape", "targets"])
    expect(livenessSubject("is the invoice paid?")).toBeUndefined()
    expect(namesService(["which", "scrape", "targets"], ["prometheus"])).toBe(false)
    expect(reportsLiveness("system_ping", ["sonarqub"])).toBe(true)
    expect(reportsLiveness("prometheus_runtime_info", ["prometheus"])).toBe(true)
    expect(reportsLiveness("quality_gate_status", ["sonarqub"])).toBe(false)
  })
})

describe("how do I … with a server: its documentation tool", () => {
  const tools = (s: string) => [
    tool(s, "create_payment_link", "Create a payment link customers pay at checkout.", { price: str("Price id") }),
    tool(s, "create_refund", "Refund a payment."),
    tool(s, `search_${s}_documentation`, `Search the ${s} documentation to answer a question about integrating ${s}.`, { question: str("The question") }),
  ]
  const fleet = () => {
    const one = fleetIndex([])
    one.setServer("payly", tools("payly"))
    one.setServer("blogr", [tool("blogr", "keyword_research", "Research keywords to rank higher on search engines.", { keyword: str("Keyword") }), tool("blogr", "get_help", "Help on using blogr.")])
    return one
  }

  test("a how-to question naming the server ranks its documentation first, not weak", () => {
    const ix = fleet()
    for (const q of ["how do I add apple pay to checkout with payly?", "how to refund a payment with payly", "what's the best way to take payments at checkout with payly?"]) {
      const top = ix.search(q, { limit: 3 })[0]!
      expect(top.tool.name).toBe("payly__search_payly_documentation")
      expect(top.weak).toBeFalsy()
    }
    expect(asksHowTo("how should we set up checkout")).toBe(true)
    expect(asksHowTo("show me how many payments")).toBe(false)
  })

  test("the only server's documentation when none is named; the action when it names none among several", () => {
    const only = fleetIndex([])
    only.setServer("payly", tools("payly"))
    expect(first(only, "how do I add apple pay to checkout?")).toBe("payly__search_payly_documentation")
    expect(first(fleet(), "how do I rank higher on search engines for 'vegan recipes'?")).toBe("blogr__keyword_research")
  })

  test("a tool writing or deleting documents answers no how-to question", () => {
    const one = fleetIndex([])
    one.setServer("wikis", [tool("wikis", "create_doc", "Create a doc page."), tool("wikis", "delete_docs", "Delete doc pages."), tool("wikis", "share_page", "Share a page with a user.", { user: str("User") })])
    expect(first(one, "how do I share a page with wikis?")).toBe("wikis__share_page")
  })

  test("a request that is not a how-to keeps the action", () => {
    expect(first(fleet(), "create a payment link for checkout with payly")).toBe("payly__create_payment_link")
  })
})

describe("one of three words, through a stem collision or the verb alone, is weak", () => {
  const fleet = () => {
    const one = fleetIndex([])
    one.setServer("seo", [tool("seo", "get_live_data", "Get live ranking data for a keyword.", { keyword: str("Keyword") }), tool("seo", "keyword_research", "Research keywords.")])
    one.setServer("tracker", [tool("tracker", "transfer_cycle_issues", "Transfer the issues of one cycle to another cycle.", { from: str("Cycle id"), to: str("Cycle id") }), tool("tracker", "list_cycles", "List cycles.")])
    one.setServer("browser", [tool("browser", "press_key", "Press a key on the keyboard.", { key: str("Key name, such as ArrowLeft or a") })])
    return one
  }

  test("'turn off the living room lights', 'transfer $500 from checking to savings' have no strong hit", () => {
    const ix = fleet()
    expect(strong(ix, "turn off the living room lights")).toEqual([])
    expect(strong(ix, "transfer $500 from checking to savings")).toEqual([])
  })

  test("a noun in -ings reached only through its verb's synonyms is no match ('savings' → save → write)", () => {
    // (the set's fleet: salesforce's write_apex, "Write Apex classes", was strong through write)
    expect(strong(fleetIndex(qa123Fleet), "move $200 from savings to checking")).toEqual([])
    const ix = fleet()
    ix.setServer("code", [tool("code", "write_script", "Write a script to the project.", { body: str("Script body") })])
    expect(strong(ix, "save the script to the project")[0]).toBe("code__write_script")
  })

  test("the word itself, the verb with its things, a verb's -ing saying how stay strong", () => {
    const ix = fleet()
    expect(strong(ix, "show the live data for this keyword")[0]).toBe("seo__get_live_data")
    expect(strong(ix, "transfer the open issues to the next cycle")[0]).toBe("tracker__transfer_cycle_issues")
    expect(strong(ix, "select all the text in the editor by pressing ctrl+a")[0]).toBe("browser__press_key")
  })
})
