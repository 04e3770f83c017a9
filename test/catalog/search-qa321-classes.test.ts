/**
 * The classes of miss QA 321's set showed (a person's own life: a smart home, music, travel, money,
 * groceries, reminders), each as a rule of src/catalog/search, checked with requests that are in
 * no set.
 */
import { describe, expect, test } from "bun:test"
import { qa321Fleet } from "./search-qa321-fleet.ts"
import { fleetIndex } from "./search-sets.ts"

const life = fleetIndex(qa321Fleet)
const rank = (q: string, tool: string) => life.search(q, { limit: 10 }).findIndex((h) => h.tool.name === tool)
const first = (q: string) => life.search(q, { limit: 1 })[0]

describe("a person's words at home and off work (synonyms.ts)", () => {
  test("the ac, a thermostat, dim, a roomba, a song, a podcast, a speaker, louder, a seat, subscriptions, blow", () => {
    // (once: each below the tool, or every hit weak, for a word no tool writes)
    expect(rank("set the ac to 68 in the bedroom", "home-assistant__HassClimateSetTemperature")).toBe(0)
    expect(first("set the ac to 68 in the bedroom")?.weak).toBeFalsy()
    expect(rank("whats the thermostat at", "home-assistant__HassClimateGetTemperature")).toBe(0)
    expect(rank("dim the kitchen lights a little", "home-assistant__HassLightSet")).toBe(0)
    expect(first("dim the kitchen lights a little")?.weak).toBeFalsy()
    expect(rank("tell the roomba to go back to the dock", "home-assistant__HassVacuumReturnToBase")).toBe(0)
    expect(rank("save this song to my library", "spotify__saveTracks")).toBe(0)
    expect(rank("which podcasts do i follow", "spotify__getSavedShows")).toBe(0)
    expect(rank("list the speakers i can use", "spotify__getAvailableDevices")).toBe(0)
    expect(rank("make it louder", "spotify__setVolume")).toBe(0)
    expect(rank("show me the seats on my flight", "amadeus__get_seatmap")).toBe(0)
    expect(rank("which subscriptions renew every month", "plaid__get_recurring_transactions")).toBe(0)
    expect(rank("how much did i blow on takeout", "plaid__get_spending_by_category")).toBe(0)
    expect(rank("what crypto do i own", "coinbase__get_portfolio_breakdown")).toBeLessThan(3)
  })
  test("\"movie\" is no typo of \"move\"", () => {
    // (once: "activate movie night scene" → `move_reminder` first: "movie" corrected to "move")
    expect(life.search("turn on the movie scene", { limit: 3 }).some((h) => /move/.test(h.tool.name))).toBe(false)
  })
})

describe("a person's phrases (synonyms.ts)", () => {
  test("what's this song, listening to, turn it up, trading at", () => {
    expect(rank("what song is this", "spotify__getNowPlaying")).toBe(0)
    expect(rank("skip this song", "spotify__skipToNext")).toBe(0)
    expect(rank("what was i listening to this morning", "spotify__getRecentlyPlayed")).toBe(0)
    expect(rank("turn it down please", "spotify__setVolume")).toBeLessThan(3)
    expect(rank("what is amzn trading at right now", "alpaca__get_stock_quote")).toBeLessThan(3)
  })
})

describe("what a request bids someone do is what is said, not its own action (query.ts biddenAt)", () => {
  test("\"remind me to call …\" makes a reminder, strongly; \"call\" brings no tool calling services", () => {
    // (once: `call_service_tool` first and every hit weak for "remind me to call mom at 6")
    for (const q of ["remind me to call the dentist tomorrow", "remind me to text jen at 5", "remind me to turn off the oven in an hour", "remind my wife to pick up the kids at 3"]) {
      expect(rank(q, "apple-reminders__create_reminder")).toBe(0)
      expect(first(q)?.weak).toBeFalsy()
    }
  })
  test("the request's own verb still counts where no one is bidden", () => {
    // ("turn off the oven" is the request's own when it opens with it; "email the report to bob" bids no one)
    expect(rank("turn off the oven", "home-assistant__HassTurnOff")).toBe(0)
    expect(rank("play lofi on the kitchen speaker", "spotify__playMusic")).toBeLessThan(3)
  })
})

describe("something put on plays, where one's thing is asks its status, a timer is no time (synonyms.ts)", () => {
  const allWeak = (q: string) => life.search(q, { limit: 10 }).every((h) => h.weak)
  test("\"put on some …\" plays it", () => {
    // (once: no tool that plays in the first ten for "put on some lofi")
    expect(rank("put on some jazz", "spotify__playMusic")).toBe(0)
    expect(rank("put on some taylor swift in the kitchen", "spotify__playMusic")).toBe(0)
  })
  test("\"where is my …\" tracks it", () => {
    expect(rank("wheres my order", "instacart__get_order_status")).toBe(0)
    expect(rank("where is my package", "instacart__get_order_status")).toBe(0)
  })
  test("a timer no tool sets: every hit weak", () => {
    // (once: "timer" corrected to "time", and the setters strong for "set a timer for 10 minutes")
    for (const q of ["set a timer for 15 minutes", "start a timer for the pasta", "start a kitchen timer"]) expect(allWeak(q)).toBe(true)
  })
})

describe("shares of a company are its stock (synonyms.ts)", () => {
  test("\"buy 3 shares in costco\" orders stock, not crypto", () => {
    // (once: Coinbase's `create_order` first and the stock order weak, fourth: "shares" said no stock)
    expect(rank("buy 3 shares in costco", "alpaca__place_stock_order")).toBe(0)
    expect(first("buy 3 shares in costco")?.weak).toBeFalsy()
    expect(rank("buy 25 shares of the s&p etf", "alpaca__place_stock_order")).toBe(0)
  })
})

describe("the topic a search is about is what to search for (query.ts topicAt)", () => {
  test("\"find a podcast about history\" searches, it reads no history", () => {
    // (once: Home Assistant's `get_history` first, through the topic's "history")
    expect(rank("find a podcast about history", "spotify__searchSpotify")).toBe(0)
    expect(rank("find me a playlist about the ocean", "spotify__searchSpotify")).toBe(0)
    expect(rank("look for episodes about market history", "spotify__searchSpotify")).toBe(0)
    expect(rank("search podcasts about the history of rome", "spotify__searchSpotify")).toBe(0)
  })
})
