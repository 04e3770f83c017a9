/**
 * A broken docker-mcp plugin's own words (its crash on stderr, its metadata on stdout) are quoted
 * in TOOLKIT_BROKEN, cut to a bound: masked before the cut, so a token the plugin printed across
 * the cut leaves no first characters (`ghp_A1b2…` is no token shape once cut). A real plugin
 * script in a DOCKER_CONFIG of its own, run as docker runs it.
 */
import { afterAll, expect, test } from "bun:test"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { brokenPlugin } from "../../src/docker/plugin-health.ts"

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A DOCKER_CONFIG whose docker-mcp prints `out` to stdout, `err` to stderr, then exits `code`. */
function pluginPrinting(out: string, err: string, code: number): Record<string, string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "mcpo-plugin-masked-"))
  dirs.push(dir)
  mkdirSync(join(dir, "cli-plugins"))
  writeFileSync(join(dir, "out.txt"), out)
  writeFileSync(join(dir, "err.txt"), err)
  writeFileSync(join(dir, "cli-plugins", "docker-mcp"), `#!/bin/sh\ncat '${join(dir, "out.txt")}'\ncat '${join(dir, "err.txt")}' >&2\nexit ${code}\n`, { mode: 0o755 })
  return { ...process.env, DOCKER_CONFIG: dir }
}

const TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

test("a Go panic quoting a token across its 300-character cut: masked whole", async () => {
  const got = await brokenPlugin(pluginPrinting("", `panic: cannot load the credential store ${"x".repeat(248)} ${TOKEN}\n\ngoroutine 1 [running]:\n`, 2))
  expect(got?.reason).toStartWith("it exits 2: panic: cannot load the credential store")
  expect(got?.reason).not.toContain(TOKEN.slice(0, 8))
})

test("metadata that is not the plugin JSON, quoting a token across its cut: masked whole", async () => {
  const got = await brokenPlugin(pluginPrinting(`loading ${"y".repeat(100)} ${TOKEN}\n`, "", 0))
  expect(got?.reason).toStartWith("its metadata is not the plugin JSON docker expects")
  expect(got?.reason).not.toContain(TOKEN.slice(0, 8))
})
