/**
 * @module test/docker/runner.test
 * The spawning runner on its own: the stdout cap kills the child, stderr keeps a bounded tail, env allowlist per platform, docker
 * resolution, and that argv reaches the child verbatim (no shell in between).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { redactString, ToolkitError } from "../../src/core/index.ts"
import { childEnv, createSpawnRunner, resolveDocker } from "../../src/docker/index.ts"

const dir = mkdtempSync(join(tmpdir(), "runner-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function script(name: string, body: string): string {
  const p = join(dir, name)
  writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 })
  return p
}

describe("spawn runner", () => {
  test("stdout over the cap kills the child: OUTPUT_TOO_LARGE", async () => {
    const run = createSpawnRunner({ docker: script("flood", "exec yes flood"), env: { PATH: "/usr/bin:/bin" }, maxStdoutBytes: 64 * 1024 })
    try {
      await run({ args: ["mcp"] })
      throw new Error("expected OUTPUT_TOO_LARGE")
    } catch (e) {
      expect((e as ToolkitError).code).toBe("OUTPUT_TOO_LARGE")
    }
  })

  // stderr only explains: a command that prints a lot of it (progress, warnings) and succeeds is
  // not killed for it; its last bytes are kept (a command's own error comes last)
  test("stderr over the cap does not stop the command: its tail is kept, the rest drained", async () => {
    const body = 'i=0; while [ $i -lt 4000 ]; do echo "progress line $i: pulling layers, please wait" 1>&2; i=$((i+1)); done; echo "the last word" 1>&2; echo ok'
    const run = createSpawnRunner({ docker: script("errchatty", body), env: { PATH: "/usr/bin:/bin" }, maxStderrBytes: 16 * 1024 })
    const r = await run({ args: [] })
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe("ok\n")
    expect(r.stderr).toEndWith("progress line 3999: pulling layers, please wait\nthe last word\n")
    expect(r.stderr).toStartWith("[… ")
    // bounded: the tail and one marker line, starting at a whole line
    expect(Buffer.byteLength(r.stderr)).toBeLessThanOrEqual(16 * 1024 + 100)
    expect(r.stderr.split("\n")[1]).toMatch(/^progress line \d+: pulling layers, please wait$/)
  })

  test("a command that prints stderr without end is still ended by its timeout", async () => {
    const run = createSpawnRunner({ docker: script("errflood", "exec yes flood 1>&2"), env: { PATH: "/usr/bin:/bin" }, maxStderrBytes: 16 * 1024 })
    const r = await run({ args: [], timeoutMs: 500 })
    expect(r.timedOut).toBe(true)
    expect(r.stderr).toEndWith("flood\n")
    expect(Buffer.byteLength(r.stderr)).toBeLessThanOrEqual(16 * 1024 + 100)
  })

  test("argv reaches the child verbatim: metacharacters are data", async () => {
    const run = createSpawnRunner({ docker: script("echoargs", 'for a in "$@"; do printf "%s\\n" "$a"; done'), env: { PATH: "/usr/bin:/bin" } })
    const args = ["mcp", "--", "$(touch /tmp/pwned)", "a;b", "`id`", "x y", "*"]
    const r = await run({ args })
    expect(r.exitCode).toBe(0)
    expect(r.stdout.split("\n").slice(0, -1)).toEqual(args)
  })

  test("env allowlist: Linux vs Windows", () => {
    const src = { PATH: "/bin", HOME: "/h", DOCKER_HOST: "unix:///x", DOCKER_CONTEXT: "c", DOCKER_CONFIG: "/d", XDG_RUNTIME_DIR: "/r", DOCKER_MCP_IN_CONTAINER: "1", GITHUB_TOKEN: "ghp_x", AWS_SECRET_ACCESS_KEY: "k", LOCALAPPDATA: "C:\\x", NODE_OPTIONS: "--require evil" }
    expect(Object.keys(childEnv(src, "linux")).sort()).toEqual(["DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_HOST", "DOCKER_MCP_IN_CONTAINER", "HOME", "PATH", "XDG_RUNTIME_DIR"])
    expect(Object.keys(childEnv({ ...src, Path: "C:\\bin" }, "win32"))).toContain("LOCALAPPDATA")
    expect(Object.keys(childEnv(src, "win32"))).not.toContain("GITHUB_TOKEN")
  })

  test("a docker child gets the proxies, CA bundles and remote-engine TLS settings; their credentials are registered as secrets", () => {
    const pass = `Pw${crypto.randomUUID().slice(0, 8)}Z9`
    const net = { HTTPS_PROXY: `http://u:${pass}@proxy:3128`, no_proxy: "localhost", SSL_CERT_FILE: "/etc/ssl/corp.pem", NODE_EXTRA_CA_CERTS: "/etc/ssl/corp.pem", DOCKER_CERT_PATH: "/c", DOCKER_TLS_VERIFY: "1" }
    const env = childEnv({ PATH: "/bin", GITHUB_TOKEN: "ghp_x", ...net }, "linux")
    expect(env).toEqual({ PATH: "/bin", ...net })
    expect(redactString(`proxy ${net.HTTPS_PROXY}`)).not.toContain(pass)
  })

  test("docker resolution: absolute path kept, name looked up on the given PATH only", () => {
    expect(resolveDocker("/opt/docker", {})).toBe("/opt/docker")
    const fake = script("docker", "exit 0")
    expect(resolveDocker("docker", { PATH: dir })).toBe(fake)
    expect(() => resolveDocker("docker", { PATH: "/nonexistent" })).toThrow(ToolkitError)
  })
})

describe("command labels in errors and logs", () => {
  test("config values never appear", async () => {
    const { commandLabel, argv } = await import("../../src/docker/index.ts")
    const set = commandLabel(argv.profiles.configSet("dev", "github", "token", "ghp_secretsecretsecret"))
    expect(set).toBe("docker mcp profile config --set=… -- dev")
    const yaml = commandLabel(argv.legacy.configWrite("github:\n  token: hunter2\n"))
    expect(yaml).toBe("docker mcp config write -- …")
    expect(commandLabel(["mcp", "server", "ls", "--json"])).toBe("docker mcp server ls --json")
  })
})

describe("a docker killed by a signal nobody here sent", () => {
  test("says which signal ended which command, for which Toolkit, and what may have done it (not 'exit 137: no error output')", async () => {
    // the out-of-memory killer (or a user's kill -9) ends the plugin mid-command: no error text, exit 128 + 9
    const docker = script("docker-killed", 'case "$2" in version) echo v0.43.3 ;; *) echo "- Reading secrets..." >&2; kill -9 $$ ;; esac')
    const { createToolkitDriver } = await import("../../src/docker/index.ts")
    const d = createToolkitDriver({ docker, env: { PATH: "/usr/bin:/bin" } })
    let err: unknown
    try {
      await d.secretsList()
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ToolkitError)
    const e = err as ToolkitError
    expect(e.code).toBe("COMMAND_FAILED")
    expect(e.message).toContain("`docker mcp secret ls --json` was killed by SIGKILL (exit 137)")
    expect(e.message).toContain("Reading secrets")
    expect(e.message).toContain("Toolkit v0.43.3, profiles era")
    expect(e.remedy).toContain("out of memory")
  })
})
