/**
 * A state file grown huge (a runaway write, or a sparse `truncate -s 2G`) is read as a damaged one,
 * at most its kind's limit, never whole: before, each reader read all of it at the start (the RSS
 * grew by the file's size, the start stalled for the read). Each read runs in a child that prints
 * what the reader answered and its peak RSS; a reader that read the file whole shows 2 GB there.
 */
import { afterAll, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

const SRC = join(import.meta.dir, "..", "..", "src")
const dir = mkdtempSync(join(tmpdir(), "qa-state-caps-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
/** Well below the 2 GB a whole read holds, well above what a bun process needs. */
const RSS_LIMIT_MIB = 600

/** A sparse file of 2 GiB at `path` (no disk blocks: only its size is large). */
function sparse(path: string): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, "")
  truncateSync(path, 2 * 1024 ** 3)
}

/**
 * The child's own peak RSS in KiB: VmHWM of its memory (a new one at exec). Not
 * `resourceUsage().maxRSS`: Linux keeps that across exec, so a child of a large test process (the
 * whole suite in one process: 1.2 GB) read as large as its parent.
 */
const PEAK_KIB = `(() => { try { const m = /VmHWM:\\s+(\\d+) kB/.exec(require("node:fs").readFileSync("/proc/self/status", "utf8")); if (m) return Number(m[1]) } catch {} return process.resourceUsage().maxRSS })()`

/** Runs `body` in a child; what it printed, and its peak RSS in MiB. */
function inChild(body: string): { out: string; rssMiB: number } {
  const r = spawnSync(process.execPath, ["-e", `${body}; console.log("RSS", Math.round(${PEAK_KIB} / 1024))`], { cwd: SRC, timeout: 60_000, killSignal: "SIGKILL", encoding: "utf8" })
  if (r.status !== 0) throw new Error(`the child failed (${r.signal ?? r.status}): ${r.stderr}`)
  const lines = r.stdout.trim().split("\n")
  return { out: lines.slice(0, -1).join("\n"), rssMiB: Number(lines.at(-1)!.split(" ")[1]) }
}

const mod = (p: string): string => JSON.stringify(join(SRC, p))

test.skipIf(process.platform === "win32")("an OAuth record of 2 GiB: not logged in, said as damaged (too large), not read whole", () => {
  const state = join(dir, "auth")
  sparse(join(state, "oauth", "remote.json"))
  const r = inChild(`const { TokenStore } = await import(${mod("auth/store.ts")}); const s = new TokenStore(${JSON.stringify(state)}); console.log(String(s.read("remote"))); console.log(s.problemOf("remote"))`)
  expect(r.out).toBe(`undefined\nthe token file ${join(state, "oauth", "remote.json")} is damaged (larger than 1048576 bytes, the most a login record is read)`)
  expect(r.rssMiB).toBeLessThan(RSS_LIMIT_MIB)
}, 90_000)

test.skipIf(process.platform === "win32")("protocol-eras.json of 2 GiB: no verdict (detected again), not read whole", () => {
  const state = join(dir, "eras")
  sparse(join(state, "protocol-eras.json"))
  const r = inChild(`const { FileEraStore } = await import(${mod("pool/era-store.ts")}); console.log(String(new FileEraStore(${JSON.stringify(state)}).get({ command: "x", args: [] })))`)
  expect(r.out).toBe("undefined")
  expect(r.rssMiB).toBeLessThan(RSS_LIMIT_MIB)
}, 90_000)

test.skipIf(process.platform === "win32")("the Cursor import record of 2 GiB: no record, not read whole", () => {
  const env = JSON.stringify({ XDG_STATE_HOME: join(dir, "cursor-state"), HOME: dir })
  const rec = inChild(`const { recordPath } = await import(${mod("app/cursor-record.ts")}); console.log(recordPath(${env}))`).out
  sparse(rec)
  const r = inChild(`const { importOf } = await import(${mod("app/cursor-record.ts")}); console.log(String(importOf(${env}, ${JSON.stringify(join(dir, "mcp.json"))})))`)
  expect(r.out).toBe("undefined")
  expect(r.rssMiB).toBeLessThan(RSS_LIMIT_MIB)
}, 90_000)

test.skipIf(process.platform === "win32")("any state file read with no limit of its own: EFBIG past the default cap, not read whole", () => {
  const p = join(dir, "any", "state.json")
  sparse(p)
  const r = inChild(`const { readPlainText, MAX_STATE_FILE_BYTES } = await import(${mod("core/plain-file.ts")}); try { readPlainText(${JSON.stringify(p)}); console.log("read") } catch (e) { console.log(e.code, MAX_STATE_FILE_BYTES < 2 ** 31) }`)
  expect(r.out).toBe("EFBIG true")
  expect(r.rssMiB).toBeLessThan(RSS_LIMIT_MIB)
}, 90_000)
