/**
 * @module test/docker/binary-broken-plugin.test
 * A `docker-mcp` plugin that is there but does not run (docker calls it an unknown command; a Go
 * panic): `doctor` and `orchestrator_status` word it as the driver does (TOOLKIT_BROKEN, the
 * plugin's path and reason, the reinstall remedy), never "not installed".
 */
import { afterAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, connectBinary, ensureBuilt, sandboxEnv, type Connected } from "../helpers/binary.ts"
import { makeFakeDocker, type FakeDocker } from "./fake.ts"

const fakes: FakeDocker[] = []
const conns: Connected[] = []
afterAll(async () => {
  for (const c of conns) await c.close()
  for (const f of fakes) f.cleanup()
})

function fakeWith(fail: string): { fake: FakeDocker; env: Record<string, string> } {
  const fake = makeFakeDocker({ version: "v0.43.3", fail })
  fakes.push(fake)
  return { fake, env: sandboxEnv({ PATH: fake.env.PATH as string, DOCKER_CONFIG: fake.env.DOCKER_CONFIG as string }) }
}

async function doctorLine(fail: string): Promise<{ status: string; detail: string; remedy?: string }> {
  const { env } = fakeWith(fail)
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, "toolkit:\n  enabled: on\n")
  const p = Bun.spawn([BIN, "doctor", "--json", "--config", cfg], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const out = await new Response(p.stdout).text()
  await p.exited
  return (JSON.parse(out) as { checks: Array<{ name: string; status: string; detail: string; remedy?: string }> }).checks.find((c) => c.name === "docker mcp")!
}

const WANT: Record<string, RegExp> = {
  "plugin-exec-format": /installed at \S+docker-mcp but does not run: exec format error/,
  "plugin-metadata-panic": /installed at \S+docker-mcp but does not run: it exits 2: panic: runtime error/,
  "plugin-panic": /installed but does not run: panic: runtime error/,
}

describe("a broken docker-mcp plugin, in doctor and orchestrator_status", () => {
  for (const [mode, want] of Object.entries(WANT)) {
    test(`doctor: ${mode}`, async () => {
      await ensureBuilt()
      const c = await doctorLine(mode)
      expect(c.status).toBe("warn")
      expect(c.detail).toMatch(want)
      expect(c.detail).not.toContain("not installed")
      expect(c.remedy).toContain("Reinstall the plugin")
    }, 60_000)
  }

  test("orchestrator_status: the toolkit's error, code and remedy", async () => {
    await ensureBuilt()
    const { env } = fakeWith("plugin-exec-format")
    const c = await connectBinary(["serve"], env)
    conns.push(c)
    let toolkit: Record<string, unknown> | null = null
    // the Toolkit is probed in the background after startup: ask until it has an answer
    for (let i = 0; i < 100 && (toolkit === null || toolkit.state === "probing"); i++) {
      const r = (await c.client.callTool({ name: "orchestrator_status", arguments: {} })) as { structuredContent?: { toolkit?: Record<string, unknown> | null } }
      toolkit = r.structuredContent?.toolkit ?? null
      if (toolkit?.state === "probing") await Bun.sleep(100)
    }
    expect(toolkit).toMatchObject({ state: "unavailable", code: "TOOLKIT_BROKEN" })
    expect(String(toolkit?.error)).toMatch(WANT["plugin-exec-format"]!)
    expect(String(toolkit?.remedy)).toContain("Reinstall the plugin")
  }, 60_000)
})
