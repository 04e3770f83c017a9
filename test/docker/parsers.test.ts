/**
 * @module test/docker/parsers.test
 * Every parser against a fixture of every documented variant (test/fixtures/toolkit/), with the
 * exact normalized result; content-based era detection; the plugin override seam.
 */
import { describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ToolkitError } from "../../src/core/index.ts"
import { ParserRegistry, type ParseKind } from "../../src/docker/index.ts"

const DIR = join(import.meta.dir, "..", "fixtures", "toolkit")
const read = (f: string): string => readFileSync(join(DIR, f), "utf8")
const reg = new ParserRegistry()
const parse = (kind: ParseKind, f: string, era?: "legacy" | "profiles"): unknown => reg.parse(kind, read(f), era ? { era } : {})

describe("servers", () => {
  test("names only (≤ v0.26), no trailing newline", () => {
    expect(parse("servers", "servers.legacy-names.v0.26.json")).toEqual([{ name: "duckduckgo" }, { name: "github-official" }])
  })
  test("null when nothing is enabled", () => {
    expect(parse("servers", "servers.legacy-null.json")).toEqual([])
    expect(parse("servers", "servers.legacy-null.json", "profiles")).toEqual([])
  })
  test("objects (≥ v0.27) with optional policy, unknown fields dropped", () => {
    expect(parse("servers", "servers.legacy-objects.v0.38.json")).toEqual([
      { name: "duckduckgo", description: "Search & fetch", secrets: "none", config: "none", oauth: "none" },
      { name: "github-official", description: "Official GitHub MCP Server", secrets: "done", config: "partial", oauth: "required", policy: { allowed: false, reason: "blocked by org policy" } },
    ])
  })
  test("registry.yaml map", () => {
    expect(parse("servers", "servers.registry.yaml")).toEqual([{ name: "SQLite" }, { name: "youtube_transcript" }])
  })
  test("profiles era: every profile's servers, names from the snapshot, tools null vs []", () => {
    expect(parse("servers", "servers.profiles.v0.43.json")).toEqual([
      { name: "duckduckgo", profile: "dev", type: "image", image: "mcp/duckduckgo@sha256:68eb20db6109f5c312a695fc5ec3386ad15d93ffb765a0b4eb1baf4328dec14f", description: "DuckDuckGo search", tools: null },
      { name: "gitmcp", profile: "dev", type: "remote", image: "", tools: [] },
      { name: "time", profile: "ops", type: "registry", image: "mcp/time", tools: ["get_current_time"], policy: { allowed: false, error: "policy service unreachable" } },
    ])
  })
})

describe("catalog", () => {
  const duck = {
    name: "duckduckgo",
    type: "server",
    title: "DuckDuckGo",
    description: "Search & fetch <web>",
    image: "mcp/duckduckgo@sha256:68eb",
    tools: [
      {
        name: "search",
        description: "Search",
        inputSchema: { type: "object", properties: { query: { type: "string", description: "Query" }, max_results: { type: "number", description: "Max" } }, required: ["query"] },
      },
    ],
  }
  test("raw (≤ v0.37): all fields, compact, two trailing newlines", () => {
    const cat = parse("catalog", "catalog.legacy-raw.v0.37.json") as { name: string; title: string; servers: Array<Record<string, unknown>> }
    expect(cat.name).toBe("docker-mcp")
    expect(cat.title).toBe("Docker MCP Catalog")
    expect(cat.servers[0]).toEqual({ ...duck, readme: "https://desktop.docker.com/mcp/catalog/v3/readme/duckduckgo.md", category: "search", tags: ["search", "web"] })
    expect(cat.servers[1]).toEqual({
      name: "github-official",
      type: "server",
      title: "GitHub",
      image: "ghcr.io/github/github-mcp-server",
      secrets: [{ name: "github.personal_access_token", env: "GITHUB_PERSONAL_ACCESS_TOKEN" }],
      // which secret the OAuth sign-in stands for (missingSecrets reads it)
      oauth: [{ provider: "github", secret: "github.personal_access_token", env: "GITHUB_PERSONAL_ACCESS_TOKEN" }],
    })
  })
  test("typed (≥ v0.38): container/parameters stubs ignored, remote {} dropped, policy kept", () => {
    const cat = parse("catalog", "catalog.legacy-typed.v0.38.json") as { servers: Array<Record<string, unknown>> }
    expect(cat.servers[0]).toEqual({ ...duck, longLived: false, policy: { allowed: false, reason: "not approved" } })
    expect(cat.servers[1]).toEqual({ name: "gitmcp", type: "remote", remote: { url: "https://gitmcp.io/moby/moby", transportType: "http", headers: { Authorization: "Bearer ${GITMCP_TOKEN}" } } })
  })
  test("hand-written YAML: comments, flow style, folded scalars, remote without type", () => {
    const cat = parse("catalog", "catalog.legacy-handwritten.yaml") as { servers: Array<Record<string, unknown>> }
    expect(cat.servers[0]).toMatchObject({
      name: "my-mcp",
      description: "Server that runs my MCP code\n",
      secrets: [{ name: "my-mcp.SECRET_KEY", env: "SECRET_KEY" }],
      tools: [{ name: "run", inputSchema: { type: "object", properties: { cmd: { type: "string" } }, required: ["cmd"] } }],
    })
    expect(cat.servers[1]).toEqual({ name: "gitmcpmoby", type: "remote", remote: { url: "https://gitmcp.io/moby/moby", transportType: "http" } })
  })
  test("OCI catalog (profiles era): snapshot.server, names-only tool lists", () => {
    const cat = parse("catalog", "catalog.oci.v0.43.json") as Record<string, unknown> & { servers: Array<Record<string, unknown>> }
    expect(cat.ref).toBe("mcp/docker-mcp-catalog:latest")
    expect(cat.name).toBe("mcp/docker-mcp-catalog:latest")
    expect(cat.digest).toBe("sha256:5d3b5a1f")
    expect(cat.servers[0]).toEqual({
      name: "duckduckgo",
      type: "server",
      description: "DuckDuckGo search",
      image: "mcp/duckduckgo@sha256:68eb",
      category: "search",
      tags: ["search"],
      tools: [{ name: "search", inputSchema: { type: "object" } }, { name: "fetch_content", inputSchema: { type: "object" } }],
    })
    expect(cat.servers[1]).toMatchObject({ name: "gitmcp", type: "remote", remote: { transportType: "streamable-http" }, policy: { allowed: false } })
  })
})

describe("tools", () => {
  test("go-sdk shape (≥ v0.14): extra keys kept where modelled, _meta/icons dropped", () => {
    expect(parse("tools", "tools.go-sdk.v0.43.json")).toEqual([
      {
        name: "search",
        title: "DuckDuckGo search",
        description: "Search DuckDuckGo",
        inputSchema: { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", properties: { query: { type: "string" } }, required: ["query"], additionalProperties: false },
        outputSchema: { type: "object", properties: { results: { type: "array" } } },
        annotations: { title: "Search", readOnlyHint: true, openWorldHint: true },
      },
      { name: "mcp-find", inputSchema: { type: "object" } },
    ])
  })
  test("mcp-go shape (≤ v0.13)", () => {
    expect(parse("tools", "tools.mcp-go.v0.13.json")).toEqual([
      {
        name: "fetch",
        description: "Fetches a URL",
        inputSchema: { properties: { url: { description: "URL to fetch", type: "string" } }, required: ["url"], type: "object" },
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
      },
    ])
  })
  test("null → []", () => expect(parse("tools", "tools.null.json")).toEqual([]))
})

describe("inspect", () => {
  test("≤ v0.15: raw toolsUrl tools, no enabled flag", () => {
    expect(parse("inspect", "inspect.legacy-raw.v0.15.json")).toEqual({
      tools: [
        { name: "query_database", description: "Run a query", inputSchema: { type: "object", properties: { query: { type: "string", description: "Natural language query" } }, required: ["query"] } },
        { name: "list_tables", description: "List tables", inputSchema: { type: "object", properties: {} } },
      ],
      readme: "# Database server\n",
    })
  })
  test("≥ v0.16: enabled + policy, no trailing newline", () => {
    const r = parse("inspect", "inspect.legacy.v0.16.json") as { tools: Array<Record<string, unknown>>; readme: string }
    expect(r.tools.map((t) => [t.name, t.enabled])).toEqual([["search", true], ["fetch_content", false]])
    expect(r.tools[0]?.annotations).toEqual({ readOnlyHint: true })
    expect(r.tools[1]?.policy).toEqual({ allowed: false, reason: "tool blocked" })
    expect(r.readme).toBe("# DuckDuckGo\n\nSearch the web.")
  })
  test("dynamic tools (≥ v0.25): tools []", () => {
    expect(parse("inspect", "inspect.legacy-dynamic.v0.25.json")).toEqual({ tools: [], readme: "# Notion (remote)\n" })
  })
  test("profiles era (v0.36+): catalog entry with the catalog.Server under snapshot.server, tools not []", () => {
    expect(parse("inspect", "inspect.profiles.v0.43.json")).toEqual({
      name: "duckduckgo",
      description: "DuckDuckGo search",
      tools: [
        { name: "search", description: "Search", inputSchema: { type: "object", properties: { query: { type: "string", description: "Query" } }, required: ["query"] }, enabled: true },
        { name: "fetch_content", description: "Fetch a page", inputSchema: { type: "object", properties: { url: { type: "string", description: "URL" } }, required: ["url"] }, enabled: false },
      ],
      readme: "# DuckDuckGo\n",
      config: [{ name: "duckduckgo", type: "object", properties: { region: { type: "string" } } }],
    })
  })
  test("profiles era: the entry's own tools list is a filter of names (nil = all tools)", () => {
    const entry = JSON.parse(read("inspect.profiles.v0.43.json")) as Record<string, unknown>
    delete entry.tools
    const r = reg.parse("inspect", JSON.stringify(entry)) as { tools: Array<Record<string, unknown>> }
    expect(r.tools.map((t) => [t.name, t.enabled])).toEqual([["search", undefined], ["fetch_content", undefined]])
  })
  test("profiles era: Go's empty Parameters stub ({type: \"\", properties, required: null}) becomes valid JSON Schema", () => {
    const entry = JSON.parse(read("inspect.profiles.v0.43.json")) as { snapshot: { server: { tools: Array<Record<string, unknown>> } } }
    entry.snapshot.server.tools[0]!.parameters = { type: "", properties: { q: { type: "string", description: "" } }, required: null }
    const r = reg.parse("inspect", JSON.stringify(entry)) as { tools: Array<{ inputSchema: Record<string, unknown> }> }
    expect(r.tools[0]!.inputSchema).toEqual({ type: "object", properties: { q: { type: "string", description: "" } } })
  })
})

describe("secrets, profiles, profile, config, catalogs", () => {
  test("secrets", () => {
    expect(parse("secrets", "secrets.v0.39.json")).toEqual([{ name: "github.personal_access_token", provider: "docker-pass" }, { name: "github" }])
    expect(parse("secrets", "secrets.empty.json")).toEqual([])
  })
  test("profiles (v0.43: tools null vs [])", () => {
    expect(parse("profiles", "profiles.v0.43.json")).toEqual([
      {
        id: "default",
        name: "Default Profile",
        servers: [
          { name: "fetch", type: "image", tools: null, image: "mcp/fetch", catalogRef: "mcp/docker-mcp-catalog:latest", description: "Fetch" },
          { name: "filesystem", type: "image", tools: [], config: { paths: ["/home/me"] }, image: "mcp/filesystem" },
        ],
      },
      { id: "empty", name: "Empty", servers: [] },
    ])
  })
  test("profiles (v0.28: tools key absent = all tools; name from the reference when no snapshot)", () => {
    expect(parse("profiles", "profiles.v0.28.json")).toEqual([
      {
        id: "dev-tools",
        name: "dev-tools",
        servers: [
          { name: "github", type: "image", tools: null, image: "docker://mcp/github:latest" },
          { name: "slack", type: "registry", tools: null, source: "https://registry.modelcontextprotocol.io/v0/servers/71de5a2a/slack" },
        ],
      },
    ])
    expect(parse("profiles", "profiles.empty.json")).toEqual([])
  })
  test("profile JSON (catalogRef, clients ignored) and YAML (catalog_ref) agree", () => {
    const want = { id: "dev", name: "Dev", servers: [{ name: "gitmcp", type: "remote", tools: ["fetch_docs"], endpoint: "https://gitmcp.io/docs", catalogRef: "mcp/docker-mcp-catalog:latest" }] }
    expect(parse("profile", "profile.v0.43.json")).toEqual(want)
    expect(parse("profile", "profile.v0.43.yaml")).toEqual(want)
  })
  test("config: legacy config.yaml and profiles' flat map give the same shape", () => {
    expect(parse("config", "config.legacy.yaml")).toEqual({ filesystem: { paths: ["/Users/me"] }, dockerhub: { username: "me" }, "rust-mcp-filesystem": { allow_write: true } })
    expect(parse("config", "config.profiles.v0.43.json")).toEqual({ elasticsearch: { "auth.username": "elastic", url: "http://localhost:9200" }, filesystem: { paths: ["/Users/me"] } })
    expect(parse("config", "config.empty.yaml")).toEqual({})
  })
  test("catalogs: legacy map vs OCI list", () => {
    expect(parse("catalogs", "catalogs.legacy.json")).toEqual([
      { name: "docker-mcp", title: "Docker MCP Catalog", url: "https://desktop.docker.com/mcp/catalog/v3/catalog.yaml", lastUpdate: "2026-07-20T10:00:00Z" },
      { name: "my-catalog", title: "Mine" },
    ])
    expect(parse("catalogs", "catalogs.oci.v0.43.json")).toEqual([{ name: "mcp/docker-mcp-catalog:latest", title: "Docker MCP Catalog", digest: "sha256:5d3b5a1f" }])
    expect(reg.parse("catalogs", "[]")).toEqual([])
  })
})

describe("errors and overrides", () => {
  test("forcing the wrong era is an OUTPUT_UNPARSEABLE error, not a wrong result", () => {
    expect(() => parse("catalog", "catalog.oci.v0.43.json", "legacy")).toThrow(ToolkitError)
    // (a names-only server list is read in either era, as a newer CLI may print one: toolkit-named-lists.test.ts)
  })
  test("unparseable output names command, version, first 200 bytes and the plugin hint", () => {
    const text = `Tip: ${"x".repeat(400)}`
    try {
      reg.parse("servers", text, { version: "v0.99.0", command: "docker mcp server ls --json" })
      throw new Error("no throw")
    } catch (e) {
      const err = e as ToolkitError
      expect(err.code).toBe("OUTPUT_UNPARSEABLE")
      expect(err.message).toContain("docker mcp server ls --json")
      expect(err.message).toContain("v0.99.0")
      expect(err.details?.head).toBe(text.slice(0, 200))
      expect(err.remedy).toContain("parser plugin")
    }
  })
  test("an override handles a new format; its result is validated; undefined falls back", () => {
    const r = new ParserRegistry()
    const seen: unknown[] = []
    r.setOverride("servers", (text, ctx) => {
      seen.push(ctx)
      return text.startsWith("NAMES:") ? text.slice(6).split(",").map((name) => ({ name })) : undefined
    }, "plugin:csv-servers")
    expect(r.parse("servers", "NAMES:a,b", { version: "v0.50.0", era: "profiles", command: "docker mcp x" })).toEqual([{ name: "a" }, { name: "b" }])
    expect(seen[0]).toEqual({ version: "v0.50.0", era: "profiles", command: "docker mcp x" })
    expect(r.parse("servers", '["c"]')).toEqual([{ name: "c" }])
    r.setOverride("servers", () => [{ nom: "x" }], "plugin:broken")
    expect(() => r.parse("servers", "[]")).toThrow(/plugin:broken/)
    r.setOverride("servers", () => {
      throw new Error("boom")
    }, "plugin:thrower", "legacy")
    try {
      r.parse("servers", "[]", { era: "legacy" })
      throw new Error("no throw")
    } catch (e) {
      expect((e as ToolkitError).code).toBe("PARSER_OVERRIDE_INVALID")
      expect((e as ToolkitError).message).toContain("plugin:thrower")
    }
    r.clearOverride("servers", "legacy")
    r.clearOverride("servers")
    expect(r.parse("servers", "[]", { era: "legacy" })).toEqual([])
  })
})
