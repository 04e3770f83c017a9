/**
 * MCP Apps, the rule for an App host's call by name (docs/proxy.md "MCP Apps"): an exact exposed
 * (namespaced) name first — a tool listed to the model, or an app-only tool — and only then a server's
 * own (bare) name, routed when exactly one server has it. It holds in both directions: server `x`
 * whose own tool names are another server's exposed names (`apps__chart`, app-only
 * `apps__chart_refresh`), and server `y` whose model tool is named like `apps`'s app-only one,
 * never take those calls; their own tools are reached by their namespaced names. The binary, real
 * SDK servers (fixtures/servers/apps-server.ts: the App name is the first argument).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { connectBinary, ensureBuilt, listUntil, resultText, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
import { BUN, ROOT } from "./helpers.ts"

const APPS = join(ROOT, "test", "fixtures", "servers", "apps-server.ts")
const HOST_CAPS = { extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } } }

let host: Connected
beforeAll(async () => {
  await ensureBuilt()
  const env = sandboxEnv()
  const cfg = writeConfig(env, {
    toolkit: { enabled: "off" },
    plugins: { enabled: false },
    servers: {
      apps: { command: BUN, args: [APPS, "chart", "apps"] },
      x: { command: BUN, args: [APPS, "apps__chart", "x"] },
      y: { command: BUN, args: [APPS, "apps__chart_refresh", "y"] },
    },
  })
  host = await connectBinary(["serve", "--config", cfg], env, HOST_CAPS as never)
  for (const t of ["apps__chart", "x__apps__chart", "y__apps__chart_refresh"]) await listUntil(host.client, t)
  await listUntil(host.client, "x__apps__chart_refresh")
}, 120_000)
afterAll(async () => {
  await host?.close()
})

test("an exact exposed name wins over another server's tool of that own name, model tool or app-only, both ways", async () => {
  // apps's model tool vs x's own `apps__chart`
  expect(resultText(await host.client.callTool({ name: "apps__chart", arguments: {} }))).toBe("chart: done (apps)")
  // apps's app-only tool vs x's app-only `apps__chart_refresh` and y's model tool `apps__chart_refresh`
  expect(resultText(await host.client.callTool({ name: "apps__chart_refresh", arguments: {} }))).toBe("chart_refresh: done (apps)")
  // theirs by their exposed names
  expect(resultText(await host.client.callTool({ name: "x__apps__chart", arguments: {} }))).toBe("apps__chart: done (x)")
  expect(resultText(await host.client.callTool({ name: "x__apps__chart_refresh", arguments: {} }))).toBe("apps__chart_refresh: done (x)")
  expect(resultText(await host.client.callTool({ name: "y__apps__chart_refresh", arguments: {} }))).toBe("apps__chart_refresh: done (y)")
}, 60_000)

test("a bare name only one server has is routed to it", async () => {
  expect(resultText(await host.client.callTool({ name: "apps__chart_refresh_refresh", arguments: {} }))).toBe("apps__chart_refresh_refresh: done (y)")
  expect(resultText(await host.client.callTool({ name: "chart_refresh", arguments: {} }))).toBe("chart_refresh: done (apps)")
}, 60_000)
