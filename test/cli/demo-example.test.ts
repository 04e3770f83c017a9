/**
 * `demo --example FILE` with a file that cannot be read (QA round 7a): a usage error (exit 2) naming
 * the flag and the file, and nothing left behind in the temp directory (the demo's scratch directory
 * used to be made first and left there).
 */
import { beforeAll, expect, test } from "bun:test"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv, tempDir } from "../helpers/binary.ts"

beforeAll(() => ensureBuilt())

test("an --example that cannot be read: exit 2 naming it, no scratch directory left", async () => {
  const tmp = tempDir("mcpo-demo-tmp-")
  const missing = join(tmp, "nope.yaml")
  const p = Bun.spawn([BIN, "demo", "--example", missing], { env: sandboxEnv({ TMPDIR: tmp }), stdout: "pipe", stderr: "pipe" })
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()])
  expect(code).toBe(2)
  expect(out).toBe("")
  expect(err).toContain(`--example ${missing}: cannot read the file (ENOENT)`)
  expect(err).toContain("Remedy: ")
  expect(readdirSync(tmp)).toEqual([])
})

test("Ctrl-C during the demo: exit 130, the orchestrator stopped and no scratch directory left", async () => {
  const tmp = tempDir("mcpo-demo-int-")
  const p = Bun.spawn([BIN, "demo"], { env: sandboxEnv({ TMPDIR: tmp }), stdout: "pipe", stderr: "pipe", cwd: join(import.meta.dir, "..", "..") })
  // interrupted once the orchestrator is up (its first line names the scratch config)
  const reader = (p.stdout as ReadableStream<Uint8Array>).getReader()
  let out = ""
  while (!out.includes("initialize")) {
    const { value, done } = await reader.read()
    if (done) break
    out += new TextDecoder().decode(value)
  }
  expect(out).toContain("initialize")
  expect(readdirSync(tmp).length).toBe(1)
  p.kill("SIGINT")
  expect(await p.exited).toBe(130)
  expect(readdirSync(tmp)).toEqual([])
}, 60_000)
