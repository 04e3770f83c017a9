/**
 * Regression (QA): a URL (remote) server that failed got the remedy "Check the server's command
 * and environment". The remedy of SERVER_UNAVAILABLE fits the transport: the url, network, headers
 * or OAuth sign-in for a remote server; command and environment for a stdio one.
 */
import { describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config, ctx } from "./helpers.ts"

type Failure = { code?: string; remedy?: string; message?: string }

async function failure(call: () => Promise<unknown>): Promise<Failure> {
  return (await call().then(
    () => ({}),
    (e: unknown) => e as Failure,
  )) as Failure
}

describe("SERVER_UNAVAILABLE's remedy fits the transport", () => {
  test("remote: the url, the network, headers or the OAuth sign-in; not a command", async () => {
    const cfg = config({ servers: { web: { url: "http://127.0.0.1:9/mcp" } }, pool: { restartDelay: 600_000, restartDelayMax: 600_000, connectTimeout: 2000 }, proxy: { listWait: 3000 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    await proxy.listTools()
    const e = await failure(() => proxy.callTool("web__search", {}, ctx()))
    expect(e.code).toBe("SERVER_UNAVAILABLE")
    expect(e.remedy).toContain("url is reachable from this machine")
    expect(e.remedy).toContain("headers")
    expect(e.remedy).toContain("mcp-orchestrator auth login web")
    expect(e.remedy).not.toContain("command")
  }, 20_000)

  test("stdio: its command and environment", async () => {
    const cfg = config({ servers: { local: { command: "/nonexistent/mcp-server-binary" } }, pool: { restartDelay: 600_000, restartDelayMax: 600_000 }, proxy: { listWait: 3000 } })
    await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
    await proxy.listTools()
    const e = await failure(() => proxy.callTool("local__echo", {}, ctx()))
    expect(e.code).toBe("SERVER_UNAVAILABLE")
    expect(e.remedy).toStartWith("Check the server's command and environment in the config")
  }, 20_000)
})
