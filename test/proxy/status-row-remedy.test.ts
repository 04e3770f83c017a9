/**
 * Regression (QA): a server whose start failure had only the generic remedy (a remote server that
 * cannot be reached; a stdio server that crashes without a recognised reason) showed `lastError` in
 * its orchestrator_status row but no `remedy`. Every row showing an error now says what to do,
 * worded for its transport.
 */
import { describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config } from "./helpers.ts"

const slow = { restartDelay: 600_000, restartDelayMax: 600_000, connectTimeout: 2000 }

async function failedRow(servers: Parameters<typeof config>[0]["servers"]) {
  await using proxy = createProxy({ config: config({ servers, pool: slow, proxy: { listWait: 3000 } }), log: silentLogger, closeGraceMs: 200 })
  await proxy.listTools()
  const deadline = Date.now() + 20_000
  for (;;) {
    const row = proxy.status().servers[0]!
    if (row.lastError !== undefined || Date.now() > deadline) return row
    await Bun.sleep(100)
  }
}

describe("a status row with an error carries a remedy", () => {
  test("remote server that cannot be reached: its url, headers or sign-in", async () => {
    const row = await failedRow({ web: { url: "http://127.0.0.1:9/mcp" } })
    expect(row.lastError).toBeDefined()
    expect(row.remedy).toContain("url is reachable")
    expect(row.remedy).toContain("mcp-orchestrator auth login web")
  }, 30_000)

  test("stdio server that fails to start with nothing recognisable said: its command and environment", async () => {
    const row = await failedRow({ crash: { command: "node", args: ["-e", "process.stdout.write('hello there\\n'); process.exit(3)"] } })
    expect(row.lastError).toBeDefined()
    expect(row.remedy).toBeString()
    expect(row.remedy).toContain("command")
  }, 30_000)
})
