/**
 * A one-shot command's output through a pipe arrives whole: Bun hands `process.stdout.write` to a
 * pipe in pieces after the call returned, and an exit right after it cut `parse … | jq` at
 * 64–256 KiB with exit status 0. The reader here starts late, as `less` or a busy `jq` may.
 */
import { beforeAll, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BIN, ensureBuilt, sandboxEnv } from "../helpers/binary.ts"

beforeAll(ensureBuilt, 120_000)

test("plugins test printing ~1 MB into a pipe read late: every byte arrives, exit 0", async () => {
  const env = sandboxEnv()
  const dir = join(env.HOME!, "p")
  mkdirSync(dir)
  const plugin = join(dir, "wide.js")
  // a prompt of 1 MB (a tools hook's 1 MB description is now cut as serve cuts it: plugins test
  // applies serve's checks to what a tools hook returns)
  writeFileSync(plugin, `export default { name: "wide", prompts: [{ name: "big", description: "b", render: () => "d".repeat(1000000) }] }\n`)
  // a shell pipe (Bun.spawn's own stdout is a socket with a larger buffer): the reader starts late
  const script = `set -o pipefail; "$BIN" plugins test "$PLUGIN" --hook prompt --prompt big | (sleep 0.5; cat)`
  const proc = Bun.spawn(["bash", "-c", script], { env: { ...env, BIN, PLUGIN: plugin }, cwd: env.HOME, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  const out = await new Response(proc.stdout).text()
  expect(await proc.exited).toBe(0)
  // the whole JSON document, its 1 MB description included
  expect(out.length).toBeGreaterThan(1_000_000)
  const doc = JSON.parse(out) as unknown
  expect(JSON.stringify(doc)).toContain("d".repeat(1000))
}, 60_000)
