/**
 * The fleet of QA 307's held-out set (test/fixtures/search-queries-qa307.json): an e-commerce store
 * owner's and growth marketer's servers, a domain no other set covers as a whole — a store admin
 * (Shopify Admin API: orders, refunds, cancellations, inventory, fulfilments, discounts, abandoned
 * checkouts, ShopifyQL sales analytics), email / SMS marketing (Klaviyo: campaigns, flows, lists,
 * segments, profiles, reports), search ads (Google Ads: campaigns, budgets, bidding, keywords,
 * negatives, search terms, Keyword Planner), social ads (Meta Ads: campaigns, ad sets, ads,
 * creatives, insights, audiences), web analytics (GA4: reports, realtime, funnels, key events), SEO
 * (Semrush: keywords, backlinks, competitors, position tracking, site audit) and reviews / loyalty
 * (Yotpo). Where each came from: tool-defs-qa307/SOURCES.md. Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa307", `${file}.json`), "utf8")) as ToolDef[]

export const qa307Fleet: Array<[string, ToolDef[]]> = ["shopify-admin", "klaviyo", "google-ads", "meta-ads", "ga4", "semrush", "yotpo"].map((s): [string, ToolDef[]] => [s, read(s)])
