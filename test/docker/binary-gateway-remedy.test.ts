/**
 * @module test/docker/binary-gateway-remedy.test
 * The Docker MCP gateway is not in the user's config: when it fails to start, or was stopped, the
 * remedy the model is given says what to do about the Toolkit (from the docker error's class:
 * disable one of two servers whose tools collide, start Docker…; enable a server again), never the
 * pool's "check the server's command and environment in the config" nor "add the server back to
 * the config". A name not in the catalog (a typo) is refused before the profiles-era CLI creates
 * the profile for it, with the name meant. Through the compiled binary and the fake docker, whose `gateway run` fails as the
 * real one does (docs/toolkit.md §5.5, §6).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

type Result = { isError?: boolean; content: Array<{ type: string; text?: string }> }
const text = (r: Result): string => r.content.map((c) => c.text ?? "").join("\n")
const CONFIG_REMEDY = /in the config|to the config/

const fakes: FakeDocker[] = []
const conns: Connected[] = []
afterAll(async () => {
  for (const c of conns) await c.close()
  for (const f of fakes) f.cleanup()
})

type Call = ((name: string, args?: Record<string, unknown>) => Promise<Result>) & { fake: FakeDocker }

async function start(version: string, fail?: string): Promise<Call> {
  await ensureBuilt()
  const fake = makeFakeDocker({ version, ...(fail ? { fail } : {}) })
  fakes.push(fake)
  const c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
  conns.push(c)
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<Result> => (await c.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result
  return Object.assign(call, { fake })
}

describe("a failing Docker MCP gateway is given the Toolkit's remedy", () => {
  test("tool name collision: the enable's note and a later call say to disable one of the two servers", async () => {
    const call = await start("v0.43.3", "gateway-collision")
    const en = text(await call("server_enable", { name: "duckduckgo" }))
    // the gateway's outcome, when it comes within the enable's wait (manage/toolkit CHANGE_WAIT_MS);
    // on a loaded machine the answer may say it is still starting: the call and status below still tell
    if (!en.includes("is still starting")) {
      expect(en).toContain("tool name collision")
      expect(en).toContain('server_disable with name "duckduckgo"')
    }
    const r = await call("call_tool", { name: "docker__search", arguments: {} })
    expect(r.isError).toBe(true)
    const t = text(r)
    expect(t).toContain("Server docker is unavailable")
    expect(t).toContain('server_disable with name "duckduckgo"')
    expect(t).toContain("tool-name-prefix")
    expect(t).not.toMatch(CONFIG_REMEDY)
    // describe_tools of one of its tools, and orchestrator_status, say what to do too
    const d = text(await call("describe_tools", { names: ["docker__search"] }))
    expect(d).toContain('server_disable with name "duckduckgo"')
    expect(d).not.toMatch(CONFIG_REMEDY)
    const st = text(await call("orchestrator_status"))
    expect(st).toContain('server_disable with name "duckduckgo"')
  }, 120_000)

  test("Docker down under a running Toolkit: a call says to start Docker", async () => {
    const call = await start("v0.27.0", "gateway-daemon-down")
    expect((await call("server_enable", { name: "duckduckgo" })).isError).toBeFalsy()
    const r = await call("call_tool", { name: "docker__echo", arguments: { message: "x" } })
    expect(r.isError).toBe(true)
    const t = text(r)
    expect(t).toContain("Start Docker")
    expect(t).not.toMatch(CONFIG_REMEDY)
  }, 120_000)

  test("a stopped gateway: a call of one of its tools is told to enable a Toolkit server, not to edit the config", async () => {
    const call = await start("v0.43.3")
    expect((await call("server_enable", { name: "duckduckgo" })).isError).toBeFalsy()
    expect(text(await call("call_tool", { name: "docker__echo", arguments: { message: "up" } }))).toBe("Echo: up")
    expect((await call("server_disable", { name: "duckduckgo" })).isError).toBeFalsy()
    const r = await call("call_tool", { name: "docker__echo", arguments: { message: "down" } })
    expect(r.isError).toBe(true)
    const t = text(r)
    expect(t).toContain("Server docker is stopped")
    expect(t).toContain("server_enable")
    expect(t).not.toMatch(CONFIG_REMEDY)
  }, 120_000)
})

describe("server_enable of a name that is not in the catalog (profiles era)", () => {
  test("DuckDuckGo: refused before anything changes, with the name meant", async () => {
    const call = await start("v0.43.3")
    const r = await call("server_enable", { name: "DuckDuckGo" })
    expect(r.isError).toBe(true)
    expect(text(r)).toContain('did you mean "duckduckgo"?')
    expect(text(r)).toContain("[Toolkit v0.43.3, profiles era]")
    // nothing changed: no profile created, nothing added
    const changes = call.fake.argvLog().filter((a) => a[1] === "profile" && (a[2] === "create" || (a[2] === "server" && a[3] === "add")))
    expect(changes).toEqual([])
    // the name meant goes through
    const ok = await call("server_enable", { name: "duckduckgo" })
    expect([ok.isError ?? false, text(ok).split("\n")[0]]).toEqual([false, "Enabled duckduckgo in profile default."])
  }, 120_000)
})
