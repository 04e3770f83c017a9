/**
 * MCP Apps (extension io.modelcontextprotocol/ui) through the binary: downstreams are told we support
 * it (an App server lists its App tools only to such a client), so a tool with a view reaches every
 * client, its `_meta.ui` kept (a host that renders Apps shows the view, any other reads the text);
 * a tool only a view may call (`visibility: ["app"]`) reaches no list, no search_tools, no model, and
 * a call of it is refused saying why. Before, the server hid its App tools from every client behind us.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, resultText, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
import { BUN, ROOT } from "./helpers.ts"

const APPS = join(ROOT, "test", "fixtures", "servers", "apps-server.ts")

describe("MCP Apps through the binary", () => {
  const env = sandboxEnv()
  let c: Connected

  beforeAll(async () => {
    await ensureBuilt()
    const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { apps: { command: BUN, args: [APPS] } } })
    c = await connectBinary(["serve", "--config", cfg], env)
  }, 120_000)
  afterAll(async () => {
    await c?.close()
  })

  test("the server is told we support MCP Apps; its tool with a view is listed with its _meta.ui", async () => {
    const names = await listUntil(c.client, "apps__chart")
    expect(names).toContain("apps__chart")
    const caps = JSON.parse(resultText(await c.client.callTool({ name: "apps__caps", arguments: {} }))) as { extensions?: Record<string, unknown> }
    expect(caps.extensions?.["io.modelcontextprotocol/ui"]).toEqual({ mimeTypes: ["text/html;profile=mcp-app"] })
    const chart = (await c.client.listTools()).tools.find((t) => t.name === "apps__chart")!
    expect((chart._meta as { ui?: { resourceUri?: string } }).ui?.resourceUri).toBe("ui://chart/view.html")
    expect(resultText(await c.client.callTool({ name: "apps__chart", arguments: {} }))).toBe("chart: done")
  }, 60_000)

  test("a tool only a view may call is in no list, no search, and its call is refused saying why", async () => {
    await listUntil(c.client, "apps__chart")
    expect((await c.client.listTools()).tools.map((t) => t.name)).not.toContain("apps__chart_refresh")
    const found = JSON.stringify(await c.client.callTool({ name: "search_tools", arguments: { query: "chart refresh view" } }))
    expect(found).not.toContain("chart_refresh")
    const r = await c.client.callTool({ name: "apps__chart_refresh", arguments: {} }).then(
      (x) => resultText(x),
      (e: unknown) => String(e),
    )
    expect(r).toContain("_meta.ui.visibility")
    expect(r).not.toContain("chart_refresh: done")
  }, 60_000)
})
