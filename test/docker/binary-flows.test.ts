/**
 * @module test/docker/binary-flows.test
 * The model drives the Toolkit as Cursor lets it (tools/list read once, list_changed ignored), in
 * each CLI era, through the compiled binary and the fake docker (its gateway serves
 * server-everything's tools as `docker__…`): search the catalog, enable a server, call one of the
 * gateway's tools through call_tool in the same session, disable the server again; a later call is
 * told the gateway stopped because no Toolkit server is enabled (not "Unknown tool"), and a call in
 * flight when the gateway restarts for a change is told so (not "server docker was removed").
 */
import { afterAll, describe, expect, test } from "bun:test"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { makeFakeDocker, REPO, type FakeDocker } from "./fake.ts"

type Result = { isError?: boolean; content: Array<{ type: string; text?: string }> }
const text = (r: Result): string => r.content.map((c) => c.text ?? "").join("\n")

/** A call of the gateway's long operation, once it is in flight (its first progress report came): `answer` is the call's answer to come. */
async function longCallInFlight(c: Connected): Promise<{ answer: Promise<Result> }> {
  let started!: () => void
  const inFlight = new Promise<void>((r) => (started = r))
  // server-everything's long operation sends progress while it runs: the first one says it is in flight
  const long = c.client.callTool({ name: "call_tool", arguments: { name: "docker__trigger-long-running-operation", arguments: { duration: 60, steps: 60 } } }, undefined, {
    timeout: 120_000,
    onprogress: () => started(),
  }) as Promise<Result>
  await inFlight
  return { answer: long }
}

const ERAS = [
  { version: "v0.24.0", era: "legacy" },
  { version: "v0.40.0", era: "profiles", profiles: true },
  { version: "v0.43.3", era: "profiles" },
] as const

for (const e of ERAS) {
  describe(`Toolkit flow through the stable surface, ${e.version} (${e.era})`, () => {
    let fake: FakeDocker
    let c: Connected
    afterAll(async () => {
      await c?.close()
      fake?.cleanup()
    })

    test("enable → call_tool without relisting → disable → a clear error", async () => {
      await ensureBuilt()
      fake = makeFakeDocker({ version: e.version, ...("profiles" in e ? { profiles: e.profiles } : {}) })
      c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
      const call = async (name: string, args: Record<string, unknown> = {}): Promise<Result> => (await c.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result
      // the client's one tools/list: no docker__ tool yet
      expect((await c.client.listTools()).tools.some((t) => t.name.startsWith("docker__"))).toBe(false)
      const hits = await call("catalog_search", { query: "web search" })
      expect(text(hits)).toContain("duckduckgo")
      const en = await call("server_enable", { name: "duckduckgo" })
      expect([en.isError ?? false, text(en).split("\n")[0]]).toEqual([false, e.era === "legacy" ? "Enabled duckduckgo." : "Enabled duckduckgo in profile default."])
      expect(text(await call("search_tools", { query: "echo" }))).toContain("docker__echo")
      expect(text(await call("call_tool", { name: "docker__echo", arguments: { message: "after enable" } }))).toBe("Echo: after enable")
      expect((await call("server_disable", { name: "duckduckgo" })).isError).toBeFalsy()
      const gone = await call("call_tool", { name: "docker__echo", arguments: { message: "after disable" } })
      expect(gone.isError).toBe(true)
      expect(text(gone)).toContain("Server docker is stopped: no Docker MCP Toolkit server is enabled now")
      expect(text(await call("search_tools", { query: "echo" }))).not.toContain("docker__echo")
    }, 120_000)
  })
}

describe("a call in flight when a change restarts the Toolkit gateway", () => {
  let fake: FakeDocker
  let c: Connected
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  test("is told the gateway was restarted for the change and to retry", async () => {
    await ensureBuilt()
    fake = makeFakeDocker({ version: "v0.43.3" })
    c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
    const call = async (name: string, args: Record<string, unknown> = {}): Promise<Result> => (await c.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result
    for (const n of ["duckduckgo", "time"]) expect((await call("server_enable", { name: n })).isError).toBeFalsy()
    const long = (await longCallInFlight(c)).answer
    expect((await call("server_disable", { name: "duckduckgo" })).isError).toBeFalsy()
    const r = await long
    expect(r.isError).toBe(true)
    expect(text(r)).toContain("server docker was restarted: servers changed (a call in flight is not sent again; retry it)")
    // the restarted gateway serves the remaining server's tools
    expect(text(await call("call_tool", { name: "docker__echo", arguments: { message: "again" } }))).toBe("Echo: again")
  }, 180_000)
})

describe("a call queued (not sent) on the Toolkit gateway when a change restarts it", () => {
  let fake: FakeDocker
  let c: Connected
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  test("goes to the restarted gateway and is answered (it failed CLOSED 'retry it'); the one in flight is told to retry", async () => {
    await ensureBuilt()
    fake = makeFakeDocker({ version: "v0.43.3" })
    const env = sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string })
    // one call at a time per server: the second call waits in the gateway session's queue, unsent
    const cfg = join(env.HOME!, "config.json")
    writeFileSync(cfg, JSON.stringify({ pool: { maxInFlight: 1 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
    const call = async (name: string, args: Record<string, unknown> = {}): Promise<Result> => (await c.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result
    for (const n of ["duckduckgo", "time"]) expect((await call("server_enable", { name: n })).isError).toBeFalsy()
    const long = (await longCallInFlight(c)).answer
    const queued = c.client.callTool({ name: "call_tool", arguments: { name: "docker__echo", arguments: { message: "queued" } } }, undefined, { timeout: 120_000 }) as Promise<Result>
    // the queued call is on its way (its request written to the orchestrator) before the change
    await Bun.sleep(200)
    expect((await call("server_disable", { name: "duckduckgo" })).isError).toBeFalsy()
    const r = await long
    expect(text(r)).toContain("server docker was restarted: servers changed (a call in flight is not sent again; retry it)")
    const q = await queued
    expect([q.isError ?? false, text(q)]).toEqual([false, "Echo: queued"])
  }, 180_000)
})

describe("a change's answer says what became of the Toolkit gateway", () => {
  let fake: FakeDocker
  let c: Connected
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  test("enable: the gateway tools call_tool reaches now; a gateway that fails to start: why, without the secret it echoed", async () => {
    await ensureBuilt()
    fake = makeFakeDocker({ version: "v0.43.3" })
    c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
    const call = async (name: string, args: Record<string, unknown> = {}): Promise<Result> => (await c.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result
    const en = await call("server_enable", { name: "duckduckgo" })
    expect(en.isError).toBeFalsy()
    expect(text(en)).toMatch(/^Enabled duckduckgo in profile default\.\n\d+ Toolkit gateway tool\(s\) can be called now with call_tool \(search_tools finds them by what they do\): .*docker__echo/)
    // from now on the gateway refuses to start and prints the config value it refused (as a CLI may)
    const secret = "sk-live-qa34-5d1c0ffee"
    const wrapper = join(fake.dir, "bin", "docker")
    const failing = JSON.stringify(["/bin/sh", "-c", `echo "loading configuration: invalid value ${secret} for duckduckgo" >&2; exit 3`])
    writeFileSync(wrapper, readFileSync(wrapper, "utf8").replace("\nexec ", `\nexport FAKE_DOCKER_GATEWAY_CMD='${failing}'\nexec `))
    const set = await call("config_set", { server: "duckduckgo", key: "api_key", value: secret })
    expect(set.isError).toBeFalsy()
    expect(text(set)).toContain("Set duckduckgo.api_key.\nThe Docker MCP gateway failed to start after this change, so none of the Toolkit's tools can be called now")
    expect(text(set)).toContain("invalid value [REDACTED] for duckduckgo")
    expect(text(set)).not.toContain(secret)
    const st = await call("orchestrator_status")
    expect(text(st)).not.toContain(secret)
    expect(c.stderr()).not.toContain(secret)
  }, 120_000)
})

describe("model-supplied names the Toolkit tools refuse", () => {
  let fake: FakeDocker
  let c: Connected
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  test("flag-, shell-, path-like, confusable and over-long values: refused naming what is allowed, never run", async () => {
    await ensureBuilt()
    fake = makeFakeDocker({ version: "v0.43.3" })
    c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
    const call = async (name: string, args: Record<string, unknown> = {}): Promise<Result> => (await c.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result
    // U+057D ARMENIAN SMALL LETTER SEH looks like "u"
    for (const name of ["--gateway-arg=--interceptor=x", "-rf", "$(id)", "a;b", "../../etc/passwd", "d\u057Dckduckgo", "x".repeat(65), "duck duck"]) {
      for (const tool of ["server_enable", "server_disable", "server_inspect", "config_get"]) {
        const r = await call(tool, tool === "config_get" ? { server: name } : { name })
        expect([tool, name, r.isError]).toEqual([tool, name, true])
        expect(text(r)).toContain("1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit")
      }
    }
    for (const key of ["--set", "a=b", "a b", ".hidden", "k".repeat(129), "ke\u0443"]) {
      const r = await call("config_set", { server: "duckduckgo", key, value: "v" })
      expect([key, r.isError]).toEqual([key, true])
      expect(text(r)).toContain("1-128 of A-Z a-z 0-9 _ . - starting with a letter, digit or _")
    }
    // none of them reached docker (the start's own probe may have run meanwhile)
    expect(fake.argvLog().filter((a) => !(a.join(" ") === "mcp version" || a.join(" ").startsWith("mcp profile server ls")))).toEqual([])
  }, 120_000)
})

describe("the Toolkit upgraded between two calls", () => {
  let fake: FakeDocker
  let c: Connected
  afterAll(async () => {
    await c?.close()
    fake?.cleanup()
  })

  test("the next answer says the CLI changed (once), the change goes to the new era, its tools are reachable", async () => {
    await ensureBuilt()
    fake = makeFakeDocker({ version: "v0.24.0" })
    c = await connectBinary(["serve"], sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }))
    const call = async (name: string, args: Record<string, unknown> = {}): Promise<Result> => (await c.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result
    expect(text(await call("server_enable", { name: "duckduckgo" })).split("\n")[0]).toBe("Enabled duckduckgo.")
    fake.setVersion("v0.43.3")
    const en = await call("server_enable", { name: "time" })
    expect(en.isError).toBeFalsy()
    expect(text(en).split("\n").slice(0, 2)).toEqual([
      "Note: the Docker MCP Toolkit changed since its last answer here: v0.24.0 (legacy era) → v0.43.3 (profiles era, profile default). What follows comes from the new CLI (its server list, configuration and messages); the Toolkit gateway is started again with it.",
      "Enabled time in profile default.",
    ])
    // said once
    expect(text(await call("servers_list"))).not.toContain("Note: the Docker MCP Toolkit changed")
    expect(fake.argvLog()).toContainEqual(["mcp", "profile", "server", "add", "--server=catalog://mcp/docker-mcp-catalog/time", "--", "default"])
    expect(text(await call("call_tool", { name: "docker__echo", arguments: { message: "after the upgrade" } }))).toBe("Echo: after the upgrade")
  }, 120_000)
})
