/**
 * config_get for one server shows the same view in both eras. A map value (config_set `value:
 * {a: [1]}`) read `duckduckgo.opts = {"a":[1]}` in the legacy era but `duckduckgo.opts.a = [1]` in the
 * profiles era (whose CLI keeps `--get-all` a flat map of dotted keys); the all-servers view already
 * wrote nested maps as dotted keys in both eras. Now one server's view does too, text and
 * structuredContent alike. The real driver and Toolkit tools over the fake docker of each era.
 */
import { describe, expect, test } from "bun:test"
import { createToolkitDriver } from "../../src/docker/index.ts"
import { toolkitTools } from "../../src/manage/index.ts"
import { fakeDockers } from "./fake.ts"
import { call } from "./tool-call.ts"

const fake = fakeDockers()

async function view(version: string): Promise<{ text: string; structured: unknown }> {
  const f = fake({ version })
  const tools = toolkitTools(createToolkitDriver({ env: f.env }))
  expect((await call(tools, "server_enable", { name: "duckduckgo" })).isError).toBeFalsy()
  for (const [key, value] of [["region", "de"], ["opts", { a: [1], b: { c: "x" } }], ["conn", { username: "me", password: "s3cr3t-value-42" }]] as const) {
    const r = await call(tools, "config_set", { server: "duckduckgo", key, value })
    expect(r.isError, r.text).toBeFalsy()
  }
  const r = await call(tools, "config_get", { server: "duckduckgo" })
  expect(r.isError, r.text).toBeFalsy()
  return { text: r.text, structured: r.structured }
}

describe("config_get of one server: one view in both eras", () => {
  test("legacy v0.24.0 and profiles v0.43.3 answer the same text and structuredContent", async () => {
    const legacy = await view("v0.24.0")
    const profiles = await view("v0.43.3")
    expect(legacy.text).toContain('duckduckgo.opts.a = [1]')
    expect(legacy.text).toContain('duckduckgo.opts.b.c = "x"')
    expect(legacy.text).toContain("duckduckgo.conn.password = [REDACTED]")
    expect(legacy.text).toContain('duckduckgo.conn.username = "me"\n')
    expect(legacy.text).not.toContain("s3cr3t")
    // the closing note names each era's own read command (`docker mcp config read` / `profile config`)
    const values = (v: { text: string; structured: unknown }) => ({ text: v.text.split("\nValues of secret-looking keys")[0], structured: v.structured })
    expect(JSON.stringify(values(profiles), null, 1)).toBe(JSON.stringify(values(legacy), null, 1))
  }, 90_000)
})
