/**
 * `cursor connect --name KEY` (QA round 7a): a key Cursor cannot use well — empty, with spaces or
 * other characters, or so long that key + tool name pass Cursor's 60 characters — is a usage error
 * (exit 2) naming it and what is expected; nothing is written.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(() => ensureBuilt())

async function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([BIN, ...args], { env, stdout: "pipe", stderr: "pipe" })
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()])
  return { code, out, err }
}

test("an unusable --name: exit 2 naming it, nothing written; a usable one works", async () => {
  const env = sandboxEnv()
  const mcp = join(env.HOME!, ".cursor", "mcp.json")
  for (const [name, why] of [
    ["", "the key is empty"],
    ["my server", "expected 1-40 of A-Z a-z 0-9 _ - ."],
    ["x".repeat(41), "41 characters; expected at most 40"],
  ] as const) {
    const r = await run(["cursor", "connect", "--name", name, "--command", "/opt/mo"], env)
    expect(r.code).toBe(2)
    expect(r.out).toBe("")
    expect(r.err).toContain(`--name ${JSON.stringify(name)}: ${why}`)
    expect(existsSync(mcp)).toBe(false)
  }
  const ok = await run(["cursor", "connect", "--name", "mo-ro.1", "--command", "/opt/mo"], env)
  expect(ok.code).toBe(0)
  expect(ok.out).toContain('entry "mo-ro.1"')
  expect(existsSync(mcp)).toBe(true)
})
