/**
 * describe_tools of a tool whose server is not serving (QA 18): it named no server and no state
 * ("Not reachable here: x"), and gave a down server's last known definition with no word that the
 * server is down. Now it says which server, its state (failed with its cause, disabled) and, when a
 * definition is known (listed before the server went down), gives it with that note.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, listUntil, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

const FAULT = join(ROOT, "test", "fixtures", "servers", "fault-server.ts")

beforeAll(ensureBuilt, 120_000)

const text = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("\n")

describe("describe_tools names the server that is not serving, and its state", () => {
  let c: Connected
  let crashFile = ""
  beforeAll(async () => {
    const env = sandboxEnv()
    crashFile = join(env.HOME!, "crash-now")
    const cfg = join(env.HOME!, "c.json")
    writeFileSync(
      cfg,
      JSON.stringify({
        toolkit: { enabled: "off" },
        plugins: { enabled: false },
        pool: { restartDelay: "50ms", restartDelayMax: "100ms" },
        servers: {
          // lists, then every restart fails (the crash file exists by then)
          flaky: { command: process.execPath, args: [FAULT, "--crash-if-exists", crashFile] },
          broken: { command: join(env.HOME!, "no-such-server") },
          off: { command: process.execPath, args: [FAULT], disabled: true },
          ok: { command: process.execPath, args: [FAULT] },
        },
      }),
    )
    c = await connectBinary(["serve", "--config", cfg], env)
    expect(await listUntil(c.client, "flaky__echo")).toContain("ok__echo")
  }, 60_000)
  afterAll(() => c?.close())

  test("a server that never started: its name, its state and the cause, for the tool asked", async () => {
    // its first start may still be under way ("still starting", said as such): until it has failed
    let r = (await c.client.callTool({ name: "describe_tools", arguments: { names: ["broken__read"] } })) as CallToolResult
    for (let i = 0; i < 200 && text(r).startsWith("Server broken is still starting"); i++) {
      await Bun.sleep(50)
      r = (await c.client.callTool({ name: "describe_tools", arguments: { names: ["broken__read"] } })) as CallToolResult
    }
    expect(r.isError).toBe(true)
    expect(text(r)).toMatch(/^Server broken (failed|failed and is being retried|keeps failing and is paused before its next retry): .*no-such-server/)
    expect(text(r)).toContain("broken__read: no definition is known")
    expect(text(r)).not.toContain("Not reachable here")
  })

  test("a disabled server is said to be disabled, with the config key", async () => {
    const r = (await c.client.callTool({ name: "describe_tools", arguments: { names: ["off__echo", "ok__echo"] } })) as CallToolResult
    expect(r.isError).toBeFalsy()
    expect(text(r)).toContain('"name": "ok__echo"')
    expect(text(r)).toContain("Server off is disabled (servers.off.disabled: true in the config).")
  })

  test("a server that went down after listing: its last known definition, with its state", async () => {
    writeFileSync(crashFile, "")
    await c.client.callTool({ name: "flaky__crash", arguments: {} }).catch(() => {})
    let r: CallToolResult | undefined
    for (let i = 0; i < 200; i++) {
      r = (await c.client.callTool({ name: "describe_tools", arguments: { names: ["flaky__echo"] } })) as CallToolResult
      if (text(r).includes("Server flaky")) break
      await Bun.sleep(50)
    }
    expect(r!.isError).toBeFalsy()
    expect(text(r)).toContain('"name": "flaky__echo"')
    expect(text(r)).toContain("Server flaky ")
    expect(text(r)).toContain("The definition above is its last known one (flaky__echo); calls fail until it is up.")
    // the other servers are not affected
    const ok = (await c.client.callTool({ name: "ok__echo", arguments: { message: "hi" } })) as CallToolResult
    expect(ok.isError).toBeFalsy()
  })

  test("an unknown name under no configured server is answered as before", async () => {
    const r = (await c.client.callTool({ name: "describe_tools", arguments: { names: ["nope__x"] } })) as CallToolResult
    expect(text(r)).toBe("Not reachable here: nope__x (find names with search_tools).")
  })
})
