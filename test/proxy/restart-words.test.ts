/**
 * Regression (qa179): a server restarting after a crash (its session `starting` again, the failure
 * not cleared by a stable connection) read "starting" in search_tools — its description and its
 * answers — and run_code's note, "is still starting" in describe_tools, as if it had never failed;
 * call_tool said "it is being started now". Each place had its own words. Now one function
 * (proxy/state-words) says "restarting after a failure" everywhere, and orchestrator_status's row
 * has `restarting: true`. Through the real proxy and surface, with the fixture whose first start
 * exits and whose restart hangs.
 */
import { expect, test } from "bun:test"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { buildSurface } from "../../src/app/surface-tools.ts"
import { silentLogger } from "../../src/core/index.ts"
import { OwnTools } from "../../src/mcp/index.ts"
import { createProxy } from "../../src/proxy/index.ts"
import { tempDir } from "../helpers/binary.ts"
import { BUN, config, ctx, ROOT, until } from "./helpers.ts"

const FAIL_THEN_SERVE = join(ROOT, "test", "fixtures", "servers", "fail-then-serve.ts")

test("a server restarting after a crash is said to be restarting after a failure by search_tools, describe_tools, call_tool and orchestrator_status", async () => {
  const dir = tempDir("mcpo-restart-words-")
  const cfg = config({
    servers: { flaky: { command: BUN, args: [FAIL_THEN_SERVE, dir], protocol: "legacy" } },
    proxy: { listWait: 300 },
    pool: { restartDelay: 100, restartDelayMax: 200, connectTimeout: 600_000, callTimeout: 300 },
  })
  await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
  expect(await proxy.listTools()).toEqual([])
  // its restart (after the first start's exit) hangs: the session is starting again, after a failure
  const starts = (): number => (existsSync(join(dir, "starts")) ? readFileSync(join(dir, "starts"), "utf8").split("\n").filter(Boolean).length : 0)
  const row = () => proxy.status().servers.find((s) => s.name === "flaky")
  expect(await until(() => starts() >= 2 && row()?.state === "starting", 15_000)).toBe(true)

  const surface = buildSurface(cfg, { upstream: proxy })
  const own = new OwnTools(surface.meta)
  const run = async (name: string, args: unknown) => {
    const r = await own.call(name, args, { signal: new AbortController().signal, log: silentLogger, progress: async () => {} }, silentLogger)
    return (r.content[0] as { text: string }).text
  }
  const description = surface.meta.find((t) => t.name === "search_tools")!.description
  expect(description).toContain("flaky (restarting after a failure)")
  const searched = await run("search_tools", { query: "held alpha" })
  expect(searched).toContain("flaky (restarting after a failure: ")
  expect(searched).not.toMatch(/flaky \(starting/)
  const described = await run("describe_tools", { names: ["flaky__held_alpha"] })
  expect(described).toContain("Server flaky failed and is being restarted now: ")
  expect(described).not.toContain("still starting")
  const call = proxy.callTool("flaky__held_alpha", {}, ctx())
  await expect(call).rejects.toMatchObject({ code: "SERVER_UNAVAILABLE", remedy: expect.stringContaining("it is being restarted now, after a failure") })
  // orchestrator_status's row
  expect(row()).toMatchObject({ state: "starting", restarting: true, lastError: expect.stringContaining("TOKEN not set") })
}, 30_000)

// Regression (qa184): once the restart served, orchestrator_status still showed the first start's
// failure as `lastError` on a `ready` row (and describe_tools quoted it): a healthy server read as
// failing. An error from before the connection that is up now is `pastError`.
test("a server ready after a failed start shows that failure as pastError, not lastError", async () => {
  const dir = tempDir("mcpo-restart-past-")
  const cfg = config({
    servers: { flaky: { command: BUN, args: [FAIL_THEN_SERVE, dir], protocol: "legacy" } },
    proxy: { listWait: 300 },
    pool: { restartDelay: 100, restartDelayMax: 200, connectTimeout: 600_000 },
  })
  await using proxy = createProxy({ config: cfg, log: silentLogger, closeGraceMs: 200 })
  await proxy.listTools()
  const row = () => proxy.status().servers.find((s) => s.name === "flaky")
  expect(await until(() => row()?.lastError !== undefined, 15_000)).toBe(true)
  writeFileSync(join(dir, "up"), "")
  expect(await until(() => row()?.state === "ready" && row()!.tools > 0, 15_000)).toBe(true)
  expect(row()).toMatchObject({ state: "ready", pastError: expect.stringContaining("TOKEN not set") })
  expect(row()!.lastError).toBeUndefined()
  expect(row()!.remedy).toBeUndefined()
}, 30_000)
