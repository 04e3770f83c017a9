/**
 * Both protocol eras toward downstreams, through the compiled binary driven by the SDK v1 Client (how
 * Cursor speaks): modern-only (2026-07-28) servers over stdio and Streamable HTTP, a dual-era one and
 * the legacy npm reference server behind one orchestrator; a modern tool error and timeout; orchestrator_status
 * shows each server's era; a second start with the same state directory does not detect again.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, sandboxEnv, tempDir, type Connected } from "../helpers/binary.ts"
import { BUN, EVERYTHING, ROOT, until } from "../proxy/helpers.ts"

const MODERN = join(ROOT, "test", "fixtures", "servers", "modern-server.ts")

type Eras = Record<string, { era: string; via: string } | undefined>

async function eras(c: Connected): Promise<Eras> {
  const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: { servers?: { name: string; era?: { era: string; via: string } }[] } }
  return Object.fromEntries((r.structuredContent?.servers ?? []).map((s) => [s.name, s.era]))
}

function text(r: unknown): string {
  return ((r as { content: { type: string; text?: string }[] }).content[0]?.text ?? "") as string
}

describe("through the binary: modern-only, dual-era and legacy servers", () => {
  const dir = tempDir("mcpo-modern-bin-")
  const log = join(dir, "modern.log")
  const env = sandboxEnv()
  let cfg: string
  let c: Connected
  let http: ReturnType<typeof Bun.spawn> | undefined

  beforeAll(async () => {
    await ensureBuilt()
    const portFile = join(dir, "port")
    http = Bun.spawn([BUN, MODERN, "http", portFile], { stdio: ["ignore", "ignore", "inherit"] })
    expect(await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").length > 0, 10_000)).toBe(true)
    cfg = join(dir, "config.json")
    writeFileSync(
      cfg,
      JSON.stringify({
        servers: {
          modern: { command: BUN, args: [MODERN, "stdio"], env: { MODERN_LOG: log }, toolTimeouts: { slow: 1000 } },
          dual: { command: BUN, args: [MODERN, "stdio", "--dual"] },
          ev: { command: "node", args: [EVERYTHING, "stdio"] },
          web: { url: `http://127.0.0.1:${readFileSync(portFile, "utf8")}/mcp` },
        },
        toolkit: { enabled: "off" },
      }),
    )
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 180_000)
  afterAll(async () => {
    await c?.close()
    http?.kill()
    rmSync(dir, { recursive: true, force: true })
  })

  test("tools of all four are listed and callable", async () => {
    const names = (await c.client.listTools()).tools.map((t) => t.name)
    for (const n of ["modern__echo", "modern__slow", "dual__echo", "ev__echo", "web__echo"]) expect(names).toContain(n)
    expect(text(await c.client.callTool({ name: "modern__echo", arguments: { text: "m" } }))).toBe("modern:m")
    expect(text(await c.client.callTool({ name: "dual__echo", arguments: { text: "d" } }))).toBe("modern:d")
    expect(text(await c.client.callTool({ name: "web__echo", arguments: { text: "w" } }))).toBe("modern:w")
    expect(text(await c.client.callTool({ name: "ev__echo", arguments: { message: "e" } }))).toContain("e")
  }, 60_000)

  test("a modern tool error comes back as a tool error; a modern timeout as our timeout", async () => {
    const fail = await c.client.callTool({ name: "modern__fail", arguments: {} })
    expect(fail.isError).toBe(true)
    expect(text(fail)).toBe("modern failure")
    const slow = await c.client.callTool({ name: "modern__slow", arguments: { ms: 10_000 } }).then(
      (r) => text(r),
      (e: unknown) => String(e),
    )
    expect(slow.toLowerCase()).toContain("timed out")
    // the session survives a timeout
    expect(text(await c.client.callTool({ name: "modern__echo", arguments: { text: "again" } }))).toBe("modern:again")
  }, 60_000)

  test("a modern server's list change (subscriptions/listen) reaches the legacy client as list_changed", async () => {
    for (const server of ["modern", "web"]) {
      let changed = 0
      c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++)
      await c.client.callTool({ name: `${server}__add_tool`, arguments: { name: "extra" } })
      // not seen under load in 30+ runs, seen in CI: the orchestrator's log goes with the failure
      if (!(await until(() => changed > 0, 10_000))) throw new Error(`no list_changed after ${server}__add_tool; orchestrator stderr:\n${c.stderr().slice(-6000)}`)
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain(`${server}__extra`)
      expect(text(await c.client.callTool({ name: `${server}__extra`, arguments: {} }))).toBe("added:extra")
    }
  }, 60_000)

  test("the client's log level reaches modern servers (per request) and their log messages come back", async () => {
    const got: unknown[] = []
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void got.push(n.params.data))
    await c.client.setLoggingLevel("debug")
    for (const server of ["modern", "web"]) {
      got.length = 0
      expect(text(await c.client.callTool({ name: `${server}__chatty`, arguments: {} }))).toBe("said")
      expect(await until(() => got.some((d) => JSON.stringify(d).includes("hello log")), 10_000)).toBe(true)
    }
  }, 60_000)

  test("orchestrator_status names each server's era; a second start does not detect again", async () => {
    const found = await eras(c)
    // a dual-era server slower to start than the 1.5 s probe (a loaded machine) speaks legacy in this
    // first session only (it took initialize): its late probe answer makes the next start modern (below)
    if (found.dual?.era === "legacy") found.dual = { era: "modern", via: "probed" }
    expect(found).toEqual({ modern: { era: "modern", via: "probed" }, dual: { era: "modern", via: "probed" }, ev: { era: "legacy", via: "probed" }, web: { era: "modern", via: "probed" } })
    const first = readFileSync(log, "utf8").split("\n").filter(Boolean)
    // found by the probe. A start slower than the probe (a loaded machine) also got initialize, refused
    // on the same process; the probe's late answer is then its DiscoverResult: never asked twice
    const end = first.findIndex((m) => m !== "server/discover" && m !== "initialize")
    const opening = end < 0 ? first : first.slice(0, end)
    expect([["server/discover"], ["server/discover", "initialize"]]).toContainEqual(opening)
    expect(first.filter((m) => m === "initialize").length).toBeLessThanOrEqual(1)
    await c.close()
    writeFileSync(log, "")
    c = await connectBinary(["serve", "--config", cfg], env)
    expect(text(await c.client.callTool({ name: "modern__echo", arguments: { text: "warm" } }))).toBe("modern:warm")
    const second = readFileSync(log, "utf8").split("\n").filter(Boolean)
    expect(second).not.toContain("initialize")
    expect(second[0]).toBe("server/discover")
    await c.client.listTools()
    expect(text(await c.client.callTool({ name: "dual__echo", arguments: { text: "warm" } }))).toBe("modern:warm")
    const e = await eras(c)
    expect(e.modern).toEqual({ era: "modern", via: "cached" })
    // however slow its first start was, the verdict remembered for the dual-era server is modern
    expect(e.dual).toEqual({ era: "modern", via: "cached" })
  }, 90_000)
})
