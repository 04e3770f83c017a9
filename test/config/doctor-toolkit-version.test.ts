/**
 * `doctor`'s Toolkit line: a `docker mcp version` that prints no version (an update banner, escape
 * codes) is a warning quoting what it printed, escapes removed — before, it passed as
 * "✓ version <raw escape codes>", written to the terminal as they were.
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

async function doctorWith(script: string): Promise<{ name: string; status: string; detail: string }> {
  const env = sandboxEnv()
  const docker = join(env.HOME!, "docker")
  writeFileSync(docker, `#!/bin/sh\n${script}\n`, { mode: 0o755 })
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  docker: ${JSON.stringify(docker)}\n`)
  const p = Bun.spawn([BIN, "doctor", "--json", "--config", cfg], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const out = await new Response(p.stdout).text()
  await p.exited
  const report = JSON.parse(out) as { checks: { name: string; status: string; detail: string }[] }
  return report.checks.find((c) => c.name === "docker mcp")!
}

test("a version line with escape codes and no version: a warning, escapes removed", async () => {
  const c = await doctorWith(`printf '\\033[31mUpdate available!\\033[0m\\n'`)
  expect(c.status).toBe("warn")
  expect(c.detail).toContain("printed no version")
  expect(c.detail).toContain("Update available!")
  expect(c.detail).not.toContain("\u001b")
})

test("vX.Y.Z is ok", async () => {
  const c = await doctorWith(`echo v0.43.3`)
  expect(c).toMatchObject({ status: "ok", detail: "version v0.43.3" })
})
