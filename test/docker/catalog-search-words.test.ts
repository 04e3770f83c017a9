/**
 * @module test/docker/catalog-search-words
 * `catalog_search` takes the words a model writes. Every word of the query must hit a server, so a
 * filler word ("the", "for", "server") or a plural ("timezones", "repositories") used to leave no
 * match at all: "search the web" found nothing while DuckDuckGo "provides web search". Runs the
 * driver against the fake `docker mcp` and its catalog (test/fixtures/fake-docker-data).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { makeFakeDocker } from "./fake.ts"

const fake = makeFakeDocker({ version: "v0.43.3" })
afterAll(() => fake.cleanup())
const driver = createToolkitDriver({ env: fake.env, timeoutMs: 15_000 })
const names = async (q: string) => (await driver.catalogSearch(q, 5)).map((s) => s.name)

describe("catalog search takes a model's phrasing", () => {
  test("filler words do not empty the result", async () => {
    expect((await names("search the web"))[0]).toBe("duckduckgo")
    expect((await names("a server to fetch a URL"))[0]).toBe("fetch")
    expect(await names("I want access to files on my filesystem")).toContain("filesystem")
  })

  test("a plural matches its singular; punctuation around a word is not part of it", async () => {
    expect(await names("timezones")).toEqual(["time"])
    expect(await names("github integrations")).toContain("github-official")
    expect(await names("\"web search\"?")).toContain("duckduckgo")
  })

  test("still every meaningful word must hit; a query of only filler words is searched as written", async () => {
    expect(await names("web zzz-nothing")).toEqual([])
    expect(await names("the server")).toEqual([])
  })
})
