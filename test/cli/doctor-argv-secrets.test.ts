/**
 * Regression (qa36): a secret handed to a stdio server on its command line (`--api-key X`, a
 * token-shaped argument, a `${env:…}` secret put in an argument, a URL's password) is readable by
 * every local user (`ps`, /proc/<pid>/cmdline) while its environment is not, and `doctor` said
 * nothing about it. Now it warns per server, naming where (`args[3] after --api-key`) and never the
 * value, with the remedy (env / envFile). A server whose secrets are only in its env, and ordinary
 * arguments, get no such warning. It is a config warning (config/argv-secrets), so `serve` logs it
 * too. Through the compiled binary, `--no-start` (nothing started).
 */
import { beforeAll, expect, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const FLAG = "QA36flagCanary7788"
const INTERP = "QA36interpCanary9911"
const SHAPE = "ghp_QA36shapeCanary0123456789ab"
const URLPW = "QA36urlCanary4455"
const ENVONLY = "QA36envCanary6622"
/** A password under a name no rule knows as secret, in an env and in a header. */
const PLAINENV = "hunter2x"
const PLAINHDR = "letmein99"

interface Check { name: string; status: string; detail: string; remedy?: string }

test("doctor warns about a secret on a stdio server's command line, naming where, never the value", () => {
  const env = sandboxEnv({ QA36_DB_PASSWORD: INTERP })
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(
    cfg,
    JSON.stringify({
      servers: {
        flagged: { command: "sh", args: ["-c", "true", "--api-key", FLAG] },
        interp: { command: "sh", args: ["-c", "true", "--db-password=${env:QA36_DB_PASSWORD}"] },
        shaped: { command: "sh", args: ["-c", "true", SHAPE] },
        urlpw: { command: "sh", args: ["-c", "true", `postgres://app:${URLPW}@localhost/db`] },
        // secrets in the environment only, ordinary arguments: no warning
        clean: { command: "sh", args: ["-c", "true", "--verbose", "--port", "8080", "/tmp/data"], env: { API_KEY: ENVONLY, MYSQL_ROOT: PLAINENV } },
        remote: { url: "http://127.0.0.1:9/mcp", headers: { "X-Tenant-Pass": PLAINHDR } },
      },
      toolkit: { enabled: "off" },
    }),
  )
  const p = Bun.spawnSync([BIN, "doctor", "--json", "--no-start", "--config", cfg], { env, cwd: env.HOME })
  const out = p.stdout.toString() + p.stderr.toString()
  for (const v of [FLAG, INTERP, SHAPE, URLPW, ENVONLY, PLAINENV, PLAINHDR]) expect(out).not.toContain(v)
  const report = JSON.parse(p.stdout.toString()) as { checks: Check[]; config: { effective: { servers: Record<string, { env?: Record<string, string>; headers?: Record<string, string> }> } } }
  // every env and header value is masked in the effective config, the names kept
  expect(report.config.effective.servers.clean!.env).toEqual({ API_KEY: "[REDACTED]", MYSQL_ROOT: "[REDACTED]" })
  expect(report.config.effective.servers.remote!.headers).toEqual({ "X-Tenant-Pass": "[REDACTED]" })
  const checks = report.checks
  const argv = checks.filter((c) => c.name === "config" && c.detail.includes("command line"))
  const by = (server: string) => argv.find((c) => c.detail.startsWith(`servers.${server} (`))
  expect(by("flagged")?.detail).toContain("(args[3] after --api-key)")
  expect(by("interp")?.detail).toContain("(args[2])")
  expect(by("shaped")?.detail).toContain("(args[2])")
  expect(by("urlpw")?.detail).toContain("(args[2])")
  for (const c of argv) {
    expect(c.status).toBe("warn")
    expect(c.detail).toContain("ps")
    expect(c.detail).toContain(".env or an envFile")
    expect(c.remedy).toContain("env")
  }
  expect(by("clean")).toBeUndefined()
  expect(argv).toHaveLength(4)
  // every server can start: the count line says so without "other"
  expect(checks.filter((c) => c.name === "servers" && c.status === "ok").map((c) => c.detail)).toEqual(["5 stdio servers: command found, working directory usable (not started: --no-start)"])
}, 30_000)

test("serve logs the same warning at start, never the value", async () => {
  const env = sandboxEnv()
  const cfg = join(env.HOME!, "config.json")
  writeFileSync(cfg, JSON.stringify({ servers: { flagged: { command: "sh", args: ["-c", "sleep 30", "--api-key", FLAG] } }, toolkit: { enabled: "off" } }))
  const p = Bun.spawn([BIN, "serve", "--config", cfg], { env, cwd: env.HOME, stdin: "pipe", stdout: "pipe", stderr: "pipe" })
  // the start-up lines, until the warning (or the serve's own "ready") is out; then stdin ends the serve
  let err = ""
  const reader = p.stderr.getReader()
  const dec = new TextDecoder()
  for (;;) {
    const r = await Promise.race([reader.read(), Bun.sleep(15_000).then(() => ({ done: true, value: undefined }))])
    if (r.done || !r.value) break
    err += dec.decode(r.value)
    const at = err.indexOf("command line")
    if ((at >= 0 && err.indexOf("\n", at) > 0) || err.includes('"msg":"ready"')) break
  }
  p.stdin.end()
  await p.exited
  expect(err).not.toContain(FLAG)
  const line = err.split("\n").find((l) => l.includes("a secret is given on its command line"))
  expect(line).toBeDefined()
  expect(JSON.parse(line!).problem).toContain("servers.flagged (")
  expect(line).toContain("args[3] after --api-key")
}, 30_000)
