/**
 * The fleet of QA 321's held-out set (test/fixtures/search-queries-qa321.json): a person's own
 * servers, not work's, a domain no other set covers as a whole — a smart home (Home Assistant:
 * lights, climate, covers, fans, vacuum, scenes, automations, entity state and history), music and
 * podcasts (Spotify: playback, queue, playlists, liked songs, devices, volume), travel (Amadeus:
 * flights, cheapest dates, flight status, seat maps, hotels; Airbnb search), personal finance
 * (Plaid-style accounts, balances, transactions, recurring payments, liabilities), trading (Alpaca:
 * quotes, orders, positions, market clock, dividends), crypto (Coinbase Advanced Trade), groceries
 * (Instacart) and reminders (Apple Reminders). Where each came from: tool-defs-qa321/SOURCES.md.
 * Server name as configured → definitions.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { FIXTURES, type ToolDef } from "../../scripts/bench/_search-eval.ts"

const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, "tool-defs-qa321", `${file}.json`), "utf8")) as ToolDef[]

export const qa321Fleet: Array<[string, ToolDef[]]> = ["home-assistant", "spotify", "amadeus", "airbnb", "plaid", "alpaca", "coinbase", "instacart", "apple-reminders"].map((s): [string, ToolDef[]] => [s, read(s)])
