/**
 * @module test/docker/binary-two-windows.test
 * Two orchestrators (two editor windows of one user: same HOME, same Toolkit) changing the same
 * Toolkit state at once, through the compiled binary and the fake docker:
 * - legacy era: config_set is `config read` + `config write` of the whole file; two of them at once
 *   must not lose one of the changes (both were answered "Set");
 * - profiles era: the first enable in each window creates the implicit `default` profile; the
 *   window whose `profile create` comes second must still enable its server, not fail "already exists".
 * FAKE_DOCKER_DELAY lines the two windows' commands up (no timed assertion: only the end state is checked).
 */
import { afterEach, describe, expect, test } from "bun:test"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { parse } from "yaml"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

type Result = { isError?: boolean; content: Array<{ type: string; text?: string }> }
const text = (r: Result): string => r.content.map((c) => c.text ?? "").join("\n")
/** The answer's first line (a note on the gateway may follow it). */
const first = (r: Result): string => text(r).split("\n")[0] as string

let fake: FakeDocker | undefined
let windows: Connected[] = []
afterEach(async () => {
  await Promise.all(windows.map((w) => w.close()))
  windows = []
  fake?.cleanup()
  fake = undefined
})

/** Two orchestrators of one user: their own XDG dirs, the same HOME (where the Toolkit keeps its state). */
async function twoWindows(f: FakeDocker, config?: string): Promise<[Connected, Connected]> {
  await ensureBuilt()
  const env = (): Record<string, string> => {
    const e = sandboxEnv({ PATH: f.env.PATH as string, DOCKER_CONFIG: f.env.DOCKER_CONFIG as string, HOME: f.dir })
    if (config !== undefined) {
      const file = join(e.XDG_CONFIG_HOME as string, "mcp-orchestrator", "config.yaml")
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, config)
    }
    return e
  }
  windows = await Promise.all([connectBinary(["serve"], env()), connectBinary(["serve"], env())])
  return windows as [Connected, Connected]
}

/** servers_list until `ok` holds (a stale answer is served while the list is read again in the background), ~10 s at most. */
async function serversUntil(w: Connected, ok: (text: string) => boolean): Promise<string> {
  let t = text(await call(w, "servers_list", {}))
  for (let i = 0; i < 200 && !ok(t); i++) {
    await Bun.sleep(50)
    t = text(await call(w, "servers_list", {}))
  }
  return t
}

const call = async (w: Connected, name: string, args: Record<string, unknown>): Promise<Result> => (await w.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result

describe("two orchestrators change one Toolkit", () => {
  test("legacy era: config_set in both windows at once keeps both values", async () => {
    // both `config read`s run before either `config write` unless the windows take turns
    fake = makeFakeDocker({ version: "v0.24.0", delay: "config read=400" })
    const [a, b] = await twoWindows(fake)
    for (const n of ["duckduckgo", "time"]) expect((await call(a, "server_enable", { name: n })).isError).toBeFalsy()
    const [ra, rb] = await Promise.all([
      call(a, "config_set", { server: "duckduckgo", key: "region", value: "de-de" }),
      call(b, "config_set", { server: "time", key: "zone", value: "Europe/Berlin" }),
    ])
    expect([first(ra), first(rb)]).toEqual(["Set duckduckgo.region.", "Set time.zone."])
    expect(parse(fake.state().configYaml)).toEqual({ duckduckgo: { region: "de-de" }, time: { zone: "Europe/Berlin" } })
  }, 120_000)

  test("profiles era: the first enable in both windows at once enables both servers", async () => {
    // both `profile server add`s find no profile before either window's `profile create` runs
    fake = makeFakeDocker({ version: "v0.43.3", delay: "profile create=500" })
    const [a, b] = await twoWindows(fake)
    const [ra, rb] = await Promise.all([call(a, "server_enable", { name: "duckduckgo" }), call(b, "server_enable", { name: "time" })])
    expect([ra.isError ?? false, first(ra)]).toEqual([false, "Enabled duckduckgo in profile default."])
    expect([rb.isError ?? false, first(rb)]).toEqual([false, "Enabled time in profile default."])
    const servers = (fake.state().profiles as Record<string, { servers: Array<{ name: string }> }>).default?.servers.map((s) => s.name).sort()
    expect(servers).toEqual(["duckduckgo", "time"])
  }, 120_000)

  test("profiles era: a server enabled in one window is followed by the other window's gateway once it reads the servers", async () => {
    fake = makeFakeDocker({ version: "v0.43.3" })
    // B's cached list of servers is soon stale (cache.ttl.servers; 30 s by default): a read after that refreshes it
    const [a, b] = await twoWindows(fake, "cache:\n  ttl:\n    servers: 1ms\n")
    expect((await call(a, "server_enable", { name: "duckduckgo" })).isError).toBeFalsy()
    expect(text(await call(a, "call_tool", { name: "docker__echo", arguments: { message: "A" } }))).toBe("Echo: A")
    // window B started before: no gateway (nothing was enabled); its model asks what is enabled (the
    // first answer may be the stale one, served while it is read again)
    expect(await serversUntil(b, (t) => t.includes("duckduckgo"))).toContain("duckduckgo")
    // and finds the new server's tools through the stable surface
    const found = await call(b, "search_tools", { query: "echo" })
    expect(text(found)).toContain("docker__echo")
    expect(text(await call(b, "call_tool", { name: "docker__echo", arguments: { message: "B" } }))).toBe("Echo: B")
    // A disables it: B's next read stops B's gateway, and its tools say why
    expect((await call(a, "server_disable", { name: "duckduckgo" })).isError).toBeFalsy()
    expect(await serversUntil(b, (t) => t === "No server is enabled.")).toBe("No server is enabled.")
    const gone = await call(b, "call_tool", { name: "docker__echo", arguments: { message: "B again" } })
    expect(gone.isError).toBe(true)
    expect(text(gone)).toContain("no Docker MCP Toolkit server is enabled now")
  }, 120_000)

  test("legacy era: a lock left by an orchestrator that was killed inside its config change is taken over", async () => {
    fake = makeFakeDocker({ version: "v0.24.0" })
    const lock = join(fake.dir, ".docker", "mcp", ".mcp-orchestrator-config.lock")
    mkdirSync(dirname(lock), { recursive: true })
    // a pid that is not running (above the kernel's pid_max default of 4194304)
    writeFileSync(lock, "4194305")
    const [a] = await twoWindows(fake)
    expect((await call(a, "server_enable", { name: "duckduckgo" })).isError).toBeFalsy()
    expect(first(await call(a, "config_set", { server: "duckduckgo", key: "region", value: "de-de" }))).toBe("Set duckduckgo.region.")
    expect(parse(fake.state().configYaml)).toEqual({ duckduckgo: { region: "de-de" } })
    expect(existsSync(lock)).toBe(false)
  }, 120_000)
})
