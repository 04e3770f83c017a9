/**
 * proxy/shared-ui with real SDK servers (fixtures/servers/apps-server.ts), in process: a second
 * server with the same `ui://` view URI coming up later has the first server's already listed
 * `_meta.ui.resourceUri` (app-only tools too) and resource shown per server from then on, and both
 * views read from their own server; once it goes, the URI is the server's own again.
 */
import { expect, test } from "bun:test"
import { join } from "node:path"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy, type Tool } from "../../src/proxy/index.ts"
import { BUN, ROOT, config, ctx, until } from "./helpers.ts"

const APPS = join(ROOT, "test", "fixtures", "servers", "apps-server.ts")
const uriOf = (tools: readonly Tool[], name: string): unknown => (tools.find((t) => t.name === name)?._meta as { ui?: { resourceUri?: string } } | undefined)?.ui?.resourceUri

test("a second server with the same ui:// view: both shown per server from then on, each read reaches its own; alone again, untouched", async () => {
  await using proxy = createProxy({ config: config({ servers: { apps: { command: BUN, args: [APPS, "chart", "apps"] } } }), log: silentLogger, closeGraceMs: 200 })
  expect(await until(async () => uriOf(await proxy.listTools(), "apps__chart") !== undefined, 20_000)).toBe(true)
  expect(uriOf(await proxy.listTools(), "apps__chart")).toBe("ui://chart/view.html")
  expect((await proxy.listResources()).map((r) => r.uri)).toEqual(["ui://chart/view.html"])
  proxy.addServer({ name: "apps2", source: "config", spec: { command: BUN, args: [APPS, "chart", "apps2"] } })
  expect(await until(async () => uriOf(await proxy.listTools(), "apps2__chart") !== undefined, 20_000)).toBe(true)
  const tools = await proxy.listTools()
  expect(uriOf(tools, "apps__chart")).toBe("ui://apps@chart/view.html")
  expect(uriOf(tools, "apps2__chart")).toBe("ui://apps2@chart/view.html")
  expect(uriOf(proxy.appTools!(), "apps__chart_refresh")).toBe("ui://apps@chart/view.html")
  expect(await until(async () => (await proxy.listResources()).length === 2, 20_000)).toBe(true)
  expect((await proxy.listResources()).map((r) => r.uri)).toEqual(["ui://apps@chart/view.html", "ui://apps2@chart/view.html"])
  for (const server of ["apps", "apps2"]) {
    const read = await proxy.readResource(`ui://${server}@chart/view.html`, ctx())
    expect(read.contents[0]).toMatchObject({ uri: `ui://${server}@chart/view.html`, text: `<!doctype html><title>chart</title><!-- ${server} -->` })
  }
  await proxy.removeServer("apps2")
  expect(await until(async () => uriOf(await proxy.listTools(), "apps__chart") === "ui://chart/view.html", 20_000)).toBe(true)
  expect((await proxy.listResources()).map((r) => r.uri)).toEqual(["ui://chart/view.html"])
}, 90_000)
