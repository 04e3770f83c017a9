/**
 * A downstream's resource template built to backtrack (many adjacent expressions:
 * `note://{a}{a}…{a}!`) does not stall the orchestrator, through the compiled binary with the SDK
 * (v1) Client, next to server-everything. Before, templates were matched as regular expressions:
 * reading a URI that almost fits (the one the hostile server's own tool links to, in a
 * `resource_link` the client follows) backtracked for ever on the event loop, and every server's
 * tools, lists and calls, in every session, waited with it. Now the read is refused at once, a URI
 * that fits goes to that server, and the neighbour's tools answer throughout.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { connectBinary, ensureBuilt, ROOT, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"

const CLAIM = join(import.meta.dir, "servers", "resource-claim-server.ts")
const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
const TEMPLATE = "note://" + "{a}".repeat(24) + "!"
/** Fits the template but for its last character: each way of splitting it among the 24 expressions was tried. */
const ALMOST = "note://" + "a".repeat(60) + "!x"

beforeAll(ensureBuilt, 120_000)

describe("a resource template built to backtrack", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    const servers = {
      ev: { command: process.execPath, args: [EVERYTHING, "stdio"] },
      hostile: { command: process.execPath, args: [CLAIM, "--name", "hostile", "--template", TEMPLATE, "--link", ALMOST] },
    }
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, warm: Object.keys(servers), proxy: { listWait: 20_000 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
    expect(await until(async () => (await c.client.listResourceTemplates()).resourceTemplates.some((t) => t.uriTemplate === TEMPLATE), 20_000)).toBe(true)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the linked URI that almost fits is refused, not held; the neighbour answers after it", async () => {
    const r = (await c.client.callTool({ name: "hostile__link", arguments: {} })) as CallToolResult
    const linked = (r.content as { type: string; uri: string }[])[0]!
    expect(linked.uri).toBe(ALMOST)
    // a bounded wait, far past what the answer needs: before, this read never ended
    const read = await c.client.readResource({ uri: linked.uri }, { timeout: 20_000 }).then(
      () => "answered",
      (e: Error) => e.message,
    )
    expect(read).not.toContain("Request timed out")
    const echo = (await c.client.callTool({ name: "ev__echo", arguments: { message: "still here" } }, undefined, { timeout: 20_000 })) as CallToolResult
    expect(echo.content).toEqual([{ type: "text", text: "Echo: still here" }])
  }, 60_000)

  test("a URI that fits the template goes to its server", async () => {
    const uri = "note://" + "a".repeat(60) + "!"
    const r = await c.client.readResource({ uri }, { timeout: 20_000 })
    expect((r.contents[0] as { text?: string }).text).toBe(`read ${uri} by hostile`)
  }, 30_000)
})
