/**
 * MCP Apps behind the aggregator, for an App host (a client that declares the extension
 * io.modelcontextprotocol/ui) and for any other client, both eras, through the binary with three
 * real SDK servers (test/fixtures/servers/apps-server.ts): `apps` and `apps2` both with the chart App
 * (`chart`, app-only `chart_refresh`), `dash` with the dashboard App (`dashboard`, app-only
 * `dashboard_refresh`, `ui://dashboard/view.html`). An App host lists the app-only tools (namespaced,
 * `_meta.ui` kept) and calls them, also by their server's own name as a view does, when exactly one
 * server has that name (else refused naming each); its `ui://` reads reach their server. Another
 * client, and the model's call_tool/search_tools, never see nor reach them. Before, app-only tools
 * were in no list and refused to every client, and a view's call by its server's own name was an
 * unknown tool.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { join } from "node:path"
import { answerText, connectBinary, ensureBuilt, listUntil, resultText, sandboxEnv, startHttpBinary, writeConfig, type Connected, type HttpBinary } from "../helpers/binary.ts"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { waitFor } from "../helpers/wait.ts"
import { BUN, ROOT } from "./helpers.ts"

const APPS = join(ROOT, "test", "fixtures", "servers", "apps-server.ts")
const UI = "io.modelcontextprotocol/ui"
const HOST_CAPS = { extensions: { [UI]: { mimeTypes: ["text/html;profile=mcp-app"] } } }

function config(env: Record<string, string>): string {
  return writeConfig(env, {
    toolkit: { enabled: "off" },
    plugins: { enabled: false },
    servers: {
      apps: { command: BUN, args: [APPS, "chart", "apps"] },
      apps2: { command: BUN, args: [APPS, "chart", "apps2"] },
      dash: { command: BUN, args: [APPS, "dashboard", "dash"] },
    },
  })
}

type Listed = { name: string; _meta?: { ui?: { resourceUri?: string; visibility?: string[] } } }

describe("MCP Apps for an App host and for other clients (2025-11-25, the SDK's Client)", () => {
  let host: Connected
  let plain: Connected
  beforeAll(async () => {
    await ensureBuilt()
    host = await connectBinary(["serve", "--config", config(sandboxEnv())], sandboxEnv(), HOST_CAPS as never)
    plain = await connectBinary(["serve", "--config", config(sandboxEnv())], sandboxEnv(), {})
    for (const c of [host, plain]) for (const t of ["apps__chart", "apps2__chart", "dash__dashboard"]) await listUntil(c.client, t)
  }, 120_000)
  afterAll(async () => {
    await host?.close()
    await plain?.close()
  })

  test("an App host lists the app-only tools, namespaced, their _meta.ui kept; another client does not", async () => {
    const tools = (await host.client.listTools()).tools as Listed[]
    const refresh = tools.find((t) => t.name === "dash__dashboard_refresh")
    expect(refresh?._meta?.ui).toEqual({ resourceUri: "ui://dashboard/view.html", visibility: ["app"] })
    expect(tools.map((t) => t.name)).toContain("apps__chart_refresh")
    expect(tools.map((t) => t.name)).toContain("apps2__chart_refresh")
    const others = (await plain.client.listTools()).tools.map((t) => t.name)
    expect(others).toContain("dash__dashboard")
    expect(others.filter((n) => n.endsWith("_refresh"))).toEqual([])
  }, 60_000)

  test("an App host calls an app-only tool by its namespaced name and by its server's own name (one server has it)", async () => {
    expect(resultText(await host.client.callTool({ name: "dash__dashboard_refresh", arguments: {} }))).toBe("dashboard_refresh: done (dash)")
    // a view calls its server's tools by their own names
    expect(resultText(await host.client.callTool({ name: "dashboard_refresh", arguments: {} }))).toBe("dashboard_refresh: done (dash)")
    expect(resultText(await host.client.callTool({ name: "dashboard", arguments: {} }))).toBe("dashboard: done (dash)")
  }, 60_000)

  test("a bare name several servers have is refused naming each, never guessed", async () => {
    const r = await answerText(host.client.callTool({ name: "chart_refresh", arguments: {} }))
    expect(r).toMatch(/apps2?__chart_refresh or apps2?__chart_refresh/)
    expect(r).toContain("apps__chart_refresh")
    expect(r).toContain("apps2__chart_refresh")
    expect(r).not.toContain("done")
    const p = await answerText(host.client.callTool({ name: "plain", arguments: {} }))
    for (const c of ["apps__plain", "apps2__plain", "dash__plain"]) expect(p).toContain(c)
    expect(p).not.toContain("done")
  }, 60_000)

  test("an App host's ui:// read reaches the server that lists it", async () => {
    const r = await host.client.readResource({ uri: "ui://dashboard/view.html" })
    expect((r.contents[0] as { text?: string }).text).toBe("<!doctype html><title>dashboard</title><!-- dash -->")
  }, 60_000)

  test("a ui:// view URI two servers list is shown per server (tools' _meta.ui, app-only too, and resources/list) and each read reaches its own server", async () => {
    for (const c of [host, plain]) {
      const tools = (await c.client.listTools()).tools as Listed[]
      const uriOf = (name: string): string | undefined => tools.find((t) => t.name === name)?._meta?.ui?.resourceUri
      expect(uriOf("apps__chart")).toBe("ui://apps@chart/view.html")
      expect(uriOf("apps2__chart")).toBe("ui://apps2@chart/view.html")
      // a URI only one server has is never renamed
      expect(uriOf("dash__dashboard")).toBe("ui://dashboard/view.html")
      const uris = (await c.client.listResources()).resources.map((r) => r.uri)
      expect(uris).toEqual(expect.arrayContaining(["ui://apps@chart/view.html", "ui://apps2@chart/view.html", "ui://dashboard/view.html"]))
      expect(uris).not.toContain("ui://chart/view.html")
    }
    const tools = (await host.client.listTools()).tools as Listed[]
    expect(tools.find((t) => t.name === "apps2__chart_refresh")?._meta?.ui).toEqual({ resourceUri: "ui://apps2@chart/view.html", visibility: ["app"] })
    for (const [server, uri] of [["apps", "ui://apps@chart/view.html"], ["apps2", "ui://apps2@chart/view.html"]] as const) {
      const r = await host.client.readResource({ uri })
      expect(r.contents[0]).toMatchObject({ uri, text: `<!doctype html><title>chart</title><!-- ${server} -->` })
    }
    // the URI as the servers list it names neither: refused as contended, never guessed
    const contended = await answerText(host.client.readResource({ uri: "ui://chart/view.html" }))
    expect(contended).toContain("claimed by more than one server")
    expect(contended).toContain("ui://apps@chart/view.html, ui://apps2@chart/view.html")
  }, 60_000)

  test("an App host is told tools/list_changed when only the app-only tools change; its next list has them", async () => {
    let told = 0
    host.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void told++)
    await listUntil(host.client, "dash__dashboard_refresh")
    await host.client.callTool({ name: "dash__toggle", arguments: {} })
    await waitFor("a tools/list_changed", () => told > 0 || undefined, 20_000)
    expect((await host.client.listTools()).tools.map((t) => t.name)).toContain("dash__dashboard_extra")
    expect(resultText(await host.client.callTool({ name: "dashboard_extra", arguments: {} }))).toBe("dashboard_extra: done (dash)")
  }, 60_000)

  test("a model's surfaces never reach an app-only tool, whatever the client declared: call_tool, search_tools", async () => {
    const via = await answerText(host.client.callTool({ name: "call_tool", arguments: { name: "dash__dashboard_refresh", arguments: {} } }))
    expect(via).toContain("_meta.ui.visibility")
    expect(via).not.toContain("done (dash)")
    const found = JSON.stringify(await host.client.callTool({ name: "search_tools", arguments: { query: "dashboard refresh view" } }))
    expect(found).not.toContain("dashboard_refresh")
  }, 60_000)

  test("another client is refused an app-only tool saying why, and a bare name stays unknown to it", async () => {
    const r = await answerText(plain.client.callTool({ name: "dash__dashboard_refresh", arguments: {} }))
    expect(r).toContain("_meta.ui.visibility")
    expect(r).not.toContain("done (dash)")
    const bare = await answerText(plain.client.callTool({ name: "dashboard", arguments: {} }))
    expect(bare).not.toContain("done (dash)")
  }, 60_000)
})

describe("MCP Apps for a 2026-07-28 client (capabilities per request, Streamable HTTP)", () => {
  let h: HttpBinary
  const TOKEN = "apps-host-modern-0123456789"
  beforeAll(async () => {
    const env = sandboxEnv({ MCPO_HTTP_TOKEN: TOKEN })
    h = await startHttpBinary(config(env), env)
  }, 120_000)
  afterAll(async () => {
    h?.proc.kill("SIGTERM")
    await h?.proc.exited
  })

  let n = 0
  const post = async (method: string, params: Record<string, unknown>, caps: object): Promise<{ result?: Record<string, unknown>; error?: { message: string } }> => {
    const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": method }
    if (typeof params.name === "string") headers["mcp-name"] = params.name
    if (typeof params.uri === "string") headers["mcp-name"] = params.uri
    const body = { jsonrpc: "2.0", id: ++n, method, params: { ...params, _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": caps } } }
    const r = await fetch(h.url, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(25_000) })
    const text = await r.text()
    const data = text.startsWith("{") ? text : text.split("\n").filter((l) => l.startsWith("data: ") && l.includes('"id"')).pop()!.slice(6)
    return JSON.parse(data) as never
  }
  const names = async (caps: object): Promise<string[]> => {
    for (let i = 0; i < 200; i++) {
      const got = ((await post("tools/list", {}, caps)).result?.tools as Listed[] | undefined)?.map((t) => t.name) ?? []
      if (got.includes("dash__dashboard") && got.includes("apps__chart") && got.includes("apps2__chart")) return got
      await Bun.sleep(50)
    }
    return []
  }

  test("the list holds the app-only tools for a request that declares the extension, not for one that does not", async () => {
    expect(await names(HOST_CAPS)).toContain("dash__dashboard_refresh")
    const plainNames = await names({})
    expect(plainNames).toContain("dash__dashboard")
    expect(plainNames).not.toContain("dash__dashboard_refresh")
  }, 60_000)

  test("a ui:// view URI two servers list: per server in the list, and a resources/read of that form reaches its server", async () => {
    await names(HOST_CAPS)
    const tools = (await post("tools/list", {}, HOST_CAPS)).result?.tools as Listed[]
    expect(tools.find((t) => t.name === "apps2__chart_refresh")?._meta?.ui?.resourceUri).toBe("ui://apps2@chart/view.html")
    const read = await post("resources/read", { uri: "ui://apps2@chart/view.html" }, HOST_CAPS)
    expect(JSON.stringify(read)).toContain("<!-- apps2 -->")
  }, 60_000)

  test("a bare name's call: routed for a request that declares the extension, refused for several servers, unknown without it", async () => {
    await names(HOST_CAPS)
    const ok = await post("tools/call", { name: "dashboard_refresh", arguments: {} }, HOST_CAPS)
    expect(JSON.stringify(ok.result?.content)).toContain("dashboard_refresh: done (dash)")
    const several = await post("tools/call", { name: "chart_refresh", arguments: {} }, HOST_CAPS)
    for (const c of ["apps__chart_refresh", "apps2__chart_refresh"]) expect(JSON.stringify(several)).toContain(c)
    expect(JSON.stringify(several)).not.toContain("done")
    const without = await post("tools/call", { name: "dash__dashboard_refresh", arguments: {} }, {})
    expect(JSON.stringify(without)).toContain("_meta.ui.visibility")
    expect(JSON.stringify(without)).not.toContain("done (dash)")
  }, 60_000)
})

describe("MCP Apps on a warm start (the first tools/list answered from the last run's stored list)", () => {
  test("an App host is told tools/list_changed once the app-only tools are known, and its next list has them", async () => {
    const env = sandboxEnv()
    const cfg = writeConfig(env, { toolkit: { enabled: "off" }, plugins: { enabled: false }, servers: { dash: { command: BUN, args: [APPS, "dashboard", "dash"] } } })
    const first = await connectBinary(["serve", "--config", cfg], env, HOST_CAPS as never)
    try {
      await listUntil(first.client, "dash__dashboard_refresh")
    } finally {
      await first.close()
    }
    const again = await connectBinary(["serve", "--config", cfg], env, HOST_CAPS as never)
    try {
      let told = 0
      again.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void told++)
      const firstAnswer = (await again.client.listTools()).tools.map((t) => t.name)
      expect(firstAnswer).toContain("dash__dashboard")
      // the stored answer is the model's list (shared by every client): the host is told when its own list differs
      if (!firstAnswer.includes("dash__dashboard_refresh")) await waitFor("a tools/list_changed", () => told > 0 || undefined, 20_000)
      expect((await again.client.listTools()).tools.map((t) => t.name)).toContain("dash__dashboard_refresh")
    } finally {
      await again.close()
    }
  }, 60_000)
})
