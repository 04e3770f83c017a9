/**
 * @module test/docker/toolkit-named-lists.test
 * A newer Toolkit CLI may print any list command's entries in another shape than the documented
 * one (the fake's `list-flat`, `list-names`, `list-lines`, `list-keyed`): a profile's servers as one
 * flat list, names only (JSON or one per line), catalog servers keyed by name. Each is read, for
 * every list command, as the same entries the documented output gives (one normaliser,
 * parsers/named-list.ts), in both profiles generations (B: v0.38 with the flag on; C: v0.43.3).
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

const STATE = {
  pulled: true,
  migrated: true,
  secrets: [{ name: "github.personal_access_token", provider: "docker-desktop-store" }, { name: "brave.api_key" }],
  profiles: { default: { id: "default", name: "default", servers: [{ name: "duckduckgo", config: {}, tools: null }, { name: "github-official", config: {}, tools: null }] } },
}

async function reads(version: string, fail?: string) {
  const f = fake({ version, profiles: true, ...(fail ? { fail } : {}) })
  f.writeState({ enabled: [], configYaml: "", ...STATE })
  const d = createToolkitDriver({ env: f.env })
  const cat = await d.catalogShow()
  return {
    servers: (await d.serversList()).map((s) => s.name).sort(),
    catalog: cat.servers.map((s) => s.name).sort(),
    descriptions: Object.fromEntries(cat.servers.map((s) => [s.name, s.description])),
    secrets: (await d.secretsList()).map((s) => s.name).sort(),
    catalogs: (await d.catalogsList()).map((c) => c.name),
  }
}

for (const version of ["v0.38.0", "v0.43.3"]) {
  describe(`list shapes of a newer CLI (${version}, profiles era)`, () => {
    let want: Awaited<ReturnType<typeof reads>>
    test("the documented output (reference)", async () => {
      want = await reads(version)
      expect(want.servers).toEqual(["duckduckgo", "github-official"])
      expect(want.catalog.length).toBeGreaterThan(3)
      expect(want.secrets).toEqual(["brave.api_key", "github.personal_access_token"])
      expect(want.catalogs).toEqual(["mcp/docker-mcp-catalog:latest"])
    })
    for (const shape of ["flat", "names", "lines", "keyed"]) {
      test(`list-${shape}: every list command reads the same entries`, async () => {
        const got = await reads(version, `list-${shape}`)
        expect(got.servers).toEqual(want.servers)
        expect(got.catalog).toEqual(want.catalog)
        expect(got.secrets).toEqual(want.secrets)
        expect(got.catalogs).toEqual(want.catalogs)
        // shapes that carry the entries keep what they say (names alone have no description)
        if (shape === "flat" || shape === "keyed") expect(got.descriptions).toEqual(want.descriptions)
      })
    }
  })
}

describe("names alone are not entries where they would mislead", () => {
  test("a tool list of names only stays unreadable (a tool without its schema would be offered as taking no arguments)", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("tools ls", { stdout: '["search","fetch"]\n' })
    const err = await createToolkitDriver({ env: f.env }).toolsList().catch((e: unknown) => e)
    expect((err as { code?: string }).code).toBe("OUTPUT_UNPARSEABLE")
  })
  test("a line of prose or a failure word on stdout is no list of names", async () => {
    const f = fake({ version: "v0.43.3" })
    for (const stdout of ["error\n", "Something went wrong\n", "NAME  DESCRIPTION\ngithub  GitHub\n"]) {
      f.setOutput("secret ls", { stdout })
      const err = await createToolkitDriver({ env: f.env }).secretsList().catch((e: unknown) => e)
      expect((err as { code?: string }).code).toBe("OUTPUT_UNPARSEABLE")
    }
  })
})
