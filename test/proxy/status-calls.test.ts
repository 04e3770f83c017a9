/**
 * Regression (QA): orchestrator_status `servers[].calls` counted every request sent to a server
 * (6/4/2 with no tool call made: its lists). `calls` counts tool calls only; the other requests
 * (lists, reads, prompts, completions) are `requests`.
 */
import { describe, expect, test } from "bun:test"
import { silentLogger } from "../../src/core/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { config, ctx, everythingStdio } from "./helpers.ts"

describe("status: calls are tool calls", () => {
  test("lists, reads and prompts are requests, not calls; a tool call is a call", async () => {
    await using proxy = createProxy({ config: config({ servers: { ev: everythingStdio }, proxy: { listWait: 10_000 } }), log: silentLogger, closeGraceMs: 200 })
    expect((await proxy.listTools()).map((t) => t.name)).toContain("ev__echo")
    await proxy.listPrompts()
    await proxy.listResources()
    const row = () => proxy.status().servers.find((s) => s.name === "ev")!
    expect(row().calls).toBe(0)
    expect(row().requests).toBeGreaterThanOrEqual(3)
    await proxy.callTool("ev__echo", { message: "one" }, ctx())
    await proxy.callTool("ev__echo", { message: "two" }, ctx())
    expect(row().calls).toBe(2)
  }, 30_000)
})
