/**
 * @module test/docker/profile-lines.test
 * `profile server ls --filter=profile=ID` answered with every profile, one JSON object per line
 * (JSON Lines), or a list naming a server twice. Expected: the driver's profile's servers, each
 * once; another profile's servers are not reported (nor heard by onServersListed) as enabled.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { fakeDockers } from "./fake.ts"

const fake = fakeDockers()
const server = (n: string) => ({ type: "image", image: `mcp/${n}@sha256:abc`, snapshot: { server: { name: n, description: `${n} server` } } })
const twoProfiles = `${JSON.stringify({ id: "default", name: "Default", servers: [server("duckduckgo"), server("github")] })}\n${JSON.stringify({ id: "dev", name: "Dev", servers: [server("duckduckgo"), server("slack")] })}\n`

describe("a server list holding other profiles or a name twice", () => {
  test("JSON Lines of two profiles: only the driver's profile, each server once", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile server ls", { stdout: twoProfiles })
    const heard: string[][] = []
    const d = createToolkitDriver({ env: f.env })
    d.onServersListed?.((names) => heard.push(names))
    expect((await d.serversList()).map((s) => s.name)).toEqual(["duckduckgo", "github"])
    expect(heard).toEqual([["duckduckgo", "github"]])
  })

  test("the other profile, when it is the one configured", async () => {
    const f = fake({ version: "v0.43.3" })
    f.setOutput("profile server ls", { stdout: twoProfiles })
    const servers = await createToolkitDriver({ env: f.env, profile: "dev" }).serversList()
    expect(servers.map((s) => `${s.profile}/${s.name}`)).toEqual(["dev/duckduckgo", "dev/slack"])
  })

  test("legacy `server ls --json` naming a server twice lists it once", async () => {
    const f = fake({ version: "v0.24.0" })
    f.setOutput("server ls", { stdout: '{"name":"duckduckgo"}\n{"name":"github"}\n{"name":"duckduckgo"}\n' })
    expect((await createToolkitDriver({ env: f.env }).serversList()).map((s) => s.name)).toEqual(["duckduckgo", "github"])
  })
})
