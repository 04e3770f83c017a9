/**
 * Regressions (QA qa280, a cache directory after a crash or in an odd state, one warning per cause):
 * - every entry file truncated to 0 bytes (a power loss, a VM reset): the start warned once per
 *   file, N times the same words and no remedy. The first damaged file of a run is warned about
 *   with what to do; the rest are counted and logged at debug.
 * - a file where the entries directory should be: two warnings, the first blaming the cache
 *   directory above it ("a file stands where <cache dir> should be", code EEXIST), which was fine.
 *   Only the entries path is named now, with its remedy.
 */
import { afterAll, expect, test } from "bun:test"
import { existsSync, mkdirSync, rmSync, truncateSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { entryPath, FileDriver } from "../../src/cache/index.ts"
import { createLogHub, createLogger, type LogRecord } from "../../src/core/index.ts"
import { tempDir } from "./helpers.ts"

const dirs: Array<{ remove(): void }> = []
afterAll(() => dirs.forEach((d) => d.remove()))
function fresh(): string {
  const t = tempDir("damage-warn")
  dirs.push(t)
  return t.dir
}
function capture(): { log: ReturnType<typeof createLogger>; records: LogRecord[] } {
  const records: LogRecord[] = []
  const hub = createLogHub("debug", () => {})
  hub.sinks.add((r) => records.push(r))
  return { log: createLogger(hub), records }
}
const warnings = (records: LogRecord[]): LogRecord[] => records.filter((r) => r.level === "warn" || r.level === "error")

test("six entry files truncated to 0 bytes: one warning with a remedy, six quarantined (counted), the rest at debug", async () => {
  const dir = fresh()
  const keys = ["tools:a", "tools:b", "tools:c", "catalog:x", "servers:y", "inspect:z"]
  {
    await using d = new FileDriver({ dir })
    for (const k of keys) await d.set(k, { value: [k], storedAt: 1 })
  }
  for (const k of keys) truncateSync(entryPath(join(dir, "entries"), k), 0)
  const { log, records } = capture()
  await using d = new FileDriver({ dir, log })
  for (const k of keys) expect(await d.get(k)).toBeUndefined()
  expect(d.stats().quarantined).toBe(6)
  for (const k of keys) expect(existsSync(`${entryPath(join(dir, "entries"), k)}.corrupt`)).toBe(true)
  const warned = warnings(records)
  expect(warned.map((r) => r.msg)).toEqual(["cache file quarantined"])
  expect(String(warned[0]!.remedy)).toContain("Nothing to do")
  expect(records.filter((r) => r.level === "debug" && r.msg === "cache file quarantined").length).toBe(5)
})

test("a file where the entries directory should be: one warning, naming the entries path, not the cache directory above it", async () => {
  const dir = join(fresh(), "mcp-orchestrator")
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "entries"), "x")
  const { log, records } = capture()
  await using d = new FileDriver({ dir, log })
  await d.set("tools:a", { value: ["a"], storedAt: 1 })
  expect(await d.get("tools:a")).toBeUndefined()
  const warned = warnings(records)
  expect(warned.map((r) => r.msg)).toEqual(["cache entries path is not a plain directory; file cache disabled"])
  expect(d.stats()).toMatchObject({ degraded: true })
  expect(d.stats().remedy).toContain(`Remove ${join(dir, "entries")}`)
  rmSync(join(dir, "entries"))
})

test("a file where the cache directory itself should be: still told as such (one warning)", async () => {
  const parent = fresh()
  const dir = join(parent, "mcp-orchestrator")
  writeFileSync(dir, "x")
  const { log, records } = capture()
  await using d = new FileDriver({ dir, log })
  await d.set("tools:a", { value: ["a"], storedAt: 1 })
  const warned = warnings(records)
  expect(warned.length).toBe(1)
  expect(String(warned[0]!.remedy)).toContain(`A file stands where ${dir}`)
})
