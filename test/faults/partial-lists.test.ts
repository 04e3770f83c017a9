/**
 * QA report item 20, through the compiled binary with the SDK (v1) Client: downstreams
 * (test/faults/servers/partial-lists-server.ts) whose `resources/templates/list` — or, the mirror
 * case, `resources/list` — is answered with `{}` (a catch-all for methods a hand-written server does
 * not implement), and one whose `resources/list` answer is no list at all. Before, each such server
 * came out with both lists empty and every `resources/read` to it failed "no server behind
 * mcp-orchestrator serves …"; now its valid list is listed, its URIs are read, the `{}` shows as a
 * repair in its `orchestrator_status` row and no failure is counted (a list that is no list is one).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"

const SERVER = join(import.meta.dir, "servers", "partial-lists-server.ts")
const srv = (...flags: string[]) => ({ command: process.execPath, args: [SERVER, ...flags] })

interface Row {
  name: string
  failures: number
  lastError?: string
  remedy?: string
  repaired?: { kind: string; name: string; why: string }[]
}

beforeAll(ensureBuilt, 120_000)

describe("one list of a downstream answered with {} or no list", () => {
  let c: Connected
  beforeAll(async () => {
    const env = sandboxEnv()
    const cfg = join(env.HOME!, "config.json")
    const servers = { sc: srv("--name", "sc", "--templates", "missing"), mirror: srv("--name", "mirror", "--resources", "missing"), bad: srv("--name", "bad", "--resources", "string") }
    writeFileSync(cfg, JSON.stringify({ toolkit: { enabled: "off" }, plugins: { enabled: false }, servers, proxy: { listWait: 20_000 } }))
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 60_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the other list of each server stays listed", async () => {
    expect((await c.client.listResources()).resources.map((r) => r.uri).sort()).toEqual(["sc://r"])
    expect((await c.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(["bad://t/{x}", "mirror://t/{x}"])
  })

  test("reads reach the server: a listed URI, a URI of a listed template, and an unlisted URI of the one server whose listing failed", async () => {
    const text = async (uri: string): Promise<string> => ((await c.client.readResource({ uri })).contents[0] as { text: string }).text
    expect(await text("sc://r")).toBe("read sc://r")
    expect(await text("mirror://t/1")).toBe("read mirror://t/1")
    expect(await text("bad://r")).toBe("read bad://r")
  })

  test("a {} list is a repair in the status row (no failure counted)", async () => {
    const r = await c.client.callTool({ name: "orchestrator_status", arguments: {} })
    const rows = (r.structuredContent as { servers: Row[] }).servers
    const row = (name: string): Row => rows.find((x) => x.name === name)!
    expect(row("sc").repaired?.map((i) => [i.kind, i.name])).toEqual([["template", "resources/templates/list"]])
    expect(row("mirror").repaired?.map((i) => [i.kind, i.name])).toEqual([["resource", "resources/list"]])
    for (const name of ["sc", "mirror"]) expect(row(name).failures).toBe(0)
    // a resources/list answer that is no list is a failure of that list: counted and named, with a remedy
    expect(row("bad").failures).toBe(1)
    expect(row("bad").lastError).toContain("resources/list failed")
    expect(row("bad").remedy).toContain("fix or update the server")
    expect(c.stderr()).toContain('"msg":"resources/templates/list read as an empty list","server":"sc"')
    expect(c.stderr()).toMatch(/"msg":"listing resources failed","server":"bad","list":"resources\/list","error":"its answer to resources\/list is not valid MCP: its resources is \\"nope\\", not a list"/)
  })
})
