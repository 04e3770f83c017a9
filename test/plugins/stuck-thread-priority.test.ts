/**
 * @module test/plugins/stuck-thread-priority
 * A sandbox thread the watchdog stopped inside one native operation (QuickJS polls its interrupt
 * only every 10 000 calls or jumps: a million-bit BigInt written in decimal takes seconds, and
 * straight-line code never reaches a poll between such steps) runs on until that operation ends, seconds to hours, and `terminate()` cannot stop
 * it. Before, it kept its core at full priority: four of them (the caps) took a 2-core machine from
 * the proxy, its servers and the client. Now such a thread gets the lowest CPU priority (nice 19)
 * once it has outlived its stop by a second, and the log says so. Real sandbox (runCode, PluginHost);
 * the tests wait for the condition, then for the thread to end. Linux only (thread ids, nice).
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createLogger, createLogHub, type LogRecord } from "../../src/core/index.ts"
import { PluginHost } from "../../src/plugin/index.ts"
import { runCode } from "../../src/sandbox/index.ts"
import { lingeringWorkers } from "../../src/sandbox/spawn.ts"
import { until } from "../proxy/helpers.ts"

const linux = process.platform === "linux"
const records: LogRecord[] = []
const hub = createLogHub("debug", () => {})
hub.sinks.add((r) => void records.push(r))
const log = createLogger(hub, "test")

const root = mkdtempSync(join(tmpdir(), "mcpo-nice-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Threads of this process at nice 19 (field 19 of /proc/self/task/<tid>/stat). */
function lowestPriorityThreads(): number[] {
  const out: number[] = []
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8")
      if (stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16] === "19") out.push(Number(tid))
    } catch {
      // the thread ended meanwhile
    }
  }
  return out
}

const yielded = (what: string) => records.some((r) => r.level === "warn" && String(r.msg).startsWith(`${what}: the watchdog stopped it`))

/** Threads lowered by this test alone: bun test runs every file in one process, and earlier files' stuck threads may still run (lowered too). */
function newlyLowered(before: ReadonlySet<number>): number[] {
  return lowestPriorityThreads().filter((t) => !before.has(t))
}

const threadEnded = (tid: number): boolean => !existsSync(`/proc/self/task/${tid}`)

test.skipIf(!linux)("a run_code script stopped inside a long native operation runs on at the lowest CPU priority until it ends", async () => {
  const host = { call: async () => null, search: async () => null }
  const limits = { timeoutMs: 1000, memoryBytes: 32 * 1024 * 1024, stackBytes: 256 * 1024, maxResultBytes: 1024 }
  // a first run loads the sandbox, so the next one surely starts its script before its deadline
  expect(await runCode({ code: "return 1", limits, host, log })).toMatchObject({ ok: true, value: 1 })
  const before = new Set(lowestPriorityThreads())
  // a million-bit BigInt written in decimal, three times, in straight-line code (≈ 10 s idle)
  const r = await runCode({ code: `const x = (1n << 1048000n) - 1n; return [(x + "").length, (x + "").length, (x + "").length]`, limits, host, log })
  expect(r).toMatchObject({ ok: false, fault: { kind: "timeout" } })
  expect(await until(() => newlyLowered(before).length === 1, 30_000)).toBe(true)
  expect(yielded("a run_code script")).toBe(true)
  // it ends with its native operation (a bound, not a timing)
  const [tid] = newlyLowered(before)
  expect(await until(() => threadEnded(tid!), 170_000)).toBe(true)
}, 240_000)

test.skipIf(!linux)("a plugin worker the watchdog stopped inside a long native operation runs on at the lowest CPU priority until it ends", async () => {
  const dir = join(root, "plugins")
  mkdirSync(dir)
  // a million-bit BigInt written in decimal, three times, in straight-line code: no interrupt check between them (≈ 10 s idle)
  writeFileSync(join(dir, "spin.js"), `const x = (1n << 1048000n) - 1n; const p = [(x + "").length, (x + "").length, (x + "").length]\nexport default { name: "spin" }\n`)
  const before = new Set(lowestPriorityThreads())
  await using host = await PluginHost.create({ dirs: [dir], log, separator: "__", loadBudget: 120_000 })
  expect(host.list()[0]!.state).toBe("failed")
  // (its warning goes to the log of the lane's first user: plugin lanes are shared in a process)
  expect(await until(() => newlyLowered(before).length === 1, 30_000)).toBe(true)
  // the warning names the plugin whose request the thread was stuck in, not just "a plugin sandbox worker"
  expect(await until(() => yielded(`the plugin sandbox worker stopped in ${join(dir, "spin.js")}`), 30_000)).toBe(true)
  const [tid] = newlyLowered(before)
  expect(await until(() => threadEnded(tid!) && lingeringWorkers() === 0, 170_000)).toBe(true)
}, 240_000)
