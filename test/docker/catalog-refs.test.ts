/**
 * @module test/docker/catalog-refs.test
 * Catalog names each CLI era takes (toolkit.md §2): the legacy era names catalogs (`docker-mcp`),
 * the profiles era takes OCI references, in every form docker reads (`docker.io/…:tag`, a registry
 * with a port, a digest). Expected: Docker's catalog is reached under either era's name; a valid
 * reference reaches the CLI (its own answer, e.g. "not found", comes back); a malformed one, or a
 * reference given to the legacy era, is INVALID_NAME saying why, and nothing is run.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()
const shows = (argv: string[][]): string[][] => argv.filter((a) => a[1] === "catalog" && a[2] === "show")
const DIGEST = `sha256:${"a".repeat(64)}`

describe("profiles era (v0.43.3): OCI references", () => {
  test("Docker's catalog under its other names (docker.io/…:latest, the legacy docker-mcp) is read", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    for (const name of ["docker.io/mcp/docker-mcp-catalog:latest", "docker-mcp", "index.docker.io/mcp/docker-mcp-catalog"]) {
      const cat = await d.catalogShow(name)
      expect(cat.servers.some((s) => s.name === "duckduckgo")).toBe(true)
    }
    // the legacy name went to the CLI as Docker's OCI reference
    expect(shows(f.argvLog()).map((a) => a.at(-1))).toEqual(["docker.io/mcp/docker-mcp-catalog:latest", "mcp/docker-mcp-catalog", "index.docker.io/mcp/docker-mcp-catalog"])
  })

  test("a valid reference the CLI does not have (a registry with a port, a digest) reaches it: its not-found comes back", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    for (const name of ["localhost:5000/team/catalog:v1", `registry.example.com/team/catalog@${DIGEST}`, `team/catalog:v2@${DIGEST}`]) {
      const err = await toolkitFailure(d.catalogShow(name))
      expect(err.code).toBe("UNKNOWN_CATALOG")
    }
    expect(shows(f.argvLog()).length).toBe(3)
  })

  test("a malformed reference is INVALID_NAME saying why; nothing is run", async () => {
    const f = fake({ version: "v0.43.3" })
    const d = createToolkitDriver({ env: f.env })
    const cases: Array<[string, string]> = [
      ["mcp//catalog", "empty path component"],
      ["mcp/Docker-Catalog", "lowercase"],
      ["mcp/catalog@sha256:abc", "digest"],
      ["--pull=always", "dash"],
      ["mcp/catalog tag", "white space"],
      ["x".repeat(300), "characters long"],
      ["mcp/catalog/", "empty path component"],
    ]
    for (const [name, why] of cases) {
      const err = await toolkitFailure(d.catalogShow(name))
      expect(err.code).toBe("INVALID_NAME")
      expect(err.message).toContain(why)
      expect(err.message).toContain("nothing was run")
      expect(err.remedy).toContain("OCI reference")
    }
    expect(shows(f.argvLog())).toEqual([])
  })
})

describe("legacy era (v0.24.0): catalog names", () => {
  test("Docker's catalog under its OCI reference is read as docker-mcp", async () => {
    const f = fake({ version: "v0.24.0" })
    const d = createToolkitDriver({ env: f.env })
    for (const name of ["mcp/docker-mcp-catalog", "docker.io/mcp/docker-mcp-catalog:latest", "docker-mcp"]) expect((await d.catalogShow(name)).servers.length).toBeGreaterThan(0)
    expect(shows(f.argvLog()).map((a) => a.at(-1))).toEqual(["docker-mcp", "docker-mcp", "docker-mcp"])
  })

  test("another OCI reference is refused naming the era and what it reads instead; nothing is run", async () => {
    const f = fake({ version: "v0.24.0" })
    const d = createToolkitDriver({ env: f.env })
    const err = await toolkitFailure(d.catalogShow("docker.io/team/catalog:v1"))
    expect(err.code).toBe("INVALID_NAME")
    expect(err.message).toContain("OCI reference")
    expect(err.message).toContain("v0.24.0")
    expect(err.message).toContain("legacy era")
    expect(err.remedy).toContain("docker mcp catalog ls")
    expect(shows(f.argvLog())).toEqual([])
  })

  test("a legacy catalog name the CLI does not have reaches it (its own not-found)", async () => {
    const f = fake({ version: "v0.24.0" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).catalogShow("my-team"))
    expect(err.code).toBe("UNKNOWN_CATALOG")
    expect(shows(f.argvLog()).length).toBe(1)
  })
})
