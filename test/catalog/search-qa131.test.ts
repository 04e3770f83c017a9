/**
 * Search on a held-out set in styles the earlier sets lacked, over a mixed fleet (QA 131): 71
 * requests and 20 negatives (test/fixtures/search-queries-qa131.json) written in one pass before
 * anything was measured, over fourteen recorded servers chosen so that several do the same job
 * (test/catalog/search-qa131-fleet.ts: Jira via atlassian and linear; slack and discord; postgres
 * and mongodb; notion, Confluence and obsidian; playwright, filesystem, google-calendar, stripe,
 * figma, gmail). Terse keywords ("pg slow queries"), non-native English, long context with the ask
 * in the last sentence, pasted SQL/JSON/paths/URLs, products named indirectly ("the Atlassian
 * wiki", "the design tool"), one of two overlapping servers picked by a detail (a URL's host, an
 * id's format, a vault), questions and imperatives; negatives incl. near misses ("merge the PR",
 * "send an SMS", "create a GitHub issue" with no such server).
 * Baseline (HEAD 2ff50f0, before any ranking change of this round):
 *   hit@1 0.676  hit@3 0.831  MRR 0.766  negatives rejected 17/20  positives' first hit weak 6/71
 * A request of several sentences is its ask: sentences that state (they open with a subject: "We
 * had an outage…", "Marketing wants…") are context when another asks, their words count for
 * nothing but a server they name, and the ask's verbs and question decide (sentences.ts):
 *   hit@1 0.676 → 0.718  MRR 0.766 → 0.793  first hit weak 6 → 5; no other set's figure moved.
 * A URL pasted: a host that is a server's name names it (at a literal kind's weight: "screenshot
 * https://linear.app" is still a screenshot), an issue key in its path is that issue, it ends
 * before the punctuation after it, and a colon after a word writing a text opens that text
 * ("comment on https://acme.atlassian.net/browse/OPS-7: waiting for vendor" was browser_wait_for):
 *   hit@1 0.718 → 0.732  hit@3 0.831 → 0.845  MRR 0.793 → 0.806  first hit weak 5 → 3;
 *   elsewhere qa84 first hit weak 4 → 3; no other set's figure moved.
 * A product no tool mentions typed in its brand's casing ("GitHub", "YouTube") is that product, not
 * two words ("git hub"), and the list of products has the developer and work tools fleets most
 * often have (github, jira, slack, notion, figma…): negatives rejected 17 → 18 of 20 ("create a
 * GitHub issue for the login bug" was jira_create_issue, strong); no other set's figure moved.
 * QA 202 (money one has is a balance, synonyms.ts): hit@1 0.746 → 0.761, hit@3 0.845 → 0.859,
 *   MRR 0.816 → 0.829.
 * QA 223 (one file named by a path to it is one item, one-file.ts: "read ./docs/ideas.md"): hit@1
 *   0.761 → 0.775, MRR 0.829 → 0.836.
 */
import { describe, expect, test } from "bun:test"
import type { IndexedTool } from "../../src/catalog/index.ts"
import { extractLiterals } from "../../src/catalog/search/literals.ts"
import { contextRanges, withoutContext } from "../../src/catalog/search/sentences.ts"
import { productsAsWords } from "../../src/catalog/search/synonyms.ts"
import { qa131Fleet as fleet } from "./search-qa131-fleet.ts"
import { fleetIndex, heldOutSetTests, loadSet } from "./search-sets.ts"

const set = loadSet("search-queries-qa131.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 131", () => {
  heldOutSetTests(fleet, ix, set, { requests: 70, negatives: 15 }, { h1: 0.774, h3: 0.858, mrr: 0.835, rejected: 18, weakFirst: 3, since: "QA 223" })
})

const str = (description: string) => ({ type: "string", description })
const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): IndexedTool => ({ name: `${server}__${name}`, server, tool: name, description, inputSchema: { type: "object", properties } })
const top = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 3 })[0]?.tool.name
const ranked = (index: ReturnType<typeof fleetIndex>, q: string) => index.search(q, { limit: 3 }).map((h) => `${h.tool.name}${h.weak ? " (weak)" : ""}`)

describe("a request of several sentences: the ask, not its context", () => {
  const one = fleetIndex([])
  one.setServer("chatter", [
    tool("chatter", "post_message", "Post a message to a channel.", { channel: str("Channel"), text: str("Message text") }),
    tool("chatter", "channel_history", "Get recent messages from a channel.", { channel: str("Channel") }),
    tool("chatter", "add_reaction", "Add an emoji reaction to a message."),
  ])
  one.setServer("docs", [tool("docs", "create_page", "Create a page for a write-up, a postmortem or notes.", { title: str("Title") }), tool("docs", "search_pages", "Search pages.")])
  one.setServer("agenda", [
    tool("agenda", "create_event", "Create a calendar event.", { start: str("Start time") }),
    tool("agenda", "update_event", "Update a calendar event: its time, title or attendees.", { id: str("Event id"), start: str("Start time") }),
    tool("agenda", "list_events", "List calendar events.", { timeMin: str("From") }),
  ])

  test("the sentences stating what happened do not outrank the one asking (a server they name still counts)", () => {
    expect(ranked(one, "We had an outage last night and the team spent hours on it. Most of the talk happened in chatter. I'd like to write a postmortem page later. For now, pull the recent messages from the incidents channel.")[0]).toBe("chatter__channel_history")
    expect(ranked(one, "Marta said she would write the postmortem page. Can you get the recent messages of the ops channel?")[0]).toBe("chatter__channel_history")
  })

  test("the ask's own verb decides, not one of the context ('we are moving …' then 'Move the event')", () => {
    expect(ranked(one, "We are moving the design review because half the team is out. The invite is already on the calendar. Move the design review event to Tuesday at 3pm.")[0]).toBe("agenda__update_event")
  })

  test("sentences that all ask, or all state, are all the request", () => {
    expect(contextRanges("why did the deploy fail? get the messages from the ops channel")).toEqual([])
    expect(contextRanges("Get the messages from the ops channel. Then write a postmortem page.")).toEqual([])
    expect(contextRanges("The build is broken. We need the logs.")).toEqual([])
    expect(contextRanges("open report.pdf and notes.md")).toEqual([])
    expect(withoutContext("I've been away for a week. There are hundreds of newsletters. Set up a filter for them.")).toBe("Set up a filter for them.")
    expect(withoutContext("Marketing wants the totals. QA can't reproduce it. Sum the spend per channel.")).toBe("Sum the spend per channel.")
  })
})

describe("a URL pasted: its host names a server, an id in its path is that item, a colon after it opens the text", () => {
  const one = fleetIndex([])
  one.setServer("atrack", [
    tool("atrack", "add_comment", "Add a comment to an issue.", { issue_key: str("Issue key (e.g. 'PROJ-123')"), body: str("Comment text") }),
    tool("atrack", "get_issue", "Get an issue.", { issue_key: str("Issue key (e.g. 'PROJ-123')") }),
  ])
  // (its comment tool named longer: "add a comment" covers all of atrack's name, not wikily's)
  one.setServer("wikily", [tool("wikily", "add_page_comment", "Add a comment to a page.", { page_id: str("Page id"), body: str("Comment text") }), tool("wikily", "get_page", "Get a page.", { page_id: str("Page id") })])
  one.setServer("browser", [
    tool("browser", "navigate", "Navigate to a URL.", { url: str("URL") }),
    tool("browser", "take_screenshot", "Take a screenshot of the current page."),
    tool("browser", "wait_for", "Wait for text to appear or disappear.", { text: str("Text") }),
  ])

  test("the host's server, not another with the same tool", () => {
    expect(top(one, "add a comment on https://wikily.com/x/123")).toBe("wikily__add_page_comment")
    expect(top(one, "post a comment on https://acme.wikily.io/x/9")).toBe("wikily__add_page_comment")
  })

  test("an issue key in the link's path: the tool taking such a key; what follows the colon is what to say", () => {
    expect(ranked(one, "comment on https://acme.example.net/browse/OPS-7: waiting for vendor")[0]).toBe("atrack__add_comment")
  })

  test("the host weighs as a kind, not as the request's words: what to do with the page still decides", () => {
    expect(ranked(one, "screenshot https://wikily.com/pricing")[0]).toBe("browser__take_screenshot")
  })

  test("a URL ends before the punctuation after it", () => {
    expect(extractLiterals("comment on https://x.io/browse/OPS-7: done").literals.map((l) => l.text)).toEqual(["https://x.io/browse/OPS-7"])
    expect(extractLiterals("It is at https://x.io/a. Open it.").literals.map((l) => l.text)).toEqual(["https://x.io/a"])
    expect(extractLiterals("see https://x.io/a?b=1&c=2#top").literals.map((l) => l.text)).toEqual(["https://x.io/a?b=1&c=2#top"])
  })
})

describe("a product no tool mentions, typed in its brand's casing ('GitHub', 'YouTube')", () => {
  const trackers = () => {
    const one = fleetIndex([])
    one.setServer("tasker", [tool("tasker", "create_issue", "Create a new issue.", { title: str("Title") }), tool("tasker", "search_issues", "Search issues.")])
    one.setServer("billing", [tool("billing", "list_subscriptions", "List subscriptions.")])
    return one
  }

  test("is the product asked for: the hits sharing the request's other words are weak", () => {
    const one = trackers()
    for (const q of ["create a GitHub issue for the login bug", "create a gitlab issue for the login bug", "show my YouTube subscriptions"]) {
      expect(one.search(q, { limit: 5 }).every((h) => h.weak)).toBe(true)
    }
    // (a tracker named as no product is still this one)
    expect(one.search("create an issue for the login bug", { limit: 1 })[0]?.weak).toBeFalsy()
  })

  test("a connected product keeps its tools, whatever its casing", () => {
    const one = trackers()
    one.setServer("github", [tool("github", "create_issue", "Create a new issue in a GitHub repository.", { owner: str("Owner"), repo: str("Repository") })])
    for (const q of ["create a GitHub issue for the login bug", "create a github issue for the login bug"]) expect(top(one, q)).toBe("github__create_issue")
    expect(productsAsWords("open GitHub and YouTube, not parseConfig", () => false)).toBe("open github and youtube, not parseConfig")
    expect(productsAsWords("open GitHub", (t) => t === "github")).toBe("open GitHub")
  })
})
