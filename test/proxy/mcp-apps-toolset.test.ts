/**
 * MCP Apps under a toolset (`serve --toolset NAME`): an App host's list holds the app-only tools of
 * the toolset's servers (past its globs), its view calls them by namespaced and by bare name, and a
 * bare name is routed among the toolset's tools only (unique there: routed; another server's tool
 * outside the toolset is never a candidate, nor reachable by its namespaced name). Before, a toolset
 * passed no app-only tool (the scoped upstream had no `appTools`), and a view's bare-name call was
 * refused as "not in toolset". The binary, three real SDK servers (fixtures/servers/apps-server.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { answerText, connectBinary, ensureBuilt, listUntil, resultText, sandboxEnv, writeConfig, type Connected } from "../helpers/binary.ts"
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
      apps2: { command: BUN, args: [APPS, "chart", "apps2"] },
      dash: { command: BUN, args: [APPS, "dashboard", "dash"] },
    },
    toolsets: { charts: { servers: ["apps"] } },
  })
  host = await connectBinary(["serve", "--config", cfg, "--toolset", "charts"], env, HOST_CAPS as never)
  await listUntil(host.client, "apps__chart")
}, 120_000)
afterAll(async () => {
  await host?.close()
})

test("an App host under a toolset lists the app-only tools of its servers only", async () => {
  let names: string[] = []
  for (let i = 0; i < 200 && !names.includes("apps__chart_refresh"); i++) {
    names = (await host.client.listTools()).tools.map((t) => t.name)
    if (!names.includes("apps__chart_refresh")) await Bun.sleep(50)
  }
  expect(names).toContain("apps__chart_refresh")
  expect(names.filter((n) => n.startsWith("apps2__") || n.startsWith("dash__"))).toEqual([])
}, 60_000)

test("its view calls them by namespaced and bare name; a bare name another server outside the toolset has too is still unique within it", async () => {
  expect(resultText(await host.client.callTool({ name: "apps__chart_refresh", arguments: {} }))).toBe("chart_refresh: done (apps)")
  // apps2 has chart_refresh too, outside the toolset: not a candidate
  expect(resultText(await host.client.callTool({ name: "chart_refresh", arguments: {} }))).toBe("chart_refresh: done (apps)")
  expect(resultText(await host.client.callTool({ name: "plain", arguments: {} }))).toBe("plain: done (apps)")
}, 60_000)

test("another server's app-only tool outside the toolset is refused, by namespaced or bare name", async () => {
  const exact = await answerText(host.client.callTool({ name: "apps2__chart_refresh", arguments: {} }))
  expect(exact).toContain("not in toolset")
  expect(exact).not.toContain("done")
  const bare = await answerText(host.client.callTool({ name: "dashboard_refresh", arguments: {} }))
  expect(bare).not.toContain("done")
}, 60_000)
