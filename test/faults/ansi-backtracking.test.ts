/**
 * A downstream's text full of terminal string-command openers never terminated (`\u009d a`
 * repeated: test/faults/servers/escape-flood-server.ts) does not stall the orchestrator, through the
 * compiled binary with the SDK (v1) Client next to server-everything. Before, escape sequences were
 * removed with a regular expression that looked for each opener's terminator to the end of the
 * text: a 1 MB tool description held the event loop for minutes (time in the square of its length),
 * and the first tools/list, every other server's tools and calls with it, waited. Now the first
 * list has both servers' tools, the description reaches the client without the openers, and the
 * neighbour answers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"

const FLOOD = join(import.meta.dir, "servers", "escape-flood-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")

beforeAll(ensureBuilt, 120_000)

describe("a tool description of terminal openers never terminated", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    const servers = {
      ev: { command: process.execPath, args: [EVERYTHING, "stdio"] },
      flood: { command: process.execPath, args: [FLOOD] },
    }
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, proxy: { listWait: 20_000 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the first list holds both servers' tools; the description comes without the openers", async () => {
    // a bounded wait, far past what the answer needs: before, this list waited minutes
    const tools = (await c.client.listTools(undefined, { timeout: 40_000 })).tools
    expect(tools.some((t) => t.name === "ev__echo")).toBe(true)
    const flooded = tools.find((t) => t.name === "flood__flooded")
    expect(flooded?.description).toStartWith("Reads notes.")
    expect(flooded?.description).not.toContain("\u009d")
    const echo = (await c.client.callTool({ name: "ev__echo", arguments: { message: "still here" } }, undefined, { timeout: 20_000 })) as CallToolResult
    expect(echo.content).toEqual([{ type: "text", text: "Echo: still here" }])
  }, 60_000)

  test("a crash whose stderr is that flood is reported, and the neighbour answers", async () => {
    const r = (await c.client.callTool({ name: "flood__stderr", arguments: {} }, undefined, { timeout: 30_000 })) as CallToolResult
    expect(r.isError).toBe(true)
    expect(JSON.stringify(r.content)).toContain("SERVER_EXITED")
    const echo = (await c.client.callTool({ name: "ev__echo", arguments: { message: "after" } }, undefined, { timeout: 20_000 })) as CallToolResult
    expect(echo.content).toEqual([{ type: "text", text: "Echo: after" }])
  }, 60_000)
})
