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

async function doctorAt(docker: string, env: Record<string, string>): Promise<{ name: string; status: string; detail: string }[]> {
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  docker: ${JSON.stringify(docker)}\n`)
  const p = Bun.spawn([BIN, "doctor", "--json", "--config", cfg], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const out = await new Response(p.stdout).text()
  await p.exited
  return (JSON.parse(out) as { checks: { name: string; status: string; detail: string }[] }).checks
}

// docker runs the `docker-mcp` plugin as a child sharing its pipes, and on SIGTERM waits for it; a
// hung plugin kept doctor waiting (here 60 s; forever for a plugin that never ends) after its 10 s
test("a `docker mcp version` whose plugin hangs and ignores SIGTERM: doctor stops it after its wait and says so", async () => {
  const env = sandboxEnv()
  const docker = join(env.HOME!, "docker")
  writeFileSync(docker, `#!/bin/sh\ntrap '' TERM\nsh -c 'trap "" TERM; echo "waiting for Docker Desktop..." >&2; sleep 60'\n`, { mode: 0o755 })
  const c = (await doctorAt(docker, env)).find((x) => x.name === "docker mcp")!
  expect(c.status).toBe("warn")
  expect(c.detail).toBe("`docker mcp version` did not answer within 10 s and was stopped (it printed: waiting for Docker Desktop...)")
}, 30_000)

test("toolkit.docker that exists but is not executable is said so, not \"not found on PATH\"", async () => {
  const env = sandboxEnv()
  const docker = join(env.HOME!, "docker")
  writeFileSync(docker, "#!/bin/sh\necho v0.43.3\n", { mode: 0o644 })
  const c = (await doctorAt(docker, env)).find((x) => x.name === "docker")!
  expect(c).toMatchObject({ status: "warn", detail: `toolkit.docker "${docker}" is not executable` })
})

// toolkit.profile naming a profile that does not exist passed doctor; serve then answered every
// Toolkit tool with UNKNOWN_PROFILE in front of the model
test("toolkit.profile: a missing profile is a warning with the command that creates it; an existing one is ok; legacy era says it is ignored", async () => {
  const { makeFakeDocker } = await import("../docker/fake.ts")
  const run = async (version: string, profile: string, create?: string) => {
    const f = makeFakeDocker({ version })
    try {
      if (create) expect(Bun.spawnSync(["docker", "mcp", "profile", "create", "--name", create], { env: f.env }).exitCode).toBe(0)
      const env = sandboxEnv({ PATH: f.env.PATH!, DOCKER_CONFIG: f.env.DOCKER_CONFIG! })
      const cfg = join(env.HOME!, "config.yaml")
      writeFileSync(cfg, `toolkit:\n  docker: ${JSON.stringify(join(f.dir, "bin", "docker"))}\n  profile: ${profile}\n`)
      const p = Bun.spawn([BIN, "doctor", "--json", "--config", cfg], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
      const out = await new Response(p.stdout).text()
      await p.exited
      return (JSON.parse(out) as { checks: { name: string; status: string; detail: string; remedy?: string }[] }).checks.find((c) => c.name === "toolkit.profile")
    } finally {
      f.cleanup()
    }
  }
  expect(await run("v0.43.3", "ghost")).toMatchObject({ status: "warn", detail: 'profile "ghost" does not exist in the MCP Toolkit', remedy: expect.stringContaining("docker mcp profile create --name ghost --id ghost") })
  expect(await run("v0.43.3", "dev", "dev")).toMatchObject({ status: "ok", detail: '"dev" (0 servers; docker mcp v0.43.3, profiles era)' })
  expect(await run("v0.24.0", "dev")).toMatchObject({ status: "warn", detail: expect.stringContaining("legacy (file) era") })
}, 60_000)
