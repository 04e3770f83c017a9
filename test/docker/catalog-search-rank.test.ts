/**
 * @module test/docker/catalog-search-rank
 * `catalog_search` ranks servers by how well they match instead of asking every word to hit the
 * server's own text: "I want to read files" found nothing because "read" is only in the filesystem
 * server's tools. Words are looked for in the name, title, tags, description and the tools' names and
 * descriptions; more words hit first, then where they hit; a server hitting under half the words (or
 * not both of two) is left out, so an unrelated query still finds nothing. Runs the driver against
 * the fake `docker mcp`: its own catalog, and one made from the real recorded catalog data in
 * ../shared/toolkit-samples (skipped when absent), searched with a held-out set of natural requests
 * written before the ranking was measured on them.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { parse, stringify } from "yaml"
import { silentLogger } from "../../src/core/index.ts"
import { createToolkitDriver, searchCatalog } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { makeFakeDocker } from "./fake.ts"

const fake = makeFakeDocker({ version: "v0.43.3" })
const driver = createToolkitDriver({ env: fake.env, timeoutMs: 15_000 })
const names = async (q: string, limit = 10) => (await driver.catalogSearch(q, limit)).map((s) => s.name)

const SAMPLES = resolve(import.meta.dir, "..", "..", "..", "shared", "toolkit-samples")
const present = existsSync(SAMPLES)
const dir = mkdtempSync(join(tmpdir(), "catalog-rank-"))
afterAll(() => {
  fake.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

describe("catalog search ranks by how well a server matches", () => {
  test("a word found only in a server's tools counts", async () => {
    expect((await names("I want to read files"))[0]).toBe("filesystem")
    expect((await names("list a directory"))[0]).toBe("filesystem")
    expect((await names("search repositories on GitHub"))[0]).toBe("github-official")
  })

  test("partial matches come after full ones, more words hit first", async () => {
    // duckduckgo hits all four words (fetch, url and webpage through its fetch_content tool);
    // fetch hits two, its exact name does not lift it above a server hitting more words
    const found = await names("fetch a webpage URL and search it")
    expect(found.slice(0, 2)).toEqual(["duckduckgo", "fetch"])
  })

  test("nothing found for a query of only filler words or of words hitting no server", async () => {
    expect(await names("please help me with something")).toEqual([])
    expect(await names("I want the tools")).toEqual([])
    expect(await names("book a flight to Paris")).toEqual([])
  })

  test("ties in order by name, whatever the catalog's order", async () => {
    // "details" hits one tool description of each (weight 1 both): a tie
    expect(await names("details")).toEqual(["filesystem", "github-official"])
    const servers = (await driver.catalogShow()).servers
    for (const q of ["details", "web", "search", "content"]) {
      const a = searchCatalog(servers, q).map((s) => s.name)
      expect(searchCatalog([...servers].reverse(), q).map((s) => s.name)).toEqual(a)
    }
  })
})

describe("the catalog_search tool", () => {
  const tools = toolkitTools(driver)
  const search = async (query: string) => {
    const def = tools.find((t) => t.name === "catalog_search")
    if (!def) throw new Error("no catalog_search")
    const out = await def.handler(def.input.parse({ query }), { signal: new AbortController().signal, log: silentLogger, progress: async () => {} })
    def.output?.parse(out.structured)
    return out
  }

  test("finds a server by its tools, says so when nothing matches", async () => {
    const hit = await search("I want to read files")
    expect(hit.structured).toMatchObject({ count: 1, servers: [{ name: "filesystem" }] })
    expect(hit.text).toStartWith("- filesystem (Filesystem (Reference))")
    const none = await search("please help me with something")
    expect(none.structured).toEqual({ query: "please help me with something", count: 0, servers: [] })
    expect(none.text).toBe('No catalog server matches "please help me with something".')
  })
})

/** The samples as one raw legacy catalog (the fake's format): legacy tiles as they are, mcp-registry sources turned into tiles as docker/mcp-registry's tile.go does. */
function sampleCatalog(): string {
  const read = (f: string) => readFileSync(join(SAMPLES, f), "utf8")
  const registry: Record<string, unknown> = {}
  for (const f of ["legacy-catalog-minimal.custom-catalog.yaml", "legacy-catalog-remote-server.yaml", "legacy-catalog-with-config-secrets-env.yaml", "legacy-catalog-entry-playwright-full-fields.yaml"])
    Object.assign(registry, (parse(read(f)) as { registry: Record<string, unknown> }).registry)
  const tools: Record<string, unknown> = { "database-server": JSON.parse(read("toolsUrl-format.database-server.tools.json")) }
  for (const f of ["mcp-registry-src.database-server.server.yaml", "mcp-registry-src.github-official.server.yaml", "mcp-registry-src.notion-remote.server.yaml"]) {
    const src = parse(read(f)) as { name: string; type: string; image?: string; meta?: { category?: string; tags?: string[] }; about: { title: string; description: string; icon?: string }; config?: { secrets?: Array<{ name: string; env: string }>; parameters?: Record<string, unknown> }; remote?: unknown }
    registry[src.name] = {
      description: src.about.description,
      title: src.about.title,
      type: src.type === "remote" ? undefined : src.type,
      ...(src.image ? { image: src.image } : {}),
      icon: src.about.icon,
      ...(src.remote ? { remote: src.remote } : {}),
      ...(src.config?.secrets ? { secrets: src.config.secrets.map((s) => ({ name: s.name, env: s.env })) } : {}),
      ...(src.config?.parameters ? { config: [{ name: src.name, description: "", type: "object", ...src.config.parameters }] } : {}),
      ...(tools[src.name] ? { tools: tools[src.name] } : {}),
      metadata: { category: src.meta?.category, tags: src.meta?.tags },
    }
  }
  const fs = JSON.parse(read("mcp-registry-server.filesystem.json")) as { description: string; packages: Array<{ identifier: string; version: string }> }
  registry.filesystem = { description: fs.description, title: "Filesystem", type: "server", image: `${fs.packages[0]?.identifier}:${fs.packages[0]?.version}` }
  const file = join(dir, "catalog.yaml")
  writeFileSync(file, stringify({ version: 3, name: "docker-mcp", displayName: "Docker MCP Catalog", registry }))
  return file
}

/**
 * Held-out natural requests and the server a person reading the samples would pick (written before
 * the ranking was run on them; `[]`: nothing in the samples fits). Not tuned to: a miss is reported
 * by the count below, not fixed by editing this list.
 */
const HELD_OUT: Array<[string, string | null]> = [
  ["I need to run SQL queries against my Postgres database", "database-server"],
  ["list the tables in my database", "database-server"],
  ["describe a table's columns", "database-server"],
  ["connect to a MySQL or SQLite database", "database-server"],
  ["search the internet with DuckDuckGo", "duckduckgo"],
  ["automate my GitHub workflow", "github-official"],
  ["collaborate on a shared workspace", "notion-remote"],
  ["take notes and organize documentation for my team's projects", "notion-remote"],
  ["work with files on my disk", "filesystem"],
  ["book a flight to Paris", null],
  ["what's the weather like tomorrow", null],
]

describe.skipIf(!present)("held-out requests over the real recorded catalog data", () => {
  test("the expected server comes first (nothing for unrelated requests)", async () => {
    const f = present ? makeFakeDocker({ version: "v0.43.3", catalog: sampleCatalog() }) : fake
    try {
      const d = createToolkitDriver({ env: f.env, timeoutMs: 15_000 })
      expect((await d.catalogShow()).servers.map((s) => s.name)).toContain("database-server")
      const misses: string[] = []
      for (const [q, want] of HELD_OUT) {
        const got = (await d.catalogSearch(q, 5)).map((s) => s.name)
        if (want === null ? got.length !== 0 : got[0] !== want) misses.push(`${q} → ${JSON.stringify(got)} (wanted ${want ?? "nothing"})`)
      }
      // at most one miss of the eleven (threshold set with the list, before measuring)
      expect(misses.length, misses.join("\n")).toBeLessThanOrEqual(1)
      // the tools-only requests must be among the hits
      expect(misses.filter((m) => m.startsWith("list the tables") || m.startsWith("describe a table"))).toEqual([])
    } finally {
      if (f !== fake) f.cleanup()
    }
  })
})
