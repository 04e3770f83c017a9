/**
 * @module test/docker/wrapped-documents.test
 * Single-document commands (`profile show`, `server inspect` / `catalog server inspect`, `profile
 * config --get-all`) printing their document wrapped, as catalogs already are read: under one key
 * (`{"profile": {…}}`, `{"data": {…}}`) or as a list of one (`[{…}]`). The one document inside is
 * read; several, or an ambiguous wrapper, are an error naming the command and version.
 */
import { describe, expect, test } from "bun:test"
import { ToolkitError } from "../../src/core/index.ts"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

const PROFILE = { version: 1, id: "default", name: "Default", servers: [{ type: "image", image: "mcp/fetch@sha256:abc", tools: null, snapshot: { server: { name: "fetch", description: "Fetch URLs" } } }] }
const wraps = (doc: unknown): Array<[string, unknown]> => [
  ["one key", { profile: doc }],
  ["data envelope", { apiVersion: "v1", data: doc }],
  ["two levels", { data: { item: doc } }],
  ["a list of one", [doc]],
]

describe("wrapped single documents", () => {
  for (const [what, shape] of wraps(PROFILE)) {
    test(`profile show: ${what}`, async () => {
      const f = fake({ version: "v0.43.3" })
      f.setOutput("profile show", { stdout: JSON.stringify(shape, null, 2) })
      const p = await createToolkitDriver({ env: f.env }).profileShow()
      expect({ id: p.id, servers: p.servers.map((s) => s.name) }).toEqual({ id: "default", servers: ["fetch"] })
    }, 30_000)
  }

  test("profile show: a list of two profiles is an error naming the command and version", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile show", { stdout: JSON.stringify([PROFILE, { ...PROFILE, id: "other" }]) })
    const err = (await createToolkitDriver({ env: f.env }).profileShow().catch((e: unknown) => e)) as ToolkitError
    expect(err).toBeInstanceOf(ToolkitError)
    expect(err.code).toBe("OUTPUT_UNPARSEABLE")
    expect(err.message).toContain("docker mcp profile show")
    expect(err.message).toContain("v0.43.3")
    expect(err.message).toContain("a list of 2 profile documents")
  }, 30_000)

  const LEGACY_INSPECT = { tools: [{ name: "fetch", description: "Fetch a URL", arguments: [{ name: "url", type: "string", desc: "the URL" }], enabled: true }], readme: "# Fetch" }
  for (const [what, shape] of wraps(LEGACY_INSPECT)) {
    test(`legacy server inspect: ${what}`, async () => {
      const f = fake({ version: "v0.24.0" })
      f.setOutput("server inspect", { stdout: JSON.stringify(shape) })
      const i = await createToolkitDriver({ env: f.env }).serverInspect("fetch")
      expect({ tools: i.tools.map((t) => t.name), readme: i.readme }).toEqual({ tools: ["fetch"], readme: "# Fetch" })
    }, 30_000)
  }

  const ENTRY = { type: "image", image: "mcp/fetch@sha256:abc", snapshot: { server: { name: "fetch", description: "Fetch URLs", tools: [{ name: "fetch", description: "Fetch a URL" }] } }, readmeContent: "# Fetch" }
  for (const [what, shape] of wraps(ENTRY)) {
    test(`catalog server inspect (profiles era): ${what}`, async () => {
      const f = fake({ version: "v0.43.3" })
      f.setOutput("catalog server inspect", { stdout: JSON.stringify(shape) })
      const i = await createToolkitDriver({ env: f.env }).serverInspect("fetch")
      expect({ name: i.name, tools: i.tools.map((t) => t.name), readme: i.readme }).toEqual({ name: "fetch", tools: ["fetch"], readme: "# Fetch" })
    }, 30_000)
  }

  for (const [what, shape] of wraps({ "filesystem.paths": ["/srv"], "postgres.url": "postgres://db/app" })) {
    if (what === "a list of one") continue
    test(`profile config --get-all: ${what}`, async () => {
      const f = fake({ version: "v0.43.3" })
      f.setOutput("profile config", { stdout: JSON.stringify(shape) })
      expect(await createToolkitDriver({ env: f.env }).configGet()).toEqual({ filesystem: { paths: ["/srv"] }, postgres: { url: "postgres://db/app" } })
    }, 30_000)
  }
})
