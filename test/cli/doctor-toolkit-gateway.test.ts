/**
 * Regression (QA qa32): `doctor`'s Toolkit check ran `docker mcp version` only, which answers
 * without the Docker daemon (and without the Toolkit feature): "✓ docker mcp: version v0.43.3" while
 * every Toolkit tool then failed. It never looked at the enabled servers nor at the gateway serve
 * runs for them (`docker mcp gateway run`, serve's server `docker`), so a gateway that cannot start
 * (an image pull refused, a server's missing secret) passed too. Now the enabled servers are read as
 * serve reads them (a daemon that is down is a warning with the driver's remedy), and with servers
 * enabled the gateway is started as serve starts it, its tools listed and stopped: ✓ with its tool
 * count, or a warning quoting its stderr with what to do; no server enabled says serve starts no
 * gateway. Legacy (v0.27) and profiles (v0.43) era, through the compiled binary and the fake
 * `docker` of test/fixtures (wrapped: the driver passes a docker child PATH, HOME, DOCKER_* only).
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const FAKE = join(ROOT, "test", "fixtures", "fake-docker")

/** A `docker` for this sandbox: the fake of version `version`, its state in the sandbox, with extra env (`FAKE_DOCKER_FAIL`, `FAKE_DOCKER_GATEWAY_CMD`). */
function docker(env: Record<string, string>, version: string, extra: Record<string, string> = {}): string {
  const path = join(env.HOME!, "docker")
  const vars = { FAKE_DOCKER_MCP_VERSION: version, FAKE_DOCKER_STATE: join(env.HOME!, "fake-docker-state"), ...extra }
  const exports = Object.entries(vars).map(([k, v]) => `export ${k}='${v}'`).join("\n")
  writeFileSync(path, `#!/bin/sh\n${exports}\nexec '${process.execPath}' '${FAKE}' "$@"\n`, { mode: 0o755 })
  return path
}

async function run(cmd: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn(cmd, { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

async function doctor(env: Record<string, string>, dockerPath: string, args: string[] = []): Promise<{ code: number; out: string; err: string }> {
  const cfg = join(env.HOME!, "config.yaml")
  writeFileSync(cfg, `toolkit:\n  docker: ${JSON.stringify(dockerPath)}\n`)
  return run([BIN, "doctor", "--config", cfg, ...args], env)
}

describe("doctor looks past `docker mcp version`", () => {
  test("the Docker daemon is down (version still answers): a warning with the driver's remedy, not ✓ alone", async () => {
    const env = sandboxEnv()
    const r = await doctor(env, docker(env, "v0.43.3", { FAKE_DOCKER_FAIL: "daemon-down" }))
    expect(r.code).toBe(0)
    expect(r.out).toContain("✓ docker mcp: version v0.43.3")
    expect(r.out).toContain("! toolkit: `docker mcp version` answers, but listing the enabled servers (what serve does first) failed: The Docker daemon is not reachable")
    expect(r.out).toContain("remedy: Start Docker")
  }, 60_000)

  test("no server enabled (legacy and profiles era): serve starts no gateway, said so", async () => {
    for (const [version, era] of [["v0.27.0", "legacy era"], ["v0.43.3", "profiles era, profile default"]] as const) {
      const env = sandboxEnv()
      const r = await doctor(env, docker(env, version))
      expect(r.out).toContain(`✓ toolkit: docker mcp ${version}, ${era}: no server enabled, so serve starts no gateway until one is`)
    }
  }, 60_000)

  test("which era was detected and why: by the version, or by what a build without one did", async () => {
    const env = sandboxEnv()
    const r = await doctor(env, docker(env, "v0.27.0"), ["--no-start"])
    expect(r.out).toContain("[era detected by version v0.27.0: before v0.28, no profiles]")
    const dev = sandboxEnv()
    const d = await doctor(dev, docker(dev, "v0.0.0-dev"), ["--no-start"])
    expect(d.out).toContain("✓ toolkit: docker mcp unknown, profiles era, profile default: no server enabled")
    expect(d.out).toContain("`docker mcp profile list` answered a list: profiles on; `docker mcp catalog ls` lists OCI catalogs (as from v0.38)]")
  }, 60_000)

  test("a server enabled, the gateway starts (profiles era): ✓ with its tools, a `docker` servers row; --no-start leaves it", async () => {
    const env = sandboxEnv()
    const d = docker(env, "v0.43.3")
    expect((await run([d, "mcp", "catalog", "pull", "mcp/docker-mcp-catalog"], env)).code).toBe(0)
    expect((await run([d, "mcp", "profile", "create", "--name", "default", "--id", "default"], env)).code).toBe(0)
    expect((await run([d, "mcp", "profile", "server", "add", "--server=catalog://mcp/docker-mcp-catalog/duckduckgo", "--", "default"], env)).code).toBe(0)
    const r = await doctor(env, d)
    expect(r.out).toMatch(/✓ toolkit: docker mcp v0\.43\.3, profiles era, profile default: 1 server enabled \(duckduckgo\); the gateway \(docker mcp gateway run\) started: \d+ tools, [\d.]+ s; stopped again/)
    const json = JSON.parse((await doctor(env, d, ["--json"])).out) as { servers: { name: string; status: string; tools?: number }[] }
    expect(json.servers.find((s) => s.name === "docker")).toMatchObject({ status: "ok" })
    const quick = await doctor(env, d, ["--no-start"])
    expect(quick.out).toContain("✓ toolkit: docker mcp v0.43.3, profiles era, profile default: 1 server enabled (duckduckgo); serve runs `docker mcp gateway run` for them (not started: --no-start)")
  }, 60_000)

  test("a server enabled whose gateway cannot start (legacy era): a warning quoting why, with what to run and what to disable; --strict exits 1", async () => {
    const env = sandboxEnv()
    const failing = join(env.HOME!, "gateway-fails.sh")
    writeFileSync(
      failing,
      "#!/bin/sh\necho '- Reading configuration...' >&2\necho \"  > Can't start duckduckgo: pulling docker image mcp/duckduckgo: toomanyrequests: You have reached your pull rate limit\" >&2\nexit 1\n",
      { mode: 0o755 },
    )
    const d = docker(env, "v0.27.0", { FAKE_DOCKER_GATEWAY_CMD: JSON.stringify([failing]) })
    expect((await run([d, "mcp", "server", "enable", "duckduckgo"], env)).code).toBe(0)
    const r = await doctor(env, d)
    expect(r.code).toBe(0)
    expect(r.out).toContain("! toolkit: docker mcp v0.27.0, legacy era: 1 server enabled (duckduckgo), but the gateway (docker mcp gateway run) failed to start: it exited with code 1")
    expect(r.out).toContain("You have reached your pull rate limit")
    expect(r.out).toContain("remedy: Run `docker mcp gateway run --long-lived` yourself to see why it fails")
    expect(r.out).toContain("(`docker mcp server disable NAME`), or set toolkit.gateway: false")
    expect((await doctor(env, d, ["--strict"])).code).toBe(1)
  }, 60_000)
})
