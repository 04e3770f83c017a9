/**
 * Regression (QA 246): the captured output `parse KIND FILE` and `plugins test --hook parse
 * --input-file FILE` read was read whole, with no bound: `--input-file /dev/zero` (or stdin from
 * it) grew the process by ~400 MB a second until the machine ran out of memory. They now read at
 * most what the driver reads of a command's output (32 MiB) and fail naming the source. The
 * compiled binary; its memory is watched (killed past 1 GiB: that is the failure), not its time.
 */
import { beforeAll, expect, test } from "bun:test"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BIN, ensureBuilt } from "../helpers/binary.ts"

const dir = mkdtempSync(join(tmpdir(), "mcpo-input-bounds-"))
const PLUGIN = join(dir, "p.js")
const GIB = 1024 * 1024 * 1024

beforeAll(async () => {
  await ensureBuilt()
  writeFileSync(PLUGIN, `export default { name: "p", parsers: { servers(text) { return [{ name: "n" + text.length }] } } }\n`)
}, 120_000)

function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** Runs the binary; kills it when its resident memory passes 1 GiB (`grew` is then true). */
async function run(args: string[], stdin: "ignore" | ReturnType<typeof Bun.file> = "ignore"): Promise<{ code: number; err: string; grew: boolean }> {
  const p = Bun.spawn([BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir, XDG_CONFIG_HOME: join(dir, "config"), XDG_CACHE_HOME: join(dir, "cache") }, stdin, stdout: "pipe", stderr: "pipe" })
  let grew = false
  const watch = setInterval(() => {
    if (rss(p.pid) > GIB) {
      grew = true
      p.kill("SIGKILL")
    }
  }, 50)
  const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited])
  clearInterval(watch)
  return { code, err, grew }
}

test.skipIf(!existsSync("/dev/zero") || !existsSync("/proc/self/status"))("plugins test --input-file /dev/zero fails naming the file and the bound, never reading it whole", async () => {
  const r = await run(["plugins", "test", PLUGIN, "--hook", "parse", "--kind", "servers", "--input-file", "/dev/zero"])
  expect(r.grew).toBe(false)
  expect(r.code).toBe(1)
  expect(r.err).toContain("/dev/zero holds more than 32 MiB (the driver reads at most that much of a docker mcp command's output)")
}, 60_000)

test.skipIf(!existsSync("/dev/zero") || !existsSync("/proc/self/status"))("parse KIND /dev/zero and parse KIND - from it fail the same way", async () => {
  const f = await run(["parse", "servers", "/dev/zero"])
  expect(f.grew).toBe(false)
  expect(f.code).toBe(1)
  expect(f.err).toContain("mcp-orchestrator parse: /dev/zero holds more than 32 MiB")
  const s = await run(["parse", "servers", "-"], Bun.file("/dev/zero"))
  expect(s.grew).toBe(false)
  expect(s.code).toBe(1)
  expect(s.err).toContain("mcp-orchestrator parse: stdin holds more than 32 MiB")
}, 60_000)

test("a file within the bound is read as before", async () => {
  const file = join(dir, "ls.txt")
  writeFileSync(file, "x".repeat(1000))
  const r = Bun.spawnSync([BIN, "plugins", "test", PLUGIN, "--hook", "parse", "--kind", "servers", "--input-file", file], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir } })
  expect(r.exitCode).toBe(0)
  expect(JSON.parse(r.stdout.toString())).toEqual([{ name: "n1000" }])
}, 60_000)
