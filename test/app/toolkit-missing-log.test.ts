/**
 * The Docker MCP Toolkit missing at start: with `toolkit.enabled: on` (asked for explicitly) that is
 * a warning with a remedy; with `auto` it is a plain fact of the machine (info).
 */
import { describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { connectBinary, sandboxEnv, tempDir } from "../helpers/binary.ts"
import { until } from "../proxy/helpers.ts"

async function logLine(enabled: "on" | "auto"): Promise<Record<string, unknown>> {
  const dir = tempDir("mcpo-tk-missing-")
  const cfg = join(dir, "config.json")
  writeFileSync(cfg, JSON.stringify({ toolkit: { enabled, docker: join(dir, "no-such-docker") } }))
  const c = await connectBinary(["serve", "--config", cfg], sandboxEnv())
  try {
    const found = () => c.stderr().split("\n").find((l) => l.includes("docker mcp toolkit not available"))
    expect(await until(() => found() !== undefined, 15_000)).toBe(true)
    return JSON.parse(found()!) as Record<string, unknown>
  } finally {
    await c.close()
  }
}

describe("toolkit missing at start", () => {
  test("toolkit.enabled: on → a warning naming the setting, with a remedy", async () => {
    const line = await logLine("on")
    expect(line.level).toBe("warn")
    expect(line.msg).toContain("toolkit.enabled is on")
    expect(String(line.remedy)).toContain("toolkit.enabled")
  }, 30_000)

  test("toolkit.enabled: auto → info", async () => {
    expect((await logLine("auto")).level).toBe("info")
  }, 30_000)
})
