/**
 * @module test/docker/changed-field-types.test
 * A new Toolkit release changes the type of a field the driver reads, or prints a field beside the
 * data: `tools` as a map where a list of names was (a profile's server, an inspected server's
 * snapshot), a top-level key in `profile config --get-all` that is not `server.key`. Expected: the
 * rest is read, and what was not is said (the partial note and the warning naming the command and
 * version), never the whole answer unreadable nor an empty tool list passed off as complete.
 */
import { describe, expect, test } from "bun:test"
import { createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { createToolkitDriver, partialOf } from "../../src/docker/index.ts"
import { fakeDockers, type FakeDocker } from "./fake.ts"

const fake = fakeDockers()

function driver(f: FakeDocker) {
  const records: LogRecord[] = []
  const hub = createLogHub("debug", () => {})
  hub.sinks.add((r) => records.push(r))
  const d = createToolkitDriver({ env: f.env, log: createLogger(hub) })
  const partly = () => records.filter((r) => r.level === "warn" && r.msg.includes("only partly read"))
  return { d, partly }
}

describe("a field of another type in a new release", () => {
  test("a profile server's `tools` as a map: the server is listed, the field said not read", async () => {
    const f = fake({ version: "v0.43.3" })
    const out = [{ id: "default", servers: [{ type: "image", image: "mcp/duckduckgo@sha256:abc", tools: { search: { enabled: true } }, snapshot: { server: { name: "duckduckgo", description: "Web search" } } }] }]
    f.setOutput("profile server ls", { stdout: JSON.stringify(out) })
    const { d, partly } = driver(f)
    const servers = await d.serversList()
    expect(servers.map((s) => s.name)).toEqual(["duckduckgo"])
    expect(JSON.stringify(partialOf(servers)?.entries)).toContain('\\"tools\\" (an object)')
    expect(partly()).toHaveLength(1)
    expect(partly()[0]?.version).toBe("v0.43.3")
  })

  test("an inspected server's tools as a count: readme and description read, the tools said not read (not an empty list passed as complete)", async () => {
    const f = fake({ version: "v0.43.3" })
    const out = { type: "image", image: "mcp/duckduckgo@sha256:abc", snapshot: { server: { name: "duckduckgo", description: "Web search", tools: 3 } }, readmeContent: "# DuckDuckGo" }
    f.setOutput("catalog server inspect", { stdout: JSON.stringify(out) })
    const info = await driver(f).d.serverInspect("duckduckgo")
    expect(info.readme).toBe("# DuckDuckGo")
    expect(info.description).toBe("Web search")
    expect(info.leftOut?.command).toContain("docker mcp catalog server inspect")
    expect(info.tools).toEqual([])
    expect(JSON.stringify(info.leftOut?.entries)).toContain('\\"tools\\" (a number)')
  })

  test("`profile config --get-all` with a key beside the config: the config read, that key said left out", async () => {
    const f = fake({ version: "v0.43.3" })
    await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
    f.setOutput("profile config", { stdout: JSON.stringify({ "duckduckgo.region": "de-de", schemaVersion: 2 }) })
    const { d, partly } = driver(f)
    expect(await d.configGet()).toEqual({ duckduckgo: { region: "de-de" } })
    expect(JSON.stringify(partly()[0]?.first)).toContain("schemaVersion")
  })

  test("`profile config --get-all` none of whose keys is server.key stays unreadable", async () => {
    const f = fake({ version: "v0.43.3" })
    await createToolkitDriver({ env: f.env }).serverEnable("duckduckgo")
    f.setOutput("profile config", { stdout: JSON.stringify({ schemaVersion: 2, kind: "config" }) })
    const err = await driver(f).d.configGet().then(() => undefined, (e: { code?: string }) => e)
    expect(err?.code).toBe("OUTPUT_UNPARSEABLE")
  })
})
