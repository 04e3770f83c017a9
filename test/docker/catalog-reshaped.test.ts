/**
 * @module test/docker/catalog-reshaped.test
 * A Toolkit CLI that prints its catalog reshaped at the top level (the fake docker's `setOutput`,
 * in each era): inside one key (`{"catalog": {…}}`), inside a newer CLI's envelope (`{"version": …,
 * "data": {…}}`), as a list of catalogs, or with a legacy `registry` printed as a list of named
 * tiles (`{"registry": {"servers": […]}}`). Expected: catalog_search's catalog reads as the servers
 * it holds, as lists wrapped in one key already did; a shape that cannot be read without a guess
 * (two catalogs side by side under different keys, catalogs of both formats in one list) is an
 * error naming the command, the CLI version and era, with a hint.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { ToolkitError } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

const fakes: FakeDocker[] = []
afterAll(() => fakes.forEach((f) => f.cleanup()))

const TILE = { title: "GitHub Official", description: "Tools for GitHub", image: "mcp/github@sha256:0123" }
const LEGACY = { version: 3, name: "docker-mcp", displayName: "Docker MCP Catalog", registry: { github: TILE, fetch: { title: "Fetch", image: "mcp/fetch" } } }
const OCI = {
  ref: "mcp/docker-mcp-catalog:latest",
  title: "Docker MCP Catalog",
  servers: [
    { type: "image", image: "mcp/github:latest", snapshot: { server: { name: "github", ...TILE } } },
    { type: "image", image: "mcp/fetch:latest", snapshot: { server: { name: "fetch", title: "Fetch" } } },
  ],
}

const ERAS = [
  { version: "v0.27.0", profiles: false, doc: LEGACY as Record<string, unknown>, other: { name: "mine", registry: { mine: { title: "Mine" }, github: { title: "not the first" } } } },
  { version: "v0.36.0", profiles: true, doc: OCI as Record<string, unknown>, other: { ref: "me/mine:1", servers: [{ type: "image", image: "me/mine:1", snapshot: { server: { name: "mine", title: "Mine" } } }] } },
  { version: "v0.43.3", profiles: true, doc: OCI as Record<string, unknown>, other: { ref: "me/mine:1", servers: [{ type: "image", image: "me/mine:1", snapshot: { server: { name: "mine", title: "Mine" } } }] } },
]

for (const era of ERAS) {
  describe(`a catalog reshaped at its top level (fake docker ${era.version})`, () => {
    /** The fake, with the command the driver reads the catalog with printing `stdout`. */
    async function withCatalog(stdout: string): Promise<{ f: FakeDocker; show: () => Promise<Array<Record<string, unknown>>> }> {
      const f = makeFakeDocker({ version: era.version, profiles: era.profiles })
      fakes.push(f)
      f.writeState({ pulled: true, migrated: true })
      // the command this era's driver reads the catalog with, as it ran it against the fake
      await createToolkitDriver({ env: f.env }).catalogShow()
      const argv = f.argvLog().find((a) => a[1] === "catalog" || a[1] === "catalog-next")
      expect(argv).toBeDefined()
      f.setOutput(argv!.slice(1, 3).join(" "), { stdout })
      return { f, show: async () => (await createToolkitDriver({ env: f.env }).catalogShow()).servers as Array<Record<string, unknown>> }
    }

    const shapes: Array<[string, unknown]> = [
      ["in one key", { catalog: era.doc }],
      ["in a newer CLI's envelope", { version: "2", kind: "Catalog", data: era.doc }],
      ["in an envelope two keys deep", { apiVersion: "v1", data: { catalog: era.doc } }],
      ["a list of one catalog", [era.doc]],
    ]
    for (const [what, value] of shapes) {
      test(`${what}: its servers are read`, async () => {
        const { show } = await withCatalog(JSON.stringify(value, null, 2) + "\n")
        const servers = await show()
        expect(servers.map((s) => s.name).sort()).toEqual(["fetch", "github"])
        expect(servers.find((s) => s.name === "github")?.title).toBe("GitHub Official")
      })
    }

    test("a list of catalogs: one catalog of all their servers, a name in two the first one's", async () => {
      const { show } = await withCatalog(JSON.stringify([era.doc, era.other]))
      const servers = await show()
      expect(servers.map((s) => s.name).sort()).toEqual(["fetch", "github", "mine"])
      expect(servers.find((s) => s.name === "github")?.title).toBe("GitHub Official")
    })

    test("two catalogs side by side under different keys: not guessed, the error names the command, version, era and what to do", async () => {
      const { show } = await withCatalog(JSON.stringify({ docker: era.doc, mine: era.other }))
      const err = await show().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(ToolkitError)
      const e = err as ToolkitError
      expect(e.code).toBe("OUTPUT_UNPARSEABLE")
      expect(e.message).toContain("docker mcp catalog")
      expect(e.message).toContain(era.version)
      expect(e.message).toContain(`${era.profiles ? "profiles" : "legacy"} era`)
      expect(e.message).toContain('"docker", "mine"')
      expect(e.remedy).toContain("parser plugin")
    })
  })
}

describe("a legacy registry printed as a list of named tiles (fake docker v0.27.0)", () => {
  for (const [what, registry] of [
    ["under one key", { servers: [{ name: "github", ...TILE }, { name: "fetch", title: "Fetch" }, { title: "no name" }] }],
    ["as a list", [{ name: "github", ...TILE }, { name: "fetch", title: "Fetch" }, { title: "no name" }]],
  ] as const) {
    test(`${what}: read by the entries' names, one without a name left out and said`, async () => {
      const f = makeFakeDocker({ version: "v0.27.0" })
      fakes.push(f)
      f.setOutput("catalog show", { stdout: JSON.stringify({ ...LEGACY, registry }) })
      const catalog = await createToolkitDriver({ env: f.env }).catalogShow()
      const servers = catalog.servers as Array<Record<string, unknown>>
      expect(servers.map((s) => s.name).sort()).toEqual(["fetch", "github"])
      expect(servers.find((s) => s.name === "github")?.title).toBe("GitHub Official")
      expect(catalog.leftOut).toMatchObject({ command: "docker mcp catalog show --format json -- docker-mcp", version: "v0.27.0", era: "legacy", count: 1 })
      expect(catalog.leftOut?.entries[0]).toContain("no name")
    })
  }
})
