/**
 * @module test/docker/catalog-fast
 * Large catalogs (the MCP registry: ~18 000 servers) are read with hand-written per-entry readers
 * and checks instead of zod per entry, in steps that `ParserRegistry.parseAsync` interleaves with
 * the event loop (before, one such parse held the main thread, and so the MCP requests on stdio,
 * for 0.4–1.2 s on this machine, 1–3 s on a busy one).
 *
 * 1. The event loop gets turns while a large catalog is parsed (fails on the old code: none).
 * 2. The fast path gives exactly what the zod shapes gave, and the same error messages: every
 *    catalog fixture and sample, large generated catalogs, and entries with every forgiving field
 *    of a wrong type (which must fall back to the zod shape per entry).
 */
import { describe, expect, test } from "bun:test"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { CatalogSchema } from "../../src/docker/types.ts"
import { ParserRegistry } from "../../src/docker/index.ts"
import { catalogParser } from "../../src/docker/parsers/catalog.ts"
import { decodeText } from "../../src/docker/parsers/common.ts"

const FIXTURES = join(import.meta.dir, "..", "fixtures", "toolkit")
const SAMPLES = "/work/shared/toolkit-samples"
type Era = "legacy" | "profiles"

function legacyTile(i: number): Record<string, unknown> {
  return {
    description: `Server ${i} <web> & more`,
    title: `Server ${i}`,
    type: "server",
    image: `mcp/server-${i}@sha256:68eb${i}`,
    remote: {},
    longLived: false,
    readme: `https://example.com/${i}/README.md`,
    secrets: [{ name: `server-${i}.token`, env: "TOKEN" }],
    config: [{ name: `server-${i}`, type: "object", properties: { path: { type: "string" } } }],
    metadata: { category: "devtools", tags: ["a", "b"] },
    tools: [
      { name: "search", description: "Search", arguments: [{ name: "query", type: "string", desc: "Query" }, { name: "max", type: "number", optional: true }], container: { image: "", command: null }, parameters: { type: "", properties: null } },
      { name: "fetch", inputSchema: { type: "object", properties: { url: { type: "string" } } }, policy: { allowed: false, reason: "no", extra: 1 } },
    ],
  }
}

function legacyCatalog(n: number, patch?: (tiles: Record<string, unknown>) => void): string {
  const registry: Record<string, unknown> = {}
  for (let i = 0; i < n; i++) registry[`server-${i}`] = legacyTile(i)
  patch?.(registry)
  return JSON.stringify({ name: "docker-mcp", displayName: "Docker MCP Catalog", registry })
}

function ociCatalog(n: number, patch?: (servers: Record<string, unknown>[]) => void): string {
  const servers: Record<string, unknown>[] = []
  for (let i = 0; i < n; i++) {
    servers.push({ type: "image", tools: ["search"], image: `mcp/server-${i}@sha256:68eb`, snapshot: { server: { ...legacyTile(i), name: `server-${i}`, image: "" } } })
  }
  patch?.(servers)
  return JSON.stringify({ ref: "mcp/docker-mcp-catalog:latest", title: "Docker MCP Catalog", servers, digest: "sha256:5d3b" })
}

/** What the zod shapes alone give (the code before the fast path): a value, or the error's reason. */
function reference(text: string, era: Era): { value: unknown } | { error: string } {
  try {
    const out = CatalogSchema.safeParse(catalogParser.zod![era](decodeText(text)))
    if (!out.success) return { error: `${out.error.issues[0]?.path.join(".") || "(root)"}: ${out.error.issues[0]?.message}` }
    return { value: out.data }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

function expectSameAsZod(text: string, era: Era): void {
  const ref = reference(text, era)
  const reg = new ParserRegistry()
  if ("value" in ref) {
    // JSON: what leaves the process (keys holding undefined are not part of the value)
    expect(JSON.parse(JSON.stringify(reg.parse("catalog", text, { era })))).toEqual(JSON.parse(JSON.stringify(ref.value)))
  } else {
    expect(() => reg.parse("catalog", text, { era })).toThrow(`: ${ref.error}. First 200 bytes:`)
  }
}

describe("a large catalog does not hold the event loop", () => {
  for (const [era, text] of [
    ["legacy", legacyCatalog(18_000)],
    ["profiles", ociCatalog(18_000)],
  ] as const) {
    test(`${era}: 18 000 servers, parseAsync gives the event loop turns while it reads them`, async () => {
      let turns = 0
      let parsing = true
      const beat = (): void => {
        if (!parsing) return
        turns++
        setImmediate(beat)
      }
      setImmediate(beat)
      const catalog = await new ParserRegistry().parseAsync("catalog", text, { era })
      parsing = false
      expect(catalog.servers).toHaveLength(18_000)
      expect(catalog.servers[17_999]?.name).toBe("server-17999")
      // a request on stdin gets a turn at least every CATALOG_STEP (500) entries
      expect(turns).toBeGreaterThanOrEqual(18_000 / 500)
    }, 60_000)
  }
})

describe("the fast path gives what the zod shapes gave", () => {
  test("every catalog fixture and Toolkit sample", () => {
    const files = [
      ...readdirSync(FIXTURES).filter((f) => f.startsWith("catalog.")).map((f) => join(FIXTURES, f)),
      ...(existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((f) => f.includes("catalog")).map((f) => join(SAMPLES, f)) : []),
    ]
    expect(files.length).toBeGreaterThanOrEqual(4)
    for (const f of files) {
      const text = readFileSync(f, "utf8")
      for (const era of ["legacy", "profiles"] as const) expectSameAsZod(text, era)
    }
  })

  test("generated catalogs, both eras", () => {
    expectSameAsZod(legacyCatalog(300), "legacy")
    expectSameAsZod(ociCatalog(300), "profiles")
  })

  // each forgiving field of a wrong type (the zod shape drops it: the entry falls back to it), and
  // each tool or entry the driver cannot read (left out, or the entry kept by its name: noted, the
  // rest of the catalog read)
  const BAD: Array<[string, (t: Record<string, unknown>) => void]> = [
    ["null tile", () => {}],
    ["title: 1", (t) => (t.title = 1)],
    ["description: null", (t) => (t.description = null)],
    ["longLived: 'yes'", (t) => (t.longLived = "yes")],
    ["remote: []", (t) => (t.remote = [])],
    ["remote.url: 1", (t) => (t.remote = { url: 1 })],
    ["remote.headers: {a: 1}", (t) => (t.remote = { url: "https://x", headers: { a: 1 } })],
    ["remote: null", (t) => (t.remote = null)],
    ["secrets: [{}]", (t) => (t.secrets = [{}])],
    ["secrets: null", (t) => (t.secrets = null)],
    ["secrets[0].env: 1", (t) => (t.secrets = [{ name: "a", env: 1 }])],
    ["config: [1]", (t) => (t.config = [1])],
    ["config: null", (t) => (t.config = null)],
    ["metadata: 'x'", (t) => (t.metadata = "x")],
    ["metadata.tags: [1]", (t) => (t.metadata = { tags: [1] })],
    ["metadata: {tags: null, category: null}", (t) => (t.metadata = { tags: null, category: null })],
    ["policy: {allowed: 'no'}", (t) => (t.policy = { allowed: "no" })],
    ["policy with extra keys", (t) => (t.policy = { allowed: true, reason: "r", x: 1 })],
    ["tools: null", (t) => (t.tools = null)],
    ["tools: 'x' (kept by its name, noted)", (t) => (t.tools = "x")],
    ["tools[0]: 1 (tool left out, noted)", (t) => (t.tools = [1])],
    ["tools[0].name missing (tool left out, noted)", (t) => (t.tools = [{ description: "d" }])],
    ["tools[0].name '' (tool left out, noted)", (t) => (t.tools = [{ name: "" }])],
    ["tools[0].inputSchema: 1 (tool left out, noted)", (t) => (t.tools = [{ name: "a", inputSchema: 1 }])],
    ["tools[0].description: null", (t) => (t.tools = [{ name: "a", description: null }])],
    ["tools[0].arguments: [{}]", (t) => (t.tools = [{ name: "a", arguments: [{}] }])],
    ["tools[0].arguments[0].optional: 'y'", (t) => (t.tools = [{ name: "a", arguments: [{ name: "x", optional: "y" }] }])],
    ["tools[0].parameters with properties", (t) => (t.tools = [{ name: "a", parameters: { type: "", properties: { q: { type: "string" } }, required: null } }])],
    ["tools[0].enabled: 1", (t) => (t.tools = [{ name: "a", enabled: 1 }])],
    ["tools[0].policy: 1", (t) => (t.tools = [{ name: "a", policy: 1 }])],
    ["tools[0].annotations: []", (t) => (t.tools = [{ name: "a", annotations: [] }])],
  ]
  for (const [what, mutate] of BAD) {
    test(`legacy: an entry with ${what}`, () => {
      expectSameAsZod(
        legacyCatalog(3, (r) => {
          if (what === "null tile") r["server-1"] = null
          else mutate(r["server-1"] as Record<string, unknown>)
        }),
        "legacy",
      )
    })
    test(`profiles: a snapshot with ${what}`, () => {
      expectSameAsZod(
        ociCatalog(3, (s) => {
          const snap = (s[1]!.snapshot as { server: Record<string, unknown> | null })
          if (what === "null tile") snap.server = null
          else mutate(snap.server!)
        }),
        "profiles",
      )
    })
  }

  const DOCS: Array<[string, Era, string]> = [
    ["registry: 'x' (error)", "legacy", JSON.stringify({ registry: "x" })],
    ["registry: null", "legacy", JSON.stringify({ name: 1, registry: null, policy: { allowed: 1 } })],
    ["a tile that is a string (error)", "legacy", JSON.stringify({ registry: { a: "x" } })],
    ["an empty server name (error)", "legacy", JSON.stringify({ registry: { "": {} } })],
    ["servers: null", "profiles", JSON.stringify({ ref: "r", servers: null })],
    ["servers: {} (error)", "profiles", JSON.stringify({ servers: {} })],
    ["an entry that is a number (error)", "profiles", JSON.stringify({ servers: [1] })],
    ["an entry with tools: [1]", "profiles", JSON.stringify({ servers: [{ image: "mcp/a", tools: [1] }] })],
    ["an entry with tools of names and objects", "profiles", JSON.stringify({ servers: [{ image: "mcp/a", tools: ["x", { name: "y" }] }] })],
    ["an entry with snapshot: 'x'", "profiles", JSON.stringify({ servers: [{ image: "mcp/a", snapshot: "x" }] })],
    ["an entry with a bad tool in its snapshot", "profiles", JSON.stringify({ servers: [{ image: "mcp/a", snapshot: { server: { name: "b", tools: [{}] } } }] })],
    ["an entry without a name", "profiles", JSON.stringify({ servers: [{ type: "image" }] })],
    ["an entry with type: 1, policy: 'x'", "profiles", JSON.stringify({ servers: [{ image: "mcp/a", type: 1, policy: "x" }] })],
  ]
  for (const [what, era, text] of DOCS) {
    test(`${era}: a document with ${what}`, () => expectSameAsZod(text, era))
  }
})
