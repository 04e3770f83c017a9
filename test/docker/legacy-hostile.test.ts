/**
 * @module test/docker/legacy-hostile.test
 * Legacy-era (v0.24.0) commands given output a new or broken release could print: `server inspect`
 * (JSON without a format flag) printing nothing while stderr says why, its `tools` of another type,
 * and `catalog ls` with a value beside the catalogs that is no catalog. Expected: OUTPUT_EMPTY quoting
 * stderr (not "cannot parse \"\""), and partial answers that say what they left out.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver, partialOf } from "../../src/docker/index.ts"
import { toolkitFailure } from "../helpers/failure.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()

describe("legacy commands, hostile output", () => {
  test("`server inspect` prints nothing, exit 0, the reason on stderr: OUTPUT_EMPTY quoting it", async () => {
    const f = fake({ version: "v0.24.0" })
    f.setOutput("server inspect", { stdout: "", stderr: "Error: reading catalog: open /home/me/.docker/mcp/catalogs/docker-mcp.yaml: permission denied\n" })
    const err = await toolkitFailure(createToolkitDriver({ env: f.env }).serverInspect("duckduckgo"))
    expect(err.code).toBe("OUTPUT_EMPTY")
    expect(err.message).toContain("docker mcp server inspect")
    expect(err.message).toContain("v0.24.0")
    expect(err.message).toContain("permission denied")
  })

  test("`server inspect` whose tools are a count: the readme read, the tools said not read", async () => {
    const f = fake({ version: "v0.24.0" })
    f.setOutput("server inspect", { stdout: JSON.stringify({ tools: 3, readme: "# DuckDuckGo" }) })
    const info = await createToolkitDriver({ env: f.env }).serverInspect("duckduckgo")
    expect(info.readme).toBe("# DuckDuckGo")
    expect(info.tools).toEqual([])
    expect(JSON.stringify(info.leftOut?.entries)).toContain('\\"tools\\" (a number)')
  })

  test("`catalog ls` with a value beside the catalogs: the catalogs listed, that value said left out", async () => {
    const f = fake({ version: "v0.24.0" })
    f.setOutput("catalog ls", { stdout: JSON.stringify({ catalogs: { "docker-mcp": { displayName: "Docker MCP Catalog", url: "https://desktop.docker.com/mcp/catalog/v3/catalog.yaml" }, schema: 3 } }) })
    const catalogs = await createToolkitDriver({ env: f.env }).catalogsList()
    expect(catalogs.map((c) => c.name)).toEqual(["docker-mcp"])
    expect(JSON.stringify(partialOf(catalogs)?.entries)).toContain("schema")
  })
})
