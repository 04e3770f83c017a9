/**
 * Search on a held-out set nobody tuned on (QA 76): 26 requests and 12 negatives over ten recorded
 * servers (atlassian, sentry, linear, git of tool-defs; circleci, neon, pinecone, elasticsearch,
 * hubspot, everart of tool-defs-npm), written in one pass before anything was measured on them
 * (test/fixtures/search-queries-qa76.json). Several name a known thing with a verb no tool performs
 * ("compress the attachments", "encrypt the connection string"), or a figurative verb ("push the
 * retro to next Friday"), or a number ("create five issues").
 * Baseline (HEAD 8eb1a99, before any ranking change of this round):
 *   hit@1 0.654  hit@3 0.846  MRR 0.767  negatives rejected 6/12  positives' first hit weak 1/26
 * A verb the request opens with that no tool performs counts as asked for (index.ts `undoneVerb`):
 *   hit@1 0.654  hit@3 0.846  MRR 0.767  negatives rejected 6/12 → 11/12  first hit weak 1/26 → 2/26
 *   (the new weak first hit, 'tag the architecture page with …', was a miss: confluence_get_page;
 *   no tool says "tag"). Elsewhere: negatives rejected qa51 3/8 → 4/8, qa66 11/13 → 12/13, qa71
 *   15/18 → 17/18, qa73 8/14 → 10/14; no ranking and no other positive's mark changed.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "bun:test"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"
import { createToolIndex } from "../../src/catalog/index.ts"
import { fleetIndex, heldOutSetTests, loadSet, measureSet } from "./search-sets.ts"

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, dir, `${file}.json`), "utf8")) as ToolDef[]
/** server name as configured → recorded definitions */
const fleet: Array<[string, ToolDef[]]> = [
  ...["atlassian", "sentry", "linear", "git"].map((s): [string, ToolDef[]] => [s, read("tool-defs", s)]),
  ...["circleci", "neon", "pinecone", "elasticsearch", "hubspot", "everart"].map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]),
]
const set = loadSet("search-queries-qa76.json")
const ix = fleetIndex(fleet)

describe("search on the held-out set of QA 76", () => {
  heldOutSetTests(fleet, ix, set, { requests: 20, negatives: 10 }, { h1: 0.8, h3: 1, mrr: 0.89, rejected: 11, weakFirst: 1, since: "QA 108" })
})

const allWeak = (index: typeof ix, q: string) => index.search(q, { limit: 10 }).every((h) => h.weak)
const firstStrong = (index: typeof ix, q: string) => {
  const h = index.search(q, { limit: 1 })[0]!
  return h.weak ? `${h.tool.name} (weak)` : h.tool.name
}

describe("a request opening with a verb no tool performs, about a thing the tools know", () => {
  const fleet71 = fleetIndex([
    ...["currents", "line", "mapbox", "pdf", "todoist", "trello"].map((s): [string, ToolDef[]] => [s, read("tool-defs-qa71", s)]),
    ["slack", read("tool-defs-qa66", "slack")],
    ["github", read("tool-defs", "github")],
  ])
  const fleet73 = fleetIndex([...["gmail", "figma", "everart"].map((s): [string, ToolDef[]] => [s, read("tool-defs-npm", s)]), ...["todoist", "mapbox", "pdf"].map((s): [string, ToolDef[]] => [s, read("tool-defs-qa71", s)])])

  test("has only weak answers: the tools share the thing (image, page, email), not the action", () => {
    for (const q of ["compress the attachments on the design page", "encrypt the neon connection string", "unsubscribe me from the jira emails"]) expect(allWeak(ix, q)).toBe(true)
    // through a synonym that is no action on that thing ("resize" → size, "compress" → gzip)
    for (const q of ["resize the image to 800x600", "scan the QR code in this photo", "compress this PNG"]) expect(allWeak(fleet71, q)).toBe(true)
    for (const q of ["shrink the banner image", "unsubscribe me from this mailing list", "resize the logo image to 200x200"]) expect(allWeak(fleet73, q)).toBe(true)
    expect(ix.search("encrypt the neon connection string", { limit: 1 })[0]!.unmatched).toContain("encrypt")
  })

  test("a verb some tool uses, a phrasal verb, a thing made, a misspelt tool verb, or a means said asks nothing more", () => {
    // figurative or phrasing verbs the tools say ("push", "highlight") or whose particle carries the meaning
    expect(firstStrong(fleet71, "push my dentist task to next Monday")).not.toContain("(weak)")
    expect(firstStrong(fleet71, "highlight the termination clause in the PDF")).not.toContain("(weak)")
    expect(firstStrong(fleet73, "tick off the groceries task in todoist")).not.toContain("(weak)")
    expect(firstStrong(fleet71, "remind me 30 minutes before the standup task")).toBe("todoist__add-reminders")
    expect(firstStrong(fleet71, "leave a note on the 'Q3 report' task that the numbers are in")).toBe("todoist__add-comments")
    expect(firstStrong(ix, "draw a logo of a fox in a spaceship")).toBe("everart__generate_image")
    expect(firstStrong(fleet73, "unsubscribe me from newsletters by making a filter")).toStartWith("gmail__create_filter")
  })

  test("whatever the fleet: the same request is strong once a tool performs the verb", () => {
    const media = createToolIndex()
    const t = (tool: string, description: string) => ({ name: `media__${tool}`, server: "media", tool, description, inputSchema: { type: "object" } })
    media.setServer("media", [t("get_image", "Get an image by id."), t("upload_image", "Upload an image.")])
    expect(allWeak(media, "resize the image to 800x600")).toBe(true)
    media.setServer("media", [t("get_image", "Get an image by id."), t("upload_image", "Upload an image."), t("resize_image", "Resize an image to a width and height.")])
    expect(firstStrong(media, "resize the image to 800x600")).toBe("media__resize_image")
  })
})

describe("a tool's name in the number the request asks for", () => {
  test("one card added is add_card_to_list, many add_cards_to_list (stemmed, they scored the same)", () => {
    const trello = fleetIndex([["trello", read("tool-defs-qa71", "trello")]])
    const top = (q: string) => trello.search(q, { limit: 1 })[0]!.tool.name
    expect(top("add a card called 'Fix login bug' to the To Do list")).toBe("trello__add_card_to_list")
    expect(top("add cards called 'Fix login bug' and 'Ship it' to the To Do list")).toBe("trello__add_cards_to_list")
  })

  test("whatever the fleet and the order tools were listed in", () => {
    const t = (tool: string, description: string) => ({ name: `shop__${tool}`, server: "shop", tool, description, inputSchema: { type: "object" } })
    for (const list of [[t("create_orders", "Create orders."), t("create_order", "Create an order.")], [t("create_order", "Create an order."), t("create_orders", "Create orders.")]]) {
      const shop = createToolIndex()
      shop.setServer("shop", list)
      expect(shop.search("create an order for Ana", { limit: 1 })[0]!.tool.name).toBe("shop__create_order")
      expect(shop.search("create orders for Ana and Bo", { limit: 1 })[0]!.tool.name).toBe("shop__create_orders")
    }
  })
})
