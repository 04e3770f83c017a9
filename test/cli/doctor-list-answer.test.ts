/**
 * Regression (QA): `doctor` on a stdio server whose tools/list answer cannot be used (one line over
 * pool.maxFrameBytes, or cut short) said "the server refuses to list its tools (a missing setting
 * or login, a bug)": no word of the size limit to raise. Now its remedy is serve's for the same
 * failure (proxy/list-remedy): raise pool.maxFrameBytes, or fix the server.
 */
import { beforeAll, expect, test } from "bun:test"
import { join } from "node:path"
import { BIN, ensureBuilt, ROOT, sandboxEnv, writeConfig } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

const GATE = join(ROOT, "test", "fixtures", "servers", "list-gate-server.ts")

test("doctor: a tools/list answer over pool.maxFrameBytes, or cut short, has a remedy that says what to do about it", async () => {
  const env = sandboxEnv({ MCPO_TOOLKIT_ENABLED: "off" })
  const servers = { big: { command: process.execPath, args: [GATE, "--oversize", "tools/list"] }, cut: { command: process.execPath, args: [GATE, "--unreadable", "tools/list"] } }
  const cfg = writeConfig(env, { servers, pool: { maxFrameBytes: 1024 * 1024 } })
  const p = Bun.spawn([BIN, "doctor", "--json", "--config", cfg], { env, cwd: env.HOME, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const [out] = await Promise.all([new Response(p.stdout).text(), p.exited])
  const checks = (JSON.parse(out) as { checks: Array<{ server?: string; status: string; detail: string; remedy?: string }> }).checks
  const of = (s: string) => checks.find((c) => c.server === s)!
  expect(of("big")).toMatchObject({ status: "warn" })
  expect(of("big").detail).toContain("tools/list failed")
  expect(of("big").remedy).toContain("raise pool.maxFrameBytes")
  expect(of("cut").detail).toContain("tools/list failed")
  expect(of("cut").remedy).toContain("fix or update the server")
}, 60_000)
